// A small, realistic PKI for the demo and end-to-end tests: a root CA (the trust anchor), an
// issuing CA (sent as the chain), and one client certificate per key type Roles Anywhere accepts.
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SESSION_DURATION_SECONDS } from '../shared/limits';
import { generateKey, issueCertificate, type KeyKind } from './certificate-factory';
import type { AccountOptions } from './config';

export const DEMO_KEY_KINDS: readonly KeyKind[] = ['rsa-2048', 'ec-p256', 'ec-p384'];
export const DEMO_ACCOUNT = '123456789012';
export const DEMO_REGION = 'us-east-1';
export const DEMO_TRUST_ANCHOR_ID = 'dec0de00-0000-4000-8000-00000000a001';
export const DEMO_PROFILE_ID = 'dec0de00-0000-4000-8000-00000000b001';
export const DEMO_ROLE_ARN = `arn:aws:iam::${DEMO_ACCOUNT}:role/RolecallDemo`;

export interface DemoLeaf {
  readonly kind: KeyKind;
  /** The client certificate (PEM). */
  readonly certificatePath: string;
  /** Its private key, unencrypted PKCS#8 PEM, mode 0600. */
  readonly privateKeyPath: string;
  /** The intermediates to send with it (PEM bundle; here the issuing CA). */
  readonly chainPath: string;
  readonly serialHex: string;
  readonly serialDecimal: string;
  readonly subject: string;
  readonly notAfter: string;
}

export interface DemoPki {
  readonly dir: string;
  readonly rootCertificatePath: string;
  readonly intermediateCertificatePath: string;
  readonly chainPath: string;
  readonly leaves: Readonly<Record<KeyKind, DemoLeaf>>;
  /** Trust anchor = the root; profile "demo" with the demo role. Pass to `startSandbox`. */
  readonly sandboxOptions: AccountOptions;
}

export interface DemoPkiOptions {
  /** Days the client certificates stay valid; default 365. */
  readonly leafValidityDays?: number;
}

const MANIFEST = 'demo-pki.json';
const DAY_MS = 24 * 60 * 60 * 1000;

interface Manifest {
  readonly version: 1;
  readonly leaves: Record<KeyKind, Pick<DemoLeaf, 'serialHex' | 'serialDecimal' | 'subject' | 'notAfter'>>;
}

function paths(dir: string) {
  return {
    root: join(dir, 'root-ca.pem'),
    intermediate: join(dir, 'intermediate-ca.pem'),
    chain: join(dir, 'chain.pem'),
    manifest: join(dir, MANIFEST),
    leafCertificate: (kind: KeyKind) => join(dir, `leaf-${kind}.pem`),
    leafKey: (kind: KeyKind) => join(dir, `leaf-${kind}.key`),
  };
}

/** Creates the PKI in `dir` (made 0700 if missing), overwriting an earlier one. */
export async function createDemoPki(dir: string, options: DemoPkiOptions = {}): Promise<DemoPki> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const files = paths(dir);
  const now = Date.now();
  const rootKey = await generateKey('rsa-2048');
  const root = await issueCertificate({ subject: 'CN=Rolecall Demo Root CA, O=Rolecall Demo', key: rootKey, ca: true, pathLength: 1 });
  const intermediateKey = await generateKey('ec-p256');
  const intermediate = await issueCertificate({ subject: 'CN=Rolecall Demo Issuing CA, O=Rolecall Demo', key: intermediateKey, issuer: root, ca: true, pathLength: 0 });
  await writeFile(files.root, root.pem);
  await writeFile(files.intermediate, intermediate.pem);
  await writeFile(files.chain, intermediate.pem);

  const leaves = {} as Record<KeyKind, DemoLeaf>;
  const manifest: Manifest = { version: 1, leaves: {} as Manifest['leaves'] };
  for (const kind of DEMO_KEY_KINDS) {
    const key = await generateKey(kind);
    const subject = `CN=rolecall-demo-${kind}, OU=devops, O=Rolecall Demo`;
    const leaf = await issueCertificate({
      subject,
      key,
      issuer: intermediate,
      dnsNames: [`${kind}.demo.rolecall.test`],
      notAfter: new Date(now + (options.leafValidityDays ?? 365) * DAY_MS),
    });
    await writeFile(files.leafCertificate(kind), leaf.pem);
    await writeSecret(files.leafKey(kind), key.privateKeyPem);
    const facts = { serialHex: leaf.serialHex, serialDecimal: leaf.serialDecimal, subject, notAfter: leaf.certificate.notAfter.toISOString() };
    manifest.leaves[kind] = facts;
    leaves[kind] = { kind, certificatePath: files.leafCertificate(kind), privateKeyPath: files.leafKey(kind), chainPath: files.chain, ...facts };
  }
  await writeFile(files.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
  return { dir, rootCertificatePath: files.root, intermediateCertificatePath: files.intermediate, chainPath: files.chain, leaves, sandboxOptions: demoAccount(root.pem) };
}

/**
 * The PKI already in `dir` when it is complete and its client certificates stay valid for at least
 * another day; otherwise undefined. Lets `rolecall sandbox` keep the same files across restarts.
 */
export async function openDemoPki(dir: string): Promise<DemoPki | undefined> {
  const files = paths(dir);
  let manifest: Manifest;
  let rootPem: string;
  try {
    manifest = JSON.parse(await readFile(files.manifest, 'utf8')) as Manifest;
    rootPem = await readFile(files.root, 'utf8');
    await stat(files.chain);
    for (const kind of DEMO_KEY_KINDS) {
      await stat(files.leafCertificate(kind));
      await stat(files.leafKey(kind));
    }
  } catch {
    return undefined;
  }
  if (manifest.version !== 1) return undefined;
  const leaves = {} as Record<KeyKind, DemoLeaf>;
  for (const kind of DEMO_KEY_KINDS) {
    const facts = manifest.leaves[kind];
    if (!facts || Date.parse(facts.notAfter) - Date.now() < DAY_MS) return undefined;
    leaves[kind] = { kind, certificatePath: files.leafCertificate(kind), privateKeyPath: files.leafKey(kind), chainPath: files.chain, ...facts };
  }
  return { dir, rootCertificatePath: files.root, intermediateCertificatePath: files.intermediate, chainPath: files.chain, leaves, sandboxOptions: demoAccount(rootPem) };
}

function demoAccount(rootPem: string): AccountOptions {
  return {
    region: DEMO_REGION,
    account: DEMO_ACCOUNT,
    trustAnchors: [{ id: DEMO_TRUST_ANCHOR_ID, name: 'rolecall-demo', caPem: rootPem }],
    profiles: [{ id: DEMO_PROFILE_ID, name: 'demo', roleArns: [DEMO_ROLE_ARN], durationSeconds: SESSION_DURATION_SECONDS.default, acceptRoleSessionName: true }],
    roles: [{ arn: DEMO_ROLE_ARN, maxSessionDurationSeconds: SESSION_DURATION_SECONDS.max }],
  };
}

async function writeSecret(path: string, content: string): Promise<void> {
  await writeFile(path, content, { mode: 0o600 });
  // `mode` applies only when the file is created; an older file keeps its mode otherwise.
  await chmod(path, 0o600);
}
