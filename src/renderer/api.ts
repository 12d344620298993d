// The renderer's one door: typed access to window.rolecall and every failure as a ProblemView.
import type { RendererApi } from '../shared/contract';
import type { ProblemView } from '../shared/model';
import { toProblem } from './format/errors';

const MISSING_BRIDGE: ProblemView = {
  code: 'INTERNAL',
  message: 'This window is not connected to Rolecall.',
  next: 'Close the window and open it again from the Rolecall tray icon.',
};

export function rolecall(): RendererApi {
  // Read each time: tests install the bridge before the page runs, Electron's preload likewise.
  const bridge = (window as { rolecall?: RendererApi }).rolecall;
  if (!bridge) throw MISSING_BRIDGE;
  return bridge;
}

export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: ProblemView };

/** Runs a call and turns whatever it throws into a ProblemView the UI can show. */
export async function attempt<T>(call: (api: RendererApi) => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await call(rolecall()) };
  } catch (error) {
    return { ok: false, problem: toProblem(error) };
  }
}
