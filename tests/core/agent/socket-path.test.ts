import { describe, expect, it } from 'vitest';
import { MAX_SOCKET_PATH_BYTES, agentSocketPathFor, defaultSocketPath, isNamedPipe } from '../../../src/core/agent/socket-path';

describe('defaultSocketPath', () => {
  const base = { dataDir: '/home/ana/.config/Rolecall', platform: 'linux' as const, uid: 1000, tmpdir: '/tmp' };

  it('uses the login session runtime folder when XDG_RUNTIME_DIR is set', () => {
    expect(defaultSocketPath({ ...base, env: { XDG_RUNTIME_DIR: '/run/user/1000' } })).toBe('/run/user/1000/rolecall/agent.sock');
  });

  it('uses the data folder otherwise, or when XDG_RUNTIME_DIR is not an absolute path', () => {
    expect(defaultSocketPath({ ...base, env: {} })).toBe('/home/ana/.config/Rolecall/run/agent.sock');
    expect(defaultSocketPath({ ...base, env: { XDG_RUNTIME_DIR: 'relative/dir' } })).toBe('/home/ana/.config/Rolecall/run/agent.sock');
    expect(defaultSocketPath({ ...base, platform: 'darwin', dataDir: '/Users/ana/Library/Application Support/Rolecall', env: {} })).toBe(
      '/Users/ana/Library/Application Support/Rolecall/run/agent.sock',
    );
  });

  it('falls back to a per-user folder in the temp dir when the path would not fit a socket address', () => {
    const dataDir = `/home/ana/${'deeply-nested/'.repeat(6)}Rolecall`;
    const preferred = `${dataDir}/run/agent.sock`;
    expect(Buffer.byteLength(preferred)).toBeGreaterThan(MAX_SOCKET_PATH_BYTES);
    expect(defaultSocketPath({ ...base, dataDir, env: {} })).toBe('/tmp/rolecall-1000/agent.sock');
  });

  it('counts bytes, not characters, against the limit', () => {
    const dataDir = `/home/ana/${'é'.repeat(42)}/Rolecall`;
    expect(`${dataDir}/run/agent.sock`.length).toBeLessThanOrEqual(MAX_SOCKET_PATH_BYTES);
    expect(defaultSocketPath({ ...base, dataDir, env: {} })).toBe('/tmp/rolecall-1000/agent.sock');
  });

  it('names a per-user pipe on Windows', () => {
    const path = defaultSocketPath({ ...base, platform: 'win32', dataDir: 'C:\\Users\\ana\\AppData\\Roaming\\Rolecall', uid: -1, env: { USERNAME: 'Ana Lopez' } });
    expect(path).toBe('\\\\.\\pipe\\rolecall-Ana_Lopez');
    expect(isNamedPipe(path)).toBe(true);
    expect(isNamedPipe('/run/user/1000/rolecall/agent.sock')).toBe(false);
  });
});

describe('agentSocketPathFor', () => {
  it('is the default socket for this process\'s user, platform and environment', () => {
    const dataDir = `/home/ana/${'deeply-nested/'.repeat(6)}Rolecall`;
    const env = { XDG_RUNTIME_DIR: '/run/user/1000' };
    const uid = process.getuid?.() ?? 0;
    expect(agentSocketPathFor(dataDir, env)).toBe(defaultSocketPath({ env, dataDir, platform: process.platform, uid }));
    expect(agentSocketPathFor(dataDir, {})).toBe(defaultSocketPath({ env: {}, dataDir, platform: process.platform, uid }));
  });
});
