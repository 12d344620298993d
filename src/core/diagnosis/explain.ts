// Why CreateSession refuses a profile, decided locally from what can be known: the certificate and
// its chain, the service's clock, the trust anchor, the Roles Anywhere profile and the IAM role. The
// checks run in the service's order (the sandbox's createSession and verifier follow it), so the first
// that fails is the cause the service gives; what could not be fetched is named with the permission
// that would let Rolecall look.

import { ERRORS, type ErrorCode, type ErrorInfo } from '../../shared/errors';
import type { ExplainCheck, Explanation, ProblemView } from '../../shared/model';
import { mappedPrincipalTags, principalTags, type AttributeMapping, type Certificate } from '../pki';
import { pathToAnchor } from '../pki/chain';
import { isWeakSignature } from '../pki/signature-algorithm';
import { MAX_CHAIN_CERTIFICATES } from '../pki/validate';
import { evaluateTrustPolicy, policyContext, ROLES_ANYWHERE_SERVICE, type PolicyVerdict } from './trust-policy-check';

/** The service refuses a request dated more than this from its own clock. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** A fact from AWS: found, known not to exist, or unknown (and which permission would tell). */
export type Lookup<T> =
  | { readonly kind: 'found'; readonly value: T; readonly source: string }
  | { readonly kind: 'missing'; readonly source: string }
  | { readonly kind: 'unknown'; readonly why: string; readonly permission?: string };

export interface TrustAnchorFacts {
  /** Undefined when the certificates came from a CA file, which says nothing of the anchor's state. */
  readonly enabled?: boolean;
  readonly certificates: readonly Certificate[];
}

export interface ProfileFacts {
  readonly enabled: boolean;
  readonly roleArns: readonly string[];
  readonly durationSeconds?: number;
  readonly acceptRoleSessionName?: boolean;
  readonly attributeMappings?: readonly AttributeMapping[];
}

export interface RoleFacts {
  readonly maxSessionDurationSeconds?: number;
  /** The trust policy JSON, decoded. */
  readonly trustPolicy?: string;
}

export interface RevocationFacts {
  /** Serial numbers in decimal listed by the trust anchor's enabled CRLs, each with its CRL's name. */
  readonly revoked: ReadonlyMap<string, string>;
}

export interface ExplainFacts {
  readonly name: string;
  readonly trustAnchorArn: string;
  readonly profileArn: string;
  readonly roleArn: string;
  /** The region the request is signed for (the profile's, or its trust anchor's). */
  readonly signingRegion: string;
  readonly durationSeconds: number;
  readonly roleSessionName?: string;
  readonly leaf: Certificate;
  readonly chain: readonly Certificate[];
  /** Why the private key cannot sign, when it cannot. */
  readonly keyProblem?: ErrorInfo;
  /** This computer's clock. */
  readonly now: number;
  /** The service's clock (its Date header), when it answered. */
  readonly serviceNow?: number;
  readonly anchor: Lookup<TrustAnchorFacts>;
  readonly revocation: Lookup<RevocationFacts>;
  readonly profile: Lookup<ProfileFacts>;
  readonly role: Lookup<RoleFacts>;
  /** A trust policy the user gave (`--policy FILE`), used instead of the role's. */
  readonly policy?: { readonly document: string; readonly source: string };
  readonly lastError?: ProblemView;
}

const fail = (check: string, cause: ErrorCode, summary: string, extra: Partial<ExplainCheck> = {}): ExplainCheck => ({ check, outcome: 'fail', cause, summary, fix: ERRORS[cause].next, ...extra });
const pass = (check: string, summary: string): ExplainCheck => ({ check, outcome: 'pass', summary });
const note = (check: string, summary: string): ExplainCheck => ({ check, outcome: 'note', summary });
const unknown = (check: string, summary: string, permission?: string, fix?: string): ExplainCheck => ({ check, outcome: 'unknown', summary, ...(permission && { permission }), ...(fix && { fix }) });

