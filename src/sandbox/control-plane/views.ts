// Trust anchors, profiles and CRLs as Roles Anywhere's API shows them (TrustAnchorDetail,
// ProfileDetail, CrlDetail): the same shape from Create, Get, List, Update, Enable, Disable and Delete.
import type { CrlState, ProfileState, SandboxConfig, TrustAnchorState } from '../config';

export function trustAnchorView(anchor: TrustAnchorState) {
  return {
    trustAnchorArn: anchor.arn,
    trustAnchorId: anchor.id,
    name: anchor.name,
    enabled: anchor.enabled,
    source:
      anchor.sourceType === 'AWS_ACM_PCA'
        ? { sourceType: 'AWS_ACM_PCA', sourceData: { acmPcaArn: anchor.acmPcaArn } }
        : { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: anchor.pem } },
    createdAt: anchor.createdAt,
    updatedAt: anchor.updatedAt,
  };
}

export function profileView(profile: ProfileState, config: SandboxConfig) {
  return {
    profileArn: profile.arn,
    profileId: profile.id,
    name: profile.name,
    enabled: profile.enabled,
    roleArns: [...profile.roleArns],
    durationSeconds: profile.durationSeconds,
    acceptRoleSessionName: profile.acceptRoleSessionName,
    requireInstanceProperties: profile.requireInstanceProperties,
    managedPolicyArns: [...profile.managedPolicyArns],
    ...(profile.sessionPolicy === undefined ? {} : { sessionPolicy: profile.sessionPolicy }),
    attributeMappings: profile.attributeMappings.map((mapping) => ({ certificateField: mapping.certificateField, mappingRules: mapping.mappingRules.map((rule) => ({ specifier: rule.specifier })) })),
    createdBy: `arn:aws:iam::${config.account}:root`,
    createdAt: profile.createdAt,
    updatedAt: profile.updatedAt,
  };
}

export function crlView(crl: CrlState) {
  return {
    crlArn: crl.arn,
    crlId: crl.id,
    name: crl.name,
    enabled: crl.enabled,
    trustAnchorArn: crl.trustAnchorArn,
    crlData: crl.data.toString('base64'),
    createdAt: crl.createdAt,
    updatedAt: crl.updatedAt,
  };
}
