// One clock for every countdown on screen: a single timer, aligned to the second so all rows change
// together, running only while someone listens and the window is visible (a hidden window costs nothing).

export interface TickerEnvironment {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  isVisible(): boolean;
  /** Returns a function that stops listening. */
  onVisibilityChange(listener: () => void): () => void;
}

export interface Ticker {
  subscribe(listener: () => void): () => void;
  /** The time of the last tick: stable between ticks, as useSyncExternalStore needs. */
  now(): number;
}

export function createTicker(env: TickerEnvironment, periodMs = 1000): Ticker {
  const listeners = new Set<() => void>();
  let current = env.now();
  let timer: unknown;
  let stopWatchingVisibility: (() => void) | undefined;

  const notify = () => {
    current = env.now();
    for (const listener of listeners) listener();
  };
  const schedule = () => {
    timer = env.setTimeout(tick, periodMs - (env.now() % periodMs));
  };
  function tick() {
    timer = undefined;
    notify();
    schedule();
  }
  const stop = () => {
    if (timer !== undefined) env.clearTimeout(timer);
    timer = undefined;
  };
  const onVisibility = () => {
    if (!env.isVisible()) return stop();
    // Back on screen: show the true time at once rather than at the next tick.
    if (timer === undefined) tick();
  };

  return {
    now: () => current,
    subscribe(listener) {
      listeners.add(listener);
      if (listeners.size === 1) {
        stopWatchingVisibility = env.onVisibilityChange(onVisibility);
        current = env.now();
        if (env.isVisible()) schedule();
      }
      return () => {
        if (!listeners.delete(listener) || listeners.size > 0) return;
        stop();
        stopWatchingVisibility?.();
        stopWatchingVisibility = undefined;
      };
    },
  };
}
