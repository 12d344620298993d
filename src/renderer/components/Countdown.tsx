import type { ProfileView } from '../../shared/model';
import { retryText, timeLeft } from '../format/time';
import { useNow } from '../hooks/useNow';

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

type Timing = Pick<ProfileView, 'status' | 'expiresAt' | 'nextRefreshAt'>;

function tooltip(expiresAt: string, nextRefreshAt: string | undefined, failed: boolean): string {
  const parts = [`Expires at ${clock.format(new Date(expiresAt))}`];
  if (nextRefreshAt) parts.push(`${failed ? 'next try' : 'next refresh'} at ${clock.format(new Date(nextRefreshAt))}`);
  return parts.join(' · ');
}

function LiveCountdown({ expiresAt, nextRefreshAt, failed }: { expiresAt: string; nextRefreshAt: string | undefined; failed: boolean }) {
  const left = timeLeft(expiresAt, useNow());
  return (
    <time className={`countdown countdown-${left.tone}`} dateTime={expiresAt} title={tooltip(expiresAt, nextRefreshAt, failed)}>
      {left.text}
    </time>
  );
}

/** A failed profile without a session: when Rolecall tries again, so "—" does not read as "given up". */
function RetryCountdown({ retryAt }: { retryAt: string }) {
  const text = retryText(retryAt, useNow());
  return (
    <span className="countdown countdown-retry" title={`No session. Rolecall tries again at ${clock.format(new Date(retryAt))}; Refresh tries now.`}>
      {text}
    </span>
  );
}

/**
 * Time left on the delivered credentials. Only rows with a session (or a retry) listen to the shared
 * clock; the text is not a live region, so screen readers are not told every second.
 */
export function Countdown({ profile }: { profile: Timing }) {
  const failed = profile.status === 'failed';
  if (profile.expiresAt) return <LiveCountdown expiresAt={profile.expiresAt} nextRefreshAt={profile.nextRefreshAt} failed={failed} />;
  if (failed && profile.nextRefreshAt) return <RetryCountdown retryAt={profile.nextRefreshAt} />;
  return (
    <span className="countdown countdown-none">
      <span aria-hidden="true">—</span>
      <span className="sr-only">No session</span>
    </span>
  );
}
