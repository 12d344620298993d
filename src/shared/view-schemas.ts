// The zod schemas of the view models that leave the agent (model.ts derives its types from them, the
// contract's outputs and events are checked with them). Kept apart from model.ts because model.ts is
// also loaded on the CLI's hot path and by the window for its constants, neither of which should load zod.
// Unknown keys are stripped, not refused, so a newer agent's extra fields do not break an older reader.
import { z } from 'zod';
import { ERRORS, type ErrorCode } from './errors';
import { SHELLS, type Shell } from './model';

const list = <T extends z.ZodType>(item: T) => z.array(item).readonly();
const texts = list(z.string());

export const errorCodeSchema = z.enum(Object.keys(ERRORS) as [ErrorCode, ...ErrorCode[]]);

export const subjectAlternativeNamesSchema = z
  .object({
    dns: texts,
    uri: texts,
    email: texts,
    ip: texts,
    /** directoryName entries, as RFC 4514-style strings. */
    directoryName: texts,
  })
  .readonly();

/** What Rolecall shows about a certificate. */
export const certificateSummarySchema = z
  .object({
    /** "C=US, O=Example, CN=alice" in the certificate's own attribute order. */
    subject: z.string(),
    issuer: z.string(),
    /** Uppercase hex without colons or redundant leading zero bytes. */
    serialHex: z.string(),
    /** Decimal, no leading zeros: the form the Authorization header's Credential carries. */
    serialDecimal: z.string(),
    notBefore: z.string(),
    notAfter: z.string(),
    /** "RSA-2048", "EC P-256", "Ed25519"... */
    keyAlgorithm: z.string(),
    /** "sha256WithRSAEncryption", "ecdsa-with-SHA384"... */
    signatureAlgorithm: z.string(),
    /** SHA-256 of the DER, uppercase hex pairs joined by colons (as `openssl x509 -fingerprint -sha256`). */
    fingerprintSha256: z.string(),
    isCa: z.boolean(),
    /** keyUsage names (digitalSignature, keyEncipherment...); absent when the extension is absent. */
    keyUsage: texts.optional(),
    subjectAlternativeNames: subjectAlternativeNamesSchema,
    /**
     * The aws:PrincipalTag keys a Roles Anywhere session gets from this certificate under the default
     * attribute mapping, e.g. { "x509Subject/CN": "alice", "x509SAN/DNS": "alice.example.com" }.
     */
    principalTags: z.record(z.string(), z.string()).readonly(),
  })
  .readonly();

export const profileStatusSchema = z.enum(['inactive', 'activating', 'active', 'refreshing', 'failed', 'expired']);
export const deliveryModeSchema = z.enum(['file', 'process']);
export const keyStorageViewSchema = z.enum(['keychain', 'file', 'token']);
export const certificateStateSchema = z.enum(['ok', 'expiring', 'expired', 'not-yet-valid']);
export const shellNameSchema = z.enum(SHELLS as [Shell, ...Shell[]]);

/** An error as the agent reports it (see errors.ts). */
export const problemViewSchema = z
  .object({
    code: errorCodeSchema,
    message: z.string(),
    next: z.string(),
    detail: z.string().optional(),
  })
  .readonly();

export const tokenKeyViewSchema = z
  .object({
    /** The pkcs11: URI the profile finds its certificate (or key) with. */
    uri: z.string(),
    /** The PKCS#11 module; absent means p11-kit's proxy. */
    module: z.string().optional(),
    /** The user asked Rolecall to keep the token's PIN in the OS keychain. */
    pinInKeychain: z.boolean(),
  })
  .readonly();

/** Names of the Roles Anywhere resources a profile uses, saved when they were picked by name. */
export const resourceNamesViewSchema = z.object({ trustAnchor: z.string().optional(), profile: z.string().optional() }).readonly();

/** One profile as every client sees it: definition, certificate and live session state. No secret. */
export const profileViewSchema = z
  .object({
    name: z.string(),
    status: profileStatusSchema,
    /** Expiry of the credentials currently delivered (ISO); absent when there are none. */
    expiresAt: z.string().optional(),
    lastRefreshedAt: z.string().optional(),
    /** When the agent will next refresh (or retry after a failure). */
    nextRefreshAt: z.string().optional(),
    lastError: problemViewSchema.optional(),
    /** The session's access key id masked as ASIA…WXYZ, to tell sessions apart. */
    accessKeyIdMasked: z.string().optional(),
    trustAnchorArn: z.string(),
    profileArn: z.string(),
    roleArn: z.string(),
    signingRegion: z.string(),
    toolRegion: z.string().optional(),
    durationSeconds: z.number(),
    roleSessionName: z.string().optional(),
    autoRefresh: z.boolean(),
    delivery: deliveryModeSchema,
    /** The file credentials (file mode) or the credential_process line (process mode) are written to. */
    deliveredTo: z.string(),
    /** File delivery with a tool region: the config file, whose `[profile NAME]` gets `region` too. */
    toolRegionFile: z.string().optional(),
    endpoint: z.string().optional(),
    keyStorage: keyStorageViewSchema,
    /** For keyStorage 'file': the user's own key file. */
    keyPath: z.string().optional(),
    /** For keyStorage 'token': where the key is (no PIN ever appears here). */
    token: tokenKeyViewSchema.optional(),
    certificate: certificateSummarySchema,
    chain: list(certificateSummarySchema),
    certificateState: certificateStateSchema,
    certificateDaysLeft: z.number(),
    /** The trust anchor's and Roles Anywhere profile's names as they were when chosen (absent when typed). */
    names: resourceNamesViewSchema.optional(),
    /** The `rolecall certificate` request the certificate was issued to (a Rolecall CA or the user's CA signed it). */
    certificateRequest: z.string().optional(),
  })
  .readonly();

