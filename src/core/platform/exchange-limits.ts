// The two limits every transport enforces the same way (see HttpRequest): one deadline for the whole
// exchange, and a cap on the answer's size checked while it streams in.
import { RolecallError } from '../../shared/errors';

export function deadlineExceeded(timeoutMs: number): RolecallError {
  const limit = timeoutMs % 1000 === 0 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`;
  return new RolecallError('TIMEOUT', `no complete answer within the ${limit} request deadline`);
}

export function answerTooLarge(maxBytes: number, declaredBytes?: number): RolecallError {
  const declared = declaredBytes === undefined ? '' : ` (Content-Length ${declaredBytes})`;
  return new RolecallError('RESPONSE_TOO_LARGE', `the answer is longer than the ${maxBytes}-byte limit${declared}`);
}

/**
 * Runs `exchange` with a signal that aborts at the deadline, and rejects with TIMEOUT at the deadline
 * even when the exchange ignores its signal: the caller is released whatever the network stack does.
 * A failed exchange is aborted too, so its connection is dropped rather than left half-read.
 */
export async function withDeadline<T>(
  timeoutMs: number,
  exchange: (signal: AbortSignal) => Promise<T>,
  expiredError: () => RolecallError = () => deadlineExceeded(timeoutMs),
): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = expiredError();
      // Rejected before aborting, so the caller sees TIMEOUT rather than the abort's own error.
      reject(error);
      controller.abort(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([exchange(controller.signal), expired]);
  } catch (error) {
    controller.abort(error);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Refuses an answer whose Content-Length already says it is too long, before reading any of it. */
export function checkDeclaredLength(contentLength: string | null | undefined, maxBytes: number): void {
  if (contentLength === null || contentLength === undefined) return;
  const declared = Number(contentLength);
  if (Number.isFinite(declared) && declared > maxBytes) throw answerTooLarge(maxBytes, declared);
}

/** The body as UTF-8, holding at most `maxBytes`; stops reading (and so releases the stream) past it. */
export async function readCappedBody(chunks: AsyncIterable<Uint8Array>, maxBytes: number): Promise<string> {
  const kept: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.byteLength;
    if (total > maxBytes) throw answerTooLarge(maxBytes);
    kept.push(chunk);
  }
  return Buffer.concat(kept).toString('utf8');
}

/** A web ReadableStream's chunks (fetch, Electron's net.fetch); leaving early cancels the stream. */
export async function* streamChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // Not awaited: a stream stuck mid-read must not hold up the caller's error.
    reader.cancel().catch(() => undefined);
  }
}
