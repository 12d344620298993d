import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../src/core/log/memory-logger';

const TOKEN = 'AWS_SESSION_TOKEN=IQoJb3JpZ2luX2VjEJr';

describe('createMemoryLogger', () => {
  it('keeps redacted entries of every level by default', () => {
    const logger = createMemoryLogger();
    logger.debug('d', { n: 1 });
    logger.info(`exported ${TOKEN}`);
    logger.error('e', { sessionToken: 'abc' });
    expect(logger.entries.map((entry) => [entry.level, entry.message, entry.fields])).toEqual([
      ['debug', 'd', { n: 1 }],
      ['info', 'exported AWS_SESSION_TOKEN=[REDACTED]', {}],
      ['error', 'e', { sessionToken: '[REDACTED]' }],
    ]);
    expect(logger.text()).not.toContain('IQoJb3JpZ2luX2VjEJr');
    expect(logger.text().split('\n')).toHaveLength(4);
  });

  it('keeps entries exactly as logged when asked, so a test can catch a secret handed to the logger', () => {
    const logger = createMemoryLogger({ redact: false });
    logger.warn(`exported ${TOKEN}`, { sessionToken: 'abc' });
    expect(logger.text()).toContain('IQoJb3JpZ2luX2VjEJr');
    expect(logger.entries[0]?.fields).toEqual({ sessionToken: 'abc' });
  });

  it('honours its level and can be cleared', () => {
    const logger = createMemoryLogger({ level: 'warn' });
    logger.info('dropped');
    logger.warn('kept');
    expect(logger.entries.map((entry) => entry.message)).toEqual(['kept']);
    logger.clear();
    expect(logger.entries).toEqual([]);
  });
});
