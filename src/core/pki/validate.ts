// Judges a leaf certificate the way Roles Anywhere will, so a user hears about a problem before the
// service answers with a bare AccessDenied. Time is a parameter: callers pass their Clock's now().

import type { KeyObject } from 'node:crypto';
import { RolecallError, isRolecallError, type ErrorInfo } from '../../shared/errors';
import type { Certificate } from './certificate';
import { supportedKind } from './key-type';
import { isWeakSignature } from './signature-algorithm';

/**
 * The most certificates X-Amz-X509-Chain may carry. They are the intermediates only: the leaf goes in
 * X-Amz-X509 and is not counted, so a request carries the leaf plus at most 5 more (what the
 * reference client sends).
 */
export const MAX_CHAIN_CERTIFICATES = 5;

/** How early to warn that a certificate is about to expire. */
export const EXPIRY_WARNING_DAYS = 14;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface LeafCheck {
  readonly leaf: Certificate;
  /** The intermediates that will be sent, leaf excluded. */
  readonly chain?: readonly Certificate[];
  /** When given, it must be the private half of the leaf's key. */
  readonly privateKey?: KeyObject;
  /** Wall time in ms since the epoch. */
  readonly at: number;
}

/** Every problem the service would refuse, in a stable order; [] when the leaf is usable. */
export function leafProblems(check: LeafCheck): ErrorInfo[] {
  return collectProblems(check).map((problem) => problem.toInfo());
}

/** Throws the first problem leafProblems would list. */
export function assertUsableLeaf(check: LeafCheck): void {
  const [first] = collectProblems(check);
  if (first) throw first;
}

/** True when the certificate is still valid at `at` but stops being so within `days`. */
export function expiresWithin(certificate: Certificate, at: number, days: number = EXPIRY_WARNING_DAYS): boolean {
  const remaining = certificate.notAfter.getTime() - at;
  return remaining >= 0 && remaining <= days * DAY_MS;
}

/** Whole days left until notAfter (negative once expired). */
export function daysUntilExpiry(certificate: Certificate, at: number): number {
  return Math.floor((certificate.notAfter.getTime() - at) / DAY_MS);
}

function collectProblems({ leaf, chain = [], privateKey, at }: LeafCheck): RolecallError[] {
  const problems: RolecallError[] = [];
  const keyProblem = unsupportedKey(leaf);
  if (keyProblem) problems.push(keyProblem);
  if (privateKey && !leaf.matchesPrivateKey(privateKey)) problems.push(new RolecallError('KEY_CERT_MISMATCH'));
  if (leaf.version !== 3) problems.push(new RolecallError('CERT_NOT_V3', `version ${leaf.version}`));
  if (leaf.isCa) problems.push(new RolecallError('CERT_IS_CA', 'basicConstraints has cA set'));
  if (leaf.keyUsage && !leaf.keyUsage.has('digitalSignature')) {
    problems.push(new RolecallError('CERT_KEY_USAGE', `keyUsage is ${[...leaf.keyUsage].join(', ') || 'empty'}`));
  }
  if (isWeakSignature(leaf.signatureAlgorithm)) problems.push(new RolecallError('CERT_WEAK_SIGNATURE', `signed with ${leaf.signatureAlgorithm.name}`));
  if (at < leaf.notBefore.getTime()) problems.push(new RolecallError('CERT_NOT_YET_VALID', `valid from ${leaf.notBefore.toISOString()}`));
  if (at > leaf.notAfter.getTime()) problems.push(new RolecallError('CERT_EXPIRED', `expired ${leaf.notAfter.toISOString()}`));
  if (chain.length > MAX_CHAIN_CERTIFICATES) {
    problems.push(new RolecallError('CHAIN_TOO_LONG', `${chain.length} intermediate certificates; at most ${MAX_CHAIN_CERTIFICATES} can be sent`));
  }
  return problems;
}

function unsupportedKey(leaf: Certificate): RolecallError | undefined {
  try {
    supportedKind(leaf.publicKey);
    return undefined;
  } catch (error) {
    if (!isRolecallError(error)) throw error;
    return new RolecallError('KEY_UNSUPPORTED', `the certificate holds a key Roles Anywhere refuses (${error.detail ?? leaf.keyAlgorithm})`);
  }
}
