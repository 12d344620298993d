// Time as the window shows it. Pure: `now` comes from the one ticker (hooks/useNow).
import { formatSecondsLeft, secondsUntil, timeLeftText } from '../../shared/countdown';

export type TimeLeftTone = 'none' | 'ok' | 'soon' | 'expired';

export interface TimeLeft {
  readonly text: string;
  readonly tone: TimeLeftTone;
}

/** Below this the countdown turns amber: a healthy session is refreshed well before it. */
const SOON_SECONDS = 5 * 60;

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

export function timeLeft(expiresAt: string | undefined, nowMs: number): TimeLeft {
  const seconds = secondsUntil(expiresAt, nowMs);
  const tone = seconds === undefined ? 'none' : seconds <= 0 ? 'expired' : seconds < SOON_SECONDS ? 'soon' : 'ok';
  return { text: timeLeftText(expiresAt, nowMs), tone };
}

/** When a failed profile is tried again: "retry 1m 35s", then "retrying" once that moment has come. */
export function retryText(retryAt: string, nowMs: number): string {
  const seconds = secondsUntil(retryAt, nowMs);
  return seconds !== undefined && seconds > 0 ? `retry ${formatSecondsLeft(seconds)}` : 'retrying';
}

const DAY_MS = 86_400_000;
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateAndTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A moment as people say it: "Jun 1, 2021"; within a day of now the time of day counts too. */
export function formatMoment(iso: string, nowMs: number): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  return (Math.abs(at - nowMs) < DAY_MS ? dateAndTime : dateOnly).format(at);
}

const ISO_TIMESTAMP = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/g;

/** The agent's details and warnings carry ISO 8601 timestamps (for logs and scripts); the window says them as dates. */
export function withReadableDates(text: string, nowMs: number): string {
  return text.replace(ISO_TIMESTAMP, (iso) => formatMoment(iso, nowMs));
}

/** Days, or years once they are the clearer unit: "1 day", "400 days", "98 years". */
export function formatDaysLeft(days: number): string {
  if (days >= 730) return plural(Math.floor(days / 365), 'year');
  return plural(days, 'day');
}

/** A session duration setting: "15 min", "1 h", "1 h 30 min", "12 h". */
export function formatDuration(totalSeconds: number): string {
  const minutes = Math.round(totalSeconds / 60);
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
