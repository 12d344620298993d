// The service's rules for the signing certificate and its path to a trust anchor
// (roles-anywhere.md, "Leaf certificate rules").
import { x509 } from './x509-library';
import type { ServiceCertificate } from './certificate';
import { accessDenied } from './service-error';

export const MAX_CHAIN_CERTIFICATES = 5;

const STRONG_HASHES = new Set(['SHA-256', 'SHA-384', 'SHA-512']);

export function checkChainLength(chain: readonly ServiceCertificate[]): void {
  if (chain.length > MAX_CHAIN_CERTIFICATES) {
    throw accessDenied('CHAIN_TOO_LONG', `Certificate chain is too long: ${chain.length} certificates sent, at most ${MAX_CHAIN_CERTIFICATES} are accepted`);
  }
}

/** Rules on the leaf alone: X.509 v3, not a CA, keyUsage digitalSignature, signed with SHA-256 or stronger. */
export function checkLeafRules(leaf: ServiceCertificate): void {
  if (leaf.version !== 3) {
    throw accessDenied('NOT_V3', `Signing certificate must be X.509 version 3 (got version ${leaf.version})`);
  }
  if (leaf.isCa) {
    throw accessDenied('LEAF_IS_CA', 'Signing certificate must be an end-entity certificate, not a CA certificate');
  }
  if (leaf.keyUsage === undefined || (leaf.keyUsage & x509.KeyUsageFlags.digitalSignature) === 0) {
    throw accessDenied('LEAF_KEY_USAGE', 'Signing certificate keyUsage must include digitalSignature');
  }
  if (leaf.signatureHash === undefined || !STRONG_HASHES.has(leaf.signatureHash)) {
    throw accessDenied('WEAK_SIGNATURE_HASH', `Signing certificate must be signed with SHA-256 or stronger (got ${leaf.signatureHash ?? 'an unknown algorithm'})`);
  }
}

function issuedBy(child: ServiceCertificate, issuer: ServiceCertificate): boolean {
  try {
    return child.node.checkIssued(issuer.node) && child.node.verify(issuer.node.publicKey);
  } catch {
    return false;
  }
}

/**
 * Walks from the leaf up through the sent intermediates to one of the anchor's certificates,
 * verifying each signature on the way. The leaf or the root may appear inside the chain too:
 * clients that send the whole bundle are tolerated, as the service tolerates them.
 * Returns the path, leaf first, anchor certificate last.
 */
export function buildTrustedPath(leaf: ServiceCertificate, chain: readonly ServiceCertificate[], anchors: readonly ServiceCertificate[]): ServiceCertificate[] {
  const candidates = chain.filter((cert) => !cert.der.equals(leaf.der));
  const path = [leaf];
  let current = leaf;
  for (;;) {
    const anchor = anchors.find((a) => issuedBy(current, a));
    if (anchor) {
      path.push(anchor);
      return path;
    }
    const next = candidates.find((cert) => !path.includes(cert) && cert.isCa && issuedBy(current, cert));
    if (!next) throw accessDenied('UNTRUSTED_CHAIN', 'Untrusted Signing Certificate');
    path.push(next);
    current = next;
  }
}

/** Every certificate on the path must be valid at the service's clock. */
export function checkValidity(path: readonly ServiceCertificate[], nowMs: number): void {
  for (const cert of path) {
    const which = cert === path[0] ? 'Signing certificate' : `Certificate ${cert.node.subject.replace(/\n/g, ', ')} in the chain`;
    if (nowMs < cert.notBefore) {
      throw accessDenied('CERTIFICATE_NOT_YET_VALID', `${which} is not yet valid (notBefore ${new Date(cert.notBefore).toISOString()})`);
    }
    if (nowMs > cert.notAfter) {
      throw accessDenied('CERTIFICATE_EXPIRED', `${which} has expired (notAfter ${new Date(cert.notAfter).toISOString()})`);
    }
  }
}

/** All certificate checks in the service's order; returns the trusted path. */
export function verifyCertificatePath(leaf: ServiceCertificate, chain: readonly ServiceCertificate[], anchors: readonly ServiceCertificate[], nowMs: number): ServiceCertificate[] {
  checkChainLength(chain);
  checkLeafRules(leaf);
  const path = buildTrustedPath(leaf, chain, anchors);
  checkValidity(path, nowMs);
  return path;
}
