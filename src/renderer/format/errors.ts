// Whatever a call threw, as the banner shows it. The bridge rejects with {code, message, next, detail};
// anything else, or a code Rolecall does not have, is a bug on our side and becomes INTERNAL without its
// raw text.
import { INTERNAL_ERROR, isErrorCode, nextStep as nextStepIn } from '../../shared/errors';
import type { ProblemView } from '../../shared/model';

/** The next step as the window words it (the shared table holds both wordings). */
export function nextStep(problem: Pick<ProblemView, 'code' | 'next'>): string {
  return nextStepIn(problem, 'window');
}

/**
 * A detail as a sentence of its own: "expired Jun 1, 2021" becomes "Expired Jun 1, 2021.". A first word
 * that is an identifier (keyUsage, basicConstraints) keeps its case.
 */
export function asSentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return trimmed;
  const capitalised = /^[a-z]+(?![A-Za-z0-9])/.test(trimmed) ? trimmed.charAt(0).toUpperCase() + trimmed.slice(1) : trimmed;
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

export function toProblem(error: unknown): ProblemView {
  if (typeof error !== 'object' || error === null) return INTERNAL_ERROR;
  const { code, message, next, detail } = error as Record<string, unknown>;
  if (!isErrorCode(code) || !isText(message)) return INTERNAL_ERROR;
  return {
    code,
    message,
    next: isText(next) ? next : INTERNAL_ERROR.next,
    ...(isText(detail) ? { detail } : {}),
  };
}
