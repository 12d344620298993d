import { describe, expect, it } from 'vitest';
import { CreateSessionLimiter } from '../../../src/core/sessions/limiter';
import { VirtualClock } from '../../helpers/virtual-clock';

/** The largest number of grants inside any window (t - 1000, t]. */
function busiestSecond(times: readonly number[]): number {
  return Math.max(0, ...times.map((t) => times.filter((other) => other > t - 1000 && other <= t).length));
}

/** Asks for `count` slots at once; each call's answer comes `answerAfterMs` after its grant. */
function grantTimes(clock: VirtualClock, limiter: CreateSessionLimiter, region: string, count: number, answerAfterMs = 0): number[] {
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    void limiter.acquire(region).then((answered) => {
      times.push(clock.monotonic());
      if (answerAfterMs === 0) answered();
      else clock.setTimer(answerAfterMs, answered);
    });
  }
  return times;
}

describe('CreateSessionLimiter', () => {
  it('lets 10 calls through at once and the rest as slots free up, never 11 within a second', async () => {
    const clock = new VirtualClock();
    const limiter = new CreateSessionLimiter(clock);
    const times = grantTimes(clock, limiter, 'us-east-1', 35);
    await clock.advance(0);
    expect(times).toHaveLength(10);
    await clock.advance(999);
    expect(times).toHaveLength(10);
    await clock.advance(1);
    expect(times).toHaveLength(20);
    await clock.advance(5000);
    expect(times).toHaveLength(35);
    expect(busiestSecond(times)).toBe(10);
    expect(Math.max(...times)).toBe(3000);
  });

  it('does not let a burst after a quiet spell exceed the window, as a token bucket would', async () => {
    const clock = new VirtualClock();
    const limiter = new CreateSessionLimiter(clock);
    const times: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      (await limiter.acquire('eu-west-1'))();
      times.push(clock.monotonic());
      await clock.advance(100);
    }
    const burst = grantTimes(clock, limiter, 'eu-west-1', 10);
    await clock.advance(3000);
    times.push(...burst);
    expect(times).toHaveLength(20);
    expect(busiestSecond(times)).toBe(10);
  });

  it('counts a slot until its answer is in and a window after it, so requests held before sending cannot bunch up', async () => {
    const clock = new VirtualClock();
    const limiter = new CreateSessionLimiter(clock);
    // Answers 600 ms after each grant: a request may reach the service at any moment until then.
    const times = grantTimes(clock, limiter, 'us-east-1', 25, 600);
    await clock.advance(0);
    expect(times).toHaveLength(10);
    // A window after the grants the first ten could still be arriving: nothing more yet.
    await clock.advance(1000);
    expect(times).toHaveLength(10);
    await clock.advance(599);
    expect(times).toHaveLength(10);
    await clock.advance(1);
    expect(times).toHaveLength(20);
    await clock.advance(1600);
    expect(times).toHaveLength(25);
    expect(Math.max(...times)).toBe(3200);
    // Arrivals lie anywhere in [grant, grant + 600]: no second can hold more than 10 of them.
    expect(busiestSecond(times.map((time) => time + 600))).toBe(10);
    expect(busiestSecond(times)).toBe(10);
  });

  it('wakes a waiter when slots that were all in flight get their answers', async () => {
    const clock = new VirtualClock();
    const limiter = new CreateSessionLimiter(clock, { limit: 2 });
    const held = [await limiter.acquire('us-east-1'), await limiter.acquire('us-east-1')];
    let third: number | undefined;
    void limiter.acquire('us-east-1').then((answered) => {
      third = clock.monotonic();
      answered();
    });
    await clock.advance(5000);
    expect(third).toBeUndefined();
    for (const answered of held) answered();
    // Answering twice changes nothing.
    held[0]?.();
    await clock.advance(999);
    expect(third).toBeUndefined();
    await clock.advance(1);
    expect(third).toBe(6000);
  });

  it('counts each region on its own', async () => {
    const clock = new VirtualClock();
    const limiter = new CreateSessionLimiter(clock);
    const east = grantTimes(clock, limiter, 'us-east-1', 15);
    const west = grantTimes(clock, limiter, 'us-west-2', 15);
    await clock.advance(0);
    expect([east.length, west.length]).toEqual([10, 10]);
    expect(limiter.waiting('us-east-1')).toBe(5);
    await clock.advance(1000);
    expect([east.length, west.length]).toEqual([15, 15]);
  });

  it('waits on one clock timer per region instead of polling', async () => {
    const clock = new VirtualClock();
    const limiter = new CreateSessionLimiter(clock);
    grantTimes(clock, limiter, 'us-east-1', 100);
    grantTimes(clock, limiter, 'ap-south-1', 100);
    await clock.advance(0);
    expect(clock.pendingTimers).toBe(2);
    await clock.advance(20_000);
    expect(clock.pendingTimers).toBe(0);
    expect(limiter.waiting('us-east-1')).toBe(0);
  });
});
