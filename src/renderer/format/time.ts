// Time as the profile list shows it. Pure: `now` comes from the one ticker (hooks/useNow).
import type { CertificateState } from '../../shared/model';

export type TimeLeftTone = 'none' | 'ok' | 'soon' | 'expired';

export interface TimeLeft {
  readonly text: string;
  readonly tone: TimeLeftTone;
}

/** Below this the countdown turns amber: a healthy session is refreshed well before it. */
const SOON_SECONDS = 5 * 60;

const pad = (value: number) => String(value).padStart(2, '0');

/** "45s", "42m 05s", "11h 58m", "2d 03h": two units at most, the smaller one zero-padded. */
export function formatSecondsLeft(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (days > 0) return `${days}d ${pad(hours)}h`;
  if (hours > 0) return `${hours}h ${pad(minutes)}m`;
  if (minutes > 0) return `${minutes}m ${pad(seconds % 60)}s`;
  return `${seconds}s`;
}

export function timeLeft(expiresAt: string | undefined, nowMs: number): TimeLeft {
  if (expiresAt === undefined) return { text: '—', tone: 'none' };
  const expiry = Date.parse(expiresAt);
  if (Number.isNaN(expiry)) return { text: '—', tone: 'none' };
  const seconds = Math.floor((expiry - nowMs) / 1000);
  if (seconds <= 0) return { text: 'expired', tone: 'expired' };
  return { text: formatSecondsLeft(seconds), tone: seconds < SOON_SECONDS ? 'soon' : 'ok' };
}

/** A session duration setting: "15 min", "1 h", "1 h 30 min", "12 h". */
export function formatDuration(totalSeconds: number): string {
  const minutes = Math.round(totalSeconds / 60);
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** The warning a row shows about its certificate; undefined while it is fine. */
export function certificateWarning(state: CertificateState, daysLeft: number): string | undefined {
  switch (state) {
    case 'ok':
      return undefined;
    case 'expiring':
      return daysLeft <= 0 ? 'Certificate expires today' : `Certificate expires in ${plural(daysLeft, 'day')}`;
    case 'expired':
      return daysLeft === 0 ? 'Certificate expired today' : `Certificate expired ${plural(Math.abs(daysLeft), 'day')} ago`;
    case 'not-yet-valid':
      return 'Certificate not valid yet';
  }
}
