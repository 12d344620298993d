// Where the agent listens. A Unix socket's path must fit sun_path (108 bytes on Linux, 104 on macOS,
// with the terminating NUL), so a long data folder falls back to a short per-user folder in the temp dir.
import { tmpdir as osTmpdir } from 'node:os';
import { posix } from 'node:path';

/** The longest socket path every Unix we ship on accepts (macOS: 104 bytes including the NUL). */
export const MAX_SOCKET_PATH_BYTES = 103;
export const SOCKET_FILE_NAME = 'agent.sock';

const PIPE_PREFIX = '\\\\.\\pipe\\';

export interface SocketPathInput {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly dataDir: string;
  readonly platform: NodeJS.Platform;
  /** The user's uid (unused on Windows). */
  readonly uid: number;
  readonly tmpdir?: string;
}

/**
 * `$XDG_RUNTIME_DIR/rolecall/agent.sock` (a per-login folder only the user can enter) when set, else
 * `<dataDir>/run/agent.sock`, else, when that is too long, `<tmpdir>/rolecall-<uid>/agent.sock`.
 * On Windows a named pipe per user name.
 */
export function defaultSocketPath({ env, dataDir, platform, uid, tmpdir = osTmpdir() }: SocketPathInput): string {
  if (platform === 'win32') return `${PIPE_PREFIX}rolecall-${pipeUserName(env.USERNAME)}`;
  const runtimeDir = env.XDG_RUNTIME_DIR;
  const preferred = runtimeDir && posix.isAbsolute(runtimeDir)
    ? posix.join(runtimeDir, 'rolecall', SOCKET_FILE_NAME)
    : posix.join(dataDir, 'run', SOCKET_FILE_NAME);
  if (Buffer.byteLength(preferred) <= MAX_SOCKET_PATH_BYTES) return preferred;
  return posix.join(tmpdir, `rolecall-${uid}`, SOCKET_FILE_NAME);
}

/**
 * The socket this process's user has for `dataDir`: the one place the app, the CLI and the headless
 * agent compute it, so they always meet on the same socket.
 */
export function agentSocketPathFor(dataDir: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  return defaultSocketPath({ env, dataDir, platform: process.platform, uid: process.getuid?.() ?? 0 });
}

export function isNamedPipe(path: string): boolean {
  return path.startsWith(PIPE_PREFIX);
}

function pipeUserName(name: string | undefined): string {
  const safe = (name ?? '').replace(/[^A-Za-z0-9._-]/g, '_');
  return safe === '' ? 'user' : safe;
}
