import type { Clock } from '../../../src/core/platform/clock';

/** A clock that moves only when told to: wall and monotonic time advance together. */
export class ManualClock implements Clock {
  private offset = 0;

  constructor(private readonly start = Date.now()) {}

  advance(ms: number): void {
    this.offset += ms;
  }

  now(): number {
    return this.start + this.offset;
  }

  monotonic(): number {
    return this.offset;
  }

  setTimer(): { cancel(): void } {
    throw new Error('the terminal module sets no timers');
  }

  sleep(): Promise<void> {
    throw new Error('the terminal module does not sleep');
  }
}
