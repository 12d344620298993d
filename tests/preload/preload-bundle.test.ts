// The built preload, run the way Electron's sandbox runs it: one CommonJS file whose only require is
// `electron`, executed in its own V8 context with a stand-in electron module that records what it gets.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS, operationsExposedTo } from '../../src/shared/contract';
import { ERRORS } from '../../src/shared/errors';
import { EVENT_CHANNEL } from '../../src/shared/ipc';
import { PROJECT_ROOT } from '../helpers/cli';

type Listener = (event: unknown, message: unknown) => void;
type Api = Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>>;

let outDir: string;
let bundle: string;

beforeAll(() => {
  outDir = mkdtempSync(join(tmpdir(), 'rolecall-preload-'));
  const build = spawnSync(join(PROJECT_ROOT, 'node_modules', '.bin', 'electron-vite'), ['build', '--outDir', outDir, '--logLevel', 'error'], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`electron-vite build failed:\n${build.stdout}\n${build.stderr}`);
  bundle = readFileSync(join(outDir, 'preload', 'index.cjs'), 'utf8');
});

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** Runs the bundle with a fake `electron`; `reply` answers ipcRenderer.invoke. */
function loadPreload(reply: (channel: string, input: unknown) => Promise<unknown>) {
  const exposed: { key: string; api: Api }[] = [];
  const invoked: { channel: string; input: unknown }[] = [];
  const listeners = new Map<string, Set<Listener>>();
  const required: string[] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: Api) => exposed.push({ key, api }) },
    ipcRenderer: {
      invoke: (channel: string, input: unknown) => {
        invoked.push({ channel, input });
        return reply(channel, input);
      },
      on: (channel: string, listener: Listener) => {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)?.add(listener);
      },
      removeListener: (channel: string, listener: Listener) => listeners.get(channel)?.delete(listener),
    },
  };
  const fakeRequire = (id: string) => {
    required.push(id);
    if (id !== 'electron') throw new Error(`the preload required ${id}`);
    return electron;
  };
  const module = { exports: {} };
  const run = runInNewContext(`(function (require, module, exports) {\n${bundle}\n})`, {}, { filename: 'index.cjs' }) as (...args: unknown[]) => void;
  run(fakeRequire, module, module.exports);
  const emit = (channel: string, message: unknown) => listeners.get(channel)?.forEach((listener) => listener({ sender: 'ipc-event' }, message));
  return { exposed, invoked, listeners, required, emit };
}

const ok = (value: unknown) => Promise.resolve({ ok: true, value });

describe('the built preload', () => {
  it('is one CommonJS file whose only require is electron, with zod left out', () => {
    expect(readdirSync(join(outDir, 'preload'))).toEqual(['index.cjs']);
    const requires = [...bundle.matchAll(/\brequire\s*\(\s*(["'`])([^"'`]+)\1\s*\)/g)].map((match) => match[2]);
    expect(new Set(requires)).toEqual(new Set(['electron']));
    expect(bundle).not.toMatch(/\bimport\s*\(/);
    expect(bundle).not.toMatch(/ZodError|zod/i);
  });

  it('exposes every renderer operation as window.rolecall.group.method, and nothing else', () => {
    const { exposed, required } = loadPreload(() => ok(null));
    expect(required).toEqual(['electron']);
    expect(exposed.map((entry) => entry.key)).toEqual(['rolecall']);
    const api = exposed[0]?.api ?? {};
    const methods = Object.entries(api).flatMap(([group, members]) => Object.keys(members).map((method) => `${group}.${method}`));
    const expected = [...operationsExposedTo('renderer'), 'events.subscribe'];
    expect(methods.sort()).toEqual(expected.sort());
    for (const name of Object.keys(OPERATIONS) as (keyof typeof OPERATIONS)[]) {
      if (OPERATIONS[name].exposure === 'agent') expect(methods).not.toContain(name);
    }
    expect(methods).not.toContain('credentials.get');
    expect(methods).toContain('env.copy');
  });

  it('invokes the operation\'s channel with the input and resolves with the value', async () => {
    const { exposed, invoked } = loadPreload((channel, input) => ok({ channel, input }));
    const api = exposed[0]!.api;
    const input = { name: 'dev', draftId: 'd1', trustAnchorArn: 'a', profileArn: 'p', roleArn: 'r' };
    await expect(api.profiles!.add!(input)).resolves.toEqual({ channel: 'rolecall:profiles.add', input });
    expect(invoked).toEqual([{ channel: 'rolecall:profiles.add', input }]);
  });

  it('sends an empty object for an operation called without input', async () => {
    const { exposed, invoked } = loadPreload(() => ok({ profiles: [] }));
    await exposed[0]!.api.state!.get!();
    expect(invoked).toEqual([{ channel: 'rolecall:state.get', input: {} }]);
  });

  it('rejects with the error\'s code, message, next step and detail when main answers with an error', async () => {
    const error = { code: 'PROFILE_NOT_FOUND', message: ERRORS.PROFILE_NOT_FOUND.message, next: ERRORS.PROFILE_NOT_FOUND.next, detail: 'dev' };
    const { exposed } = loadPreload(() => Promise.resolve({ ok: false, error }));
    await expect(exposed[0]!.api.sessions!.activate!({ name: 'dev' })).rejects.toEqual({ name: 'RolecallError', ...error });
  });

  it('turns a failed invoke into INTERNAL without passing its text on', async () => {
    const { exposed } = loadPreload(() => Promise.reject(new Error("No handler registered for 'rolecall:state.get' secret-ish text")));
    const call = exposed[0]!.api.state!.get!() as Promise<unknown>;
    await expect(call).rejects.toEqual({ name: 'RolecallError', code: 'INTERNAL', message: ERRORS.INTERNAL.message, next: ERRORS.INTERNAL.next });
  });

  it('delivers events as (name, payload) without the IPC event, until unsubscribed', () => {
    const { exposed, emit, listeners } = loadPreload(() => ok(null));
    const received: unknown[][] = [];
    const unsubscribe = exposed[0]!.api.events!.subscribe!((...args: unknown[]) => received.push(args)) as unknown as () => void;
    emit(EVENT_CHANNEL, { event: 'profile.removed', payload: { name: 'dev' } });
    unsubscribe();
    emit(EVENT_CHANNEL, { event: 'profile.removed', payload: { name: 'ci' } });
    expect(received).toEqual([['profile.removed', { name: 'dev' }]]);
    expect(listeners.get(EVENT_CHANNEL)?.size).toBe(0);
  });
});
