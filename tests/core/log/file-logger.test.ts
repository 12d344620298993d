import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileLogger, logFilePath, logsDir } from '../../../src/core/log/file-logger';
import { VirtualClock } from '../../helpers/virtual-clock';

const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
// Nobody moves it: every line carries this moment.
const fixedClock = new VirtualClock({ start: Date.parse('2024-05-06T07:08:09.010Z') });

async function lines(path: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(path, 'utf8');
  return text.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('createFileLogger', () => {
  let dataDir: string;
  let dir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'rolecall-log-'));
    dir = logsDir(dataDir);
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('writes one JSON line per entry to logs/rolecall.log, creating the folder 0700 and the file 0600', async () => {
    const logger = createFileLogger({ dir, clock: fixedClock });
    logger.info('session refreshed', { profile: 'dev', expiresAt: '2024-05-06T08:08:09Z', attempt: 2 });
    logger.error('refresh failed', { code: 'THROTTLED' });
    expect(dir).toBe(join(dataDir, 'logs'));
    expect(await lines(join(dir, 'rolecall.log'))).toEqual([
      { time: '2024-05-06T07:08:09.010Z', level: 'info', msg: 'session refreshed', profile: 'dev', expiresAt: '2024-05-06T08:08:09Z', attempt: 2 },
      { time: '2024-05-06T07:08:09.010Z', level: 'error', msg: 'refresh failed', code: 'THROTTLED' },
    ]);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, 'rolecall.log'))).mode & 0o777).toBe(0o600);
  });

  it('drops entries below its level', async () => {
    const logger = createFileLogger({ dir, level: 'warn' });
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect((await lines(join(dir, 'rolecall.log'))).map((line) => line.msg)).toEqual(['w', 'e']);
  });

  it('keeps the entry\'s own time, level and msg when a field has the same name', async () => {
    createFileLogger({ dir, clock: fixedClock }).warn('real', { msg: 'field', level: 'x' });
    expect(await lines(join(dir, 'rolecall.log'))).toEqual([
      { time: '2024-05-06T07:08:09.010Z', level: 'warn', msg: 'real', _msg: 'field', _level: 'x' },
    ]);
  });

  it('never writes a secret from the message or the fields', async () => {
    const logger = createFileLogger({ dir });
    logger.warn(`CreateSession answered with ${SECRET_KEY}`, { credentials: { secretAccessKey: SECRET_KEY }, error: new Error(`bad ${SECRET_KEY}`) });
    const text = await readFile(join(dir, 'rolecall.log'), 'utf8');
    expect(text).not.toContain(SECRET_KEY);
    expect(text).toContain('[REDACTED]');
  });

  it('rotates by size into rolecall.1.log … and keeps at most maxFiles files', async () => {
    const logger = createFileLogger({ dir, maxBytes: 400, maxFiles: 3, clock: fixedClock });
    for (let i = 0; i < 40; i += 1) logger.info(`entry ${i}`, { filler: 'x'.repeat(60) });
    expect((await readdir(dir)).sort()).toEqual(['rolecall.1.log', 'rolecall.2.log', 'rolecall.log']);
    for (const index of [0, 1, 2]) expect((await stat(logFilePath(dir, index))).size).toBeLessThanOrEqual(400);
    const newestFirst = [...(await lines(logFilePath(dir, 0))).reverse(), ...(await lines(logFilePath(dir, 1))).reverse(), ...(await lines(logFilePath(dir, 2))).reverse()];
    const numbers = newestFirst.map((line) => Number(String(line.msg).split(' ')[1]));
    // The newest entries survive, in order, without gaps; the oldest were dropped.
    expect(numbers[0]).toBe(39);
    expect(numbers).toEqual(numbers.map((_, k) => 39 - k));
    expect(numbers.length).toBeLessThan(40);
  });

  it('with maxFiles 1 starts the file over', async () => {
    const logger = createFileLogger({ dir, maxBytes: 200, maxFiles: 1 });
    for (let i = 0; i < 10; i += 1) logger.info(`entry ${i}`, { filler: 'y'.repeat(60) });
    expect(await readdir(dir)).toEqual(['rolecall.log']);
    expect((await lines(join(dir, 'rolecall.log'))).at(-1)?.msg).toBe('entry 9');
  });

  it('writes a line longer than maxBytes into a file of its own', async () => {
    const logger = createFileLogger({ dir, maxBytes: 100, maxFiles: 2 });
    logger.info('short');
    logger.info('long', { filler: 'z'.repeat(300) });
    expect((await lines(logFilePath(dir, 0))).map((line) => line.msg)).toEqual(['long']);
    expect((await lines(logFilePath(dir, 1))).map((line) => line.msg)).toEqual(['short']);
  });

  it('does not throw when the log cannot be written, and warns once', async () => {
    const blocked = join(dataDir, 'not-a-folder');
    await writeFile(blocked, '');
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      const logger = createFileLogger({ dir: join(blocked, 'logs') });
      expect(() => logger.error('first')).not.toThrow();
      expect(() => logger.error('second')).not.toThrow();
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('cannot write its log');
  });
});
