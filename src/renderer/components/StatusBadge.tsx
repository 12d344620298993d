import type { ProfileView } from '../../shared/model';
import { nextStep } from '../format/errors';
import { STATUS_LABEL } from '../format/status';

/** Coloured dot and word; a failure's message in the tooltip. */
export function StatusBadge({ profile }: { profile: Pick<ProfileView, 'status' | 'lastError'> }) {
  const title = profile.lastError ? `${profile.lastError.message} ${nextStep(profile.lastError)}` : undefined;
  return (
    <span className={`status status-${profile.status}`} title={title}>
      <span className="status-dot" aria-hidden="true" />
      {STATUS_LABEL[profile.status]}
    </span>
  );
}
