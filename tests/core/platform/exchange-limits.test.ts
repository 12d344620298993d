// The two limits every transport shares: the size cap over any chunking of any answer, and the
// deadline's signal.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkDeclaredLength, readCappedBody, withDeadline } from '../../../src/core/platform/exchange-limits';
import { isRolecallError } from '../../../src/shared/errors';

/** Yields the chunks, counting how many were asked for. */
function source(chunks: readonly Uint8Array[]) {
  const counter = { pulled: 0 };
  async function* generate() {
    for (const chunk of chunks) {
      counter.pulled += 1;
      yield chunk;
    }
  }
  return { chunks: generate(), counter };
}

describe('readCappedBody', () => {
  it('returns any answer within the cap whole, and refuses any longer one without reading past the chunk that crossed it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 20 }), fc.nat({ max: 700 }), async (chunks, cap) => {
        const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
        const { chunks: stream, counter } = source(chunks);
        const outcome = await readCappedBody(stream, cap).then(
          (text) => ({ text }),
          (error: unknown) => ({ error }),
        );
        if (total <= cap) {
          expect(outcome).toEqual({ text: Buffer.concat(chunks).toString('utf8') });
          return;
        }
        expect('error' in outcome && isRolecallError(outcome.error) && outcome.error.code).toBe('RESPONSE_TOO_LARGE');
        let crossing = 0;
        for (let seen = 0; seen <= cap; crossing += 1) seen += chunks[crossing]?.length ?? 0;
        expect(counter.pulled).toBe(crossing);
      }),
    );
  });

  it('decodes a UTF-8 character split across chunks', async () => {
    const bytes = Buffer.from('{"message":"déjà vu ✓"}', 'utf8');
    const { chunks } = source([bytes.subarray(0, 14), bytes.subarray(14, 15), bytes.subarray(15)]);
    expect(await readCappedBody(chunks, 1024)).toBe('{"message":"déjà vu ✓"}');
  });
});

describe('checkDeclaredLength', () => {
  it('refuses a Content-Length above the cap and lets through one at or below it, or none', () => {
    expect(() => checkDeclaredLength('65537', 65536)).toThrow(expect.objectContaining({ code: 'RESPONSE_TOO_LARGE', detail: 'the answer is longer than the 65536-byte limit (Content-Length 65537)' }));
    for (const allowed of ['65536', '0', undefined, null, 'not a number']) expect(() => checkDeclaredLength(allowed, 65536)).not.toThrow();
  });
});

describe('withDeadline', () => {
  it('returns what the exchange returns, and leaves its signal alone', async () => {
    let signal: AbortSignal | undefined;
    await expect(withDeadline(1000, async (given) => ((signal = given), 'answer'))).resolves.toBe('answer');
    expect(signal?.aborted).toBe(false);
  });

  it('rejects with TIMEOUT naming the limit at the deadline and aborts the exchange', async () => {
    let signal: AbortSignal | undefined;
    const started = performance.now();
    await expect(withDeadline(150, (given) => ((signal = given), new Promise<never>(() => undefined)))).rejects.toMatchObject({
      code: 'TIMEOUT',
      detail: 'no complete answer within the 150 ms request deadline',
    });
    expect(performance.now() - started).toBeLessThan(600);
    expect(signal?.aborted).toBe(true);
  });

  it('aborts an exchange that failed, so its connection is dropped', async () => {
    let signal: AbortSignal | undefined;
    await expect(withDeadline(1000, async (given) => ((signal = given), Promise.reject(new Error('refused'))))).rejects.toThrow('refused');
    expect(signal?.aborted).toBe(true);
  });
});
