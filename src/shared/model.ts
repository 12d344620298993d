// View models that may leave the agent: to the renderer, over the agent socket, into CLI output.
// Plain serialisable data only (no Node types, dates as ISO 8601 strings) and never key material.

export interface SubjectAlternativeNames {
  readonly dns: readonly string[];
  readonly uri: readonly string[];
  readonly email: readonly string[];
  readonly ip: readonly string[];
  /** directoryName entries, as RFC 4514-style strings. */
  readonly directoryName: readonly string[];
}

/** What Rolecall shows about a certificate. */
export interface CertificateSummary {
  /** "C=US, O=Example, CN=alice" in the certificate's own attribute order. */
  readonly subject: string;
  readonly issuer: string;
  /** Uppercase hex without colons or redundant leading zero bytes. */
  readonly serialHex: string;
  /** Decimal, no leading zeros: the form the Authorization header's Credential carries. */
  readonly serialDecimal: string;
  readonly notBefore: string;
  readonly notAfter: string;
  /** "RSA-2048", "EC P-256", "Ed25519"... */
  readonly keyAlgorithm: string;
  /** "sha256WithRSAEncryption", "ecdsa-with-SHA384"... */
  readonly signatureAlgorithm: string;
  /** SHA-256 of the DER, uppercase hex pairs joined by colons (as `openssl x509 -fingerprint -sha256`). */
  readonly fingerprintSha256: string;
  readonly isCa: boolean;
  /** keyUsage names (digitalSignature, keyEncipherment...); absent when the extension is absent. */
  readonly keyUsage?: readonly string[];
  readonly subjectAlternativeNames: SubjectAlternativeNames;
  /**
   * The aws:PrincipalTag keys a Roles Anywhere session gets from this certificate under the default
   * attribute mapping, e.g. { "x509Subject/CN": "alice", "x509SAN/DNS": "alice.example.com" }.
   */
  readonly principalTags: Readonly<Record<string, string>>;
}

export type ProfileStatus = 'inactive' | 'activating' | 'active' | 'refreshing' | 'failed' | 'expired';
export type DeliveryMode = 'file' | 'process';
export type KeyStorage = 'keychain' | 'file' | 'token';
export type CertificateState = 'ok' | 'expiring' | 'expired' | 'not-yet-valid';
export type Shell = 'bash' | 'zsh' | 'fish' | 'powershell' | 'cmd';
export const SHELLS: readonly Shell[] = ['bash', 'zsh', 'fish', 'powershell', 'cmd'];

/** An error as the agent reports it (see errors.ts); repeated here so view models stay self-contained. */
export interface ProblemView {
  readonly code: string;
  readonly message: string;
  readonly next: string;
  readonly detail?: string;
}

/** One profile as every client sees it: definition, certificate and live session state. No secret. */
export interface ProfileView {
  readonly name: string;
  readonly status: ProfileStatus;
  /** Expiry of the credentials currently delivered (ISO); absent when there are none. */
  readonly expiresAt?: string;
  readonly lastRefreshedAt?: string;
  /** When the agent will next refresh (or retry after a failure). */
  readonly nextRefreshAt?: string;
  readonly lastError?: ProblemView;
  /** The session's access key id masked as ASIA…WXYZ, to tell sessions apart. */
  readonly accessKeyIdMasked?: string;
  readonly trustAnchorArn: string;
  readonly profileArn: string;
  readonly roleArn: string;
  readonly signingRegion: string;
  readonly toolRegion?: string;
  readonly durationSeconds: number;
  readonly roleSessionName?: string;
  readonly autoRefresh: boolean;
  readonly delivery: DeliveryMode;
  /** The file credentials (file mode) or the credential_process line (process mode) are written to. */
  readonly deliveredTo: string;
  readonly endpoint?: string;
  readonly keyStorage: KeyStorage;
  /** For keyStorage 'file': the user's own key file. */
  readonly keyPath?: string;
  /** For keyStorage 'token': where the key is (no PIN ever appears here). */
  readonly token?: TokenKeyView;
  readonly certificate: CertificateSummary;
  readonly chain: readonly CertificateSummary[];
  readonly certificateState: CertificateState;
  readonly certificateDaysLeft: number;
  /** The trust anchor's and Roles Anywhere profile's names as they were when chosen (absent when typed). */
  readonly names?: ResourceNames;
  /** The `rolecall certificate` request the certificate was issued to (a Rolecall CA or the user's CA signed it). */
  readonly certificateRequest?: string;
}

