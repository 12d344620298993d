import { useSyncExternalStore } from 'react';
import { createTicker } from './ticker';

const ticker = createTicker({
  now: () => Date.now(),
  setTimeout: (callback, ms) => window.setTimeout(callback, ms),
  clearTimeout: (handle) => window.clearTimeout(handle as number),
  isVisible: () => document.visibilityState === 'visible',
  onVisibilityChange(listener) {
    document.addEventListener('visibilitychange', listener);
    return () => document.removeEventListener('visibilitychange', listener);
  },
});

/** Wall-clock milliseconds, updated once a second while the window is visible. */
export function useNow(): number {
  return useSyncExternalStore(ticker.subscribe, ticker.now);
}
