// What the editor's pickers offer once discovery has listed a region: trust anchors by name with the one
// the certificate chains to marked, the profiles, that profile's roles; and the names a profile saves
// with its ARNs, so rows show them later without discovery.
import type { CertificateSummary, DiscoveredTrustAnchor, Discovery, ProfileView, ResourceNames } from '../../shared/model';
import { arnShortName } from './arn';

export interface PickerOption {
  readonly arn: string;
  /** What the list shows: the resource's name (its ID only when it has none). */
  readonly name: string;
  readonly enabled: boolean;
  /** Why this one stands out ("your certificate's CA"). */
  readonly note?: string;
}

export const CHAINS_TO_NOTE = "your certificate's CA";

/**
 * Whether the certificate chains to the anchor: one of the anchor's CA certificates is in the chain
 * sent, or issued the last certificate of it.
 */
export function chainsTo(anchor: DiscoveredTrustAnchor, certificate: CertificateSummary, chain: readonly CertificateSummary[]): boolean {
  const sent = [certificate, ...chain];
  const top = sent[sent.length - 1] ?? certificate;
  return (anchor.certificates ?? []).some((ca) => ca.subject === top.issuer || sent.some((each) => each.fingerprintSha256 === ca.fingerprintSha256));
}

/** Anchors by name: the ones the certificate chains to first and marked, disabled ones last. */
export function anchorOptions(discovery: Discovery | undefined, certificate: CertificateSummary | undefined, chain: readonly CertificateSummary[]): PickerOption[] {
  const options = (discovery?.trustAnchors ?? []).map((anchor) => {
    const matches = certificate !== undefined && chainsTo(anchor, certificate, chain);
    return { arn: anchor.arn, name: anchor.name || arnShortName(anchor.arn), enabled: anchor.enabled, ...(matches && { note: CHAINS_TO_NOTE }) };
  });
  return options.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

/** The one anchor to preselect: the only one the certificate chains to, or the only one there is. */
export function preselectedAnchor(options: readonly PickerOption[]): string | undefined {
  const marked = options.filter((option) => option.note === CHAINS_TO_NOTE);
  if (marked.length === 1) return marked[0]?.arn;
  return options.length === 1 ? options[0]?.arn : undefined;
}

/** Every profile of the region can serve any of its trust anchors: by name, enabled first. */
export function profileOptions(discovery: Discovery | undefined): PickerOption[] {
  return (discovery?.profiles ?? [])
    .map((profile) => ({ arn: profile.arn, name: profile.name || arnShortName(profile.arn), enabled: profile.enabled }))
    .sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

/** The chosen profile's roles by name (every listed profile's when none is chosen yet). */
export function roleOptions(discovery: Discovery | undefined, profileArn: string): PickerOption[] {
  const chosen = discovery?.profiles.find((profile) => profile.arn === profileArn.trim());
  const arns = chosen ? chosen.roleArns : [...new Set(discovery?.profiles.flatMap((profile) => profile.roleArns) ?? [])];
  return arns.map((arn) => ({ arn, name: arnShortName(arn), enabled: true })).sort((a, b) => a.name.localeCompare(b.name));
}

function rank(option: PickerOption): number {
  return (option.note === undefined ? 1 : 0) + (option.enabled ? 0 : 2);
}

/**
 * The names to save with these ARNs: discovery's, else those the profile already had for the same ARN
 * (a typed ARN nobody named has none).
 */
export function namesFor(trustAnchorArn: string, profileArn: string, discovery: Discovery | undefined, saved: ProfileView | undefined): ResourceNames | undefined {
  const anchorArn = trustAnchorArn.trim();
  const raProfileArn = profileArn.trim();
  const trustAnchor = discovery?.trustAnchors.find((anchor) => anchor.arn === anchorArn)?.name || (saved?.trustAnchorArn === anchorArn ? saved.names?.trustAnchor : undefined);
  const profile = discovery?.profiles.find((candidate) => candidate.arn === raProfileArn)?.name || (saved?.profileArn === raProfileArn ? saved.names?.profile : undefined);
  const names = { ...(trustAnchor && { trustAnchor }), ...(profile && { profile }) };
  return Object.keys(names).length > 0 ? names : undefined;
}

/** True when two sets of names say the same. */
export function sameNames(a: ResourceNames | undefined, b: ResourceNames | undefined): boolean {
  return (a?.trustAnchor ?? '') === (b?.trustAnchor ?? '') && (a?.profile ?? '') === (b?.profile ?? '');
}
