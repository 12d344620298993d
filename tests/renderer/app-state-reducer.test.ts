import { describe, expect, it } from 'vitest';
import { eventOf } from '../../src/shared/apply-event';
import type { AgentInfo, ProfileView, Settings } from '../../src/shared/model';
import { initialState, reduce, type Action, type State } from '../../src/renderer/hooks/app-state-reducer';

const settings: Settings = { startAtLogin: false, notifications: true, defaultShell: 'bash', requestTimeoutSeconds: 30 };
const agent: AgentInfo = { pid: 1, host: 'app', version: '0.1.0', startedAt: '2026-01-01T00:00:00Z', dataDir: '/data' };

function profile(name: string, status: ProfileView['status'] = 'inactive'): ProfileView {
  return { name, status } as ProfileView;
}

const changed = (view: ProfileView): Action => ({ type: 'event', message: eventOf('profile.changed', view) });
const removed = (name: string): Action => ({ type: 'event', message: eventOf('profile.removed', { name }) });
const run = (actions: Action[], from: State = initialState) => actions.reduce(reduce, from);
const names = (state: State) => state.profiles.map((p) => p.name);

describe('the window state', () => {
  it('sorts loaded profiles by name, numbers in numeric order and case aside', () => {
    const state = run([{ type: 'loaded', profiles: [profile('b'), profile('team-10'), profile('A'), profile('team-9')], settings, agent }]);
    expect(state.phase).toBe('ready');
    expect(names(state)).toEqual(['A', 'b', 'team-9', 'team-10']);
  });

  it('keeps the order as events add, change and remove profiles', () => {
    const loaded = run([{ type: 'loaded', profiles: [profile('alpha'), profile('delta')], settings, agent }]);
    const state = run(
      [
        changed(profile('charlie')),
        changed(profile('delta', 'active')),
        changed(profile('bravo')),
        changed(profile('echo')),
        removed('alpha'),
      ],
      loaded,
    );
    expect(names(state)).toEqual(['bravo', 'charlie', 'delta', 'echo']);
    expect(state.profiles.find((p) => p.name === 'delta')?.status).toBe('active');
  });

  it('does not change anything for the removal of an unknown profile', () => {
    const loaded = run([{ type: 'loaded', profiles: [profile('alpha')], settings, agent }]);
    expect(reduce(loaded, removed('ghost'))).toBe(loaded);
  });

  it('reports a failed first load, but keeps showing a loaded list when a reload fails', () => {
    const problem = { code: 'AGENT_UNAVAILABLE' as const, message: 'Down.', next: 'Start it.' };
    expect(run([{ type: 'failed', problem }]).phase).toBe('failed');
    const loaded = run([{ type: 'loaded', profiles: [profile('alpha')], settings, agent }]);
    const reloaded = run([{ type: 'loading' }, { type: 'failed', problem }], loaded);
    expect(reloaded.phase).toBe('ready');
    expect(names(reloaded)).toEqual(['alpha']);
  });
});
