import type { ProfileView } from '../../shared/model';
import { timeLeft } from '../format/time';
import { useNow } from '../hooks/useNow';

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

type Timing = Pick<ProfileView, 'expiresAt' | 'nextRefreshAt'>;

function tooltip(expiresAt: string, nextRefreshAt: string | undefined): string {
  const parts = [`Expires at ${clock.format(new Date(expiresAt))}`];
  if (nextRefreshAt) parts.push(`next refresh at ${clock.format(new Date(nextRefreshAt))}`);
  return parts.join(' · ');
}

function LiveCountdown({ expiresAt, nextRefreshAt }: { expiresAt: string; nextRefreshAt: string | undefined }) {
  const left = timeLeft(expiresAt, useNow());
  return (
    <time className={`countdown countdown-${left.tone}`} dateTime={expiresAt} title={tooltip(expiresAt, nextRefreshAt)}>
      {left.text}
    </time>
  );
}

/**
 * Time left on the delivered credentials. Only rows with a session listen to the shared clock; the
 * text is not a live region, so screen readers are not told every second.
 */
export function Countdown({ profile }: { profile: Timing }) {
  if (!profile.expiresAt) {
    return (
      <span className="countdown countdown-none">
        <span aria-hidden="true">—</span>
        <span className="sr-only">No session</span>
      </span>
    );
  }
  return <LiveCountdown expiresAt={profile.expiresAt} nextRefreshAt={profile.nextRefreshAt} />;
}
