// What travels on the agent socket: one JSON object per line. The client opens with a hello and the
// agent answers with its own (protocol version and who it is); then requests {id, op, input}, responses
// {id, result} and events {event, payload}. The agent speaks only after the client's hello, so a peer
// that can read the pipe but not write it (Windows grants that to everyone by default) learns nothing.
//
// The framing and the client's readers are in wire.ts (no zod, for the CLI's start-up); the schemas
// here are what the agent checks its clients' messages with.
import { z } from 'zod';

export {
  MAX_REQUEST_BYTES,
  MAX_RESPONSE_BYTES,
  PROTOCOL_VERSION,
  createLineReader,
  encodeFrame,
  parseJson,
  type LineReader,
  type WireErrorInfo,
} from './wire';

export const clientHelloSchema = z.object({ hello: z.object({ protocol: z.number().int() }) });
export const requestSchema = z.object({ id: z.number().int().nonnegative(), op: z.string().max(128), input: z.unknown() });
export const subscriptionSchema = z.object({ subscribe: z.boolean() });
