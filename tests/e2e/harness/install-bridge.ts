// Builds window.rolecall in a Playwright browser context with the same shape the preload builds: one
// function per renderer-exposed operation, grouped by the part before the dot, plus events.subscribe.
// Calls cross to the Node test process through a binding, so a click runs real code down to the files
// when `call` is backed by a real agent.
import type { BrowserContext, Page } from '@playwright/test';
import { operationsExposedTo, type CallResult, type EventName } from '../../../src/shared/contract';

export type BridgeCall = (operation: string, input: unknown) => Promise<CallResult<unknown>>;
export type BridgeListener = (event: EventName, payload: unknown) => void;
/** Subscribes to the agent's events; returns the way to stop. */
export type BridgeSubscribe = (listener: BridgeListener) => (() => void) | Promise<() => void>;

export interface InstalledBridge {
  /** Resolves once every event emitted so far has reached every open page. */
  idle(): Promise<void>;
  dispose(): Promise<void>;
}

const CALL_BINDING = '__rolecallCall';
const EMIT_FUNCTION = '__rolecallEmit';

/** Runs in the page before any of its scripts. Kept free of closures: Playwright sends its source text. */
function buildRolecall({ names, callBinding, emitFunction }: { names: readonly string[]; callBinding: string; emitFunction: string }) {
  const page = globalThis as unknown as Record<string, unknown>;
  const call = page[callBinding] as (operation: string, input: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>;
  // As the preload's IPC answers do, each answer reaches the page's code in a task of its own. Playwright
  // hands it over inside a DevTools call, after which the page ran no task (timer, frame, React's work)
  // for ~270 ms with 1,000 profiles' state, an idle wait the window's first-render measure
  // (src/renderer/first-render.ts) counted as its own. One queue keeps answers and events in order.
  const inbox: (() => void)[] = [];
  // The page's MessageChannel (this file is typed for Node, whose ports differ).
  const PageChannel = page.MessageChannel as new () => { port1: { onmessage: (() => void) | null }; port2: { postMessage(message: null): void } };
  const channel = new PageChannel();
  channel.port1.onmessage = () => inbox.shift()?.();
  const inTask = (run: () => void) => {
    inbox.push(run);
    channel.port2.postMessage(null);
  };
  const api: Record<string, Record<string, unknown>> = {};
  for (const name of names) {
    const [group = '', method = ''] = name.split('.');
    const operations = (api[group] ??= {});
    operations[method] = async (input?: unknown) => {
      const result = await call(name, input ?? {});
      await new Promise<void>((resolve) => inTask(resolve));
      if (result.ok) return result.value;
      // As the preload (src/shared/ipc.ts callFailure): a plain object, since contextBridge would
      // strip an Error down to its message.
      throw { name: 'RolecallError', ...result.error };
    };
  }
  const listeners = new Set<(event: string, payload: unknown) => void>();
  api.events = {
    subscribe(listener: (event: string, payload: unknown) => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
  Object.defineProperty(page, emitFunction, {
    value: (event: string, payload: unknown) => {
      const dispatch = () => {
        for (const listener of listeners) {
          try {
            listener(event, payload);
          } catch (error) {
            console.error(error);
          }
        }
      };
      // Straight away, as before, unless an earlier answer still waits for its task: then after it.
      if (inbox.length > 0) inTask(dispatch);
      else dispatch();
    },
  });
  for (const group of Object.values(api)) Object.freeze(group);
  Object.defineProperty(page, 'rolecall', { value: Object.freeze(api), enumerable: true });
}

function notExposed(operation: string): CallResult<unknown> {
  return {
    ok: false,
    error: { code: 'USAGE', message: 'The command line is not valid.', next: 'Call only operations exposed to the renderer.', detail: `${operation} is not available to the window` },
  };
}

export async function installRolecallBridge(context: BrowserContext, call: BridgeCall, subscribe?: BridgeSubscribe): Promise<InstalledBridge> {
  const names = operationsExposedTo('renderer');
  const allowed = new Set<string>(names);
  await context.exposeBinding(CALL_BINDING, async (_source, operation: string, input: unknown) =>
    // Main refuses what the contract does not expose to the renderer; so does the bridge.
    allowed.has(operation) ? call(operation, input) : notExposed(operation),
  );
  await context.addInitScript(buildRolecall, { names, callBinding: CALL_BINDING, emitFunction: EMIT_FUNCTION });

  // Events reach each page in order: one delivery chain per page.
  const chains = new Map<Page, Promise<void>>();
  const deliver = (event: EventName, payload: unknown) => {
    for (const page of context.pages()) {
      const previous = chains.get(page) ?? Promise.resolve();
      const next = previous.then(() =>
        page
          .evaluate(([fn, name, data]) => (globalThis as unknown as Record<string, ((e: string, p: unknown) => void) | undefined>)[fn]?.(name, data), [EMIT_FUNCTION, event, payload] as const)
          .catch(() => undefined),
      );
      chains.set(page, next);
    }
  };
  const unsubscribe = subscribe ? await subscribe(deliver) : () => undefined;

  return {
    idle: async () => {
      await Promise.all(chains.values());
    },
    dispose: async () => {
      unsubscribe();
      await Promise.all(chains.values());
    },
  };
}
