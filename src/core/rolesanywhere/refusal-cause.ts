// A 403 whose message names no cause (the service's bare AccessDenied, or "Untrusted signing
// certificate" for a certificate that is merely out of date) is checked against what is known locally
// before anyone is sent to the role's trust policy: the signing region against the trust anchor's, then
// the validity of the certificate and its chain. What is left is said with the command that looks further.
import { isRolecallError, RolecallError } from '../../shared/errors';
import type { Certificate } from '../pki';

export interface RefusalContext {
  readonly leaf: Certificate;
  readonly chain: readonly Certificate[];
  readonly trustAnchorArn: string;
  /** The region the request was signed for. */
  readonly signingRegion: string;
  /** This computer's clock. */
  readonly at: number;
  /** The Rolecall profile, when there is one: its name goes into the next step. */
  readonly profileName?: string;
}

const VAGUE = new Set(['ACCESS_DENIED', 'UNTRUSTED_CERTIFICATE']);

export function refineRefusal(error: unknown, context: RefusalContext): unknown {
  if (!isRolecallError(error) || !VAGUE.has(error.code)) return error;
  const answered = error.detail ? `Roles Anywhere answered: ${error.detail}` : 'Roles Anywhere refused it';
  const anchorRegion = context.trustAnchorArn.split(':')[3] ?? '';
  if (anchorRegion !== '' && context.signingRegion !== anchorRegion) {
    return new RolecallError('SIGNING_REGION_MISMATCH', `signed for ${context.signingRegion}, trust anchor in ${anchorRegion}; ${answered}`, { cause: error });
  }
  for (const [index, certificate] of [context.leaf, ...context.chain].entries()) {
    const which = index === 0 ? 'the certificate' : `intermediate ${certificate.subject}`;
    if (context.at > certificate.notAfter.getTime()) return new RolecallError('CERT_EXPIRED', `${which} expired ${certificate.notAfter.toISOString()}; ${answered}`, { cause: error });
    if (context.at < certificate.notBefore.getTime()) return new RolecallError('CERT_NOT_YET_VALID', `${which} is valid from ${certificate.notBefore.toISOString()}; ${answered}`, { cause: error });
  }
  if (error.code !== 'ACCESS_DENIED') return error;
  const next = context.profileName
    ? `The certificate's dates and the signing region check out here. Run \`rolecall explain ${context.profileName}\` to see which check the service fails (trust anchor, profile, role, or a trust policy condition and the value it wants).`
    : 'The certificate\'s dates and the signing region check out here, so the trust anchor or profile may be disabled, or a condition of the role\'s trust policy does not match this certificate: `rolecall inspect CERT` lists the principal tags it carries.';
  return new RolecallError('ACCESS_DENIED', error.detail, { cause: error, next });
}
