// The countdown both the window and the CLI show for a session. Pure and dependency-free: the
// renderer bundles it.

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

/** Whole seconds from `nowMs` until the ISO 8601 moment `at`, rounded down; undefined without one that parses. */
export function secondsUntil(at: string | undefined, nowMs: number): number | undefined {
  if (at === undefined) return undefined;
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? undefined : Math.floor((ms - nowMs) / 1000);
}

/** What is left of a session: "—" without an expiry, "expired" once it has passed, else the countdown. */
export function timeLeftText(expiresAt: string | undefined, nowMs: number): string {
  const seconds = secondsUntil(expiresAt, nowMs);
  if (seconds === undefined) return '—';
  return seconds <= 0 ? 'expired' : formatSecondsLeft(seconds);
}