export function explain(facts: ExplainFacts): Explanation {
  const at = facts.serviceNow ?? facts.now;
  const profileFacts = facts.profile.kind === 'found' ? facts.profile.value : undefined;
  const roleFacts = facts.role.kind === 'found' ? facts.role.value : undefined;
  const tags = profileFacts?.attributeMappings ? mappedPrincipalTags(facts.leaf, profileFacts.attributeMappings) : principalTags(facts.leaf);
  const tagSource = profileFacts?.attributeMappings ? 'under the profile\'s attribute mappings' : 'under the default attribute mappings (the profile\'s own could not be read)';
  // In the service's order: the signing layer, the trust anchor, the certificate, then the profile and role.
  const checks: ExplainCheck[] = [
    ...signingChecks(facts),
    anchorCheck(facts),
    ...certificateChecks(facts, at),
    ...profileChecks(facts, profileFacts),
    durationNote(facts, profileFacts, roleFacts),
    ...sessionNameChecks(facts, profileFacts),
    note('principal-tags', `the session carries ${Object.entries(tags).map(([key, value]) => `aws:PrincipalTag/${key}=${value}`).join(', ') || 'no principal tags'} ${tagSource}`),
    trustPolicyCheck(facts, tags, roleFacts, at),
  ];
  const cause = checks.find((check) => check.outcome === 'fail');
  const verdict = cause ? 'cause' : checks.some((check) => check.outcome === 'unknown') ? 'unknown' : 'clear';
  return {
    profile: facts.name,
    verdict,
    ...(cause && { cause }),
    checks,
    ...(facts.serviceNow !== undefined && { serviceTime: new Date(facts.serviceNow).toISOString() }),
    ...(facts.lastError && { lastError: facts.lastError }),
  };
}

/** The signing layer: the key, the credential scope's region, the request's date. */
function signingChecks(facts: ExplainFacts): ExplainCheck[] {
  const checks: ExplainCheck[] = [];
  if (facts.keyProblem) checks.push(fail('key', facts.keyProblem.code, `the private key cannot sign: ${facts.keyProblem.message}${facts.keyProblem.detail ? ` (${facts.keyProblem.detail})` : ''}`, { fix: facts.keyProblem.next }));
  else checks.push(pass('key', 'the private key is readable and belongs to the certificate'));

  const anchorRegion = facts.trustAnchorArn.split(':')[3] ?? '';
  if (facts.signingRegion !== anchorRegion) {
    checks.push(fail('region', 'SIGNING_REGION_MISMATCH', `the request is signed for ${facts.signingRegion}, but the trust anchor ${facts.trustAnchorArn} is in ${anchorRegion}`, {
      fix: `Sign for the trust anchor's region: rolecall profiles edit ${facts.name} --no-region (it then signs for ${anchorRegion}).`,
      wanted: [anchorRegion],
      carried: facts.signingRegion,
    }));
  } else checks.push(pass('region', `signed for ${facts.signingRegion}, the trust anchor's region`));

  if (facts.serviceNow === undefined) checks.push(unknown('clock', 'the service\'s clock is unknown: it did not answer'));
  else {
    const skew = facts.serviceNow - facts.now;
    const words = `this computer's clock is ${formatSkew(skew)} the service's`;
    checks.push(Math.abs(skew) > MAX_CLOCK_SKEW_MS ? fail('clock', 'CLOCK_SKEW', words) : pass('clock', `${words}, within the 5 minutes it allows`));
  }
  return checks;
}

/** The trust anchor named in the request. */
function anchorCheck(facts: ExplainFacts): ExplainCheck {
  const anchor = facts.anchor;
  if (anchor.kind === 'missing') return fail('trust-anchor', 'TRUST_ANCHOR_MISSING', `${anchor.source}: no trust anchor ${facts.trustAnchorArn}`);
  if (anchor.kind === 'found' && anchor.value.enabled === false) return fail('trust-anchor', 'TRUST_ANCHOR_DISABLED', `trust anchor ${facts.trustAnchorArn} is disabled`);
  if (anchor.kind === 'found' && anchor.value.enabled === true) return pass('trust-anchor', `trust anchor ${facts.trustAnchorArn} exists and is enabled`);
  return unknown('trust-anchor', `whether trust anchor ${facts.trustAnchorArn} exists and is enabled is unknown${anchor.kind === 'unknown' ? `: ${anchor.why}` : ''}`, 'rolesanywhere:GetTrustAnchor');
}

