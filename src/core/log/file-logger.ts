// JSON lines in <data folder>/logs/rolecall.log, rotated by size. Each line is appended on its own
// (open, append, close) so the app, the agent and one-shot CLI runs can share the file, and a rotation
// by one process never leaves another writing into a renamed file.
import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../platform/clock';
import type { LogLevel, Logger } from './logger';
import { createEntryLogger, formatLogLine } from './logger';
import type { Redactor } from './redact';

export const LOG_FILE_NAME = 'rolecall.log';

export interface FileLoggerOptions {
  /** The logs folder, normally `<data folder>/logs`. */
  readonly dir: string;
  /** Rotate when the next line would take rolecall.log past this size. */
  readonly maxBytes?: number;
  /** Files kept, counting rolecall.log itself: rolecall.log, rolecall.1.log … rolecall.{maxFiles-1}.log. */
  readonly maxFiles?: number;
  readonly level?: LogLevel;
  readonly redactor?: Redactor;
  readonly clock?: Clock;
}

const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
const DEFAULT_MAX_FILES = 5;

export function logsDir(dataDir: string): string {
  return join(dataDir, 'logs');
}

/** The path of the n-th file: 0 is rolecall.log, then rolecall.1.log and so on. */
export function logFilePath(dir: string, index: number): string {
  return join(dir, index === 0 ? LOG_FILE_NAME : LOG_FILE_NAME.replace(/\.log$/, `.${index}.log`));
}

export function createFileLogger(options: FileLoggerOptions): Logger {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxFiles = Math.max(1, options.maxFiles ?? DEFAULT_MAX_FILES);
  const current = logFilePath(options.dir, 0);
  let folderReady = false;
  let warned = false;

  const append = (line: string): void => {
    if (!folderReady) {
      mkdirSync(options.dir, { recursive: true, mode: 0o700 });
      folderReady = true;
    }
    const size = sizeOf(current);
    if (size > 0 && size + Buffer.byteLength(line) > maxBytes) rotate(options.dir, maxFiles);
    appendFileSync(current, line, { mode: 0o600 });
  };

  return createEntryLogger((entry) => {
    try {
      append(formatLogLine(entry));
    } catch (error) {
      // Logging must never break the operation being logged; say once that the log is not written.
      if (!warned) {
        warned = true;
        process.emitWarning(`Rolecall cannot write its log in ${options.dir}: ${(error as Error).message}`);
      }
    }
  }, options);
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function rotate(dir: string, maxFiles: number): void {
  if (maxFiles === 1) {
    rmSync(logFilePath(dir, 0), { force: true });
    return;
  }
  for (let index = maxFiles - 1; index >= 1; index -= 1) {
    try {
      renameSync(logFilePath(dir, index - 1), logFilePath(dir, index));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}
