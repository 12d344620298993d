export type { LogEntry, LogFields, LogLevel, Logger, EntryLoggerOptions } from './logger';
export { LOG_LEVELS, nullLogger, createEntryLogger, formatLogLine } from './logger';
export type { Redactor, RedactorOptions } from './redact';
export { REDACTED, createRedactor, maskAccessKeyId } from './redact';
export type { FileLoggerOptions } from './file-logger';
export { LOG_FILE_NAME, createFileLogger, logFilePath, logsDir } from './file-logger';
export type { MemoryLogger, MemoryLoggerOptions } from './memory-logger';
export { createMemoryLogger } from './memory-logger';
