// Main keeps the last AppState for the tray and notifications, and updates it from the agent's events
// instead of asking for the whole state on every change.
import type { AppState, ProfileView, Settings } from '../shared/model';

export function applyEvent(state: AppState, event: string, payload: unknown): AppState {
  switch (event) {
    case 'profile.changed': {
      const profile = payload as ProfileView;
      const index = state.profiles.findIndex((candidate) => candidate.name === profile.name);
      const profiles = index === -1 ? [...state.profiles, profile] : state.profiles.map((candidate, i) => (i === index ? profile : candidate));
      return { ...state, profiles };
    }
    case 'profile.removed': {
      const { name } = payload as { name: string };
      return { ...state, profiles: state.profiles.filter((candidate) => candidate.name !== name) };
    }
    case 'settings.changed':
      return { ...state, settings: payload as Settings };
    default:
      return state;
  }
}
