// A Clock whose time moves only when a test says so, to run hours of refresh cycles in seconds, with
// real HTTP and real files still in between. Timers fire in due order; after each one the clock waits
// until the work it started has settled: the real I/O that the IoTracker counts (HTTP requests, file
// writes, signatures on libuv's thread pool) and the promise chains that follow it. Work that waits on
// this clock (backoff sleeps, rate-limit slots) is not I/O: it waits for the next timer.
import { createHook, type AsyncHook } from 'node:async_hooks';
import type { Clock, TimerHandle } from '../../src/core/platform/clock';

/**
 * libuv requests that are real work in flight: file system calls (closing a file handle included),
 * DNS lookups, and crypto jobs on the thread pool (signatures, random bytes, hashes). Not HTTP
 * requests: one waiting on virtual time must not hold the clock.
 */
const NATIVE_WORK = new Set([
  'FSREQCALLBACK',
  'FSREQPROMISE',
  'FILEHANDLECLOSEREQ',
  'GETADDRINFOREQWRAP',
  'SIGNREQUEST',
  'VERIFYREQUEST',
  'RANDOMBYTESREQUEST',
  'HASHREQUEST',
  'HMACREQUEST',
  'KEYEXPORTREQUEST',
  'KEYPAIRGENREQUEST',
  'PBKDF2REQUEST',
  'SCRYPTREQUEST',
  'HKDFREQUEST',
  'CIPHERREQUEST',
  'DERIVEBITSREQUEST',
]);
const isNativeWork = (type: string) => NATIVE_WORK.has(type);
/**
 * Real timers this short are part of the work (a file writer's quiet period, a lock's retry); longer
 * ones are idle timeouts and keep-alives, which the clock must not wait for.
 */
const SHORT_REAL_TIMER_MS = 100;

/** Counts real asynchronous work in flight, so the virtual clock knows when the system is quiet. */
export class IoTracker {
  private readonly pending = new Set<Promise<unknown>>();
  private parked = 0;
  private parkedChanged: () => void = () => undefined;
  private readonly native = new Set<number>();
  private nativeHook: AsyncHook | undefined;

  get busy(): number {
    return this.pending.size - this.parked + this.native.size;
  }

  /**
   * Marks a wait on virtual time that holds up tracked work (a sandbox sleeping on the virtual clock
   * while the client's tracked request waits for its answer): without it, the clock would wait for
   * the request, and the request for the clock.
   */
  park<T>(wait: Promise<T>): Promise<T> {
    this.parked += 1;
    this.parkedChanged();
    const unpark = () => {
      this.parked -= 1;
    };
    return wait.finally(unpark);
  }

  /**
   * Also counts work no wrapper can reach: file system calls, signatures and short real timers made
   * deep inside code under test (the composition root's stores and AWS files, whose writer waits out
   * a quiet period in real time). Call stopWatchingNativeWork when done.
   */
  watchNativeWork(): void {
    if (this.nativeHook) return;
    this.nativeHook = createHook({
      init: (id, type, _trigger, resource) => {
        if (isNativeWork(type)) this.native.add(id);
        else if (type === 'Timeout' && ((resource as { _idleTimeout?: number })._idleTimeout ?? Infinity) <= SHORT_REAL_TIMER_MS) this.native.add(id);
      },
      after: (id) => void this.native.delete(id),
      destroy: (id) => void this.native.delete(id),
    }).enable();
  }

  stopWatchingNativeWork(): void {
    this.nativeHook?.disable();
    this.nativeHook = undefined;
    this.native.clear();
  }

