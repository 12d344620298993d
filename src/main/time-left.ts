// Durations as the tray and notifications say them: "42 min", "2 h 5 min", "less than a minute".
const MINUTE = 60_000;

/** A positive duration in whole minutes, rounded down; under a minute it says so. */
export function duration(ms: number): string {
  if (ms < MINUTE) return 'less than a minute';
  const minutes = Math.floor(ms / MINUTE);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** "42 min left", or "expiring now" once nothing is left. */
export function timeLeft(ms: number): string {
  return ms <= 0 ? 'expiring now' : `${duration(ms)} left`;
}