/** What a PKCS#11 module shows without a PIN (tokens.list): public objects only. */
export const tokenListingSchema = z
  .object({
    /** The module asked: the one given, or the default Rolecall uses. */
    module: z.string(),
    tokens: list(
      z
        .object({
          label: z.string(),
          manufacturer: z.string(),
          model: z.string(),
          serial: z.string(),
          certificates: list(
            z
              .object({
                label: z.string(),
                subject: z.string(),
                /** ISO 8601. */
                notAfter: z.string(),
                /** Names exactly this certificate, as profiles.addFromToken takes it. */
                uri: z.string(),
              })
              .readonly(),
          ),
        })
        .readonly(),
    ),
  })
  .readonly();

/** Certificate and key picked for a new or edited profile, parsed and held by the agent until used. */
export const draftViewSchema = z
  .object({
    draftId: z.string(),
    /** false until the passphrase of an encrypted key or PKCS#12 file is given (drafts.unlock). */
    unlocked: z.boolean(),
    sourceFiles: texts,
    certificate: certificateSummarySchema.optional(),
    chain: list(certificateSummarySchema),
    keyAlgorithm: z.string().optional(),
    /** What Roles Anywhere would refuse about this certificate. */
    problems: list(problemViewSchema),
    warnings: texts,
  })
  .readonly();

export const settingsSchema = z
  .object({
    startAtLogin: z.boolean(),
    notifications: z.boolean(),
    defaultShell: shellNameSchema,
    /** Each exchange with Roles Anywhere (connect, headers, whole body) must end within this. */
    requestTimeoutSeconds: z.number(),
    /** Certificates a Rolecall CA issued are renewed with the key they have instead of a new one (absent: a new key). */
    renewWithSameKey: z.boolean().optional(),
  })
  .readonly();

/** A certificate issued by a Rolecall CA that the agent renewed, or could not renew (event `certificate.renewal`). */
export const certificateRenewalViewSchema = z
  .object({
    /** The `rolecall certificate` request. */
    certificate: z.string(),
    ca: z.string(),
    outcome: z.enum(['renewed', 'failed']),
    at: z.string(),
    /** renewed: when the new certificate ends; failed: when the current one does. */
    notAfter: z.string(),
    /** renewed: a new key was made (each profile's old key leaves the keychain once its new one has minted a session). */
    newKey: z.boolean().optional(),
    /** renewed: the profiles switched to the new certificate; failed: the profiles that still use the old one. */
    profiles: texts,
    problem: problemViewSchema.optional(),
  })
  .readonly();

export const keychainReachSchema = z.enum(['reachable', 'unreachable', 'unknown']);

const agentInfoShape = {
  pid: z.number(),
  host: z.enum(['app', 'headless']),
  version: z.string(),
  startedAt: z.string(),
  dataDir: z.string(),
  /**
   * Whether the agent could reach the OS keychain when it last tried (its start probes it). A caller
   * that can reach its own keychain replaces a headless agent that cannot (see cli/runtime.ts).
   */
  keychain: keychainReachSchema.optional(),
};
export const agentInfoSchema = z.object(agentInfoShape).readonly();

export const doctorStatusSchema = z.enum(['ok', 'warn', 'fail']);

/** One finding of `rolecall doctor`: what was checked, how it went, and what to do next. */
export const doctorFindingSchema = z
  .object({
    name: z.string(),
    status: doctorStatusSchema,
    detail: z.string(),
    next: z.string().optional(),
    /** The Rolecall profile the finding is about. */
    profile: z.string().optional(),
  })
  .readonly();

/** What the agent finds about itself and every profile (`doctor.check`). */
export const doctorReportSchema = z
  .object({
    agent: z.object({ ...agentInfoShape, uptimeSeconds: z.number(), keychain: keychainReachSchema, keychainProblem: problemViewSchema.optional() }).readonly(),
    findings: list(doctorFindingSchema),
  })
  .readonly();

