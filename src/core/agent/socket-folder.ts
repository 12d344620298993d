// The socket's folder is the agent's access control on Unix: 0700 and owned by the user, so no other
// user can connect to the agent or put a socket of their own in its place. A folder someone else made
// first (in /tmp, say) is refused by the agent and by its clients alike: otherwise an attacker could
// pose as the agent and be handed passphrases, or hand out credentials of their choosing.
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { RolecallError } from '../../shared/errors';

function currentUid(): number {
  return process.getuid?.() ?? -1;
}

/** Creates the socket's folder 0700 if missing, then checks it is private to this user. */
export async function prepareSocketFolder(socketPath: string, uid = currentUid()): Promise<void> {
  const folder = dirname(socketPath);
  try {
    await fs.mkdir(dirname(folder), { recursive: true, mode: 0o700 });
    await fs.mkdir(folder, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw unusable(folder, error);
  }
  await assertPrivateFolder(folder, uid);
}

/** Throws AGENT_SOCKET_UNSAFE unless `folder` is a real folder owned by `uid` that no one else may enter. */
export async function assertPrivateFolder(folder: string, uid = currentUid()): Promise<void> {
  let stats;
  try {
    stats = await fs.lstat(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw error;
    throw unusable(folder, error);
  }
  if (!stats.isDirectory()) throw new RolecallError('AGENT_SOCKET_UNSAFE', `${folder} is not a folder`);
  if (stats.uid !== uid) throw new RolecallError('AGENT_SOCKET_UNSAFE', `${folder} belongs to another user (uid ${stats.uid})`);
  if ((stats.mode & 0o077) !== 0) {
    throw new RolecallError('AGENT_SOCKET_UNSAFE', `${folder} is open to other users (mode ${(stats.mode & 0o777).toString(8)})`);
  }
}

/** Whether a socket is at `socketPath`; AGENT_SOCKET_UNSAFE if something else, or someone else's, is there. */
export async function ownSocketExists(socketPath: string, uid = currentUid()): Promise<boolean> {
  let stats;
  try {
    stats = await fs.lstat(socketPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  if (!stats.isSocket()) throw new RolecallError('AGENT_SOCKET_UNSAFE', `${socketPath} is not a socket`);
  if (stats.uid !== uid) throw new RolecallError('AGENT_SOCKET_UNSAFE', `${socketPath} belongs to another user (uid ${stats.uid})`);
  return true;
}

// A path through a file (ENOTDIR) or a folder we may not enter (EACCES) cannot hold a private socket;
// saying so beats an unexplained INTERNAL, and lets `credential-process --profile` go one-shot.
const UNUSABLE_FOLDER_CODES = new Set(['ENOTDIR', 'EACCES', 'EPERM', 'EROFS']);

function unusable(folder: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === undefined || !UNUSABLE_FOLDER_CODES.has(code)) return error;
  return new RolecallError('AGENT_SOCKET_UNSAFE', `${folder} cannot be used (${code})`, { cause: error });
}
