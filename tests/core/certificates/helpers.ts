// What the certificate and CA tests share: a temp data folder, a manager on the real keychain of the
// test D-Bus session (its own service name, emptied afterwards), and openssl as the outside CA.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import keytar from 'keytar';
import { CertificateManager } from '../../../src/core/certificates';
import { systemClock } from '../../../src/core/platform/clock';
import { KeytarSecretStore } from '../../../src/core/secrets';
import type { OpensslCa } from '../../sandbox/openssl-ca';

export const run = promisify(execFile);

/** The extfile of the tutorials' client certificates. */
export const CLIENT_EXTENSIONS = 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n';

export interface KeychainWorld {
  readonly service: string;
  readonly secrets: KeytarSecretStore;
  readonly dataDir: string;
  readonly certificates: CertificateManager;
  /** Accounts this test's service holds in the keychain. */
  accounts(): Promise<string[]>;
  dispose(): Promise<void>;
}

export async function createKeychainWorld(): Promise<KeychainWorld> {
  const service = `Rolecall-test-${randomUUID()}`;
  const secrets = new KeytarSecretStore({ service });
  await secrets.probe();
  const dataDir = await mkdtemp(join(tmpdir(), 'rolecall-certificates-'));
  return {
    service,
    secrets,
    dataDir,
    certificates: new CertificateManager({ dataDir, secrets, clock: systemClock }),
    accounts: async () => (await keytar.findCredentials(service)).map((item) => item.account).sort(),
    async dispose() {
      for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Signs a CSR the way the tutorials do: `openssl x509 -req` with an extfile. */
export async function signWithOpenssl(ca: OpensslCa, csrPem: string, extensions = CLIENT_EXTENSIONS): Promise<string> {
  const id = randomUUID();
  const csrPath = join(ca.dir, `${id}.csr`);
  const extPath = join(ca.dir, `${id}.ext`);
  const certificatePath = join(ca.dir, `${id}.pem`);
  await writeFile(csrPath, csrPem);
  await writeFile(extPath, extensions);
  await run('openssl', ['x509', '-req', '-in', csrPath, '-CA', ca.certificatePath, '-CAkey', ca.keyPath, '-CAcreateserial', '-sha256', '-days', '30', '-extfile', extPath, '-out', certificatePath]);
  return readFile(certificatePath, 'utf8');
}

/** `openssl req -text` of a CSR, after checking its signature with `-verify`. */
export async function verifiedCsrText(dir: string, csrPem: string): Promise<string> {
  const path = join(dir, `${randomUUID()}.csr`);
  await writeFile(path, csrPem);
  const { stdout, stderr } = await run('openssl', ['req', '-in', path, '-noout', '-verify', '-text']);
  if (!/verif(y|ication) OK/i.test(stdout + stderr)) throw new Error(`openssl did not verify the CSR: ${stderr}`);
  return stdout;
}

/** The base64 body lines of a PEM, long enough that finding one in a file means the key leaked. */
export function pemBodyLines(pem: string): string[] {
  return pem.split('\n').filter((line) => line.length >= 40 && !line.startsWith('-----'));
}

/** Every file under a folder with its text. */
export async function filesUnder(dir: string): Promise<{ path: string; text: string }[]> {
  const files: { path: string; text: string }[] = [];
  for (const entry of await readdir(dir, { recursive: true })) {
    const path = join(dir, entry);
    if ((await stat(path)).isFile()) files.push({ path, text: await readFile(path, 'latin1') });
  }
  return files;
}
