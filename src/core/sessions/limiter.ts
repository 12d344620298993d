// Roles Anywhere allows 10 CreateSession calls per second per account and region. The agent owns every
// profile's calls, so one limiter in front of them keeps a burst (200 profiles due after a resume)
// under the limit instead of turning it into throttling errors and retries.
//
// A sliding window, not a token bucket: a bucket refilled at 10/s lets 11 calls land within one second
// after an idle spell (a full bucket of 10, then one refilled token), which a strict per-second count
// rejects.
//
// A slot counts from its grant until the call's answer is in, then for a window after that answer.
// The service counts arrivals, and a request leaves late when the event loop or the connection pool
// holds it after its grant: counting from the grant alone let two windows' grants arrive within one
// second (18/s, with 429s, when 200 profiles were due). Each arrival lies between its grant and its
// answer, so fewer than `limit` slots live in (t - window, t] means fewer than `limit` arrivals there.
import type { Clock, TimerHandle } from '../platform/clock';

export const CREATE_SESSIONS_PER_SECOND = 10;

export interface CreateSessionLimiterOptions {
  /** Calls per window (default 10). */
  readonly limit?: number;
  /** Default 1000 ms. */
  readonly windowMs?: number;
}

/** Called once the call's answer (or failure) is in: the slot then lasts one more window. */
export type ReleaseSlot = () => void;

interface RegionQueue {
  /** Calls granted whose answer is not in yet. */
  inFlight: number;
  /** Monotonic times the answers came, oldest first, all within the window. */
  readonly answered: number[];
  readonly waiters: ((release: ReleaseSlot) => void)[];
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
  acquire(region: string): Promise<ReleaseSlot> {
    const queue = this.queue(region);
    this.prune(queue, this.clock.monotonic());
    if (queue.waiters.length === 0 && this.used(queue) < this.limit) return Promise.resolve(this.grant(region, queue));
    return new Promise<ReleaseSlot>((resolve) => {
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
      queue = { inFlight: 0, answered: [], waiters: [], timer: undefined };
      this.regions.set(region, queue);
    }
    return queue;
  }

  private used(queue: RegionQueue): number {
    return queue.inFlight + queue.answered.length;
  }

  private grant(region: string, queue: RegionQueue): ReleaseSlot {
    queue.inFlight += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      queue.inFlight -= 1;
      queue.answered.push(this.clock.monotonic());
      if (queue.waiters.length > 0) this.wakeLater(region, queue);
    };
  }

  private prune(queue: RegionQueue, now: number): void {
    while (queue.answered.length > 0 && (queue.answered[0] as number) <= now - this.windowMs) queue.answered.shift();
  }

  // One timer per region, for the moment the oldest answer leaves the window; with every slot in
  // flight there is none, and the next answer arms it.
  private wakeLater(region: string, queue: RegionQueue): void {
    if (queue.timer !== undefined) return;
    const oldest = queue.answered[0];
    if (oldest === undefined) return;
    queue.timer = this.clock.setTimer(Math.max(0, oldest + this.windowMs - this.clock.monotonic()), () => {
      queue.timer = undefined;
      this.release(region, queue);
    });
  }

  private release(region: string, queue: RegionQueue): void {
    this.prune(queue, this.clock.monotonic());
    while (queue.waiters.length > 0 && this.used(queue) < this.limit) queue.waiters.shift()?.(this.grant(region, queue));
    if (queue.waiters.length > 0) this.wakeLater(region, queue);
    else if (this.used(queue) === 0) this.regions.delete(region);
  }
}