export interface TokenKeyView {
  /** The pkcs11: URI the profile finds its certificate (or key) with. */
  readonly uri: string;
  /** The PKCS#11 module; absent means p11-kit's proxy. */
  readonly module?: string;
  /** The user asked Rolecall to keep the token's PIN in the OS keychain. */
  readonly pinInKeychain: boolean;
}

/** What a PKCS#11 module shows without a PIN (tokens.list): public objects only. */
export interface TokenListing {
  /** The module asked: the one given, or the default Rolecall uses. */
  readonly module: string;
  readonly tokens: readonly {
    readonly label: string;
    readonly manufacturer: string;
    readonly model: string;
    readonly serial: string;
    readonly certificates: readonly {
      readonly label: string;
      readonly subject: string;
      /** ISO 8601. */
      readonly notAfter: string;
      /** Names exactly this certificate, as profiles.addFromToken takes it. */
      readonly uri: string;
    }[];
  }[];
}

/** Certificate and key picked for a new or edited profile, parsed and held by the agent until used. */
export interface DraftView {
  readonly draftId: string;
  /** false until the passphrase of an encrypted key or PKCS#12 file is given (drafts.unlock). */
  readonly unlocked: boolean;
  readonly sourceFiles: readonly string[];
  readonly certificate?: CertificateSummary;
  readonly chain: readonly CertificateSummary[];
  readonly keyAlgorithm?: string;
  /** What Roles Anywhere would refuse about this certificate. */
  readonly problems: readonly ProblemView[];
  readonly warnings: readonly string[];
}

export interface Settings {
  readonly startAtLogin: boolean;
  readonly notifications: boolean;
  readonly defaultShell: Shell;
  /** Each exchange with Roles Anywhere (connect, headers, whole body) must end within this. */
  readonly requestTimeoutSeconds: number;
  /** Certificates a Rolecall CA issued are renewed with the key they have instead of a new one (absent: a new key). */
  readonly renewWithSameKey?: boolean;
}

/** A certificate issued by a Rolecall CA that the agent renewed, or could not renew (event `certificate.renewal`). */
export interface CertificateRenewalView {
  /** The `rolecall certificate` request. */
  readonly certificate: string;
  readonly ca: string;
  readonly outcome: 'renewed' | 'failed';
  readonly at: string;
  /** renewed: when the new certificate ends; failed: when the current one does. */
  readonly notAfter: string;
  /** renewed: a new key was made (each profile's old key leaves the keychain once its new one has minted a session). */
  readonly newKey?: boolean;
  /** renewed: the profiles switched to the new certificate; failed: the profiles that still use the old one. */
  readonly profiles: readonly string[];
  readonly problem?: ProblemView;
}

/** Bounds of `requestTimeoutSeconds`; the default is also drop-in `credential-process`'s deadline. */
export const REQUEST_TIMEOUT_SECONDS = { default: 30, min: 1, max: 300 } as const;

export interface AgentInfo {
  readonly pid: number;
  readonly host: 'app' | 'headless';
  readonly version: string;
  readonly startedAt: string;
  readonly dataDir: string;
  /**
   * Whether the agent could reach the OS keychain when it last tried (its start probes it). A caller
   * that can reach its own keychain replaces a headless agent that cannot (see cli/runtime.ts).
   */
  readonly keychain?: KeychainReach;
}

export type KeychainReach = 'reachable' | 'unreachable' | 'unknown';

export type DoctorStatus = 'ok' | 'warn' | 'fail';

/** One finding of `rolecall doctor`: what was checked, how it went, and what to do next. */
export interface DoctorFinding {
  readonly name: string;
  readonly status: DoctorStatus;
  readonly detail: string;
  readonly next?: string;
  /** The Rolecall profile the finding is about. */
  readonly profile?: string;
}

/** What the agent finds about itself and every profile (`doctor.check`). */
export interface DoctorReport {
  readonly agent: AgentInfo & { readonly uptimeSeconds: number; readonly keychain: KeychainReach; readonly keychainProblem?: ProblemView };
  readonly findings: readonly DoctorFinding[];
}

export interface AppState {
  readonly profiles: readonly ProfileView[];
  readonly settings: Settings;
  readonly agent: AgentInfo;
}

