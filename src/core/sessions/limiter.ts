// Roles Anywhere allows 10 CreateSession calls per second per account and region. The agent owns every
// profile's calls, so one limiter in front of them keeps a burst (200 profiles due after a resume)
// under the limit instead of turning it into throttling errors and retries.
//
// A sliding window, not a token bucket: a bucket refilled at 10/s lets 11 calls land within one second
// after an idle spell (a full bucket of 10, then one refilled token), which a strict per-second count
// rejects. Here a call is granted at time t only if fewer than `limit` were granted in (t - window, t].
import type { Clock, TimerHandle } from '../platform/clock';

export const CREATE_SESSIONS_PER_SECOND = 10;

export interface CreateSessionLimiterOptions {
  /** Calls per window (default 10). */
  readonly limit?: number;
  /** Default 1000 ms. */
  readonly windowMs?: number;
}

interface RegionQueue {
  /** Monotonic grant times, oldest first, all within the window. */
  readonly grants: number[];
  readonly waiters: (() => void)[];
  timer: TimerHandle | undefined;
}

export class CreateSessionLimiter {
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly regions = new Map<string, RegionQueue>();

  constructor(
    private readonly clock: Clock,
    options: CreateSessionLimiterOptions = {},
  ) {
    this.limit = options.limit ?? CREATE_SESSIONS_PER_SECOND;
    this.windowMs = options.windowMs ?? 1000;
  }

  /** Resolves when a CreateSession call in `region` may be sent; callers are served in order. */
  acquire(region: string): Promise<void> {
    const queue = this.queue(region);
    const now = this.clock.monotonic();
    this.prune(queue, now);
    if (queue.waiters.length === 0 && queue.grants.length < this.limit) {
      queue.grants.push(now);
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      queue.waiters.push(resolve);
      this.wakeLater(region, queue);
    });
  }

  /** Calls waiting for a slot in `region`. */
  waiting(region: string): number {
    return this.regions.get(region)?.waiters.length ?? 0;
  }

  private queue(region: string): RegionQueue {
    let queue = this.regions.get(region);
    if (queue === undefined) {
      queue = { grants: [], waiters: [], timer: undefined };
      this.regions.set(region, queue);
    }
    return queue;
  }

  private prune(queue: RegionQueue, now: number): void {
    while (queue.grants.length > 0 && (queue.grants[0] as number) <= now - this.windowMs) queue.grants.shift();
  }

  // One timer per region, for the moment the oldest grant leaves the window.
  private wakeLater(region: string, queue: RegionQueue): void {
    if (queue.timer !== undefined) return;
    const oldest = queue.grants[0];
    const delay = oldest === undefined ? 0 : oldest + this.windowMs - this.clock.monotonic();
    queue.timer = this.clock.setTimer(Math.max(0, delay), () => {
      queue.timer = undefined;
      this.release(region, queue);
    });
  }

  private release(region: string, queue: RegionQueue): void {
    const now = this.clock.monotonic();
    this.prune(queue, now);
    while (queue.waiters.length > 0 && queue.grants.length < this.limit) {
      queue.grants.push(now);
      queue.waiters.shift()?.();
    }
    if (queue.waiters.length > 0) this.wakeLater(region, queue);
    else if (queue.grants.length === 0) this.regions.delete(region);
  }
}
