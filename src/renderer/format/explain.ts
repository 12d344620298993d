// An explanation as the window says it: the cause in a sentence and the window's own next step (the
// checks' fixes name terminal commands, so the window words each cause from its error code instead).
import { ERRORS, isErrorCode } from '../../shared/errors';
import type { ExplainCheck, Explanation } from '../../shared/model';
import { asSentence, nextStep } from './errors';

export interface ExplainView {
  readonly headline: string;
  /** What to do, in the window's words; absent when nothing failed. */
  readonly next?: string;
  readonly wanted?: string;
  readonly carried?: string;
  readonly checks: readonly { readonly mark: string; readonly outcome: ExplainCheck['outcome']; readonly text: string }[];
}

const MARK: Record<ExplainCheck['outcome'], string> = { pass: 'Passed', fail: 'Failed', unknown: 'Unknown', note: 'Note' };

export function explainView(explanation: Explanation): ExplainView {
  const { cause } = explanation;
  const checks = explanation.checks.map((check) => ({
    mark: MARK[check.outcome],
    outcome: check.outcome,
    text: asSentence(check.permission && check.outcome === 'unknown' ? `${check.summary}; ${check.permission} would let Rolecall look` : check.summary),
  }));
  if (!cause) {
    const headline = explanation.verdict === 'clear' ? 'Every check passed: Roles Anywhere should accept this profile.' : 'No check failed, but some could not be made (see below).';
    return { headline, checks };
  }
  return {
    headline: asSentence(cause.summary),
    ...(isErrorCode(cause.cause) && { next: nextStep({ code: cause.cause, next: ERRORS[cause.cause].next }) }),
    ...(cause.wanted && { wanted: cause.wanted.map((value) => `"${value}"`).join(' or ') }),
    ...(cause.wanted && { carried: cause.carried === null || cause.carried === undefined ? 'nothing' : `"${cause.carried}"` }),
    checks,
  };
}
