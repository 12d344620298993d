// The socket's framing and the client's reading of the agent's messages, without zod: every
// `credential-process --profile` run (SDKs start one per refresh, Terraform dozens at once) loads this,
// and zod alone costs more start-up time than the rest of the path. The agent's side validates with
// the zod schemas in protocol.ts; the shapes here are the same, checked by hand.
import type { AgentInfo } from '../../shared/model';

export const PROTOCOL_VERSION = 1;

/** The longest line the agent reads: requests are small; anything bigger is a broken or hostile client. */
export const MAX_REQUEST_BYTES = 1024 * 1024;
/** The longest line a client reads: answers such as the whole state can be larger than a request. */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

export interface WireErrorInfo {
  readonly code: string;
  readonly message: string;
  readonly next: string;
  readonly detail?: string;
}

export interface AgentHello {
  readonly protocol: number;
  /** Checked with readAgentInfo only once the protocol matches: another version may describe itself differently. */
  readonly agent: unknown;
}

export type WireResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: WireErrorInfo };

export interface WireResponse {
  readonly id: number;
  readonly result: WireResult;
}

export interface WireEvent {
  readonly event: string;
  readonly payload: unknown;
}

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

type Fields = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isString = (value: unknown): value is string => typeof value === 'string';

/** The agent's `{hello: {protocol, agent}}`, or undefined for anything else. */
export function readAgentHello(message: unknown): AgentHello | undefined {
  if (!isObject(message) || !isObject(message.hello) || !Number.isInteger(message.hello.protocol)) return undefined;
  return { protocol: message.hello.protocol as number, agent: message.hello.agent };
}

export function readAgentInfo(value: unknown): AgentInfo | undefined {
  if (!isObject(value)) return undefined;
  const { pid, host, version, startedAt, dataDir, keychain } = value;
  if (!Number.isInteger(pid) || (host !== 'app' && host !== 'headless') || !isString(version) || !isString(startedAt) || !isString(dataDir)) return undefined;
  const reach = keychain === 'reachable' || keychain === 'unreachable' || keychain === 'unknown' ? keychain : undefined;
  return { pid: pid as number, host, version, startedAt, dataDir, ...(reach !== undefined && { keychain: reach }) };
}

function readErrorInfo(value: unknown): WireErrorInfo | undefined {
  if (!isObject(value)) return undefined;
  const { code, message, next, detail } = value;
  if (!isString(code) || !isString(message) || !isString(next) || (detail !== undefined && !isString(detail))) return undefined;
  return { code, message, next, ...(detail !== undefined && { detail }) };
}

/** `{id, result: {ok: true, value} | {ok: false, error}}`, or undefined for anything else. */
export function readResponse(message: unknown): WireResponse | undefined {
  if (!isObject(message) || !Number.isInteger(message.id) || !isObject(message.result)) return undefined;
  const id = message.id as number;
  const { result } = message;
  if (result.ok === true) return { id, result: { ok: true, value: result.value } };
  if (result.ok !== false) return undefined;
  const error = readErrorInfo(result.error);
  return error === undefined ? undefined : { id, result: { ok: false, error } };
}

/** `{event, payload}`, or undefined for anything else. */
export function readEvent(message: unknown): WireEvent | undefined {
  if (!isObject(message) || !isString(message.event)) return undefined;
  return { event: message.event, payload: message.payload };
}
