// What the window shows where the list would be: while the agent's state loads, when it could not be
// loaded, and when the filter matches no profile.
import type { ProblemView } from '../../shared/model';
import type { Phase } from '../hooks/app-state-reducer';
import { Banner } from './Banner';

export function LoadStatus({ phase, problem, onRetry }: { readonly phase: Phase; readonly problem: ProblemView | undefined; readonly onRetry: () => void }) {
  if (phase === 'loading') {
    return (
      <p className="placeholder" role="status">
        Connecting to the Rolecall agent…
      </p>
    );
  }
  if (phase !== 'failed' || !problem) return null;
  return (
    <div className="placeholder">
      <Banner
        kind="error"
        problem={problem}
        actions={
          <button type="button" className="button small" onClick={onRetry}>
            Try again
          </button>
        }
      />
    </div>
  );
}

export function NoMatch({ filter, onClear }: { readonly filter: string; readonly onClear: () => void }) {
  return (
    <div className="placeholder">
      <p>No profile matches “{filter}”.</p>
      <button type="button" className="button" onClick={onClear}>
        Clear filter
      </button>
    </div>
  );
}
