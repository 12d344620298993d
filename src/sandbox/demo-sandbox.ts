// One call for `rolecall sandbox`, the app's sandbox panel and the demo: the demo PKI (kept from an
// earlier run when still good), a sandbox that trusts it and keeps its account in the same folder, the
// user's own CAs as trust anchors (`--trust-ca`), and the ARNs a profile needs.
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { parseCertificatesPem, toPem, type ServiceCertificate } from './certificate';
import { setTrustAnchorBundle, type TrustAnchorState } from './config';
import { createDemoPki, openDemoPki, DEMO_PROFILE_ID, DEMO_ROLE_ARN, DEMO_TRUST_ANCHOR_ID, type DemoPki } from './demo-pki';
import { startSandbox, type Sandbox } from './server';
import { resetState, STATE_FILE_NAME } from './state-store';

export interface DemoSandboxOptions {
  /** Where the PKI files and the sandbox's state live (created 0700 when missing). */
  readonly dir: string;
  /** Default 0: any free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Make a fresh PKI even when `dir` holds a usable one. */
  readonly freshPki?: boolean;
  /** Start the account over (the demo resources come back; the PKI and the admin key stay). */
  readonly reset?: boolean;
  /** CA bundles (PEM) to trust: each becomes a trust anchor once, however often it is given. */
  readonly trustCas?: readonly TrustCa[];
}

export interface TrustCa {
  /** Where the bundle came from, for messages. */
  readonly source: string;
  readonly pem: string;
}

export interface TrustedCa {
  readonly source: string;
  readonly trustAnchorArn: string;
  /** The first certificate's subject, as openssl prints it one RDN a line joined by ', '. */
  readonly subject: string;
  /** Whether this start made the trust anchor (false: an earlier start or the control plane had). */
  readonly created: boolean;
}

export interface DemoSandbox {
  readonly sandbox: Sandbox;
  readonly pki: DemoPki;
  readonly region: string;
  readonly trustAnchorArn: string;
  readonly profileArn: string;
  readonly roleArn: string;
  readonly trustedCas: readonly TrustedCa[];
  readonly stateFile: string;
  stop(): Promise<void>;
}

/** A `--trust-ca` bundle the service would not take as a trust anchor. */
export class TrustCaError extends Error {
  constructor(
    readonly source: string,
    readonly problem: 'no-certificate' | 'unreadable' | 'not-ca',
    message: string,
  ) {
    super(message);
    this.name = 'TrustCaError';
  }
}

export async function startDemoSandbox(options: DemoSandboxOptions): Promise<DemoSandbox> {
  const bundles = (options.trustCas ?? []).map((ca) => ({ ca, certificates: trustCaCertificates(ca) }));
  const existing = options.freshPki ? undefined : await openDemoPki(options.dir);
  const pki = existing ?? (await createDemoPki(options.dir));
  const stateFile = join(options.dir, STATE_FILE_NAME);
  if (options.reset) resetState(stateFile);
  const sandbox = await startSandbox({
    ...pki.sandboxOptions,
    stateFile,
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.host === undefined ? {} : { host: options.host }),
  });
  try {
    const anchor = sandbox.config.trustAnchors.find((a) => a.id === DEMO_TRUST_ANCHOR_ID);
    const profile = sandbox.config.profiles.find((p) => p.id === DEMO_PROFILE_ID);
    if (!anchor || !profile) throw new Error('The demo sandbox lost its trust anchor or profile');
    const rootPem = pki.sandboxOptions.trustAnchors?.[0]?.caPem;
    // A fresh PKI has a new root: the kept anchor must trust it, not the one before.
    if (rootPem !== undefined && anchor.pem !== rootPem) setTrustAnchorBundle(anchor, rootPem, sandbox.now());
    const trustedCas = bundles.map(({ ca, certificates }) => trustAnchorFor(sandbox, ca, certificates));
    sandbox.persist();
    return {
      sandbox,
      pki,
      region: sandbox.config.region,
      trustAnchorArn: anchor.arn,
      profileArn: profile.arn,
      roleArn: DEMO_ROLE_ARN,
      trustedCas,
      stateFile,
      stop: () => sandbox.stop(),
    };
  } catch (error) {
    await sandbox.stop();
    throw error;
  }
}

function trustCaCertificates(ca: TrustCa): ServiceCertificate[] {
  let certificates: ServiceCertificate[];
  try {
    certificates = parseCertificatesPem(ca.pem);
  } catch {
    throw new TrustCaError(ca.source, 'unreadable', `${ca.source}: a certificate in it could not be parsed`);
  }
  if (certificates.length === 0) throw new TrustCaError(ca.source, 'no-certificate', `${ca.source}: no PEM certificate (-----BEGIN CERTIFICATE-----) in it`);
  const leaf = certificates.find((certificate) => !certificate.isCa);
  if (leaf) throw new TrustCaError(ca.source, 'not-ca', `${ca.source}: ${subjectOf(leaf)} is not a CA certificate (basicConstraints CA:TRUE); pass the CA that issued your certificate`);
  return certificates;
}

/** The same set of certificates, whatever their order or PEM formatting, is the same trust anchor. */
function fingerprint(certificates: readonly ServiceCertificate[]): string {
  return certificates
    .map((certificate) => createHash('sha256').update(certificate.der).digest('hex'))
    .sort()
    .join(',');
}

function trustAnchorFor(sandbox: Sandbox, ca: TrustCa, certificates: ServiceCertificate[]): TrustedCa {
  const wanted = fingerprint(certificates);
  const subject = subjectOf(certificates[0] as ServiceCertificate);
  const found = sandbox.config.trustAnchors.find((anchor) => anchor.sourceType === 'CERTIFICATE_BUNDLE' && fingerprint(anchor.certificates) === wanted);
  if (found) return { source: ca.source, trustAnchorArn: found.arn, subject, created: false };
  const id = randomUUID();
  const stamp = new Date(sandbox.now()).toISOString();
  const anchor: TrustAnchorState = {
    id,
    arn: `arn:aws:rolesanywhere:${sandbox.config.region}:${sandbox.config.account}:trust-anchor/${id}`,
    name: anchorName(certificates[0] as ServiceCertificate),
    enabled: true,
    sourceType: 'CERTIFICATE_BUNDLE',
    acmPcaArn: undefined,
    // The certificates only: a CA key kept in the same file must not reach the state file.
    pem: certificates.map(toPem).join(''),
    certificates,
    tags: [{ key: 'rolecall:trust-ca', value: ca.source.slice(-256) }],
    createdAt: stamp,
    updatedAt: stamp,
  };
  sandbox.config.trustAnchors.push(anchor);
  return { source: ca.source, trustAnchorArn: anchor.arn, subject, created: true };
}

function subjectOf(certificate: ServiceCertificate): string {
  return certificate.node.subject.split('\n').join(', ');
}

/** Trust anchor names allow letters, digits, spaces, '-' and '_' (1-255): the CA's CN, cleaned. */
function anchorName(certificate: ServiceCertificate): string {
  const cn = certificate.node.subject.split('\n').find((line) => line.startsWith('CN='))?.slice(3) ?? 'trusted CA';
  const cleaned = cn.replace(/[^ a-zA-Z0-9_-]/g, '-').slice(0, 255).trim();
  return cleaned === '' ? 'trusted CA' : cleaned;
}