/** The certificate, its chain to the trust anchor, their validity at the service's time, and revocation. */
function certificateChecks(facts: ExplainFacts, at: number): ExplainCheck[] {
  const checks: ExplainCheck[] = [];
  const anchor = facts.anchor;
  const chain = facts.chain.filter((certificate) => !certificate.equals(facts.leaf));
  if (chain.length > MAX_CHAIN_CERTIFICATES) checks.push(fail('chain-length', 'CHAIN_TOO_LONG', `${chain.length} intermediates are sent; at most ${MAX_CHAIN_CERTIFICATES} are accepted`));
  checks.push(leafRules(facts.leaf));

  let path: readonly Certificate[] = [facts.leaf, ...chain];
  if (anchor.kind === 'found') {
    const found = pathToAnchor(facts.leaf, chain, anchor.value.certificates);
    if (found.ok) {
      path = found.path;
      checks.push(pass('chain', `the certificate chains to the trust anchor: ${found.path.map((certificate) => certificate.subject).join(' ← ')} (from ${anchor.source})`));
    } else {
      const { link, subject, reason } = found.broken;
      checks.push(fail('chain', 'UNTRUSTED_CERTIFICATE', `link ${link} of the chain is broken: ${subject}: ${reason} (trust anchor from ${anchor.source})`));
    }
  } else if (anchor.kind === 'unknown') {
    checks.push(unknown('chain', 'whether the certificate chains to the trust anchor is unknown: its CA certificates could not be read', 'rolesanywhere:GetTrustAnchor', `Or give the trust anchor's CA file: rolecall explain ${facts.name} --ca FILE.`));
  }
  checks.push(...validityChecks(facts, path, at));

  const revocation = facts.revocation;
  if (revocation.kind === 'found') {
    const crl = revocation.value.revoked.get(facts.leaf.serialDecimal);
    checks.push(crl === undefined ? pass('revocation', 'no CRL of the trust anchor lists the certificate') : fail('revocation', 'CERT_REVOKED', `serial ${facts.leaf.serialHex} is listed in CRL ${crl}`));
  } else checks.push(unknown('revocation', `whether a CRL of the trust anchor revokes the certificate is unknown${revocation.kind === 'unknown' ? `: ${revocation.why}` : ''}`, 'rolesanywhere:ListCrls'));
  return checks;
}

function validityChecks(facts: ExplainFacts, path: readonly Certificate[], at: number): ExplainCheck[] {
  const serviceClock = facts.serviceNow === undefined ? 'this computer\'s clock (the service did not answer with its own)' : 'the service\'s clock';
  const checks: ExplainCheck[] = [];
  for (const [index, certificate] of path.entries()) {
    const which = index === 0 ? 'the certificate' : `${certificate.subject} in the chain`;
    const local = facts.serviceNow !== undefined && Math.abs(facts.serviceNow - facts.now) > 1000 ? ` (on this computer's clock, ${new Date(facts.now).toISOString()}, it ${validAt(certificate, facts.now) ? 'is valid' : 'is not valid either'})` : '';
    if (at < certificate.notBefore.getTime()) {
      checks.push(fail('validity', 'CERT_NOT_YET_VALID', `${which} is not valid until ${certificate.notBefore.toISOString()}, and it is ${new Date(at).toISOString()} by ${serviceClock}${local}`));
    } else if (at > certificate.notAfter.getTime()) {
      checks.push(fail('validity', 'CERT_EXPIRED', `${which} expired ${certificate.notAfter.toISOString()}, and it is ${new Date(at).toISOString()} by ${serviceClock}${local}`));
    }
  }
  return checks.length > 0 ? checks : [pass('validity', `every certificate on the path is valid at ${new Date(at).toISOString()} by ${serviceClock}`)];
}

