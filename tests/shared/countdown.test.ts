import { describe, expect, it } from 'vitest';
import { secondsUntil, timeLeftText } from '../../src/shared/countdown';

const NOW = Date.UTC(2026, 2, 2, 9, 0, 0);
const inSeconds = (seconds: number) => new Date(NOW + seconds * 1000).toISOString();

describe('the session countdown the window and the CLI share', () => {
  it('counts whole seconds down to the expiry, and has none without a parseable one', () => {
    expect(secondsUntil(inSeconds(90.9), NOW)).toBe(90);
    expect(secondsUntil(inSeconds(-0.5), NOW)).toBe(-1);
    expect(secondsUntil(undefined, NOW)).toBeUndefined();
    expect(secondsUntil('', NOW)).toBeUndefined();
    expect(secondsUntil('not a date', NOW)).toBeUndefined();
  });

  it('says what is left: a dash without an expiry, expired once past, else the countdown', () => {
    expect(timeLeftText(undefined, NOW)).toBe('—');
    expect(timeLeftText('', NOW)).toBe('—');
    expect(timeLeftText(inSeconds(0), NOW)).toBe('expired');
    expect(timeLeftText(inSeconds(-60), NOW)).toBe('expired');
    expect(timeLeftText(inSeconds(42 * 60 + 5), NOW)).toBe('42m 05s');
    expect(timeLeftText(inSeconds(2 * 86_400 + 3 * 3600), NOW)).toBe('2d 03h');
  });
});
