// The one way a CreateSession request is put together from what asks for it (a stored profile, the
// drop-in flags, the demo) and the identity that signs it, with the one User-Agent Rolecall sends.
import type { Certificate } from '../pki';
import type { Signer } from '../signing';
import type { CreateSessionRequest } from './session-request';

/** The session asked for: ARNs and the optional knobs, as a profile or the drop-in flags hold them. */
export interface SessionTarget {
  readonly trustAnchorArn: string;
  readonly profileArn: string;
  readonly roleArn: string;
  readonly durationSeconds?: number | undefined;
  readonly region?: string | undefined;
  readonly endpoint?: string | undefined;
  readonly roleSessionName?: string | undefined;
}

/** The certificate that signs, its intermediates and the key (a key file or a token). */
export interface SigningIdentity {
  readonly certificateDer: Buffer;
  readonly chainDer: readonly Buffer[];
  readonly serialDecimal: string;
  readonly signer: Signer;
}

export function signingIdentity(leaf: Certificate, chain: readonly Certificate[], signer: Signer): SigningIdentity {
  return { certificateDer: leaf.der, chainDer: chain.map((certificate) => certificate.der), serialDecimal: leaf.serialDecimal, signer };
}

/** Sent with every CreateSession, never signed: the version and the runtime, for the service's logs. */
export function rolecallUserAgent(version: string): string {
  return `rolecall/${version} node/${process.version}`;
}

export function sessionRequestFor(target: SessionTarget, identity: SigningIdentity, options: { readonly version: string; readonly timeoutMs?: number }): CreateSessionRequest {
  return {
    trustAnchorArn: target.trustAnchorArn,
    profileArn: target.profileArn,
    roleArn: target.roleArn,
    certificateDer: identity.certificateDer,
    chainDer: identity.chainDer,
    serialDecimal: identity.serialDecimal,
    signer: identity.signer,
    userAgent: rolecallUserAgent(options.version),
    ...(target.durationSeconds !== undefined && { durationSeconds: target.durationSeconds }),
    ...(target.region !== undefined && { region: target.region }),
    ...(target.endpoint !== undefined && { endpoint: target.endpoint }),
    ...(target.roleSessionName !== undefined && { roleSessionName: target.roleSessionName }),
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
  };
}
