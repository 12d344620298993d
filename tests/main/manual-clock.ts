// A clock that moves only when the test says so, firing due timers in order.
import type { Clock, TimerHandle } from '../../src/core/platform/clock';

export class ManualClock implements Clock {
  private timers: { at: number; callback: () => void; cancelled: boolean }[] = [];

  constructor(private current: number) {}

  now(): number {
    return this.current;
  }

  monotonic(): number {
    return this.current;
  }

  setTimer(delayMs: number, callback: () => void): TimerHandle {
    const timer = { at: this.current + Math.max(0, delayMs), callback, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => (timer.cancelled = true) };
  }

  sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(delayMs, resolve));
  }

  advance(ms: number): void {
    const until = this.current + ms;
    for (;;) {
      const due = this.timers.filter((timer) => !timer.cancelled && timer.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.current = due.at;
      due.cancelled = true;
      due.callback();
    }
    this.current = until;
  }

  get pendingTimers(): number {
    return this.timers.filter((timer) => !timer.cancelled).length;
  }
}
