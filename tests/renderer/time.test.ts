import { describe, expect, it } from 'vitest';
import { formatSecondsLeft } from '../../src/shared/countdown';
import { formatDaysLeft, formatDuration, formatMoment, retryText, timeLeft, withReadableDates } from '../../src/renderer/format/time';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const inSeconds = (seconds: number) => new Date(NOW + seconds * 1000).toISOString();

describe('time left', () => {
  it('shows two units at most, the smaller one padded', () => {
    expect(formatSecondsLeft(45)).toBe('45s');
    expect(formatSecondsLeft(42 * 60 + 5)).toBe('42m 05s');
    expect(formatSecondsLeft(11 * 3600 + 58 * 60 + 59)).toBe('11h 58m');
    expect(formatSecondsLeft(2 * 86_400 + 3 * 3600)).toBe('2d 03h');
    expect(formatSecondsLeft(3600)).toBe('1h 00m');
  });

  it('counts down from the expiry and turns amber in the last five minutes', () => {
    expect(timeLeft(inSeconds(3599.9), NOW)).toEqual({ text: '59m 59s', tone: 'ok' });
    expect(timeLeft(inSeconds(300), NOW)).toEqual({ text: '5m 00s', tone: 'ok' });
    expect(timeLeft(inSeconds(299), NOW)).toEqual({ text: '4m 59s', tone: 'soon' });
    expect(timeLeft(inSeconds(1), NOW)).toEqual({ text: '1s', tone: 'soon' });
  });

  it('says expired once the expiry has passed', () => {
    expect(timeLeft(inSeconds(0), NOW)).toEqual({ text: 'expired', tone: 'expired' });
    expect(timeLeft(inSeconds(-600), NOW)).toEqual({ text: 'expired', tone: 'expired' });
  });

  it('shows a dash without a session or with an unreadable expiry', () => {
    expect(timeLeft(undefined, NOW)).toEqual({ text: '—', tone: 'none' });
    expect(timeLeft('soon', NOW)).toEqual({ text: '—', tone: 'none' });
  });
});

describe('durations', () => {
  it('writes session durations the way people say them', () => {
    expect(formatDuration(900)).toBe('15 min');
    expect(formatDuration(3600)).toBe('1 h');
    expect(formatDuration(5400)).toBe('1 h 30 min');
    expect(formatDuration(43_200)).toBe('12 h');
  });
});

describe('when a failed profile is tried again', () => {
  it('counts down to the retry, then says it is retrying', () => {
    expect(retryText(inSeconds(95), NOW)).toBe('retry 1m 35s');
    expect(retryText(inSeconds(0), NOW)).toBe('retrying');
    expect(retryText(inSeconds(-5), NOW)).toBe('retrying');
  });
});

describe('dates in the agent\'s words', () => {
  const day = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
  const dayAndTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

  it('writes a moment more than a day away as its date, and a nearer one with its time of day', () => {
    expect(formatMoment('2021-06-01T00:00:00.000Z', NOW)).toBe(day.format(Date.parse('2021-06-01T00:00:00.000Z')));
    expect(formatMoment(inSeconds(3 * 3600), NOW)).toBe(dayAndTime.format(NOW + 3 * 3600 * 1000));
    expect(formatMoment('not a date', NOW)).toBe('not a date');
  });

  it('replaces every ISO timestamp in a detail or warning and leaves the rest of the text alone', () => {
    const text = withReadableDates('expired 2021-06-01T00:00:00.000Z', NOW);
    expect(text).toBe(`expired ${day.format(Date.parse('2021-06-01T00:00:00.000Z'))}`);
    const warning = withReadableDates('The certificate expires in 20 days (2026-03-21T12:00:00Z); ask your CA for a new one soon.', NOW);
    expect(warning).toBe(`The certificate expires in 20 days (${day.format(Date.parse('2026-03-21T12:00:00Z'))}); ask your CA for a new one soon.`);
    expect(withReadableDates('valid from 2030-01-01T08:30:00+02:00 and 2031-01-01T00:00:00.000Z', NOW)).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(withReadableDates('HTTP 403 AccessDeniedException', NOW)).toBe('HTTP 403 AccessDeniedException');
  });

  it('counts a certificate\'s days left, in years once there are two or more', () => {
    expect(formatDaysLeft(1)).toBe('1 day');
    expect(formatDaysLeft(400)).toBe('400 days');
    expect(formatDaysLeft(729)).toBe('729 days');
    expect(formatDaysLeft(35_832)).toBe('98 years');
  });
});