/** The Roles Anywhere profile, the role, and whether the profile lists the role. */
function profileChecks(facts: ExplainFacts, profileFacts: ProfileFacts | undefined): ExplainCheck[] {
  const checks: ExplainCheck[] = [];
  const { profile, role } = facts;
  if (profile.kind === 'missing') checks.push(fail('profile', 'RA_PROFILE_MISSING', `${profile.source}: no profile ${facts.profileArn}`));
  else if (profileFacts && !profileFacts.enabled) checks.push(fail('profile', 'RA_PROFILE_DISABLED', `profile ${facts.profileArn} is disabled`));
  else if (profileFacts) checks.push(pass('profile', `profile ${facts.profileArn} exists and is enabled`));
  else checks.push(unknown('profile', `whether profile ${facts.profileArn} exists, is enabled and lists the role is unknown${profile.kind === 'unknown' ? `: ${profile.why}` : ''}`, 'rolesanywhere:GetProfile'));

  if (role.kind === 'missing') checks.push(fail('role', 'ROLE_MISSING', `${role.source}: no role ${facts.roleArn}`));
  else if (role.kind === 'unknown') checks.push(unknown('role', `the role ${facts.roleArn} could not be read: ${role.why}`, 'iam:GetRole'));

  if (profileFacts) {
    if (!profileFacts.roleArns.includes(facts.roleArn)) {
      checks.push(fail('role-in-profile', 'ROLE_NOT_IN_PROFILE', `profile ${facts.profileArn} lists ${profileFacts.roleArns.join(', ') || 'no role'}, not ${facts.roleArn}`, { wanted: [...profileFacts.roleArns], carried: facts.roleArn }));
    } else checks.push(pass('role-in-profile', `profile ${facts.profileArn} lists ${facts.roleArn}`));
  }
  return checks;
}

function sessionNameChecks(facts: ExplainFacts, profileFacts: ProfileFacts | undefined): ExplainCheck[] {
  if (facts.roleSessionName === undefined) return [];
  if (profileFacts?.acceptRoleSessionName === false) {
    return [fail('session-name', 'SESSION_NAME_NOT_ACCEPTED', `the session name "${facts.roleSessionName}" is sent, and profile ${facts.profileArn} does not accept one`, {
      fix: `Stop sending one (rolecall profiles edit ${facts.name} --no-role-session-name), or have acceptRoleSessionName turned on in the Roles Anywhere profile.`,
    })];
  }
  if (profileFacts?.acceptRoleSessionName === true) return [pass('session-name', `profile ${facts.profileArn} accepts the session name "${facts.roleSessionName}"`)];
  return [unknown('session-name', `whether profile ${facts.profileArn} accepts a session name is unknown`, 'rolesanywhere:GetProfile')];
}

/** The service's rules on the leaf alone, in its order. */
function leafRules(leaf: Certificate): ExplainCheck {
  if (leaf.version !== 3) return fail('leaf', 'CERT_NOT_V3', `the certificate is X.509 version ${leaf.version}`);
  if (leaf.isCa) return fail('leaf', 'CERT_IS_CA', `the certificate ${leaf.subject} is a CA certificate (basicConstraints cA)`);
  if (!leaf.keyUsage?.has('digitalSignature')) {
    return fail('leaf', 'CERT_KEY_USAGE', leaf.keyUsage ? `the certificate's keyUsage is ${[...leaf.keyUsage].join(', ') || 'empty'}, without digitalSignature` : 'the certificate has no keyUsage extension, so it does not allow digitalSignature');
  }
  if (isWeakSignature(leaf.signatureAlgorithm)) return fail('leaf', 'CERT_WEAK_SIGNATURE', `the certificate is signed with ${leaf.signatureAlgorithm.name}`);
  return pass('leaf', 'the certificate is an X.509 v3 end-entity certificate with digitalSignature, signed with SHA-256 or stronger');
}

function durationNote(facts: ExplainFacts, profile: ProfileFacts | undefined, role: RoleFacts | undefined): ExplainCheck {
  const caps = [
    ...(profile?.durationSeconds !== undefined ? [{ by: `profile ${facts.profileArn}`, seconds: profile.durationSeconds }] : []),
    ...(role?.maxSessionDurationSeconds !== undefined ? [{ by: `role ${facts.roleArn} (MaxSessionDuration)`, seconds: role.maxSessionDurationSeconds }] : []),
  ];
  const binding = caps.filter((cap) => cap.seconds < facts.durationSeconds).sort((a, b) => a.seconds - b.seconds)[0];
  const asked = `sessions of ${facts.durationSeconds} s are asked for`;
  if (binding) return note('duration', `${asked}; they last ${binding.seconds} s, the cap of ${binding.by} (the service shortens, it does not refuse)`);
  if (caps.length < 2) return note('duration', `${asked}; ${caps.length === 0 ? 'the profile\'s and role\'s caps are' : 'one cap is'} unknown, and a lower cap would shorten sessions, not refuse them`);
  return pass('duration', `${asked}, within the profile's and the role's caps`);
}

