import type { ReactNode } from 'react';
import type { ProblemView } from '../../shared/model';
import { nextStep } from '../format/errors';
import { withReadableDates } from '../format/time';
import { useBannerList } from '../hooks/banners';
import { CloseIcon, ErrorIcon, InfoIcon } from './Icons';

interface BannerProps {
  readonly kind: 'error' | 'notice';
  readonly subject?: string;
  readonly problem?: ProblemView;
  readonly text?: string;
  readonly onDismiss?: () => void;
  /** Extra buttons (Retry, Take over...). */
  readonly actions?: ReactNode;
}

/** One error with its next step, or a short notice. Errors are alerts; notices are polite statuses. */
export function Banner({ kind, subject, problem, text, onDismiss, actions }: BannerProps) {
  return (
    <div className={`banner banner-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      <span className="banner-icon">{kind === 'error' ? <ErrorIcon /> : <InfoIcon />}</span>
      <div className="banner-text">
        {problem ? (
          <>
            <p className="banner-message">
              {subject && <span className="banner-subject">{subject}: </span>}
              {problem.message}
              {problem.detail && <span className="banner-detail"> {withReadableDates(problem.detail, Date.now())}</span>}
            </p>
            <p className="banner-next">{nextStep(problem)}</p>
          </>
        ) : (
          <p className="banner-message">{text}</p>
        )}
      </div>
      {actions && <div className="banner-actions">{actions}</div>}
      {onDismiss && (
        <button type="button" className="icon-button banner-dismiss" aria-label="Dismiss" title="Dismiss" onClick={onDismiss}>
          <CloseIcon />
        </button>
      )}
    </div>
  );
}

export function BannerStack() {
  const { banners, dismiss } = useBannerList();
  if (banners.length === 0) return null;
  return (
    <div className="banner-stack">
      {banners.map((item) => (
        <Banner key={item.id} {...item} onDismiss={() => dismiss(item.id)} />
      ))}
    </div>
  );
}
