import { describe, expect, it } from 'vitest';
import { CreateSessionLimiter } from '../../../src/core/sessions/limiter';
import { VirtualClock } from '../../helpers/virtual-clock';

/** The largest number of grants inside any window (t - 1000, t]. */
function busiestSecond(times: readonly number[]): number {
  return Math.max(0, ...times.map((t) => times.filter((other) => other > t - 1000 && other <= t).length));
}

function grantTimes(clock: VirtualClock, limiter: CreateSessionLimiter, region: string, count: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) void limiter.acquire(region).then(() => times.push(clock.monotonic()));
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
      await limiter.acquire('eu-west-1');
      times.push(clock.monotonic());
      await clock.advance(100);
    }
    const burst = grantTimes(clock, limiter, 'eu-west-1', 10);
    await clock.advance(3000);
    times.push(...burst);
    expect(times).toHaveLength(20);
    expect(busiestSecond(times)).toBe(10);
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
