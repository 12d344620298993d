// Keys born for Roles Anywhere: generation time per key type, a CSR signed by the new key, a whole
// `certificate new` (key, CSR, keychain item, record), and a Rolecall CA issuing for a pending request
// (CA key from the keychain, signing, import with its checks). Runs in a private keyring.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalCaManager } from '../src/core/ca';
import { CertificateManager, KEY_TYPES, createCsr, generateKeyOfType, loadX509, parseSubject, type KeyType } from '../src/core/certificates';
import { systemClock } from '../src/core/platform/clock';
import { KeytarSecretStore } from '../src/core/secrets';
import { inPrivateKeyring } from './private-keyring';
import { reportFigure } from './report';
import { ms, percentile, table } from './stats';

/** EC keys take well under a millisecond: show them with the digits that matter. */
const precise = (value: number): string => (value < 1 ? `${value.toFixed(3)} ms` : ms(value));

inPrivateKeyring();

const ROUNDS: Record<KeyType, number> = { p256: 100, p384: 60, rsa2048: 12, rsa3072: 6, rsa4096: 4 };
const subject = parseSubject('CN=bench,OU=devops,O=Example Corp,C=US');

async function timed(rounds: number, action: (round: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const started = performance.now();
    await action(round);
    samples.push(performance.now() - started);
  }
  return samples;
}

const libraryStarted = performance.now();
await loadX509();
const libraryLoad = performance.now() - libraryStarted;

const rows: (string | number)[][] = [];
for (const keyType of KEY_TYPES) {
  const generation = await timed(ROUNDS[keyType], () => generateKeyOfType(keyType));
  const key = await generateKeyOfType(keyType);
  const csr = await timed(Math.max(ROUNDS[keyType], 20), () => createCsr({ ...key, subject, sans: [{ type: 'dns', value: 'bench.example.com' }] }));
  const keyP50 = percentile(generation, 50);
  const csrP50 = percentile(csr, 50);
  rows.push([keyType, ROUNDS[keyType], precise(keyP50), precise(percentile(generation, 95)), ms(csrP50)]);
  reportFigure({ name: `key generation ${keyType} (p50)`, value: keyP50, unit: 'ms' });
  reportFigure({ name: `CSR ${keyType} (p50)`, value: csrP50, unit: 'ms' });
}

const dataDir = mkdtempSync(join(tmpdir(), 'rolecall-bench-keys-'));
const secrets = new KeytarSecretStore({ service: 'Rolecall-bench-keys' });
const certificates = new CertificateManager({ dataDir, secrets, clock: systemClock });
const cas = new LocalCaManager({ dataDir, secrets, clock: systemClock, certificates });
const REQUESTS = 30;
try {
  await cas.create({ name: 'bench-ca', subject: 'CN=Bench CA' });
  const created = await timed(REQUESTS, (round) => certificates.create({ name: `bench-${round}`, subject: 'CN=bench,OU=devops' }));
  const issued = await timed(REQUESTS, (round) => cas.issue({ ca: 'bench-ca', certificate: `bench-${round}` }));
  console.log(table(['key type', 'rounds', 'key p50', 'key p95', 'CSR p50'], rows));
  console.log(`@peculiar/x509 first load: ${ms(libraryLoad)}`);
  console.log(table(['step (P-256, keychain)', 'p50', 'p95'], [
    ['certificate new (key, CSR, keychain, record)', ms(percentile(created, 50)), ms(percentile(created, 95))],
    ['ca issue (sign CSR, import with checks)', ms(percentile(issued, 50)), ms(percentile(issued, 95))],
  ]));
  reportFigure({ name: '@peculiar/x509 first load', value: libraryLoad, unit: 'ms' });
  reportFigure({ name: 'certificate new, P-256 into the keychain (p50)', value: percentile(created, 50), unit: 'ms' });
  reportFigure({ name: 'ca issue, P-256 CA for a P-256 request (p50)', value: percentile(issued, 50), unit: 'ms' });
} finally {
  for (const record of await certificates.list()) await certificates.remove(record.name);
  for (const record of await cas.list()) await cas.remove(record.name);
  rmSync(dataDir, { recursive: true, force: true });
}
