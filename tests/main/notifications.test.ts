import { describe, expect, it } from 'vitest';
import { notificationsFor } from '../../src/main/notifications';
import { ERRORS } from '../../src/shared/errors';
import type { ProfileView } from '../../src/shared/model';
import { appState, NOW, profileView, withCertificateNotAfter } from './views';

const DAY = 24 * 60 * 60 * 1000;
const throttled = { code: 'THROTTLED' as const, message: ERRORS.THROTTLED.message, next: ERRORS.THROTTLED.next };
const inDays = (days: number) => new Date(NOW + days * DAY).toISOString();
const seen = (profiles: readonly ProfileView[], at = NOW) => ({ state: appState(profiles), at });

describe('notificationsFor', () => {
  it('says a refresh failed once, when the profile turns failed', () => {
    const failed = profileView('prod', { status: 'failed', lastError: throttled });
    expect(notificationsFor(seen([profileView('prod', { status: 'active' })]), appState([failed]), NOW)).toEqual([
      { id: 'refresh-failed:prod', title: 'prod: refresh failed', body: `${ERRORS.THROTTLED.message} ${ERRORS.THROTTLED.next}`, explain: 'prod' },
    ]);
    expect(notificationsFor(seen([failed]), appState([{ ...failed, nextRefreshAt: inDays(1) }]), NOW)).toEqual([]);
  });

  it('says a session expired when it does', () => {
    const expired = profileView('dev', { status: 'expired', lastError: throttled });
    const [notification] = notificationsFor(seen([profileView('dev', { status: 'failed', lastError: throttled })]), appState([expired]), NOW);
    expect(notification).toEqual({ id: 'session-expired:dev', title: 'dev: session expired', body: `Its AWS credentials are no longer valid. ${ERRORS.THROTTLED.next}`, explain: 'dev' });
    expect(notificationsFor(seen([expired]), appState([expired]), NOW + 60_000)).toEqual([]);
  });

  it('says nothing for ordinary changes', () => {
    const before = [profileView('dev', { status: 'active' }), profileView('ci')];
    const after = [profileView('dev', { status: 'refreshing' }), profileView('ci', { status: 'activating' })];
    expect(notificationsFor(seen(before), appState(after), NOW)).toEqual([]);
  });

  it('warns about a certificate entering the last 14 days, then again at 7 days, 1 day and expiry', () => {
    const profile = withCertificateNotAfter(profileView('dev'), inDays(20));
    const titles: string[] = [];
    let previous = seen([profile], NOW);
    for (let day = 1; day <= 22; day += 1) {
      const at = NOW + day * DAY;
      titles.push(...notificationsFor(previous, appState([profile]), at).map((n) => n.title));
      previous = { state: appState([profile]), at };
    }
    expect(titles).toEqual(['dev: certificate expires in 14 days', 'dev: certificate expires in 7 days', 'dev: certificate expires in 1 day', 'dev: certificate has expired']);
  });

  it('warns at start-up about a certificate already within 14 days, with what to do', () => {
    const profile = withCertificateNotAfter(profileView('dev'), new Date(NOW + 5 * 60 * 60 * 1000).toISOString());
    expect(notificationsFor(undefined, appState([profile]), NOW)).toEqual([
      { id: 'certificate:dev', title: 'dev: certificate expires in 5 h', body: ERRORS.CERT_EXPIRED.next },
    ]);
  });

  it('forgets the warning when the certificate is replaced', () => {
    const old = withCertificateNotAfter(profileView('dev'), inDays(3), 'OLD');
    const renewedButShort = withCertificateNotAfter(profileView('dev'), inDays(10), 'NEW');
    expect(notificationsFor(seen([old]), appState([renewedButShort]), NOW).map((n) => n.title)).toEqual(['dev: certificate expires in 10 days']);
    const renewed = withCertificateNotAfter(profileView('dev'), inDays(365), 'NEW');
    expect(notificationsFor(seen([old]), appState([renewed]), NOW)).toEqual([]);
  });

  it('says nothing when the user turned notifications off', () => {
    const failed = profileView('prod', { status: 'failed', lastError: throttled });
    expect(notificationsFor(undefined, appState([failed], { notifications: false }), NOW)).toEqual([]);
  });
});
