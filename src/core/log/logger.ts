// The logger the core receives through its constructors. Every concrete logger redacts before anything
// leaves the process's memory, so a careless field can never put a secret on disk.
import type { Clock } from '../platform/clock';
import { systemClock } from '../platform/clock';
import type { Redactor } from './redact';
import { createRedactor } from './redact';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** One redacted log record: what a log file line holds. */
export interface LogEntry {
  readonly time: string;
  readonly level: LogLevel;
  readonly message: string;
  /** Redacted, JSON-safe copies of the fields. */
  readonly fields: Readonly<Record<string, unknown>>;
}

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export const nullLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export interface EntryLoggerOptions {
  /** Entries below this level are dropped. */
  readonly level?: LogLevel;
  readonly redactor?: Redactor;
  readonly clock?: Clock;
}

/** A Logger that hands each redacted entry at or above `level` to `write`. */
export function createEntryLogger(write: (entry: LogEntry) => void, options: EntryLoggerOptions = {}): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level ?? 'info');
  const redactor = options.redactor ?? createRedactor();
  const clock = options.clock ?? systemClock;
  const log = (level: LogLevel) => (message: string, fields?: LogFields): void => {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    write({
      time: new Date(clock.now()).toISOString(),
      level,
      message: redactor.text(message),
      fields: fields === undefined ? {} : (redactor.value(fields) as Record<string, unknown>),
    });
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

const RESERVED_KEYS = new Set(['time', 'level', 'msg']);

/** One JSON line: time, level and msg first, then the fields (a field named like those gets a `_`). */
export function formatLogLine(entry: LogEntry): string {
  const line: Record<string, unknown> = { time: entry.time, level: entry.level, msg: entry.message };
  for (const [key, value] of Object.entries(entry.fields)) {
    line[RESERVED_KEYS.has(key) ? `_${key}` : key] = value;
  }
  return `${JSON.stringify(line)}\n`;
}
