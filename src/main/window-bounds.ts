// The window reopens where the user left it, unless that place is gone (a detached monitor, a smaller
// screen): then the default position is better than a window nobody can reach.
import type { Bounds } from './window-options';

/** How much of the window must lie on one display for the saved place to count as reachable. */
const MIN_VISIBLE = { width: 160, height: 80 } as const;

export function boundsToRestore(saved: unknown, workAreas: readonly Bounds[]): Bounds | undefined {
  if (!isBounds(saved)) return undefined;
  const area = workAreas.find((candidate) => overlap(saved, candidate).width >= MIN_VISIBLE.width && overlap(saved, candidate).height >= MIN_VISIBLE.height);
  if (area === undefined) return undefined;
  return { ...saved, width: Math.min(saved.width, area.width), height: Math.min(saved.height, area.height) };
}

function overlap(a: Bounds, b: Bounds): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

function isBounds(value: unknown): value is Bounds {
  if (typeof value !== 'object' || value === null) return false;
  const { x, y, width, height } = value as Record<string, unknown>;
  return [x, y, width, height].every((n) => typeof n === 'number' && Number.isInteger(n)) && (width as number) > 0 && (height as number) > 0;
}
