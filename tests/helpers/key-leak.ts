// Proof that a key born in the keychain never reached a file: the key is read back from the keychain
// (where the CLI's certificate request put it) and looked for, in every encoding a leak would take, in
// every file written since the test began under os.tmpdir()'s rolecall folders (the isolated env's data
// folder, AWS files and agent logs, the test's own folder, and any temp folder the CLI or agent made).
import { createPrivateKey } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { CertificateView } from '../../src/core/certificates';
import { KeytarSecretStore } from '../../src/core/secrets';
import type { IsolatedEnv } from './isolated-env';

interface WrittenFile {
  readonly path: string;
  readonly bytes: Buffer;
}

/** The PKCS#8 PEM the keychain holds for a `rolecall certificate new` request. */
export async function keychainKeyOf(env: IsolatedEnv, name: string): Promise<string> {
  const view = JSON.parse((await env.cli(['certificate', 'show', name, '--json'])).stdout) as CertificateView;
  expect(view.keyStorage).toBe('keychain');
  const records = JSON.parse(await readFile(join(env.dataDir, 'certificates.json'), 'utf8')) as { certificates: { name: string; key: { account: string } }[] };
  const account = records.certificates.find((record) => record.name === name)?.key.account ?? '';
  const key = (await new KeytarSecretStore().get(account)) ?? '';
  expect(key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  return key;
}

/**
 * The request's private key appears in no file written since `since` (ms): not its DER (raw, base64,
 * base64url or hex, across line breaks, JSON escapes and colons), nor any of its private numbers (the
 * EC scalar; RSA's d, p, q and CRT values) raw, as a JWK holds them or as `openssl pkey -text` prints
 * them. Lines of the PEM are not looked for alone: an RSA key's lines hold its modulus, which the CSR
 * and certificate carry in public.
 */
export async function expectKeyInNoFile(env: IsolatedEnv, name: string, since: number): Promise<void> {
  const key = createPrivateKey(await keychainKeyOf(env, name));
  const der = key.export({ format: 'der', type: 'pkcs8' });
  const jwk = key.export({ format: 'jwk' });
  const privateNumbers = [jwk.d, jwk.p, jwk.q, jwk.dp, jwk.dq, jwk.qi].filter((value) => value !== undefined).map((value) => Buffer.from(value, 'base64url'));
  expect(privateNumbers.length, `${name}: the key's private numbers`).toBeGreaterThan(0);
  const binary = [der, ...privateNumbers];
  const text = binary.flatMap((bytes) => [bytes.toString('base64'), bytes.toString('base64url')]);
  const hex = binary.map((bytes) => bytes.toString('hex'));

  const files = await rolecallFilesSince(since);
  expect(files.map((file) => file.path).filter((path) => path.startsWith(env.dataDir)).length, 'the scan reads the data folder').toBeGreaterThan(0);
  for (const file of files) {
    for (const needle of binary) expect(file.bytes.includes(needle), `${file.path} holds the key's bytes`).toBe(false);
    // A leak may be wrapped, JSON-escaped or colon-separated: drop those before looking.
    const compact = file.bytes.toString('latin1').replace(/\\[nr]|[\s:]/g, '');
    for (const needle of text) expect(compact.includes(needle), `${file.path} holds the key in base64`).toBe(false);
    const lower = compact.toLowerCase();
    for (const needle of hex) expect(lower.includes(needle), `${file.path} holds the key in hex`).toBe(false);
  }
}

/** Files under os.tmpdir()'s rolecall* folders modified since `since`; files other tests remove meanwhile are skipped. */
async function rolecallFilesSince(since: number): Promise<WrittenFile[]> {
  const root = tmpdir();
  const folders = (await readdir(root)).filter((entry) => entry.startsWith('rolecall')).map((entry) => join(root, entry));
  const files: WrittenFile[] = [];
  for (const folder of folders) {
    for (const entry of await gone([], () => readdir(folder, { recursive: true }))) {
      const path = join(folder, entry);
      const info = await gone(undefined, () => stat(path));
      if (!info?.isFile() || info.mtimeMs < since) continue;
      const bytes = await gone(undefined, () => readFile(path));
      if (bytes) files.push({ path, bytes });
    }
  }
  return files;
}

/** Other test files share os.tmpdir() and delete their folders while this scan reads them. */
async function gone<T, F>(fallback: F, read: () => Promise<T>): Promise<T | F> {
  try {
    return await read();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return fallback;
    throw error;
  }
}
