import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { chmod, chown, link, lstat, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AgentClient } from '../../../src/core/agent/client';
import { connectAgent } from '../../../src/core/agent/client';
import { MAX_REQUEST_BYTES, PROTOCOL_VERSION } from '../../../src/core/agent/protocol';
import type { AgentServer, AgentServerOptions, HostEventListener } from '../../../src/core/agent/server';
import { startAgentServer } from '../../../src/core/agent/server';
import { createMemoryLogger } from '../../../src/core/log';
import { RolecallError } from '../../../src/shared/errors';
import type { AgentInfo, Settings } from '../../../src/shared/model';

const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;

const info: AgentInfo = { pid: process.pid, host: 'app', version: '0.0.0-test', startedAt: '2026-01-01T00:00:00.000Z', dataDir: '/data/Rolecall' };
const settings = { startAtLogin: false, notifications: true, defaultShell: 'bash' } as unknown as Settings;

/** The host's side of events, typed as loosely as a host may type it. */
function eventHub() {
  const listeners = new Set<HostEventListener>();
  return {
    subscribe: (listener: HostEventListener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    emit(event: string, payload: unknown) {
      // Untyped on purpose: the server must drop what the contract does not know, however the host was compiled.
      for (const listener of listeners) (listener as (event: string, payload: unknown) => void)(event, payload);
    },
    size: () => listeners.size,
  };
}

/** A socket speaking the wire protocol by hand, to send what the typed client never would. */
async function rawConnection(socketPath: string) {
  const socket: Socket = createConnection(socketPath);
  await once(socket, 'connect');
  // Not events.once: it rejects on 'error', and a write meeting a closed end (EPIPE) is how some tests end.
  const closed = new Promise<boolean>((resolve) => socket.once('close', () => resolve(true)));
  const lines = createInterface({ input: socket })[Symbol.asyncIterator]();
  return {
    socket,
    closed,
    send: (message: unknown) => socket.write(typeof message === 'string' ? message : `${JSON.stringify(message)}\n`),
    next: async (): Promise<Record<string, unknown>> => {
      const line = await lines.next();
      if (line.done) throw new Error('the connection ended');
      return JSON.parse(line.value) as Record<string, unknown>;
    },
    async greet() {
      this.send({ hello: { protocol: PROTOCOL_VERSION } });
      return this.next();
    },
  };
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Leaves a socket file nobody listens on, as a crashed agent does: a second name outlives the listener's close. */
async function leaveStaleSocket(socketPath: string): Promise<void> {
  await mkdir(dirname(socketPath), { recursive: true, mode: 0o700 });
  const listening = `${socketPath}.listening`;
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(listening, resolve));
  await link(listening, socketPath);
  await new Promise((resolve) => server.close(resolve));
  expect((await lstat(socketPath)).isSocket()).toBe(true);
}

describe('agent server', () => {
  let dir: string;
  let socketPath: string;
  let hub: ReturnType<typeof eventHub>;
  let logger: ReturnType<typeof createMemoryLogger>;
  const servers: AgentServer[] = [];
  const clients: AgentClient[] = [];

  const start = async (overrides: Partial<AgentServerOptions> = {}) => {
    const server = await startAgentServer({ socketPath, info, handlers: {}, subscribe: hub.subscribe, logger, ...overrides });
    servers.push(server);
    return server;
  };
  const connect = async () => {
    const client = await connectAgent(socketPath, { timeoutMs: 2000 });
    clients.push(client);
    return client;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rolecall-agent-'));
    socketPath = join(dir, 'run', 'agent.sock');
    hub = eventHub();
    logger = createMemoryLogger();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await Promise.all(servers.splice(0).map((server) => server.stop()));
    await rm(dir, { recursive: true, force: true });
  });

  describe('operations', () => {
    it('tells the client who it is in the hello', async () => {
      await start();
      expect((await connect()).info).toEqual(info);
    });

    it('answers each call with its own result, even when answers come back out of order', async () => {
      const seen: unknown[] = [];
      await start({
        handlers: {
          'profiles.get': async (input) => {
            seen.push(input);
            const { name } = input;
            await delay(name === 'slow' ? 60 : 0);
            return { name, status: 'inactive' };
          },
          'settings.get': async () => settings,
        },
      });
      const client = await connect();
      const [slow, fast, current] = await Promise.all([
        client.call('profiles.get', { name: 'slow' }),
        client.call('profiles.get', { name: 'fast' }),
        client.call('settings.get', {}),
      ]);
      expect(slow).toEqual({ name: 'slow', status: 'inactive' });
      expect(fast).toEqual({ name: 'fast', status: 'inactive' });
      expect(current).toEqual(settings);
      expect(seen).toEqual([{ name: 'slow' }, { name: 'fast' }]);
    });

    it('answers the calls it is working on before a stop closes their connections', async () => {
      let server: AgentServer | undefined;
      await start({
        handlers: {
          'profiles.get': async ({ name }) => {
            // The host decides to stop while this answer is still being worked out (a keychain that went away).
            void server?.stop();
            await delay(100);
            return { name, status: 'inactive' };
          },
        },
      }).then((started) => (server = started));
      const client = await connect();
      await expect(client.call('profiles.get', { name: 'pending' })).resolves.toEqual({ name: 'pending', status: 'inactive' });
      await client.closed;
    });

    it('hands the handler the input as the contract schema parsed it', async () => {
      const handler = vi.fn(async () => ({ script: 'export X=1' }));
      await start({ handlers: { 'env.render': handler } });
      await (await connect()).call('env.render', { name: 'dev', shell: 'fish' });
      expect(handler).toHaveBeenCalledWith({ name: 'dev', shell: 'fish' });
    });

    it('refuses input that breaks the schema with USAGE and the issue, without calling the handler', async () => {
      const handler = vi.fn(async () => ({}));
      await start({ handlers: { 'profiles.get': handler } });
      const client = await connect();
      const badName = await client.call('profiles.get', { name: 'has spaces' }).catch((error: unknown) => error);
      expect(badName).toBeInstanceOf(RolecallError);
      expect(badName).toMatchObject({ code: 'USAGE' });
      expect((badName as RolecallError).detail).toMatch(/^profiles\.get: name: Use up to 64 letters/);
      const extraKey = await client.call('profiles.get', { name: 'dev', extra: 1 } as never).catch((error: unknown) => error);
      expect(extraKey).toMatchObject({ code: 'USAGE' });
      expect((extraKey as RolecallError).detail).toContain('extra');
      expect(handler).not.toHaveBeenCalled();
    });

    it('refuses app-only operations on the socket even when the host has a handler for them', async () => {
      const copy = vi.fn(async () => ({ clearsAt: '2026-01-01T00:01:00.000Z' }));
      await start({ handlers: { 'env.copy': copy } });
      const raw = await rawConnection(socketPath);
      await raw.greet();
      raw.send({ id: 1, op: 'env.copy', input: { name: 'dev', shell: 'bash' } });
      expect(await raw.next()).toMatchObject({ id: 1, result: { ok: false, error: { code: 'AGENT_APP_ONLY' } } });
      expect(copy).not.toHaveBeenCalled();
      raw.socket.destroy();
    });

    it('answers an unknown operation, or one the host does not offer, with AGENT_INCOMPATIBLE', async () => {
      await start({ handlers: {} });
      const raw = await rawConnection(socketPath);
      await raw.greet();
      raw.send({ id: 1, op: 'profiles.teleport', input: {} });
      raw.send({ id: 2, op: 'settings.get', input: {} });
      const answers = [await raw.next(), await raw.next()].sort((a, b) => Number(a.id) - Number(b.id));
      expect(answers[0]).toMatchObject({ id: 1, result: { ok: false, error: { code: 'AGENT_INCOMPATIBLE', detail: 'this agent has no operation "profiles.teleport"' } } });
      expect(answers[1]).toMatchObject({ id: 2, result: { ok: false, error: { code: 'AGENT_INCOMPATIBLE', detail: 'this agent does not offer "settings.get"' } } });
      raw.socket.destroy();
    });

    it('carries a RolecallError back to the caller as the same error', async () => {
      await start({
        handlers: {
          'profiles.get': async () => {
            throw new RolecallError('PROFILE_NOT_FOUND', 'dev');
          },
        },
      });
      const error = await (await connect()).call('profiles.get', { name: 'dev' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RolecallError);
      expect((error as RolecallError).toInfo()).toEqual(new RolecallError('PROFILE_NOT_FOUND', 'dev').toInfo());
    });

    it('turns an unexpected exception into INTERNAL without its text, and keeps serving', async () => {
      await start({
        handlers: {
          'profiles.get': async () => {
            throw new Error('sessionToken=FQoGZXIvYXdzEXAMPLE');
          },
          'settings.get': async () => settings,
        },
      });
      const raw = await rawConnection(socketPath);
      await raw.greet();
      raw.send({ id: 7, op: 'profiles.get', input: { name: 'dev' } });
      const answer = await raw.next();
      expect(answer).toMatchObject({ id: 7, result: { ok: false, error: { code: 'INTERNAL' } } });
      expect(JSON.stringify(answer)).not.toContain('FQoGZXIvYXdzEXAMPLE');
      raw.send({ id: 8, op: 'settings.get', input: {} });
      expect(await raw.next()).toEqual({ id: 8, result: { ok: true, value: settings } });
      const logged = logger.entries.find((entry) => entry.message === 'operation failed unexpectedly');
      expect(logged?.fields).toMatchObject({ op: 'profiles.get', caller: 'socket', error: { name: 'Error', stack: expect.stringContaining('server.test.ts') } });
      expect(logger.text()).not.toContain('FQoGZXIvYXdzEXAMPLE');
      raw.socket.destroy();
    });

    it('delivers the contract\'s events to subscribed clients only, until they unsubscribe', async () => {
      await start({ handlers: { 'settings.get': async () => settings } });
      const watcher = await connect();
      const bystander = await rawConnection(socketPath);
      await bystander.greet();
      const received: [string, unknown][] = [];
      const unsubscribe = watcher.subscribe((event, payload) => received.push([event, payload]));
      // A round trip after subscribing: the agent reads the subscription before the call.
      await watcher.call('settings.get', {});
      hub.emit('profile.removed', { name: 'dev' });
      hub.emit('not.in.contract', { name: 'dev' });
      hub.emit('settings.changed', settings);
      await vi.waitFor(() => expect(received).toHaveLength(2));
      expect(received).toEqual([
        ['profile.removed', { name: 'dev' }],
        ['settings.changed', settings],
      ]);
      // Events written to the bystander would arrive before the answer to its later call.
      bystander.send({ id: 1, op: 'settings.get', input: {} });
      expect(await bystander.next()).toEqual({ id: 1, result: { ok: true, value: settings } });

      unsubscribe();
      await watcher.call('settings.get', {});
      hub.emit('profile.removed', { name: 'other' });
      await watcher.call('settings.get', {});
      expect(received).toHaveLength(2);
      bystander.socket.destroy();
    });
  });

  describe('framing', () => {
    it('answers a request just under the size limit', async () => {
      await start({ handlers: { 'drafts.unlock': async ({ passphrase }) => ({ length: passphrase.length }) } });
      const passphrase = 'p'.repeat(MAX_REQUEST_BYTES - 200);
      expect(await (await connect()).call('drafts.unlock', { draftId: 'd1', passphrase })).toEqual({ length: passphrase.length });
    });

    it('closes a connection whose message exceeds the size limit, and only that one', async () => {
      await start({ handlers: { 'settings.get': async () => settings } });
      const bystander = await connect();
      const raw = await rawConnection(socketPath);
      await raw.greet();
      raw.send('{"id":1,"op":"settings.get","input":{"x":"' + 'a'.repeat(MAX_REQUEST_BYTES + 10));
      expect(await raw.closed).toBe(true);
      expect(await bystander.call('settings.get', {})).toEqual(settings);
      expect(await (await connect()).call('settings.get', {})).toEqual(settings);
    });

    it('closes a connection that sends malformed JSON, and only that one', async () => {
      await start({ handlers: { 'settings.get': async () => settings } });
      const bystander = await connect();
      const raw = await rawConnection(socketPath);
      await raw.greet();
      raw.send('{"id":1,"op":"settings.get",\n');
      expect(await raw.closed).toBe(true);
      expect(await bystander.call('settings.get', {})).toEqual(settings);
    });

    it('closes a connection that does not open with a hello, without saying anything', async () => {
      await start({ handlers: { 'settings.get': async () => settings } });
      const raw = await rawConnection(socketPath);
      const said: string[] = [];
      raw.socket.on('data', (chunk: Buffer) => said.push(chunk.toString()));
      raw.send({ id: 1, op: 'settings.get', input: {} });
      expect(await raw.closed).toBe(true);
      expect(said).toEqual([]);
    });

    it('tells a client of another protocol version its own version, then hangs up', async () => {
      await start();
      const raw = await rawConnection(socketPath);
      raw.send({ hello: { protocol: PROTOCOL_VERSION + 1 } });
      expect(await raw.next()).toEqual({ hello: { protocol: PROTOCOL_VERSION, agent: info } });
      expect(await raw.closed).toBe(true);
    });
  });

  describe('clients that hold on without talking', () => {
    const dropReasons = () => logger.entries.filter((entry) => entry.message === 'closed an agent client connection').map((entry) => entry.fields.reason);

    it('drops a client that does not say hello in time, and keeps one that did', async () => {
      await start({ helloTimeoutMs: 150, handlers: { 'settings.get': async () => settings } });
      const greeted = await connect();
      const silent = await rawConnection(socketPath);
      const started = Date.now();
      expect(await silent.closed).toBe(true);
      expect(Date.now() - started).toBeGreaterThanOrEqual(100);
      expect(dropReasons()).toEqual(['the client did not say hello in time']);
      await delay(200);
      expect(await greeted.call('settings.get', {})).toEqual(settings);
    });

    it('drops a client that began its hello but never finished it', async () => {
      await start({ helloTimeoutMs: 150 });
      const raw = await rawConnection(socketPath);
      raw.send('{"hello":{"protoc');
      expect(await raw.closed).toBe(true);
      expect(dropReasons()).toEqual(['the client did not say hello in time']);
    });

    it('drops a client that leaves a message unfinished, however slowly it drips the rest', async () => {
      await start({ partialMessageTimeoutMs: 200, handlers: { 'settings.get': async () => settings } });
      const bystander = await connect();
      const raw = await rawConnection(socketPath);
      await raw.greet();
      // The agent hangs up between two drips: a write may meet the closed end.
      raw.socket.on('error', () => undefined);
      const started = Date.now();
      raw.send('{"id":1,');
      const drip = setInterval(() => raw.socket.writable && raw.send(' '), 40);
      expect(await raw.closed).toBe(true);
      clearInterval(drip);
      expect(Date.now() - started).toBeGreaterThanOrEqual(150);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(dropReasons()).toEqual(['the client left a message unfinished']);
      expect(await bystander.call('settings.get', {})).toEqual(settings);
    });

    it('keeps a client that finishes each message in time and then stays quiet', async () => {
      await start({ helloTimeoutMs: 100, partialMessageTimeoutMs: 150, handlers: { 'settings.get': async () => settings } });
      const raw = await rawConnection(socketPath);
      // The hello and the start of a request in one write: the hello's deadline must not outlive it.
      raw.send(`${JSON.stringify({ hello: { protocol: PROTOCOL_VERSION } })}\n{"id":1,"op":`);
      expect(await raw.next()).toMatchObject({ hello: { protocol: PROTOCOL_VERSION } });
      await delay(80);
      raw.send('"settings.get","input":{}}\n');
      expect(await raw.next()).toEqual({ id: 1, result: { ok: true, value: settings } });
      await delay(400);
      raw.send({ id: 2, op: 'settings.get', input: {} });
      expect(await raw.next()).toEqual({ id: 2, result: { ok: true, value: settings } });
      expect(dropReasons()).toEqual([]);
      raw.socket.destroy();
    });
  });

  describe('connection limit', () => {
    it('refuses connections beyond the limit with a logged reason, while the others keep working', async () => {
      const server = await start({ maxConnections: 3, handlers: { 'settings.get': async () => settings } });
      const admitted = [await connect(), await connect(), await connect()];
      await expect(connectAgent(socketPath, { timeoutMs: 2000 })).rejects.toMatchObject({
        code: 'AGENT_UNAVAILABLE',
        detail: expect.stringContaining('its limit of connections') as unknown,
      });
      await expect(connectAgent(socketPath, { timeoutMs: 2000 })).rejects.toMatchObject({ code: 'AGENT_UNAVAILABLE' });
      expect(server.connectionCount()).toBe(3);
      for (const client of admitted) expect(await client.call('settings.get', {})).toEqual(settings);
      const refusals = logger.entries.filter((entry) => entry.message === 'refused an agent client connection');
      // Once per time the limit is reached: a client retrying in a loop does not flood the log.
      expect(refusals.map((entry) => entry.fields.reason)).toEqual(['the agent already serves its limit of 3 connections']);

      await admitted[0]!.close();
      await vi.waitFor(() => expect(server.connectionCount()).toBe(2));
      expect(logger.entries.find((entry) => entry.message === 'accepting agent client connections again')?.fields).toEqual({ refused: 2, limit: 3 });
      expect(await (await connect()).call('settings.get', {})).toEqual(settings);
    });

    it('holds 64 connections by default', async () => {
      const server = await start({ handlers: { 'settings.get': async () => settings } });
      const admitted = await Promise.all(Array.from({ length: 64 }, () => connect()));
      await expect(connectAgent(socketPath, { timeoutMs: 2000 })).rejects.toMatchObject({ code: 'AGENT_UNAVAILABLE' });
      expect(server.connectionCount()).toBe(64);
      expect(await admitted[63]!.call('settings.get', {})).toEqual(settings);
    });
  });

  describe('who can connect', () => {
    it('creates the socket folder 0700 and the socket 0600', async () => {
      await start();
      const folder = await lstat(dirname(socketPath));
      expect(folder.isDirectory()).toBe(true);
      expect(folder.mode & 0o777).toBe(0o700);
      const socket = await lstat(socketPath);
      expect(socket.isSocket()).toBe(true);
      expect(socket.mode & 0o777).toBe(0o600);
    });

    it('refuses a socket folder someone opened to other users, on the agent and on the client side', async () => {
      await mkdir(dirname(socketPath), { mode: 0o700 });
      await chmod(dirname(socketPath), 0o777);
      await expect(start()).rejects.toMatchObject({ code: 'AGENT_SOCKET_UNSAFE', detail: `${dirname(socketPath)} is open to other users (mode 777)` });
      // An impostor listening there is never even contacted.
      const impostor = createServer((socket) => socket.end('{"hello":{}}\n'));
      await new Promise<void>((resolve) => impostor.listen(socketPath, resolve));
      const contacted = vi.fn();
      impostor.on('connection', contacted);
      await expect(connectAgent(socketPath)).rejects.toMatchObject({ code: 'AGENT_SOCKET_UNSAFE' });
      expect(contacted).not.toHaveBeenCalled();
      await new Promise((resolve) => impostor.close(resolve));
    });

    it.skipIf(!isRoot)('refuses a socket folder that belongs to another user', async () => {
      await mkdir(dirname(socketPath), { mode: 0o700 });
      await chown(dirname(socketPath), NOBODY, NOBODY);
      await expect(start()).rejects.toMatchObject({ code: 'AGENT_SOCKET_UNSAFE', detail: `${dirname(socketPath)} belongs to another user (uid ${NOBODY})` });
      await expect(connectAgent(socketPath)).rejects.toMatchObject({ code: 'AGENT_SOCKET_UNSAFE' });
    });

    it('refuses a symbolic link in place of the socket folder', async () => {
      await mkdir(join(dir, 'elsewhere'), { mode: 0o700 });
      await symlink(join(dir, 'elsewhere'), dirname(socketPath));
      await expect(start()).rejects.toMatchObject({ code: 'AGENT_SOCKET_UNSAFE', detail: `${dirname(socketPath)} is not a folder` });
    });

    it('refuses to replace a file that is not a socket at the socket path', async () => {
      await mkdir(dirname(socketPath), { mode: 0o700 });
      await writeFile(socketPath, 'not a socket');
      await expect(start()).rejects.toMatchObject({ code: 'AGENT_SOCKET_UNSAFE', detail: `${socketPath} is not a socket` });
    });

    // Root passes every permission check, so the test connects as `nobody` from a child process.
    it.skipIf(!isRoot)('keeps a process of another user out (run as root to test this)', async () => {
      await chmod(dir, 0o755);
      await start();
      const tryConnect = async () => {
        const script = `require('node:net').createConnection(${JSON.stringify(socketPath)})
          .on('connect', () => { console.log('CONNECTED'); process.exit(0); })
          .on('error', (error) => { console.log(error.code); process.exit(0); });`;
        const { stdout } = await run(process.execPath, ['-e', script], { uid: NOBODY, gid: NOBODY, cwd: '/', env: { PATH: process.env.PATH } });
        return stdout.trim();
      };
      expect(await tryConnect()).toBe('EACCES');
      // The socket's own mode keeps them out too, should the folder ever be opened.
      await chmod(dirname(socketPath), 0o711);
      expect(await tryConnect()).toBe('EACCES');
    });
  });

  describe('one agent per user', () => {
    it('refuses to start a second agent while the first answers', async () => {
      await start({ handlers: { 'settings.get': async () => settings } });
      await expect(start({ info: { ...info, pid: 1 } })).rejects.toMatchObject({
        code: 'AGENT_ALREADY_RUNNING',
        detail: `the app agent (pid ${process.pid}) listens on ${socketPath}`,
      });
      expect(await (await connect()).call('settings.get', {})).toEqual(settings);
    });

    it('lets exactly one of two agents starting at once bind', async () => {
      const results = await Promise.allSettled([start(), start()]);
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((result) => result.status === 'rejected');
      expect(refused?.reason).toMatchObject({ code: 'AGENT_ALREADY_RUNNING' });
      expect((await connect()).info).toEqual(info);
    });

    it('lets exactly one of two agents starting at once over a stale socket bind, and that one answers', async () => {
      await leaveStaleSocket(socketPath);
      const results = await Promise.allSettled([start({ info: { ...info, pid: 101 } }), start({ info: { ...info, pid: 102 } })]);
      const started = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
      expect(started).toHaveLength(1);
      expect(results.find((result) => result.status === 'rejected')?.reason).toMatchObject({ code: 'AGENT_ALREADY_RUNNING' });
      expect((await connect()).info).toEqual(started[0]!.info);
    });

    it('replaces a stale socket nobody listens on', async () => {
      await leaveStaleSocket(socketPath);
      await expect(connectAgent(socketPath)).rejects.toMatchObject({ code: 'AGENT_UNAVAILABLE' });
      await start();
      expect((await connect()).info).toEqual(info);
      expect(logger.entries.map((entry) => entry.message)).toContain('removed a stale agent socket');
    });

    it('removes its socket when stopped, ending connections and pending calls', async () => {
      const server = await start({ handlers: { 'sessions.refreshAll': () => new Promise(() => undefined) } });
      const client = await connect();
      const pending = client.call('sessions.refreshAll', {}).catch((error: unknown) => error);
      await vi.waitFor(() => expect(server.connectionCount()).toBe(1));
      await server.stop();
      expect(await pending).toMatchObject({ code: 'AGENT_CONNECTION_LOST' });
      await client.closed;
      expect(await readdir(dirname(socketPath))).toEqual([]);
      await expect(connectAgent(socketPath)).rejects.toMatchObject({ code: 'AGENT_UNAVAILABLE' });
    });

    it('stops listening for host events when stopped', async () => {
      const server = await start();
      expect(hub.size()).toBe(1);
      await server.stop();
      expect(hub.size()).toBe(0);
    });
  });

  describe('idle exit', () => {
    it('calls onIdle only once no client is connected and the host is not busy', async () => {
      let busy = false;
      const onIdle = vi.fn();
      await start({ idleMs: 80, isBusy: () => busy, onIdle });
      const client = await connect();
      await delay(250);
      expect(onIdle).not.toHaveBeenCalled();

      busy = true;
      await client.close();
      await delay(250);
      expect(onIdle).not.toHaveBeenCalled();

      busy = false;
      await vi.waitFor(() => expect(onIdle).toHaveBeenCalledTimes(1), { timeout: 3000 });
      await delay(200);
      expect(onIdle).toHaveBeenCalledTimes(1);
    });

    it('never idles out without onIdle (the app host)', async () => {
      const server = await start({ idleMs: 20 });
      await delay(100);
      expect((await connect()).info).toEqual(info);
      expect(server.connectionCount()).toBe(1);
    });
  });
});

describe('agent client', () => {
  let dir: string;
  let socketPath: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rolecall-client-'));
    socketPath = join(dir, 'run', 'agent.sock');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function fakeAgent(onLine: (socket: Socket, line: string) => void) {
    await mkdir(dirname(socketPath), { mode: 0o700 });
    const server = createServer((socket) => {
      createInterface({ input: socket }).on('line', (line) => onLine(socket, line));
    });
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    return { close: () => new Promise((resolve) => server.close(resolve)) };
  }

  it('reports AGENT_UNAVAILABLE when nothing listens', async () => {
    await expect(connectAgent(socketPath)).rejects.toMatchObject({ code: 'AGENT_UNAVAILABLE', detail: `nothing listens on ${socketPath}` });
  });

  it('reports AGENT_INCOMPATIBLE when the agent speaks another protocol version', async () => {
    const agent = await fakeAgent((socket) => socket.write(`${JSON.stringify({ hello: { protocol: PROTOCOL_VERSION + 1, agent: {} } })}\n`));
    await expect(connectAgent(socketPath)).rejects.toMatchObject({
      code: 'AGENT_INCOMPATIBLE',
      detail: `the agent speaks protocol ${PROTOCOL_VERSION + 1}, this client ${PROTOCOL_VERSION}`,
    });
    await agent.close();
  });

  it('gives up on an agent that never says hello', async () => {
    const agent = await fakeAgent(() => undefined);
    const started = Date.now();
    await expect(connectAgent(socketPath, { timeoutMs: 150 })).rejects.toMatchObject({ code: 'AGENT_UNAVAILABLE', detail: `no answer on ${socketPath} within 150 ms` });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await agent.close();
  });

  it('turns an error code it does not know into AGENT_INCOMPATIBLE', async () => {
    const agent = await fakeAgent((socket, line) => {
      const message = JSON.parse(line) as { hello?: unknown; id?: number };
      if (message.hello) socket.write(`${JSON.stringify({ hello: { protocol: PROTOCOL_VERSION, agent: info } })}\n`);
      else socket.write(`${JSON.stringify({ id: message.id, result: { ok: false, error: { code: 'FUTURE_CODE', message: 'From the future.', next: 'Wait.' } } })}\n`);
    });
    const client = await connectAgent(socketPath);
    await expect(client.call('settings.get', {})).rejects.toMatchObject({
      code: 'AGENT_INCOMPATIBLE',
      detail: 'the agent answered with an unknown error FUTURE_CODE: From the future.',
    });
    await client.close();
    await agent.close();
  });
});