export const appStateSchema = z
  .object({
    profiles: list(profileViewSchema),
    settings: settingsSchema,
    agent: agentInfoSchema,
  })
  .readonly();

/** One credential_process line of ~/.aws/config that Rolecall can take over. */
export const importCandidateSchema = z
  .object({
    awsProfile: z.string(),
    /** The Rolecall profile it becomes (usually the same name). */
    name: z.string(),
    tool: z.enum(['aws_signing_helper', 'rolecall']),
    certificatePath: z.string().optional(),
    privateKeyPath: z.string().optional(),
    intermediatesPath: z.string().optional(),
    trustAnchorArn: z.string().optional(),
    profileArn: z.string().optional(),
    roleArn: z.string().optional(),
    durationSeconds: z.number().optional(),
    region: z.string().optional(),
    /** The line spans several physical lines (which breaks the reference client). */
    multiLine: z.boolean(),
    /** Why it cannot be imported as is (missing files, unsupported flags); empty when it can. */
    problems: list(problemViewSchema),
  })
  .readonly();

export const importPlanSchema = z
  .object({
    configPath: z.string(),
    candidates: list(importCandidateSchema),
    /** Unified diff of ~/.aws/config after apply (credential_process lines switched to Rolecall). */
    configDiff: z.string(),
  })
  .readonly();

export const importResultSchema = z
  .object({
    imported: texts,
    failed: list(z.object({ name: z.string(), problem: problemViewSchema }).readonly()),
    /** Plaintext key files now in the keychain, which the user may delete. */
    keyFilesNowInKeychain: texts,
  })
  .readonly();

/** Enough of a trust anchor's CA certificate to tell whether a chain ends at it. */
export const anchorCertificateSchema = z.object({ subject: z.string(), fingerprintSha256: z.string() }).readonly();

export const discoveredTrustAnchorSchema = z
  .object({
    arn: z.string(),
    name: z.string(),
    enabled: z.boolean(),
    /** The CA certificates of a certificate bundle anchor (absent for an AWS Private CA anchor). */
    certificates: list(anchorCertificateSchema).optional(),
  })
  .readonly();

export const discoveredProfileSchema = z
  .object({
    arn: z.string(),
    name: z.string(),
    enabled: z.boolean(),
    roleArns: texts,
    durationSeconds: z.number().optional(),
    acceptRoleSessionName: z.boolean(),
  })
  .readonly();

export const discoverySchema = z
  .object({
    region: z.string(),
    trustAnchors: list(discoveredTrustAnchorSchema),
    profiles: list(discoveredProfileSchema),
  })
  .readonly();

/** The local sandbox a host starts for "Try it with a local sandbox": where it listens and its demo PKI. */
export const demoSandboxInfoSchema = z
  .object({
    endpoint: z.string(),
    certificatePath: z.string(),
    privateKeyPath: z.string(),
    intermediatesPath: z.string(),
    trustAnchorArn: z.string(),
    profileArn: z.string(),
    roleArn: z.string(),
    /** Where the demo profile's credentials and config files go (inside Rolecall's data folder). */
    dir: z.string(),
  })
  .readonly();

/**
 * A CA of the user's that the local sandbox now trusts (sandbox.trustCa): everything a profile for the
 * certificates it issued needs. Nothing secret.
 */
export const sandboxTrustedCaSchema = z
  .object({
    /** The sandbox's address, to use as a profile's endpoint. */
    endpoint: z.string(),
    region: z.string(),
    trustAnchorArn: z.string(),
    trustAnchorName: z.string(),
    /** The first certificate's subject, one RDN after another joined by ', '. */
    subject: z.string(),
    /** False when the sandbox trusted this very bundle already (the same anchor is reused). */
    created: z.boolean(),
    /** The demo profile and role, which accept this trust anchor. */
    profileArn: z.string(),
    roleArn: z.string(),
  })
  .readonly();

export const timelineEventKindSchema = z.enum(['minted', 'refreshed', 'failed', 'delivered', 'deactivated']);

/** One thing that happened to a profile's session, as the agent's timeline keeps it. No secret. */
export const timelineEventSchema = z
  .object({
    /** ISO 8601. */
    at: z.string(),
    kind: timelineEventKindSchema,
    /** minted, refreshed: when the new session expires. */
    expiresAt: z.string().optional(),
    /** minted, refreshed: the new session's access key id, masked as ASIA…WXYZ. */
    accessKeyIdMasked: z.string().optional(),
    /** failed: why. */
    problem: problemViewSchema.optional(),
  })
  .readonly();

/**
 * A key born in the keychain and its certificate request (`rolecall certificate`, the setup wizard),
 * pending or issued. Public material only: the CSR, never the key.
 */
