// What travels on the agent socket: one JSON object per line. The client opens with a hello and the
// agent answers with its own (protocol version and who it is); then requests {id, op, input}, responses
// {id, result} and events {event, payload}. The agent speaks only after the client's hello, so a peer
// that can read the pipe but not write it (Windows grants that to everyone by default) learns nothing.
import { z } from 'zod';
import type { AgentInfo } from '../../shared/model';

export const PROTOCOL_VERSION = 1;

/** The longest line the agent reads: requests are small; anything bigger is a broken or hostile client. */
export const MAX_REQUEST_BYTES = 1024 * 1024;
/** The longest line a client reads: answers such as the whole state can be larger than a request. */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

export const agentInfoSchema = z.object({
  pid: z.number().int(),
  host: z.enum(['app', 'headless']),
  version: z.string(),
  startedAt: z.string(),
  dataDir: z.string(),
}) satisfies z.ZodType<AgentInfo>;

export const clientHelloSchema = z.object({ hello: z.object({ protocol: z.number().int() }) });
export const requestSchema = z.object({ id: z.number().int().nonnegative(), op: z.string().max(128), input: z.unknown() });
export const subscriptionSchema = z.object({ subscribe: z.boolean() });

// The agent's description is checked only once the protocol matches: another version may describe itself differently.
export const agentHelloSchema = z.object({ hello: z.object({ protocol: z.number().int(), agent: z.unknown() }) });
const errorInfoSchema = z.object({ code: z.string(), message: z.string(), next: z.string(), detail: z.string().optional() });
export const responseSchema = z.object({
  id: z.number().int(),
  result: z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value: z.unknown() }),
    z.object({ ok: z.literal(false), error: errorInfoSchema }),
  ]),
});
export const eventSchema = z.object({ event: z.string(), payload: z.unknown() });

export type WireErrorInfo = z.infer<typeof errorInfoSchema>;

/** One message as a line. JSON.stringify escapes newlines inside strings, so a line is always one message. */
export function encodeFrame(message: unknown): string {
  return `${JSON.stringify(message)}\n`;
}

export interface LineReader {
  /** The complete lines this chunk finished, or null once the unfinished line exceeds the limit. */
  push(chunk: Buffer): string[] | null;
}

/**
 * Splits a byte stream into lines of at most `maxBytes`. Splitting bytes before decoding is safe for
 * UTF-8: the newline byte never occurs inside a multi-byte character.
 */
export function createLineReader(maxBytes: number): LineReader {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  return {
    push(chunk) {
      const lines: string[] = [];
      let rest = chunk;
      for (let newline = rest.indexOf(0x0a); newline !== -1; newline = rest.indexOf(0x0a)) {
        if (pendingBytes + newline > maxBytes) return null;
        lines.push(Buffer.concat([...pending, rest.subarray(0, newline)]).toString('utf8'));
        pending = [];
        pendingBytes = 0;
        rest = rest.subarray(newline + 1);
      }
      if (rest.length > 0) {
        pending.push(rest);
        pendingBytes += rest.length;
        if (pendingBytes > maxBytes) return null;
      }
      return lines;
    },
  };
}

/** JSON.parse that answers undefined instead of throwing. */
export function parseJson(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}
