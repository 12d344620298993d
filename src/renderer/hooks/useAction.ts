import { useCallback, useRef, useState } from 'react';
import type { RendererApi } from '../../shared/contract';
import type { ProblemView } from '../../shared/model';
import { attempt } from '../api';
import { useBanners } from './banners';

/**
 * A slow call behind a button: `busy` while it runs (for aria-busy), failures go to the banner stack
 * with `subject` (or to `onProblem`, for dialogs that show them in place), and `run` resolves to the
 * value or undefined. A second run while one is under way is ignored (double clicks), which lets busy
 * buttons stay focusable instead of being disabled.
 */
export function useAction(subject?: string, onProblem?: (problem: ProblemView) => void): {
  readonly busy: boolean;
  readonly run: <T>(call: (api: RendererApi) => Promise<T>) => Promise<T | undefined>;
} {
  const { showProblem } = useBanners();
  const [busy, setBusy] = useState(false);
  const running = useRef(false);
  const run = useCallback(
    async <T,>(call: (api: RendererApi) => Promise<T>) => {
      if (running.current) return undefined;
      running.current = true;
      setBusy(true);
      const outcome = await attempt(call);
      running.current = false;
      setBusy(false);
      if (outcome.ok) return outcome.value;
      if (onProblem) onProblem(outcome.problem);
      else showProblem(outcome.problem, subject);
      return undefined;
    },
    [showProblem, subject, onProblem],
  );
  return { busy, run };
}
