// The agent's watch on its D-Bus session bus, against real Unix sockets: a listening socket is a live
// bus, a closed and removed one is a session that ended.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { busAnswers, sessionBusSocket, watchSessionBus } from '../../../src/core/agent/session-bus-watch';

const folders: string[] = [];
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

async function listeningBus(): Promise<{ path: string; server: Server }> {
  const folder = await mkdtemp(join(tmpdir(), 'bus-'));
  folders.push(folder);
  const path = join(folder, 'bus');
  const server = createServer((socket) => socket.destroy());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return { path, server };
}

describe('sessionBusSocket', () => {
  it('reads the socket of the address forms dbus-daemon and systemd give', () => {
    expect(sessionBusSocket('unix:path=/run/user/1000/bus')).toBe('/run/user/1000/bus');
    expect(sessionBusSocket('unix:path=/tmp/dbus-nrNFak6AOD,guid=b4c8c1e4fea9b8a23c2d20f56b0ff4f7')).toBe('/tmp/dbus-nrNFak6AOD');
    expect(sessionBusSocket('unix:abstract=/tmp/dbus-Xy,guid=00')).toBe('\0/tmp/dbus-Xy');
    expect(sessionBusSocket('tcp:host=localhost,port=1234;unix:path=/tmp/with%20space')).toBe('/tmp/with space');
  });

  it('finds nothing to watch without a Unix bus', () => {
    expect(sessionBusSocket(undefined)).toBeUndefined();
    expect(sessionBusSocket('')).toBeUndefined();
    expect(sessionBusSocket('tcp:host=localhost,port=1234')).toBeUndefined();
    expect(sessionBusSocket('unix:path=')).toBeUndefined();
  });
});

describe('watchSessionBus', () => {
  it('knows a listening bus from one whose socket is gone', async () => {
    const { path, server } = await listeningBus();
    expect(await busAnswers(path)).toBe(true);
    await new Promise((resolve) => server.close(resolve));
    expect(await busAnswers(path)).toBe(false);
  });

  it('stays quiet while the bus answers and reports once when it has gone', async () => {
    const { path, server } = await listeningBus();
    let gone = 0;
    const watch = watchSessionBus({ address: `unix:path=${path},guid=00`, everyMs: 20, onGone: () => (gone += 1) });
    expect(watch).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(gone).toBe(0);
    await new Promise((resolve) => server.close(resolve));
    const deadline = Date.now() + 2000;
    while (gone === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(gone).toBe(1);
    watch?.stop();
  });

  it('watches nothing where there is no Unix bus', () => {
    expect(watchSessionBus({ address: undefined, onGone: () => undefined })).toBeUndefined();
  });
});
