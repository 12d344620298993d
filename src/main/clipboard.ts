// env.copy puts session credentials on the clipboard. They are taken off again after 60 seconds (or
// when the app quits), but only if the clipboard still holds them: whatever the user copied since is theirs.
import type { Clock, TimerHandle } from '../core/platform/clock';

export const CLIPBOARD_CLEAR_MS = 60_000;

/** The part of Electron's clipboard the copier uses. */
export interface ClipboardLike {
  readText(): string;
  writeText(text: string): void;
}

export interface ClipboardCopier {
  /** Copies the text; returns when it will be cleared (ms since the epoch). */
  copy(text: string): { clearsAt: number };
  /** Clears what is still ours now (at quit). */
  clearNow(): void;
}

export function createClipboardCopier(clipboard: ClipboardLike, clock: Clock, clearAfterMs = CLIPBOARD_CLEAR_MS): ClipboardCopier {
  let pending: { text: string; timer: TimerHandle } | undefined;
  const clearIfOurs = () => {
    if (pending === undefined) return;
    pending.timer.cancel();
    if (clipboard.readText() === pending.text) clipboard.writeText('');
    pending = undefined;
  };
  return {
    copy(text) {
      pending?.timer.cancel();
      clipboard.writeText(text);
      pending = { text, timer: clock.setTimer(clearAfterMs, clearIfOurs) };
      return { clearsAt: clock.now() + clearAfterMs };
    },
    clearNow: clearIfOurs,
  };
}
