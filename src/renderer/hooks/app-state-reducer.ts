// The window's copy of the agent's state and how calls and events change it. Pure, so it is tested
// without a browser.
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
  | { readonly type: 'upsert'; readonly profile: ProfileView }
  | { readonly type: 'remove'; readonly name: string }
  | { readonly type: 'settings'; readonly settings: Settings };

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
const byName = (a: ProfileView, b: ProfileView) => collator.compare(a.name, b.name);

function upsertSorted(profiles: readonly ProfileView[], profile: ProfileView): readonly ProfileView[] {
  const existing = profiles.findIndex((candidate) => candidate.name === profile.name);
  const next = [...profiles];
  if (existing >= 0) {
    next[existing] = profile;
    return next;
  }
  let low = 0;
  let high = profiles.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (byName(profiles[middle] as ProfileView, profile) < 0) low = middle + 1;
    else high = middle;
  }
  next.splice(low, 0, profile);
  return next;
}

export function reduce(state: State, action: Action): State {
  switch (action.type) {
    case 'loading':
      return { ...state, phase: state.phase === 'ready' ? 'ready' : 'loading', problem: undefined };
    case 'loaded':
      return { phase: 'ready', profiles: [...action.profiles].sort(byName), settings: action.settings, agent: action.agent };
    case 'failed':
      return { ...state, phase: state.phase === 'ready' ? 'ready' : 'failed', problem: action.problem };
    case 'upsert':
      return { ...state, profiles: upsertSorted(state.profiles, action.profile) };
    case 'remove': {
      const profiles = state.profiles.filter((profile) => profile.name !== action.name);
      return profiles.length === state.profiles.length ? state : { ...state, profiles };
    }
    case 'settings':
      return { ...state, settings: action.settings };
  }
}

export const initialState: State = { phase: 'loading', profiles: [] };
