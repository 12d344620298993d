// Signatures per second for the key types Roles Anywhere accepts: a raw sign of a string to sign,
// and a whole SigV4-X509 CreateSession signature (canonical request, hashing, headers).
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCredentials } from '../src/core/pki';
import { createSessionHeaders, formatAmzDate, keyObjectSigner, signRequest } from '../src/core/signing';
import { reportFigure } from './report';
import { table } from './stats';

const pki = join(process.env.ROLECALL_ROOT ?? '.', 'tests', 'fixtures', 'pki');
const read = (name: string) => readFileSync(join(pki, name));
const keys = [
  ['RSA-2048', 'leaf-rsa2048.cert.pem', 'leaf-rsa2048.key.pkcs8.pem'],
  ['EC P-256', 'leaf-ec-p256.cert.pem', 'leaf-ec-p256.key.pkcs8.pem'],
  ['EC P-384', 'leaf-ec-p384.cert.pem', 'leaf-ec-p384.key.pkcs8.pem'],
] as const;

async function perSecond(action: () => Promise<unknown>, seconds = 1): Promise<number> {
  for (let i = 0; i < 50; i += 1) await action();
  const deadline = performance.now() + seconds * 1000;
  let count = 0;
  const started = performance.now();
  while (performance.now() < deadline) {
    await action();
    count += 1;
  }
  return count / ((performance.now() - started) / 1000);
}

const rows = [];
for (const [label, certificate, key] of keys) {
  const material = loadCredentials({ certificate: read(certificate), privateKey: read(key), intermediates: read('intermediate-ca.cert.pem') });
  const signer = keyObjectSigner(material.privateKey);
  const message = Buffer.from('AWS4-X509-RSA-SHA256\n20261121T000000Z\n20261121/us-east-1/rolesanywhere/aws4_request\n' + 'a'.repeat(64));
  const raw = await perSecond(() => signer.sign(message));
  const request = await perSecond(() => {
    const amzDate = formatAmzDate(Date.now());
    const headers = createSessionHeaders({ host: 'rolesanywhere.us-east-1.amazonaws.com', amzDate, certificateDer: material.leaf.der, chainDer: material.chain.map((c) => c.der) });
    return signRequest({
      method: 'POST',
      path: '/sessions',
      query: { profileArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/p', roleArn: 'arn:aws:iam::123456789012:role/r', trustAnchorArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/t' },
      headers,
      body: '{"durationSeconds":3600}',
      amzDate,
      region: 'us-east-1',
      serialDecimal: material.leaf.serialDecimal,
      signer,
    });
  });
  reportFigure({ name: `signed CreateSession requests per second, ${label}`, value: Math.round(request), unit: 'req/s' });
  rows.push([label, Math.round(raw).toLocaleString('en-US'), Math.round(request).toLocaleString('en-US'), `${(1000 / request).toFixed(3)} ms`]);
}
console.log(table(['key', 'raw signatures/s', 'signed CreateSession requests/s', 'per request'], rows));
