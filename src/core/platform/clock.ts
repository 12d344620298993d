// The clock comes in through constructors so tests can run hours of refresh cycles in seconds.

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Wall time in ms since the epoch (certificate validity, X-Amz-Date, expirations). */
  now(): number;
  /** Monotonic ms; only differences are meaningful (timeouts, rate limits, jump detection). */
  monotonic(): number;
  setTimer(delayMs: number, callback: () => void): TimerHandle;
  sleep(delayMs: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimer(delayMs, callback) {
    const handle = setTimeout(callback, Math.max(0, delayMs));
    // A pending refresh must not keep a one-shot CLI process alive.
    handle.unref?.();
    return { cancel: () => clearTimeout(handle) };
  },
  sleep: (delayMs) => new Promise((resolve) => setTimeout(resolve, Math.max(0, delayMs))),
};
