// A logger that keeps its entries in memory, for tests that assert what was (and was not) logged.
import type { LogEntry, LogLevel, Logger } from './logger';
import { createEntryLogger, formatLogLine } from './logger';
import { createRedactor } from './redact';

export interface MemoryLogger extends Logger {
  readonly entries: readonly LogEntry[];
  /** All entries as the JSON lines a log file would hold. */
  text(): string;
  clear(): void;
}

export interface MemoryLoggerOptions {
  readonly level?: LogLevel;
  /**
   * false keeps entries exactly as logged, so a test can prove a module never even handed a secret to
   * its logger; the default redacts like every other logger.
   */
  readonly redact?: boolean;
}

const passThrough = { text: (text: string) => text, value: (value: unknown) => value };

export function createMemoryLogger(options: MemoryLoggerOptions = {}): MemoryLogger {
  const entries: LogEntry[] = [];
  const logger = createEntryLogger((entry) => entries.push(entry), {
    level: options.level ?? 'debug',
    redactor: options.redact === false ? passThrough : createRedactor(),
  });
  return {
    ...logger,
    entries,
    text: () => entries.map(formatLogLine).join(''),
    clear: () => {
      entries.length = 0;
    },
  };
}
