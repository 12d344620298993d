import { describe, expect, it } from 'vitest';
import { applyEvent } from '../../src/main/app-state';
import { appState, profileView } from './views';

describe('applyEvent', () => {
  const state = appState([profileView('dev'), profileView('ci')]);

  it('replaces a changed profile in place and appends a new one', () => {
    const active = profileView('dev', { status: 'active' });
    expect(applyEvent(state, 'profile.changed', active).profiles).toEqual([active, profileView('ci')]);
    expect(applyEvent(state, 'profile.changed', profileView('prod')).profiles.map((p) => p.name)).toEqual(['dev', 'ci', 'prod']);
  });

  it('drops a removed profile', () => {
    expect(applyEvent(state, 'profile.removed', { name: 'dev' }).profiles.map((p) => p.name)).toEqual(['ci']);
  });

  it('takes new settings', () => {
    const settings = { startAtLogin: true, notifications: false, defaultShell: 'fish' as const };
    expect(applyEvent(state, 'settings.changed', settings).settings).toEqual(settings);
  });

  it('leaves the state alone for events it does not know, without changing the original', () => {
    expect(applyEvent(state, 'agent.something', {})).toBe(state);
    applyEvent(state, 'profile.removed', { name: 'dev' });
    expect(state.profiles).toHaveLength(2);
  });
});
