// Real PKCS#11 tokens for tests: Debian's SoftHSM2 with its tokens in a temp folder (SOFTHSM2_CONF),
// filled with Debian's softhsm2-util and pkcs11-tool (OpenSC), and certificates for the tokens' keys
// issued by the committed test PKI's intermediate CA with openssl.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pkiPath } from './fixtures';

export const SOFTHSM_MODULE = ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so'].find((path) => existsSync(path)) ?? '/usr/lib/softhsm/libsofthsm2.so';
export const USER_PIN = '731904';
const SO_PIN = '87654321';

export interface SoftHsm {
  readonly folder: string;
  /** SOFTHSM2_CONF for this folder's tokens. */
  readonly conf: string;
  initToken(label: string, pin?: string): void;
  /** A key pair made on the token (it never exists anywhere else); returns the public key, PEM. */
  generateKey(token: string, keyType: 'rsa:2048' | 'EC:prime256v1', id: string, label: string, options?: { alwaysAuthenticate?: boolean }): Promise<string>;
  /** A PKCS#8 PEM key file imported into the token, for byte comparisons with the software signer. */
  importKey(token: string, keyFile: string, id: string, label: string): void;
  writeCertificate(token: string, certificatePem: string, id: string, label: string): Promise<void>;
  /** A leaf certificate for `publicKeyPem` from the test PKI's intermediate CA (clientAuth, digitalSignature). */
  issueCertificate(publicKeyPem: string, commonName: string): Promise<string>;
  remove(): Promise<void>;
}

export async function createSoftHsm(): Promise<SoftHsm> {
  const folder = await mkdtemp(join(tmpdir(), 'rolecall-softhsm-'));
  const tokens = join(folder, 'tokens');
  await mkdir(tokens);
  const conf = join(folder, 'softhsm2.conf');
  await writeFile(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = true\n`);
  const env = { ...process.env, SOFTHSM2_CONF: conf };
  const run = (command: string, args: string[]) => execFileSync(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] }).toString('utf8');
  const tool = (token: string, args: string[]) => run('pkcs11-tool', ['--module', SOFTHSM_MODULE, '--token-label', token, '--login', '--pin', USER_PIN, ...args]);
  let serial = 0;
  return {
    folder,
    conf,
    initToken(label, pin = USER_PIN) {
      run('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', SO_PIN]);
    },
    async generateKey(token, keyType, id, label, options = {}) {
      tool(token, ['--keypairgen', '--key-type', keyType, '--id', id, '--label', label, ...(options.alwaysAuthenticate ? ['--always-auth'] : [])]);
      const der = join(folder, `pub-${id}.der`);
      run('pkcs11-tool', ['--module', SOFTHSM_MODULE, '--token-label', token, '--read-object', '--type', 'pubkey', '--id', id, '-o', der]);
      return run('openssl', ['pkey', '-pubin', '-inform', 'DER', '-in', der]);
    },
    importKey(token, keyFile, id, label) {
      run('softhsm2-util', ['--import', keyFile, '--token', token, '--id', id, '--label', label, '--pin', USER_PIN]);
    },
    async writeCertificate(token, certificatePem, id, label) {
      const pem = join(folder, `cert-${id}-${label}.pem`);
      const der = `${pem}.der`;
      await writeFile(pem, certificatePem);
      run('openssl', ['x509', '-in', pem, '-outform', 'DER', '-out', der]);
      tool(token, ['--write-object', der, '--type', 'cert', '--id', id, '--label', label]);
    },
    async issueCertificate(publicKeyPem, commonName) {
      serial += 1;
      const pub = join(folder, `issue-${serial}.pub.pem`);
      const ext = join(folder, `issue-${serial}.ext`);
      const out = join(folder, `issue-${serial}.cert.pem`);
      await writeFile(pub, publicKeyPem);
      await writeFile(ext, 'basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature\nextendedKeyUsage = clientAuth\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid:always\n');
      run('openssl', [
        'x509', '-new', '-subj', `/O=Rolecall Tests/OU=devops/CN=${commonName}`, '-force_pubkey', pub,
        '-CA', pkiPath('intermediate-ca.cert.pem'), '-CAkey', pkiPath('intermediate-ca.key.pem'), '-set_serial', String(1000 + serial),
        '-days', '30', '-sha256', '-extfile', ext, '-out', out,
      ]);
      return readFile(out, 'utf8');
    },
    async remove() {
      await rm(folder, { recursive: true, force: true });
    },
  };
}
