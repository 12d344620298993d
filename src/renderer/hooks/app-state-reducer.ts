// The window's copy of the agent's state and how calls and events change it. Pure, so it is tested
// without a browser.
import { applyEvent } from '../../shared/apply-event';
import type { AgentEvent } from '../../shared/contract';
import type { AgentInfo, ProblemView, ProfileView, Settings } from '../../shared/model';

export type Phase = 'loading' | 'ready' | 'failed';

export interface State {
  readonly phase: Phase;
  /** Sorted by name; kept sorted on every change rather than re-sorted (events come in bursts). */
  readonly profiles: readonly ProfileView[];
  readonly settings?: Settings;
  readonly agent?: AgentInfo;
  readonly problem?: ProblemView;
}

export type Action =
  | { readonly type: 'loading' }
  | { readonly type: 'loaded'; readonly profiles: readonly ProfileView[]; readonly settings: Settings; readonly agent: AgentInfo }
  | { readonly type: 'failed'; readonly problem: ProblemView }
  /** An agent event, or a call's answer applied as the event it will bring. */
  | { readonly type: 'event'; readonly message: AgentEvent };

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
const byName = (a: ProfileView, b: ProfileView) => collator.compare(a.name, b.name);

export function reduce(state: State, action: Action): State {
  switch (action.type) {
    case 'loading':
      return { ...state, phase: state.phase === 'ready' ? 'ready' : 'loading', problem: undefined };
    case 'loaded':
      return { phase: 'ready', profiles: [...action.profiles].sort(byName), settings: action.settings, agent: action.agent };
    case 'failed':
      return { ...state, phase: state.phase === 'ready' ? 'ready' : 'failed', problem: action.problem };
    case 'event':
      return applyEvent(state, action.message.event, action.message.payload, byName);
  }
}

export const initialState: State = { phase: 'loading', profiles: [] };
