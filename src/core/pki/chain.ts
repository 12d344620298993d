// Each link of a certificate's chain, checked as Roles Anywhere walks it: from the leaf up through the
// intermediates sent (any order; extra ones are ignored), each certificate named as the next one's
// issuer, signed by its key and a CA, until a trust anchor's certificate signed the last one; and every
// certificate on that path valid at the service's clock.

import { X509Certificate } from 'node:crypto';
import type { Certificate } from './certificate';

export interface BrokenLink {
  /** 1 for the leaf, 2 for the certificate above it, and so on. */
  readonly link: number;
  /** The certificate whose issuer could not be found, or that failed a check. */
  readonly subject: string;
  readonly reason: string;
}

export type AnchorPath = { readonly ok: true; readonly path: readonly Certificate[] } | { readonly ok: false; readonly broken: BrokenLink };

const nodes = new WeakMap<Certificate, X509Certificate>();

function node(certificate: Certificate): X509Certificate {
  let found = nodes.get(certificate);
  if (!found) {
    found = new X509Certificate(certificate.der);
    nodes.set(certificate, found);
  }
  return found;
}

/** The issuer's name matches and its key verifies the child's signature. */
export function issuedBy(child: Certificate, issuer: Certificate): boolean {
  try {
    return node(child).checkIssued(node(issuer)) && node(child).verify(node(issuer).publicKey);
  } catch {
    return false;
  }
}

/** Why `issuer`, named as the child's issuer, cannot be the next link; undefined when it can. */
function linkProblem(child: Certificate, issuer: Certificate): string | undefined {
  if (!issuer.isCa) return `${issuer.subject} is named as its issuer but is not a CA certificate`;
  if (!issuedBy(child, issuer)) return `its signature does not verify with the key of ${issuer.subject}, the certificate of that name given`;
  return undefined;
}

/**
 * The path from the leaf to one of `anchors` through `chain`, or the first link that breaks it: the
 * certificate whose issuer is neither an anchor nor an intermediate that was sent.
 */
export function pathToAnchor(leaf: Certificate, chain: readonly Certificate[], anchors: readonly Certificate[]): AnchorPath {
  const candidates = chain.filter((certificate) => !certificate.equals(leaf));
  const path: Certificate[] = [leaf];
  let current = leaf;
  for (;;) {
    const anchor = anchors.find((certificate) => issuedBy(current, certificate));
    if (anchor) return { ok: true, path: [...path, anchor] };
    const next = candidates.find((certificate) => !path.includes(certificate) && certificate.isCa && issuedBy(current, certificate));
    if (!next) return { ok: false, broken: { link: path.length, subject: current.subject, reason: missingIssuer(current, candidates, anchors) } };
    path.push(next);
    current = next;
  }
}

function missingIssuer(current: Certificate, candidates: readonly Certificate[], anchors: readonly Certificate[]): string {
  const named = [...anchors, ...candidates].find((certificate) => certificate.subject === current.issuer);
  const problem = named && linkProblem(current, named);
  if (problem) return problem;
  const anchorNames = anchors.map((certificate) => certificate.subject).join('; ') || 'no certificate';
  return `its issuer ${current.issuer} is not among the intermediates sent, and the trust anchor holds ${anchorNames}`;
}

/**
 * Without the trust anchor (`inspect`): the links the intermediates form above the leaf, and the first
 * that is broken. The top of the chain may name an issuer that was not given (the root, which the trust
 * anchor holds), but intermediates that were given must connect to the leaf.
 */
export function brokenChainLink(leaf: Certificate, chain: readonly Certificate[], at: number): BrokenLink | undefined {
  const candidates = chain.filter((certificate) => !certificate.equals(leaf));
  if (candidates.length === 0) return undefined;
  const path: Certificate[] = [leaf];
  let current = leaf;
  for (;;) {
    const named = candidates.filter((certificate) => !path.includes(certificate) && certificate.subject === current.issuer);
    const next = named.find((certificate) => linkProblem(current, certificate) === undefined);
    if (!next) {
      const [first] = named;
      if (first) return { link: path.length, subject: current.subject, reason: linkProblem(current, first) ?? 'no intermediate given issued it' };
      if (path.length === 1) {
        return { link: 1, subject: leaf.subject, reason: `its issuer ${leaf.issuer} is none of the intermediates given (${candidates.map((certificate) => certificate.subject).join('; ')})` };
      }
      break;
    }
    path.push(next);
    current = next;
  }
  for (const [index, certificate] of path.entries()) {
    if (index === 0) continue;
    if (at < certificate.notBefore.getTime()) return { link: index + 1, subject: certificate.subject, reason: `it is not valid until ${certificate.notBefore.toISOString()}` };
    if (at > certificate.notAfter.getTime()) return { link: index + 1, subject: certificate.subject, reason: `it expired ${certificate.notAfter.toISOString()}` };
  }
  return undefined;
}
