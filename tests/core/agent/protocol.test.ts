import { describe, expect, it } from 'vitest';
import { createLineReader, encodeFrame, parseJson } from '../../../src/core/agent/protocol';

describe('line framing', () => {
  it('gives back each message of a stream cut at arbitrary points', () => {
    const messages = [{ id: 1, op: 'state.get', input: {} }, { event: 'profile.removed', payload: { name: 'dev' } }, { text: 'line\nbreak and ünïcödé ✓' }];
    const bytes = Buffer.from(messages.map(encodeFrame).join(''));
    for (const size of [1, 2, 3, 7, bytes.length]) {
      const reader = createLineReader(1024);
      const lines: string[] = [];
      for (let at = 0; at < bytes.length; at += size) lines.push(...reader.push(bytes.subarray(at, at + size))!);
      expect(lines.map(parseJson)).toEqual(messages);
    }
  });

  it('refuses a line longer than the limit, whether or not its end has arrived', () => {
    expect(createLineReader(8).push(Buffer.from('123456789'))).toBeNull();
    expect(createLineReader(8).push(Buffer.from('123456789\n'))).toBeNull();
    const reader = createLineReader(8);
    expect(reader.push(Buffer.from('12345'))).toEqual([]);
    expect(reader.push(Buffer.from('6789\n'))).toBeNull();
  });

  it('accepts a line of exactly the limit', () => {
    expect(createLineReader(8).push(Buffer.from('12345678\n'))).toEqual(['12345678']);
  });

  it('answers undefined for text that is not JSON', () => {
    expect(parseJson('{"id":1,')).toBeUndefined();
    expect(parseJson('null')).toBeNull();
  });
});
