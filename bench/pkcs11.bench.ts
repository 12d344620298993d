// What a key on a PKCS#11 token costs (Debian's SoftHSM2, tokens in a temp folder): raw signatures per
// second inside one open session, and one whole use as the agent and the drop-in make it for each mint
// (load the module, find certificate and key, log in, prove the key, sign a CreateSession, close), beside
// the same signature with the key in memory.
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePkcs11Uri, withTokenKey } from '../src/core/pkcs11';
import { loadCredentials } from '../src/core/pki';
import { createSessionHeaders, formatAmzDate, keyObjectSigner, signRequest, type Signer } from '../src/core/signing';
import { reportFigure } from './report';
import { percentile, table } from './stats';

const MODULE = ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so'].find((path) => existsSync(path));
const PIN = '731904';
const pki = join(process.env.ROLECALL_ROOT ?? '.', 'tests', 'fixtures', 'pki');

if (!MODULE) {
  console.log('SoftHSM2 is not installed (apt-get install softhsm2): no PKCS#11 figures.');
  process.exit(0);
}

const folder = mkdtempSync(join(tmpdir(), 'rolecall-bench-softhsm-'));
mkdirSync(join(folder, 'tokens'));
const conf = join(folder, 'softhsm2.conf');
writeFileSync(conf, `directories.tokendir = ${join(folder, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
process.env.SOFTHSM2_CONF = conf;
const run = (command: string, args: string[]) => execFileSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });

const keys = [
  ['RSA-2048', 'leaf-rsa2048', '01'],
  ['EC P-256', 'leaf-ec-p256', '02'],
] as const;

try {
  run('softhsm2-util', ['--init-token', '--free', '--label', 'bench', '--pin', PIN, '--so-pin', '11223344']);
  for (const [, file, id] of keys) {
    run('softhsm2-util', ['--import', join(pki, `${file}.key.pkcs8.pem`), '--token', 'bench', '--id', id, '--label', file, '--pin', PIN]);
    const der = join(folder, `${file}.der`);
    run('openssl', ['x509', '-in', join(pki, `${file}.cert.pem`), '-outform', 'DER', '-out', der]);
    run('pkcs11-tool', ['--module', MODULE, '--token-label', 'bench', '--login', '--pin', PIN, '--write-object', der, '--type', 'cert', '--id', id, '--label', file]);
  }

  const rows = [];
  for (const [label, file] of keys) {
    const material = loadCredentials({ certificate: readFileSync(join(pki, `${file}.cert.pem`)), privateKey: readFileSync(join(pki, `${file}.key.pkcs8.pem`)) });
    const options = { modulePath: MODULE, pin: PIN, certificate: { uri: parsePkcs11Uri(`pkcs11:token=bench;object=${file}`) } };
    const message = Buffer.from(`AWS4-X509-ECDSA-SHA256\n20261121T000000Z\n20261121/us-east-1/rolesanywhere/aws4_request\n${'a'.repeat(64)}`);
    const onToken = await withTokenKey(options, (key) => perSecond(() => key.signer.sign(message)));
    const inMemory = await perSecond(() => keyObjectSigner(material.privateKey).sign(message));
    const uses: number[] = [];
    for (let i = 0; i < 40; i += 1) {
      const started = performance.now();
      await withTokenKey(options, (key) => signCreateSession(key.signer, material.leaf.der, material.leaf.serialDecimal));
      uses.push(performance.now() - started);
    }
    const p50 = percentile(uses, 50);
    reportFigure({ name: `PKCS#11 token signatures per second, ${label} (SoftHSM2)`, value: Math.round(onToken), unit: '/s' });
    reportFigure({ name: `PKCS#11 token, one mint's token use p50, ${label} (open, find, log in, prove key, sign, close)`, value: Number(p50.toFixed(2)), unit: 'ms' });
    rows.push([label, Math.round(onToken).toLocaleString('en-US'), Math.round(inMemory).toLocaleString('en-US'), `${p50.toFixed(2)} ms`, `${percentile(uses, 99).toFixed(2)} ms`]);
  }
  console.log(table(['key', 'token signatures/s', 'in-memory signatures/s', 'one mint\'s token use p50', 'p99'], rows));
} finally {
  rmSync(folder, { recursive: true, force: true });
}

async function perSecond(action: () => Promise<unknown>, seconds = 1): Promise<number> {
  for (let i = 0; i < 20; i += 1) await action();
  const started = performance.now();
  let count = 0;
  while (performance.now() - started < seconds * 1000) {
    await action();
    count += 1;
  }
  return count / ((performance.now() - started) / 1000);
}

function signCreateSession(signer: Signer, certificateDer: Buffer, serialDecimal: string) {
  const amzDate = formatAmzDate(Date.now());
  return signRequest({
    method: 'POST',
    path: '/sessions',
    query: { profileArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/p', roleArn: 'arn:aws:iam::123456789012:role/r', trustAnchorArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/t' },
    headers: createSessionHeaders({ host: 'rolesanywhere.us-east-1.amazonaws.com', amzDate, certificateDer }),
    body: '{"durationSeconds":3600}',
    amzDate,
    region: 'us-east-1',
    serialDecimal,
    signer,
  });
}
