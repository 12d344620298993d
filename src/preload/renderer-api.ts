// window.rolecall, built by a loop over the operations the renderer may call: `profiles.add(input)`
// invokes the channel `rolecall:profiles.add`. Only types come from contract.ts, so zod stays out of
// the preload bundle.
import type { CallResult, RendererApi } from '../shared/contract';
import { toErrorInfo } from '../shared/errors';
import { EVENT_CHANNEL, callFailure, ipcChannel, type IpcEventMessage } from '../shared/ipc';
import { operationsExposedTo, type OperationName } from '../shared/operations';

type IpcListener = (event: unknown, message: unknown) => void;

/** The part of Electron's ipcRenderer the API needs. */
export interface PreloadIpc {
  invoke(channel: string, input: unknown): Promise<unknown>;
  on(channel: string, listener: IpcListener): void;
  removeListener(channel: string, listener: IpcListener): void;
}

type Method = (input?: unknown) => Promise<unknown>;

export function createRendererApi(ipc: PreloadIpc): RendererApi {
  const groups: Record<string, Record<string, Method>> = {};
  for (const name of operationsExposedTo('renderer')) {
    const [group = name, method = name] = name.split('.');
    (groups[group] ??= {})[method] = (input) => call(ipc, name, input);
  }
  const events = {
    subscribe(listener: (event: string, payload: unknown) => void): () => void {
      // The IPC event object (sender, ports) never reaches the page: only the event name and payload.
      const forward: IpcListener = (_event, message) => {
        const { event, payload } = message as IpcEventMessage;
        listener(event, payload);
      };
      ipc.on(EVENT_CHANNEL, forward);
      return () => ipc.removeListener(EVENT_CHANNEL, forward);
    },
  };
  return { ...groups, events } as unknown as RendererApi;
}

/** Resolves with the value, or rejects with a CallFailure carrying the error's code and next step. */
async function call(ipc: PreloadIpc, name: OperationName, input: unknown): Promise<unknown> {
  let result: CallResult<unknown>;
  try {
    // Operations without input may be called as `state.get()`; main validates `{}`.
    result = (await ipc.invoke(ipcChannel(name), input ?? {})) as CallResult<unknown>;
  } catch (error) {
    throw callFailure(toErrorInfo(error));
  }
  if (result.ok) return result.value;
  throw callFailure(result.error);
}