/** What the trust policy answers Roles Anywhere's sts:AssumeRole, sts:TagSession and sts:SetSourceIdentity. */
function trustPolicyCheck(facts: ExplainFacts, tags: Readonly<Record<string, string>>, role: RoleFacts | undefined, at: number): ExplainCheck {
  const document = facts.policy?.document ?? role?.trustPolicy;
  const source = facts.policy ? facts.policy.source : `the trust policy of ${facts.roleArn}`;
  if (document === undefined) {
    return unknown('trust-policy', `the trust policy of ${facts.roleArn} is unknown, so whether its conditions hold is unknown`, 'iam:GetRole', `Or give the trust policy as a file: rolecall explain ${facts.name} --policy FILE.`);
  }
  const sourceIdentity = sourceIdentityOf(facts.leaf);
  const context = policyContext([
    ...Object.entries(tags).map(([key, value]) => [`aws:PrincipalTag/${key}`, value] as const),
    ['aws:SourceArn', facts.trustAnchorArn],
    ['aws:SourceAccount', facts.trustAnchorArn.split(':')[4] ?? ''],
    ['sts:SourceIdentity', sourceIdentity],
    ['aws:CurrentTime', new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z')],
    ['aws:EpochTime', String(Math.floor(at / 1000))],
  ]);
  return verdictCheck(evaluateTrustPolicy(document, ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'], context), source);
}

function verdictCheck(verdict: PolicyVerdict, source: string): ExplainCheck {
  switch (verdict.decision) {
    case 'allow':
      return pass('trust-policy', `${source} lets ${ROLES_ANYWHERE_SERVICE} assume the role with this certificate`);
    case 'unreadable':
      return fail('trust-policy', 'TRUST_POLICY_DENIED', `${source} cannot be read: ${verdict.reason}`);
    case 'unsupported':
      return unknown('trust-policy', `${source} uses the condition operator ${verdict.operator} (statement ${verdict.statement}), which Rolecall does not evaluate`);
    case 'explicit-deny': {
      const denied = `statement ${verdict.statement} of ${source} denies ${verdict.action}`;
      const [first] = verdict.matched;
      if (!first) return fail('trust-policy', 'TRUST_POLICY_DENIED', denied);
      // The Deny's conditions all held: name them with what the session carries, so the user sees what matched.
      const held = verdict.matched.map((match) => `${match.operator} ${match.key} ${match.wanted.map((value) => `"${value}"`).join(' or ')} holds (${match.carried === undefined ? 'the session carries no such key' : `the certificate gives "${match.carried}"`})`);
      return fail('trust-policy', 'TRUST_POLICY_DENIED', `${denied}: its condition ${held.join(', and ')}`, { wanted: first.wanted, carried: first.carried ?? null });
    }
    case 'implicit-deny': {
      const failure = verdict.failure;
      if (!failure) return fail('trust-policy', 'TRUST_POLICY_DENIED', `${source} does not allow ${verdict.action}: ${verdict.reason}`);
      const carried = failure.carried === undefined ? 'the session carries no such key' : `the certificate gives "${failure.carried}"`;
      return fail('trust-policy', 'TRUST_POLICY_DENIED', `${source}, statement ${failure.statement}: ${failure.operator} ${failure.key} wants ${failure.wanted.map((value) => `"${value}"`).join(' or ')}; ${carried}`, {
        wanted: failure.wanted,
        carried: failure.carried ?? null,
      });
    }
  }
}

/** "CN=name" up to 61 characters, the bare name up to 64, else "ID=" and the serial (user guide, "Source identity rules"). */
function sourceIdentityOf(leaf: Certificate): string {
  const commonName = leaf.subjectAttributes.find((attribute) => attribute.type === 'CN')?.value;
  if (commonName !== undefined && commonName.length <= 61) return `CN=${commonName}`;
  if (commonName !== undefined && commonName.length <= 64) return commonName;
  const hex = leaf.serialHex.toLowerCase();
  return `ID=${hex.length % 2 === 0 ? hex : `0${hex}`}`;
}

function validAt(certificate: Certificate, at: number): boolean {
  return at >= certificate.notBefore.getTime() && at <= certificate.notAfter.getTime();
}

function formatSkew(skewMs: number): string {
  const seconds = Math.round(Math.abs(skewMs) / 1000);
  if (seconds === 0) return 'the same as';
  const text = seconds >= 120 ? `${Math.round(seconds / 60)} minutes` : `${seconds} s`;
  return skewMs > 0 ? `${text} behind` : `${text} ahead of`;
}
