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
export type KeyStorage = 'keychain' | 'file';
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
  readonly certificate: CertificateSummary;
  readonly chain: readonly CertificateSummary[];
  readonly certificateState: CertificateState;
  readonly certificateDaysLeft: number;
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
}

/** Bounds of `requestTimeoutSeconds`; the default is also drop-in `credential-process`'s deadline. */
export const REQUEST_TIMEOUT_SECONDS = { default: 30, min: 1, max: 300 } as const;

export interface AgentInfo {
  readonly pid: number;
  readonly host: 'app' | 'headless';
  readonly version: string;
  readonly startedAt: string;
  readonly dataDir: string;
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
