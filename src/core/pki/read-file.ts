// Reads a certificate, key or PKCS#12 file for the CLI, with errors that name the file.

import { open } from 'node:fs/promises';
import { RolecallError } from '../../shared/errors';

/** Certificates, keys and even large CA bundles are far below this; a device or a wrong path is not. */
export const MAX_INPUT_FILE_BYTES = 4 * 1024 * 1024;

/**
 * The bytes of `path`. Pipes work too (`--certificate <(vault read ...)`). FILE_UNREADABLE carries
 * `what` and the path in its detail.
 */
export async function readInputFile(path: string, what = 'file'): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, 'r');
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const { bytesRead, buffer } = await handle.read({ buffer: Buffer.alloc(64 * 1024) });
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > MAX_INPUT_FILE_BYTES) throw new RolecallError('FILE_UNREADABLE', `${what} ${path}: larger than ${MAX_INPUT_FILE_BYTES / 1024 / 1024} MiB`);
      chunks.push(buffer.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks);
  } catch (error) {
    if (error instanceof RolecallError) throw error;
    throw new RolecallError('FILE_UNREADABLE', `${what} ${path}: ${reason(error)}`, { cause: error });
  } finally {
    await handle?.close();
  }
}

function reason(error: unknown): string {
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    default:
      return 'cannot be read';
  }
}
