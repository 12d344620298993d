// Whatever a call threw, as the banner shows it. The bridge rejects with {code, message, next, detail};
// anything else is a bug on our side and becomes INTERNAL without its raw text.
import type { ProblemView } from '../../shared/model';

const INTERNAL: ProblemView = {
  code: 'INTERNAL',
  message: 'Something unexpected went wrong inside Rolecall.',
  next: 'Try again; if it persists, report it with the log file (it holds no secrets).',
};

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

export function toProblem(error: unknown): ProblemView {
  if (typeof error !== 'object' || error === null) return INTERNAL;
  const { code, message, next, detail } = error as Record<string, unknown>;
  if (!isText(code) || !isText(message)) return INTERNAL;
  return {
    code,
    message,
    next: isText(next) ? next : INTERNAL.next,
    ...(isText(detail) ? { detail } : {}),
  };
}
