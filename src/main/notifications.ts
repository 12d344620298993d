// When the app tells the user something without being asked: a refresh failed, a session expired, a
// certificate is about to expire. Decided from two observations of the state, so each fact is said once
// when it becomes true, not on every event or timer tick.
import { ERRORS } from '../shared/errors';
import type { AppState, CertificateRenewalView, ProfileView, Settings } from '../shared/model';
import { duration } from './time-left';

export interface Observation {
  readonly state: AppState;
  /** When the state was observed (ms since the epoch). */
  readonly at: number;
}

export interface AppNotification {
  /** Stable per fact and profile, so a newer notification can replace an older one. */
  readonly id: string;
  readonly title: string;
  readonly body: string;
  /** A profile whose explanation (`profiles.explain`) a click on the notification opens in the window. */
  readonly explain?: string;
}

const DAY = 24 * 60 * 60 * 1000;
/** Days before a certificate's expiry at which the user is told again, most urgent first. */
const CERTIFICATE_WARNING_DAYS = [0, 1, 7, 14] as const;

export function notificationsFor(previous: Observation | undefined, next: AppState, now: number): AppNotification[] {
  if (!next.settings.notifications) return [];
  const notifications: AppNotification[] = [];
  for (const profile of next.profiles) {
    const before = previous?.state.profiles.find((candidate) => candidate.name === profile.name);
    if (profile.status === 'failed' && before?.status !== 'failed') notifications.push(refreshFailed(profile));
    if (profile.status === 'expired' && before?.status !== 'expired') notifications.push(sessionExpired(profile));
    const warning = certificateWarning(profile, now);
    const sameCertificate = before?.certificate.fingerprintSha256 === profile.certificate.fingerprintSha256;
    const earlier = before && previous && sameCertificate ? certificateWarning(before, previous.at) : undefined;
    if (warning !== undefined && (earlier === undefined || warning < earlier)) notifications.push(certificateExpiring(profile, now));
  }
  return notifications;
}

/** What the agent's `certificate.renewal` event tells: a certificate was renewed, or cannot be. */
export function renewalNotification(event: CertificateRenewalView, settings: Settings): AppNotification | undefined {
  if (!settings.notifications) return undefined;
  const using = event.profiles.length === 0 ? '' : ` ${event.profiles.join(', ')} ${event.profiles.length === 1 ? 'uses' : 'use'} it now.`;
  if (event.outcome === 'renewed') {
    return {
      id: `renewal:${event.certificate}`,
      title: `${event.certificate}: certificate renewed`,
      body: `Rolecall CA ${event.ca} issued it a new certificate${event.newKey ? ' with a new key' : ''}, valid until ${event.notAfter.slice(0, 10)}.${using}`,
    };
  }
  const problem = event.problem;
  return {
    id: `renewal:${event.certificate}`,
    title: `${event.certificate}: certificate cannot be renewed`,
    body: `${problem ? `${problem.message} ${problem.next}` : 'Open Rolecall to see why.'} It ends ${event.notAfter.slice(0, 10)}.`,
  };
}

function refreshFailed(profile: ProfileView): AppNotification {
  const error = profile.lastError;
  return {
    id: `refresh-failed:${profile.name}`,
    title: `${profile.name}: refresh failed`,
    body: error ? `${error.message} ${error.next}` : 'Open Rolecall to see why.',
    explain: profile.name,
  };
}

function sessionExpired(profile: ProfileView): AppNotification {
  return {
    id: `session-expired:${profile.name}`,
    title: `${profile.name}: session expired`,
    body: `Its AWS credentials are no longer valid. ${profile.lastError?.next ?? 'Open Rolecall to refresh it.'}`,
    explain: profile.name,
  };
}

function certificateExpiring(profile: ProfileView, now: number): AppNotification {
  const left = Date.parse(profile.certificate.notAfter) - now;
  const when = left <= 0 ? 'has expired' : `expires in ${left >= DAY ? days(Math.floor(left / DAY)) : duration(left)}`;
  return {
    id: `certificate:${profile.name}`,
    title: `${profile.name}: certificate ${when}`,
    body: ERRORS.CERT_EXPIRED.next,
  };
}

/** The most urgent warning threshold the certificate has reached at `at`, if any. */
function certificateWarning(profile: ProfileView, at: number): number | undefined {
  const daysLeft = (Date.parse(profile.certificate.notAfter) - at) / DAY;
  return CERTIFICATE_WARNING_DAYS.find((threshold) => daysLeft <= threshold);
}

function days(count: number): string {
  return count === 1 ? '1 day' : `${count} days`;
}
