import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PARTS_MARKER, decodeManifest, encodeManifest, partAccount, splitUtf8 } from '../../../src/core/secrets/item-parts';

describe('splitUtf8', () => {
  it('cuts ASCII text into pieces of exactly the cap, the last one shorter', () => {
    expect(splitUtf8('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });

  it('never cuts inside a character, so every piece stays valid UTF-8 within the cap', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.integer({ min: 4, max: 40 }), (value, cap) => {
      const parts = splitUtf8(value, cap);
      expect(parts.join('')).toBe(value);
      for (const part of parts) {
        expect(Buffer.byteLength(part)).toBeLessThanOrEqual(cap);
        expect(Buffer.from(part, 'utf8').toString('utf8')).toBe(part);
        expect(part).not.toBe('');
      }
    }));
    expect(splitUtf8('é😀é', 4)).toEqual(['é', '😀', 'é']);
  });

  it('gives no pieces for an empty value', () => {
    expect(splitUtf8('', 10)).toEqual([]);
  });
});

describe('parts manifest', () => {
  it('round-trips and is recognised by its marker', () => {
    const stored = encodeManifest({ slot: 'b', count: 2, length: 3210 });
    expect(stored.startsWith(PARTS_MARKER)).toBe(true);
    expect(decodeManifest(stored)).toEqual({ slot: 'b', count: 2, length: 3210 });
  });

  it('reads a plain value as no manifest and a damaged one as damaged', () => {
    expect(decodeManifest('-----BEGIN PRIVATE KEY-----')).toBeNull();
    expect(decodeManifest(`${PARTS_MARKER}{"v":1,"slot":"c","count":1,"length":1}`)).toBeUndefined();
    expect(decodeManifest(`${PARTS_MARKER}{"v":1,"slot":"a","count":-1,"length":1}`)).toBeUndefined();
    expect(decodeManifest(`${PARTS_MARKER}not json`)).toBeUndefined();
  });

  it('names parts after their account, slot and number', () => {
    expect(partAccount('profile:dev:key', 'a', 2)).toBe('profile:dev:key#a2');
  });
});