  track<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
    return work;
  }

  async idle(): Promise<void> {
    while (this.busy > 0) {
      if (this.pending.size > this.parked) {
        // Wakes when tracked work settles or more of it parks on virtual time.
        const parkedMore = new Promise<void>((resolve) => {
          this.parkedChanged = resolve;
        });
        await Promise.race([...this.pending, parkedMore]);
      } else {
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }
}

interface Timer {
  readonly due: number;
  readonly seq: number;
  readonly callback: () => void;
}

export interface VirtualClockOptions {
  /** Wall time at the start (default 2026-03-02T09:00:00Z, inside the fixture certificates' validity). */
  readonly start?: number;
  readonly io?: IoTracker;
  /**
   * sleep() lets its time pass at once, firing what falls due meanwhile: for code that only waits
   * (backoffs) and races no timer, tested without a loop that advances the clock.
   */
  readonly instantSleeps?: boolean;
}

export class VirtualClock implements Clock {
  readonly io: IoTracker;
  private wall: number;
  private mono = 0;
  private seq = 0;
  private readonly timers = new Set<Timer>();
  private readonly instantSleeps: boolean;
  /** Every sleep() asked for, in order: backoffs and rate-limit waits a test can check. */
  readonly sleeps: number[] = [];

  constructor(options: VirtualClockOptions = {}) {
    this.wall = options.start ?? Date.UTC(2026, 2, 2, 9, 0, 0);
    this.io = options.io ?? new IoTracker();
    this.instantSleeps = options.instantSleeps ?? false;
  }

  now(): number {
    return this.wall;
  }

  monotonic(): number {
    return this.mono;
  }

  setTimer(delayMs: number, callback: () => void): TimerHandle {
    const timer: Timer = { due: this.mono + Math.max(0, delayMs), seq: this.seq++, callback };
    this.timers.add(timer);
    return { cancel: () => this.timers.delete(timer) };
  }

  sleep(delayMs: number): Promise<void> {
    this.sleeps.push(delayMs);
    if (!this.instantSleeps) return new Promise((resolve) => this.setTimer(delayMs, resolve));
    this.fireDueBy(this.mono + Math.max(0, delayMs));
    return Promise.resolve();
  }

  /** Timers not yet fired or cancelled. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Moves only the wall clock, as a suspend (the monotonic clock stops while asleep) or a clock change does. No timer fires. */
  jumpWall(ms: number): void {
    this.wall += ms;
  }

  /** Lets time pass: fires every timer due within `ms`, in order, settling after each. */
  async advance(ms: number): Promise<void> {
    const target = this.mono + ms;
    await this.settle();
    for (let next = this.nextDue(target); next !== undefined; next = this.nextDue(target)) {
      this.moveTo(next.due);
      this.timers.delete(next);
      next.callback();
      await this.settle();
    }
    this.moveTo(target);
    await this.settle();
  }

  /** Advances in steps of `stepMs` until `done()` holds; fails after `maxMs`. */
  async advanceUntil(done: () => boolean, { stepMs = 1000, maxMs = 3_600_000 } = {}): Promise<void> {
    for (let waited = 0; !done(); waited += stepMs) {
      if (waited >= maxMs) throw new Error(`condition not met within ${maxMs} ms of virtual time`);
      await this.advance(stepMs);
    }
  }

  /** Waits until no tracked I/O is in flight and the promise chains after it have run. */
  async settle(): Promise<void> {
    for (let quietTurns = 0; quietTurns < 3; ) {
      if (this.io.busy > 0) {
        await this.io.idle();
        quietTurns = 0;
        continue;
      }
      await new Promise((resolve) => setImmediate(resolve));
      quietTurns = this.io.busy === 0 ? quietTurns + 1 : 0;
    }
  }

  private fireDueBy(target: number): void {
    for (let next = this.nextDue(target); next !== undefined; next = this.nextDue(target)) {
      this.moveTo(next.due);
      this.timers.delete(next);
      next.callback();
    }
    this.moveTo(target);
  }

  private nextDue(limit: number): Timer | undefined {
    let next: Timer | undefined;
    for (const timer of this.timers) {
      if (timer.due > limit) continue;
      if (next === undefined || timer.due < next.due || (timer.due === next.due && timer.seq < next.seq)) next = timer;
    }
    return next;
  }

  private moveTo(mono: number): void {
    if (mono <= this.mono) return;
    this.wall += mono - this.mono;
    this.mono = mono;
  }
}