/** One credential_process line of ~/.aws/config that Rolecall can take over. */
export interface ImportCandidate {
  readonly awsProfile: string;
  /** The Rolecall profile it becomes (usually the same name). */
  readonly name: string;
  readonly tool: 'aws_signing_helper' | 'rolecall';
  readonly certificatePath?: string;
  readonly privateKeyPath?: string;
  readonly intermediatesPath?: string;
  readonly trustAnchorArn?: string;
  readonly profileArn?: string;
  readonly roleArn?: string;
  readonly durationSeconds?: number;
  readonly region?: string;
  /** The line spans several physical lines (which breaks the reference client). */
  readonly multiLine: boolean;
  /** Why it cannot be imported as is (missing files, unsupported flags); empty when it can. */
  readonly problems: readonly ProblemView[];
}

export interface ImportPlan {
  readonly configPath: string;
  readonly candidates: readonly ImportCandidate[];
  /** Unified diff of ~/.aws/config after apply (credential_process lines switched to Rolecall). */
  readonly configDiff: string;
}

export interface ImportResult {
  readonly imported: readonly string[];
  readonly failed: readonly { readonly name: string; readonly problem: ProblemView }[];
  /** Plaintext key files now in the keychain, which the user may delete. */
  readonly keyFilesNowInKeychain: readonly string[];
}

export interface DiscoveredTrustAnchor {
  readonly arn: string;
  readonly name: string;
  readonly enabled: boolean;
  /** The CA certificates of a certificate bundle anchor (absent for an AWS Private CA anchor). */
  readonly certificates?: readonly AnchorCertificate[];
}

/** Enough of a trust anchor's CA certificate to tell whether a chain ends at it. */
export interface AnchorCertificate {
  readonly subject: string;
  readonly fingerprintSha256: string;
}

export interface DiscoveredProfile {
  readonly arn: string;
  readonly name: string;
  readonly enabled: boolean;
  readonly roleArns: readonly string[];
  readonly durationSeconds?: number;
  readonly acceptRoleSessionName: boolean;
}

export interface Discovery {
  readonly region: string;
  readonly trustAnchors: readonly DiscoveredTrustAnchor[];
  readonly profiles: readonly DiscoveredProfile[];
}

/** The local sandbox a host starts for "Try it with a local sandbox": where it listens and its demo PKI. */
export interface DemoSandboxInfo {
  readonly endpoint: string;
  readonly certificatePath: string;
  readonly privateKeyPath: string;
  readonly intermediatesPath: string;
  readonly trustAnchorArn: string;
  readonly profileArn: string;
  readonly roleArn: string;
  /** Where the demo profile's credentials and config files go (inside Rolecall's data folder). */
  readonly dir: string;
}

/**
 * A CA of the user's that the local sandbox now trusts (sandbox.trustCa): everything a profile for the
 * certificates it issued needs. Nothing secret.
 */
export interface SandboxTrustedCa {
  /** The sandbox's address, to use as a profile's endpoint. */
  readonly endpoint: string;
  readonly region: string;
  readonly trustAnchorArn: string;
  readonly trustAnchorName: string;
  /** The first certificate's subject, one RDN after another joined by ', '. */
  readonly subject: string;
  /** False when the sandbox trusted this very bundle already (the same anchor is reused). */
  readonly created: boolean;
  /** The demo profile and role, which accept this trust anchor. */
  readonly profileArn: string;
  readonly roleArn: string;
}

/** Names of the Roles Anywhere resources a profile uses, saved when they were picked by name. */
export interface ResourceNames {
  readonly trustAnchor?: string;
  readonly profile?: string;
}

export type TimelineEventKind = 'minted' | 'refreshed' | 'failed' | 'delivered' | 'deactivated';

/** One thing that happened to a profile's session, as the agent's timeline keeps it. No secret. */
export interface TimelineEvent {
  /** ISO 8601. */
  readonly at: string;
  readonly kind: TimelineEventKind;
  /** minted, refreshed: when the new session expires. */
  readonly expiresAt?: string;
  /** minted, refreshed: the new session's access key id, masked as ASIA…WXYZ. */
  readonly accessKeyIdMasked?: string;
  /** failed: why. */
  readonly problem?: ProblemView;
}

/**
 * A key born in the keychain and its certificate request (`rolecall certificate`, the setup wizard),
 * pending or issued. Public material only: the CSR, never the key.
 */
