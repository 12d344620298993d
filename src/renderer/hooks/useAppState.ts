// The agent's state as the window shows it: loaded once, then kept current by events. Events that
// arrive while a load is in flight may be older or newer than its answer, so such a load is repeated.
import { useCallback, useEffect, useReducer } from 'react';
import type { AgentInfo, ProblemView, ProfileView, Settings } from '../../shared/model';
import { eventOf } from '../../shared/apply-event';
import { attempt, rolecall } from '../api';
import { markStateReceived } from '../first-render';
import { initialState, reduce, type Phase } from './app-state-reducer';

const MAX_LOADS = 3;

export interface AppStateView {
  readonly phase: Phase;
  /** Sorted by name. */
  readonly profiles: readonly ProfileView[];
  readonly settings?: Settings;
  readonly agent?: AgentInfo;
  /** Why the first load failed. */
  readonly problem?: ProblemView;
  reload(): void;
  /** Apply a view a call returned, without waiting for its event. */
  upsert(profile: ProfileView): void;
  remove(name: string): void;
  setSettings(settings: Settings): void;
}

export function useAppState(): AppStateView {
  const [state, dispatch] = useReducer(reduce, initialState);
  const [generation, reload] = useReducer((n: number) => n + 1, 0);

  useEffect(() => {
    let disposed = false;
    let eventsDuringLoad = 0;
    let unsubscribe: () => void = () => undefined;
    try {
      // Not parsed again here: main hosts the agent and sends what its core emitted (zod would weigh on the window).
      unsubscribe = rolecall().events.subscribe((event, payload) => {
        eventsDuringLoad += 1;
        dispatch({ type: 'event', message: eventOf(event, payload) });
      });
    } catch {
      // No bridge: the load below reports it.
    }

    const load = async (attemptNumber: number): Promise<void> => {
      eventsDuringLoad = 0;
      const outcome = await attempt((api) => api.state.get({}));
      if (disposed) return;
      if (!outcome.ok) return dispatch({ type: 'failed', problem: outcome.problem });
      if (eventsDuringLoad > 0 && attemptNumber < MAX_LOADS) return load(attemptNumber + 1);
      markStateReceived();
      const { profiles, settings, agent } = outcome.value;
      dispatch({ type: 'loaded', profiles, settings, agent });
    };
    dispatch({ type: 'loading' });
    void load(1);
    return () => {
      disposed = true;
      unsubscribe();
    };
  }, [generation]);

  const upsert = useCallback((profile: ProfileView) => dispatch({ type: 'event', message: eventOf('profile.changed', profile) }), []);
  const remove = useCallback((name: string) => dispatch({ type: 'event', message: eventOf('profile.removed', { name }) }), []);
  const setSettings = useCallback((settings: Settings) => dispatch({ type: 'event', message: eventOf('settings.changed', settings) }), []);

  return { phase: state.phase, profiles: state.profiles, settings: state.settings, agent: state.agent, problem: state.problem, reload, upsert, remove, setSettings };
}
