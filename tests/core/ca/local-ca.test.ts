// A Rolecall CA on the real keychain of the test D-Bus session, judged by openssl: its certificate is a
// v3 CA as the tutorials make one, and the client certificates it issues from pending requests verify
// against it and are imported into the request.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalCaManager } from '../../../src/core/ca';
import { parseCertificates } from '../../../src/core/pki';
import { systemClock } from '../../../src/core/platform/clock';
import { RolecallError } from '../../../src/shared/errors';
import { createKeychainWorld, filesUnder, pemBodyLines, run, type KeychainWorld } from '../certificates/helpers';

describe('Rolecall CA on the real keychain', () => {
  let world: KeychainWorld;
  let cas: LocalCaManager;

  beforeEach(async () => {
    world = await createKeychainWorld();
    cas = new LocalCaManager({ dataDir: world.dataDir, secrets: world.secrets, clock: systemClock, certificates: world.certificates });
  });
  afterEach(async () => {
    await world.dispose();
  });

  it('creates a self-signed v3 CA with its key in the keychain and its certificate in a file for the trust anchor', async () => {
    const ca = await cas.create({ name: 'team', subject: 'CN=Team CA,O=Example Corp' });
    expect(ca.keyAccount).toMatch(/^ca-key:/);
    expect(await world.accounts()).toEqual([ca.keyAccount]);
    expect(await readFile(ca.certificatePath, 'utf8')).toBe(ca.certificatePem);
    expect((await stat(ca.certificatePath)).mode & 0o777).toBe(0o644);

    const { stdout } = await run('openssl', ['x509', '-in', ca.certificatePath, '-noout', '-text']);
    expect(stdout).toContain('Version: 3');
    expect(stdout).toMatch(/Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(stdout).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/);
    expect(stdout).toContain('ecdsa-with-SHA256');
    const verified = await run('openssl', ['verify', '-CAfile', ca.certificatePath, ca.certificatePath]);
    expect(verified.stdout).toContain('OK');
    const [certificate] = parseCertificates(ca.certificatePem);
    expect(certificate?.notAfter.getTime()).toBeGreaterThan(Date.now() + 3649 * 24 * 3600 * 1000);

    const key = (await world.secrets.get(ca.keyAccount)) ?? '';
    for (const file of await filesUnder(world.dataDir)) {
      expect(file.text).not.toContain('PRIVATE KEY');
      for (const line of pemBodyLines(key)) expect(file.text).not.toContain(line);
    }
  });

  it('issues a client certificate for a pending request that openssl verifies against the CA, and imports it', async () => {
    const ca = await cas.create({ name: 'team', subject: 'CN=Team CA', keyType: 'p384' });
    await world.certificates.create({ name: 'alice', subject: 'CN=alice,OU=devops', sans: ['dns:alice.example.com', 'uri:spiffe://example.com/alice'], keyType: 'rsa2048' });
    const issued = await cas.issue({ ca: 'team', certificate: 'alice', days: 30 });
    expect(issued).toMatchObject({ state: 'issued', issuedBy: { kind: 'rolecall-ca', ca: 'team' }, chainPem: [] });

    const leafPath = `${world.dataDir}/alice.pem`;
    await writeFile(leafPath, issued.certificatePem ?? '');
    const verified = await run('openssl', ['verify', '-CAfile', ca.certificatePath, '-purpose', 'sslclient', leafPath]);
    expect(verified.stdout).toContain('OK');
    const { stdout } = await run('openssl', ['x509', '-in', leafPath, '-noout', '-text']);
    expect(stdout).toMatch(/Basic Constraints: critical\s+CA:FALSE/);
    expect(stdout).toMatch(/Key Usage: critical\s+Digital Signature/);
    expect(stdout).toMatch(/Extended Key Usage:\s+TLS Web Client Authentication/);
    expect(stdout).toContain('DNS:alice.example.com');
    expect(stdout).toContain('URI:spiffe://example.com/alice');
    expect(stdout).toContain('ecdsa-with-SHA384');
    const [leaf] = parseCertificates(issued.certificatePem ?? '');
    expect(leaf?.subject).toBe('CN=alice, OU=devops');
    expect((leaf?.notAfter.getTime() ?? 0) - Date.now()).toBeLessThanOrEqual(30 * 24 * 3600 * 1000);

    const credentials = await world.certificates.credentials('alice');
    expect(credentials.leaf.matchesPrivateKey(credentials.privateKey)).toBe(true);
    await expect(cas.issue({ ca: 'team', certificate: 'alice' })).rejects.toMatchObject({ code: 'CERTIFICATE_NOT_PENDING' });
  });

  it('refuses unknown CAs and requests, a second CA of one name and an impossible validity', async () => {
    await world.certificates.create({ name: 'alice', subject: 'CN=alice' });
    await expect(cas.issue({ ca: 'nope', certificate: 'alice' })).rejects.toMatchObject({ code: 'CA_NOT_FOUND' });
    await cas.create({ name: 'team', subject: 'CN=Team CA' });
    await expect(cas.create({ name: 'team', subject: 'CN=Other' })).rejects.toMatchObject({ code: 'CA_EXISTS' });
    await expect(cas.issue({ ca: 'team', certificate: 'nope' })).rejects.toMatchObject({ code: 'CERTIFICATE_NOT_FOUND' });
    await expect(cas.issue({ ca: 'team', certificate: 'alice', days: 0 })).rejects.toMatchObject({ code: 'VALIDITY_INVALID' });
    await expect(cas.create({ name: 'long', subject: 'CN=x', days: 40000 })).rejects.toMatchObject({ code: 'VALIDITY_INVALID' });
  });

  it('refuses to sign a request whose CSR signature does not verify', async () => {
    await cas.create({ name: 'team', subject: 'CN=Team CA' });
    const request = await world.certificates.create({ name: 'alice', subject: 'CN=alice' });
    const der = Buffer.from(request.csrPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
    der[der.length - 5] = (der[der.length - 5] ?? 0) ^ 0xff;
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    await world.certificates.records.put('alice', (current) => ({ ...current, csrPem: tampered }));
    await expect(cas.issue({ ca: 'team', certificate: 'alice' })).rejects.toMatchObject({ code: 'CSR_INVALID' });
    expect((await world.certificates.get('alice')).state).toBe('pending');
  });

  it('leaves no keychain item and no certificate file when the CA cannot be recorded', async () => {
    cas.records.add = () => Promise.reject(new RolecallError('STORE_UNWRITABLE', 'disk full'));
    await expect(cas.create({ name: 'team', subject: 'CN=Team CA' })).rejects.toMatchObject({ code: 'STORE_UNWRITABLE' });
    expect(await world.accounts()).toEqual([]);
    expect((await filesUnder(world.dataDir)).map((file) => file.path)).toEqual([]);
  });

  it('removes a CA with its keychain item and certificate file', async () => {
    const ca = await cas.create({ name: 'team', subject: 'CN=Team CA' });
    await cas.remove('team');
    expect(await world.accounts()).toEqual([]);
    await expect(stat(ca.certificatePath)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await cas.list()).toEqual([]);
  });
});
