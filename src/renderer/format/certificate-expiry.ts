// One wording for a certificate's expiry wherever the window shows it: the row's chip, the validity line
// of the certificate facts and the editor's warning all read "expires in 20 days" for the same
// certificate on the same day, computed from its notBefore/notAfter.
import type { CertificateState } from '../../shared/model';
import { formatDaysLeft } from './time';

const DAY_MS = 86_400_000;
const date = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export interface Validity {
  readonly notBefore: string;
  readonly notAfter: string;
}

/** "expires in 20 days", "expires today", "expired 3 days ago", "expired today", "not valid until Jan 1, 2030". */
export function expiryPhrase({ notBefore, notAfter }: Validity, nowMs: number): string {
  const start = Date.parse(notBefore);
  const end = Date.parse(notAfter);
  if (nowMs < start) return `not valid until ${date.format(start)}`;
  if (nowMs > end) {
    const daysAgo = Math.floor((nowMs - end) / DAY_MS);
    return daysAgo === 0 ? 'expired today' : `expired ${formatDaysLeft(daysAgo)} ago`;
  }
  const daysLeft = Math.floor((end - nowMs) / DAY_MS);
  return daysLeft === 0 ? 'expires today' : `expires in ${formatDaysLeft(daysLeft)}`;
}

/** The validity line of the certificate facts: "Jan 10, 2025 – Jan 10, 2027 (expires in 39 days)". */
export function validityLine(validity: Validity, nowMs: number): string {
  return `${date.format(Date.parse(validity.notBefore))} – ${date.format(Date.parse(validity.notAfter))} (${expiryPhrase(validity, nowMs)})`;
}

/** The warning about a certificate the agent judged not fine ("Certificate expires in 3 days"); undefined while it is. */
export function certificateWarning(state: CertificateState, validity: Validity, nowMs: number): string | undefined {
  return state === 'ok' ? undefined : `Certificate ${expiryPhrase(validity, nowMs)}`;
}
