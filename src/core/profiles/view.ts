// A profile as clients see it: the stored definition, its certificate judged at `now`, and the live
// session state. Nothing secret is in a definition, so nothing secret can reach a ProfileView.
import { RolecallError } from '../../shared/errors';
import type { CertificateState, ProfileView } from '../../shared/model';
import type { AwsFilePaths } from '../awsfiles';
import { EXPIRY_WARNING_DAYS, daysUntilExpiry, expiresWithin, parseCertificates, type Certificate } from '../pki';
import type { SessionState } from '../sessions/ports';
import { signingRegionOf, type ProfileDefinition } from './definition';
import { deliveredTo, profileFilePaths } from './delivery';

export function toProfileView(definition: ProfileDefinition, state: SessionState | undefined, now: number, awsPaths: AwsFilePaths): ProfileView {
  const leaf = firstCertificate(definition.certificatePem);
  return {
    name: definition.name,
    status: state?.status ?? 'inactive',
    ...(state?.expiresAt !== undefined && { expiresAt: state.expiresAt }),
    ...(state?.lastRefreshedAt !== undefined && { lastRefreshedAt: state.lastRefreshedAt }),
    ...(state?.nextRefreshAt !== undefined && { nextRefreshAt: state.nextRefreshAt }),
    ...(state?.lastError !== undefined && { lastError: state.lastError }),
    ...(state?.accessKeyIdMasked !== undefined && { accessKeyIdMasked: state.accessKeyIdMasked }),
    trustAnchorArn: definition.trustAnchorArn,
    profileArn: definition.profileArn,
    roleArn: definition.roleArn,
    signingRegion: signingRegionOf(definition),
    ...(definition.toolRegion !== undefined && { toolRegion: definition.toolRegion }),
    durationSeconds: definition.durationSeconds,
    ...(definition.roleSessionName !== undefined && { roleSessionName: definition.roleSessionName }),
    autoRefresh: definition.autoRefresh,
    delivery: definition.delivery,
    deliveredTo: deliveredTo(definition, awsPaths),
    ...(definition.delivery === 'file' && definition.toolRegion !== undefined && { toolRegionFile: profileFilePaths(definition, awsPaths).config }),
    ...(definition.endpoint !== undefined && { endpoint: definition.endpoint }),
    keyStorage: definition.key.kind === 'pkcs11' ? 'token' : definition.key.kind,
    ...(definition.key.kind === 'file' && { keyPath: definition.key.path }),
    ...(definition.key.kind === 'pkcs11' && {
      token: {
        uri: definition.key.certificateUri ?? definition.key.privateKeyUri ?? 'pkcs11:',
        ...(definition.key.modulePath !== undefined && { module: definition.key.modulePath }),
        pinInKeychain: definition.key.pinAccount !== undefined,
      },
    }),
    certificate: leaf.toSummary(),
    chain: definition.chainPem.map((pem) => firstCertificate(pem).toSummary()),
    certificateState: certificateState(leaf, now),
    certificateDaysLeft: daysUntilExpiry(leaf, now),
    ...(definition.names !== undefined && { names: definition.names }),
    ...(definition.certificate !== undefined && { certificateRequest: definition.certificate }),
  };
}

export function certificateState(certificate: Certificate, now: number): CertificateState {
  if (now < certificate.notBefore.getTime()) return 'not-yet-valid';
  if (now > certificate.notAfter.getTime()) return 'expired';
  return expiresWithin(certificate, now, EXPIRY_WARNING_DAYS) ? 'expiring' : 'ok';
}

// Parsing is a few hundred microseconds; state.get lists every profile on each change, so keep them.
const parsed = new Map<string, Certificate>();
const MAX_PARSED = 256;

function firstCertificate(pem: string): Certificate {
  let certificate = parsed.get(pem);
  if (!certificate) {
    const [first] = parseCertificates(pem);
    if (!first) throw new RolecallError('CERT_NOT_FOUND', 'the stored profile has no certificate');
    certificate = first;
    if (parsed.size >= MAX_PARSED) parsed.clear();
    parsed.set(pem, certificate);
  }
  return certificate;
}
