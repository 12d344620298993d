import type { Clock } from '../../../src/core/platform/clock';

/**
 * Starts at a fixed instant; every reading is `tickMs` later than the last (as if each attempt
 * took that long) and sleep() returns at once, advancing time and recording the delay.
 */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  private current: number;

  constructor(start = Date.UTC(2024, 0, 2, 3, 4, 5), private readonly tickMs = 1000) {
    this.current = start - tickMs;
  }

  now(): number {
    this.current += this.tickMs;
    return this.current;
  }

  monotonic(): number {
    return this.current;
  }

  setTimer(): { cancel(): void } {
    throw new Error('createSession does not use timers');
  }

  sleep(delayMs: number): Promise<void> {
    this.sleeps.push(delayMs);
    this.current += delayMs;
    return Promise.resolve();
  }
}
