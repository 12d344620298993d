// What the main process needs from the agent it hosts. The composition root (src/core/rolecall.ts)
// provides it; main adds the operations that need the desktop and carries the rest to the renderer.
import type { HostEventListener, OperationHandlers, ParsedInput } from '../core/agent';
import type { Logger } from '../core/log';
import type { Clock } from '../core/platform/clock';
import type { HttpTransport } from '../core/platform/transport';
import type { OperationName, OperationOutput } from '../shared/contract';

export type { HostEventListener, OperationHandlers, ParsedInput } from '../core/agent';

/** One operation's handler with its exact output type (the app's own handlers are written this way). */
export type OperationHandler<N extends OperationName> = (input: ParsedInput<N>) => Promise<OperationOutput<N>>;

export interface AgentHost {
  readonly handlers: OperationHandlers;
  /** Calls the listener with every state event; returns the unsubscribe function. */
  subscribe(listener: HostEventListener): () => void;
  /** Re-checks every profile now (after sleep/resume or a clock jump). */
  recheck(): void;
  close(): Promise<void>;
}

/** What the app hands to the host it starts. */
export interface HostContext {
  readonly dataDir: string;
  readonly transport: HttpTransport;
  readonly logger: Logger;
  readonly clock: Clock;
}