export const certificateRequestViewSchema = z
  .object({
    name: z.string(),
    state: z.enum(['pending', 'issued']),
    keyType: z.string(),
    subject: z.string(),
    sans: texts,
    keyStorage: keyStorageViewSchema,
    keyPath: z.string().optional(),
    publicKeySha256: z.string(),
    createdAt: z.string(),
    /** Whole days since the request was made. */
    ageDays: z.number(),
    /** Pending for long: issue it or remove it. */
    stale: z.boolean(),
    issuedBy: z
      .discriminatedUnion('kind', [z.object({ kind: z.literal('rolecall-ca'), ca: z.string() }).readonly(), z.object({ kind: z.literal('external') }).readonly()])
      .optional(),
    issuedAt: z.string().optional(),
    /** When the agent renews a certificate a Rolecall CA issued (absent for another CA's). */
    renewsAt: z.string().optional(),
    certificate: z
      .object({
        issuer: z.string(),
        serialHex: z.string(),
        notBefore: z.string(),
        notAfter: z.string(),
        fingerprintSha256: z.string(),
        chainLength: z.number(),
      })
      .readonly()
      .optional(),
    csrPem: z.string(),
  })
  .readonly();

/** A Rolecall CA: its key rests in the keychain, its certificate (public) in a file for the trust anchor. */
export const localCaViewSchema = z
  .object({
    name: z.string(),
    subject: z.string(),
    keyType: z.string(),
    certificatePath: z.string(),
    notAfter: z.string(),
    createdAt: z.string(),
  })
  .readonly();

/** What a setup would make, before anything is made: every resource and the whole trust policy. */
export const setupPreviewSchema = z
  .object({
    name: z.string(),
    /** Every principal tag the certificate gives a session, the ones to choose from. */
    certificateTags: z.record(z.string(), z.string()).readonly(),
    /** The tags the trust policy requires, with the values it requires. */
    pinned: list(z.object({ key: z.string(), value: z.string() }).readonly()),
    /** The role's trust policy, JSON; the trust anchor's ARN is a placeholder until it exists. */
    trustPolicy: z.string(),
    resources: list(z.object({ kind: z.enum(['trust anchor', 'IAM role', 'profile']), name: z.string(), detail: z.string() }).readonly()),
    /** The tag every resource carries, `rolecall:setup=NAME`. */
    tag: z.string(),
  })
  .readonly();

/** A text the window shows, copies and saves: a CloudFormation template or AWS CLI commands. */
export const setupTextSchema = z
  .object({
    text: z.string(),
    /** What the file is called when saved. */
    fileName: z.string(),
    /** What to run next (the template's deploy command). */
    next: z.string().optional(),
  })
  .readonly();

/** A setup created through the SDKs, and the Rolecall profile added with its ARNs and activated. */
export const setupResultSchema = z
  .object({
    trustAnchorArn: z.string(),
    roleArn: z.string(),
    profileArn: z.string(),
    steps: list(z.object({ resource: z.string(), name: z.string(), outcome: z.enum(['created', 'found']), arn: z.string() }).readonly()),
    profile: profileViewSchema,
    /** Where the resources were made, as a phrase: "the local sandbox (http://127.0.0.1:PORT)", "eu-west-1, with the AWS CLI profile admin". */
    target: z.string(),
  })
  .readonly();

/** One check `explain` made, in the service's order. */
export const explainCheckSchema = z
  .object({
    /** Which check: 'certificate', 'chain', 'trust-anchor', 'policy'… (stable, for JSON readers). */
    check: z.string(),
    outcome: z.enum(['pass', 'fail', 'unknown', 'note']),
    /** When it failed: the error code that names the cause (CERT_EXPIRED, TRUST_POLICY_DENIED…). */
    cause: z.string().optional(),
    /** What was found, with the profile's real names and values. */
    summary: z.string(),
    /** What to do about it, when it failed or remains unknown. */
    fix: z.string().optional(),
    /** A trust policy condition: the values it wants and what the certificate carries. */
    wanted: texts.optional(),
    carried: z.string().nullable().optional(),
    /** The IAM permission that would let Rolecall look, when it could not. */
    permission: z.string().optional(),
  })
  .readonly();

/** Why a profile's CreateSession fails (or would), reproduced locally: the first cause and every check. */
export const explanationSchema = z
  .object({
    profile: z.string(),
    /** cause: a check failed (the first is `cause`); clear: every check passed; unknown: none failed, some could not be made. */
    verdict: z.enum(['cause', 'clear', 'unknown']),
    cause: explainCheckSchema.optional(),
    checks: list(explainCheckSchema),
    /** The service's clock as its Date header gave it, when it answered. */
    serviceTime: z.string().optional(),
    /** The profile's last failure, as the agent recorded it. */
    lastError: problemViewSchema.optional(),
  })
  .readonly();
