import { describe, expect, it } from 'vitest';
import { createTicker, type TickerEnvironment } from '../../src/renderer/hooks/ticker';

/** A hand-driven clock and visibility, so the test sees every timer the ticker asks for. */
function fakeEnvironment(start = 1_000_000_250) {
  let now = start;
  let visible = true;
  const timers = new Map<number, { at: number; callback: () => void }>();
  const visibilityListeners = new Set<() => void>();
  let nextId = 1;
  const env: TickerEnvironment = {
    now: () => now,
    setTimeout: (callback, ms) => {
      const id = nextId++;
      timers.set(id, { at: now + ms, callback });
      return id;
    },
    clearTimeout: (handle) => void timers.delete(handle as number),
    isVisible: () => visible,
    onVisibilityChange: (listener) => {
      visibilityListeners.add(listener);
      return () => void visibilityListeners.delete(listener);
    },
  };
  return {
    env,
    timers,
    visibilityListeners,
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, timer]) => timer.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].callback();
      }
      now = end;
    },
    setVisible(value: boolean) {
      visible = value;
      for (const listener of visibilityListeners) listener();
    },
  };
}

describe('the shared ticker', () => {
  it('runs one timer for any number of listeners, ticking on the second', () => {
    const clock = fakeEnvironment();
    const ticker = createTicker(clock.env);
    const seen: number[] = [];
    ticker.subscribe(() => seen.push(ticker.now()));
    ticker.subscribe(() => undefined);
    ticker.subscribe(() => undefined);
    expect(clock.timers.size).toBe(1);
    clock.advance(3000);
    expect(seen).toEqual([1_000_001_000, 1_000_002_000, 1_000_003_000]);
    expect(clock.timers.size).toBe(1);
  });

  it('stops while the window is hidden and catches up at once when it is shown', () => {
    const clock = fakeEnvironment();
    const ticker = createTicker(clock.env);
    let ticks = 0;
    ticker.subscribe(() => ticks++);
    clock.setVisible(false);
    expect(clock.timers.size).toBe(0);
    clock.advance(60_000);
    expect(ticks).toBe(0);
    clock.setVisible(true);
    expect(ticks).toBe(1);
    expect(ticker.now()).toBe(1_000_060_250);
    expect(clock.timers.size).toBe(1);
  });

  it('does not start a timer for a hidden window', () => {
    const clock = fakeEnvironment();
    clock.setVisible(false);
    const ticker = createTicker(clock.env);
    ticker.subscribe(() => undefined);
    expect(clock.timers.size).toBe(0);
  });

  it('lets go of its timer and the visibility listener when the last listener leaves', () => {
    const clock = fakeEnvironment();
    const ticker = createTicker(clock.env);
    const first = ticker.subscribe(() => undefined);
    const second = ticker.subscribe(() => undefined);
    first();
    expect(clock.timers.size).toBe(1);
    second();
    expect(clock.timers.size).toBe(0);
    expect(clock.visibilityListeners.size).toBe(0);
  });
});
