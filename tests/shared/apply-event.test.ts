import { describe, expect, it } from 'vitest';
import { applyEvent, eventOf } from '../../src/shared/apply-event';
import { parseEvent } from '../../src/shared/contract';
import type { CertificateRenewalView, ProfileView } from '../../src/shared/model';
import { appState, defaultSettings, profileView } from '../main/views';

const names = (profiles: readonly ProfileView[]) => profiles.map((profile) => profile.name);
const byName = (a: ProfileView, b: ProfileView) => a.name.localeCompare(b.name);

describe('applyEvent', () => {
  const state = appState([profileView('dev'), profileView('ci')]);

  it('replaces a changed profile in place and appends a new one, without an order', () => {
    const active = profileView('dev', { status: 'active' });
    expect(applyEvent(state, 'profile.changed', active).profiles).toEqual([active, profileView('ci')]);
    expect(names(applyEvent(state, 'profile.changed', profileView('prod')).profiles)).toEqual(['dev', 'ci', 'prod']);
  });

  it('puts a new profile at its place in a sorted list, and keeps a changed one where it is', () => {
    let sorted = { profiles: [profileView('alpha'), profileView('delta')] };
    for (const name of ['charlie', 'echo', 'bravo', 'aardvark']) sorted = applyEvent(sorted, 'profile.changed', profileView(name), byName);
    sorted = applyEvent(sorted, 'profile.changed', profileView('delta', { status: 'failed' }), byName);
    expect(names(sorted.profiles)).toEqual(['aardvark', 'alpha', 'bravo', 'charlie', 'delta', 'echo']);
    expect(sorted.profiles[4]?.status).toBe('failed');
  });

  it('applies events in the order they came: the last change of a profile wins, and a removal after a change removes it', () => {
    const events = [
      eventOf('profile.changed', profileView('dev', { status: 'activating' })),
      eventOf('profile.changed', profileView('dev', { status: 'active' })),
      eventOf('profile.changed', profileView('tmp')),
      eventOf('profile.removed', { name: 'tmp' }),
    ];
    const after = events.reduce((held, message) => applyEvent(held, message.event, message.payload), state);
    expect(after.profiles).toEqual([profileView('dev', { status: 'active' }), profileView('ci')]);
  });

  it('drops a removed profile, and answers the same state for an unknown one', () => {
    expect(names(applyEvent(state, 'profile.removed', { name: 'dev' }).profiles)).toEqual(['ci']);
    expect(applyEvent(state, 'profile.removed', { name: 'ghost' })).toBe(state);
  });

  it('takes new settings whole, and adds them to a holder that had none', () => {
    const settings = { ...defaultSettings, startAtLogin: true, defaultShell: 'fish' as const };
    expect(applyEvent(state, 'settings.changed', settings).settings).toEqual(settings);
    expect(applyEvent({ profiles: [] }, 'settings.changed', settings)).toEqual({ profiles: [], settings });
  });

  it('leaves the state alone for news and for event names it does not know, and never changes the original', () => {
    const renewal: CertificateRenewalView = { certificate: 'dev', ca: 'team', outcome: 'renewed', at: '2030-01-01T00:00:00Z', notAfter: '2031-01-01T00:00:00Z', profiles: ['dev'] };
    expect(applyEvent(state, 'certificate.renewal', renewal)).toBe(state);
    expect(applyEvent(state, 'window.explain', { name: 'dev' })).toBe(state);
    // As a newer main or agent might send it: the name reaches here untyped.
    expect(applyEvent(state, 'agent.something' as 'window.explain', { name: 'dev' })).toBe(state);
    applyEvent(state, 'profile.removed', { name: 'dev' });
    applyEvent(state, 'profile.changed', profileView('new'));
    expect(names(state.profiles)).toEqual(['dev', 'ci']);
  });
});

describe('parseEvent', () => {
  it('answers a fitting payload as it came, extra fields of a newer agent included', () => {
    const payload = { ...profileView('dev'), addedLater: 1 };
    const message = parseEvent('profile.changed', payload);
    expect(message).toEqual({ event: 'profile.changed', payload });
    expect(message.payload).toBe(payload);
  });

  it('refuses a payload of the wrong shape with AGENT_INCOMPATIBLE naming the field, not its value', () => {
    const wrong = { ...profileView('dev'), status: 'secret-looking-value' };
    expect(() => parseEvent('profile.changed', wrong)).toThrow(expect.objectContaining({ code: 'AGENT_INCOMPATIBLE', detail: expect.stringContaining('at status') }));
    expect(() => parseEvent('profile.changed', wrong)).toThrow(expect.not.objectContaining({ detail: expect.stringContaining('secret-looking-value') }));
    expect(() => parseEvent('profile.removed', { name: 7 })).toThrow(expect.objectContaining({ code: 'AGENT_INCOMPATIBLE' }));
    expect(() => parseEvent('settings.changed', null)).toThrow(expect.objectContaining({ detail: expect.stringContaining('its payload') }));
  });

  it('checks a problem\'s code against the error table', () => {
    const problem = { code: 'NETWORK', message: 'm', next: 'n' };
    expect(parseEvent('profile.changed', profileView('dev', { status: 'failed', lastError: { ...problem, code: 'NETWORK' } })).event).toBe('profile.changed');
    expect(() => parseEvent('profile.changed', { ...profileView('dev'), lastError: { ...problem, code: 'NO_SUCH_CODE' } })).toThrow(expect.objectContaining({ detail: expect.stringContaining('lastError.code') }));
  });
});