export interface CertificateRequestView {
  readonly name: string;
  readonly state: 'pending' | 'issued';
  readonly keyType: string;
  readonly subject: string;
  readonly sans: readonly string[];
  readonly keyStorage: KeyStorage;
  readonly keyPath?: string;
  readonly publicKeySha256: string;
  readonly createdAt: string;
  /** Whole days since the request was made. */
  readonly ageDays: number;
  /** Pending for long: issue it or remove it. */
  readonly stale: boolean;
  readonly issuedBy?: { readonly kind: 'rolecall-ca'; readonly ca: string } | { readonly kind: 'external' };
  readonly issuedAt?: string;
  /** When the agent renews a certificate a Rolecall CA issued (absent for another CA's). */
  readonly renewsAt?: string;
  readonly certificate?: {
    readonly issuer: string;
    readonly serialHex: string;
    readonly notBefore: string;
    readonly notAfter: string;
    readonly fingerprintSha256: string;
    readonly chainLength: number;
  };
  readonly csrPem: string;
}

/** A Rolecall CA: its key rests in the keychain, its certificate (public) in a file for the trust anchor. */
export interface LocalCaView {
  readonly name: string;
  readonly subject: string;
  readonly keyType: string;
  readonly certificatePath: string;
  readonly notAfter: string;
  readonly createdAt: string;
}

/** What a setup would make, before anything is made: every resource and the whole trust policy. */
export interface SetupPreview {
  readonly name: string;
  /** Every principal tag the certificate gives a session, the ones to choose from. */
  readonly certificateTags: Readonly<Record<string, string>>;
  /** The tags the trust policy requires, with the values it requires. */
  readonly pinned: readonly { readonly key: string; readonly value: string }[];
  /** The role's trust policy, JSON; the trust anchor's ARN is a placeholder until it exists. */
  readonly trustPolicy: string;
  readonly resources: readonly { readonly kind: 'trust anchor' | 'IAM role' | 'profile'; readonly name: string; readonly detail: string }[];
  /** The tag every resource carries, `rolecall:setup=NAME`. */
  readonly tag: string;
}

/** A text the window shows, copies and saves: a CloudFormation template or AWS CLI commands. */
export interface SetupText {
  readonly text: string;
  /** What the file is called when saved. */
  readonly fileName: string;
  /** What to run next (the template's deploy command). */
  readonly next?: string;
}

/** A setup created through the SDKs, and the Rolecall profile added with its ARNs and activated. */
export interface SetupResult {
  readonly trustAnchorArn: string;
  readonly roleArn: string;
  readonly profileArn: string;
  readonly steps: readonly { readonly resource: string; readonly name: string; readonly outcome: 'created' | 'found'; readonly arn: string }[];
  readonly profile: ProfileView;
  /** Where the resources were made, as a phrase: "the local sandbox (http://127.0.0.1:PORT)", "eu-west-1, with the AWS CLI profile admin". */
  readonly target: string;
}

/** One check `explain` made, in the service's order. */
export interface ExplainCheck {
  /** Which check: 'certificate', 'chain', 'trust-anchor', 'policy'… (stable, for JSON readers). */
  readonly check: string;
  readonly outcome: 'pass' | 'fail' | 'unknown' | 'note';
  /** When it failed: the error code that names the cause (CERT_EXPIRED, TRUST_POLICY_DENIED…). */
  readonly cause?: string;
  /** What was found, with the profile's real names and values. */
  readonly summary: string;
  /** What to do about it, when it failed or remains unknown. */
  readonly fix?: string;
  /** A trust policy condition: the values it wants and what the certificate carries. */
  readonly wanted?: readonly string[];
  readonly carried?: string | null;
  /** The IAM permission that would let Rolecall look, when it could not. */
  readonly permission?: string;
}

/** Why a profile's CreateSession fails (or would), reproduced locally: the first cause and every check. */
export interface Explanation {
  readonly profile: string;
  /** cause: a check failed (the first is `cause`); clear: every check passed; unknown: none failed, some could not be made. */
  readonly verdict: 'cause' | 'clear' | 'unknown';
  readonly cause?: ExplainCheck;
  readonly checks: readonly ExplainCheck[];
  /** The service's clock as its Date header gave it, when it answered. */
  readonly serviceTime?: string;
  /** The profile's last failure, as the agent recorded it. */
  readonly lastError?: ProblemView;
}
