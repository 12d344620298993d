// The renderer IPC's wire: one channel per operation, one for events, and the shape of a failed call
// as the renderer receives it. Zod-free and dependency-free: the sandboxed preload bundles it.
import type { ErrorInfo } from './errors';
import type { OperationName } from './operations';

export const IPC_CHANNEL_PREFIX = 'rolecall:';
export const EVENT_CHANNEL = 'rolecall:event';

export function ipcChannel(name: OperationName): string {
  return `${IPC_CHANNEL_PREFIX}${name}`;
}

/** What main sends on EVENT_CHANNEL. */
export interface IpcEventMessage {
  readonly event: string;
  readonly payload: unknown;
}

/**
 * A failed call as the renderer's promise rejects with it. A plain object, not an Error: contextBridge
 * copies only an Error's message into the page, and the page needs the code and the next step.
 */
export interface CallFailure extends ErrorInfo {
  readonly name: 'RolecallError';
}

export function callFailure(info: ErrorInfo): CallFailure {
  return { name: 'RolecallError', ...info };
}
