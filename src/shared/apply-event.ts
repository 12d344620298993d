// How the agent's events change a copy of its state: one rule for main's tray state, the window and
// `status --watch`. Pure, and without zod (the window and the CLI load it): payloads that crossed a
// process boundary are checked before they come here (contract.ts parseEvent).
import type { AgentEvent, EventName, EventPayload } from './contract';
import type { ProfileView, Settings } from './model';

/** What events change: the profiles, and the settings for a holder that keeps them. */
export interface HeldState {
  readonly profiles: readonly ProfileView[];
  readonly settings?: Settings;
}

/** Where a new profile goes in a list kept sorted; without one, it goes last. */
export type ProfileOrder = (a: ProfileView, b: ProfileView) => number;

/** The event as one value whose name narrows its payload (a generic listener's pair does not). */
export function eventOf<E extends EventName>(event: E, payload: EventPayload<E>): AgentEvent {
  return { event, payload } as AgentEvent;
}

/**
 * The state after the event: a changed profile replaces its namesake in place (or is added), a removed
 * one leaves, settings are taken whole. Events that change nothing here answer the same state object,
 * so a holder can tell nothing changed.
 */
export function applyEvent<S extends HeldState, E extends EventName>(state: S, event: E, payload: EventPayload<E>, order?: ProfileOrder): S {
  const message = eventOf(event, payload);
  switch (message.event) {
    case 'profile.changed':
      return { ...state, profiles: upsert(state.profiles, message.payload, order) };
    case 'profile.removed': {
      const profiles = state.profiles.filter((profile) => profile.name !== message.payload.name);
      return profiles.length === state.profiles.length ? state : { ...state, profiles };
    }
    case 'settings.changed':
      return { ...state, settings: message.payload };
    default:
      // certificate.renewal and window.explain are news, not state; and a name this version does not know changes nothing.
      return state;
  }
}

function upsert(profiles: readonly ProfileView[], profile: ProfileView, order: ProfileOrder | undefined): readonly ProfileView[] {
  const next = [...profiles];
  const existing = profiles.findIndex((candidate) => candidate.name === profile.name);
  if (existing >= 0) next[existing] = profile;
  else next.splice(order === undefined ? profiles.length : insertionPoint(profiles, profile, order), 0, profile);
  return next;
}

/** Binary search: events come in bursts, and re-sorting a thousand rows for each would show. */
function insertionPoint(profiles: readonly ProfileView[], profile: ProfileView, order: ProfileOrder): number {
  let low = 0;
  let high = profiles.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (order(profiles[middle] as ProfileView, profile) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}
