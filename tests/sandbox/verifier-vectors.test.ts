// The byte-exact vectors (tests/fixtures/vectors/README.md) seen from the service's side.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RawRequest } from '../../src/sandbox/canonical';
import { parseCertificatesPem } from '../../src/sandbox/certificate';
import { verifyCertificatePath } from '../../src/sandbox/certificate-path';
import { ServiceError } from '../../src/sandbox/service-error';
import { verifyCreateSession, verifyX509Signature } from '../../src/sandbox/verifier';

const dir = join(import.meta.dirname, '../fixtures/vectors');
const read = (name: string) => readFileSync(join(dir, name), 'utf8');
const base64Der = (pemFile: string) => read(pemFile).replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');

const VECTOR_TIME = Date.parse('2024-01-02T03:04:05Z');
const anchors = parseCertificatesPem(read('ca-cert.pem'));

function vectorRequest(name: 'v1-minimal' | 'v2-chain-sdkheaders'): RawRequest {
  const headers: Array<[string, string]> = [
    ['Host', 'rolesanywhere.us-east-1.amazonaws.com'],
    ['Content-Type', 'application/json'],
    ['X-Amz-Date', '20240102T030405Z'],
    ['X-Amz-X509', base64Der('leaf-cert.pem')],
    ['Authorization', read(`${name}.authorization.txt`).trim()],
  ];
  if (name === 'v2-chain-sdkheaders') {
    headers.push(
      ['Amz-Sdk-Invocation-Id', '0b7f3c2e-1d2a-4c5b-8e9f-a0b1c2d3e4f5'],
      ['Amz-Sdk-Request', 'attempt=1; max=3'],
      ['X-Amz-X509-Chain', base64Der('ca-cert.pem')],
      ['User-Agent', 'aws_signing_helper/1.8.0'],
    );
  }
  return { method: 'POST', path: '/sessions', query: read(`${name}.query.txt`).trim(), headers, body: readFileSync(join(dir, `${name}.body.json`)) };
}

function failure(run: () => unknown): ServiceError {
  try {
    run();
  } catch (error) {
    if (error instanceof ServiceError) return error;
    throw error;
  }
  throw new Error('expected the request to be rejected');
}

describe.each(['v1-minimal', 'v2-chain-sdkheaders'] as const)('vector %s', (name) => {
  it('passes the signature layer at the vector time', () => {
    const verified = verifyX509Signature(vectorRequest(name), { now: VECTOR_TIME, region: 'us-east-1' });
    expect(verified.algorithm).toBe('AWS4-X509-RSA-SHA256');
    expect(verified.leaf.serialDecimal).toBe('41796794418840706582093025104159514797');
  });

  it('rebuilds the canonical request and string to sign byte for byte', () => {
    const verified = verifyX509Signature(vectorRequest(name), { now: VECTOR_TIME, region: 'us-east-1' });
    expect(verified.canonicalRequest).toBe(read(`${name}.canonical-request.txt`).replace(/\n$/, ''));
    expect(verified.stringToSign).toBe(read(`${name}.string-to-sign.txt`).replace(/\n$/, ''));
  });

  it('fails the full check only on certificate validity, since the leaf is not valid in 2024', () => {
    const error = failure(() => verifyCreateSession(vectorRequest(name), { now: VECTOR_TIME, region: 'us-east-1', trustAnchors: anchors }));
    expect(error.code).toBe('AccessDeniedException');
    expect(error.status).toBe(403);
    expect(error.reason).toBe('CERTIFICATE_NOT_YET_VALID');
  });
});

describe('vector certificates', () => {
  it('chain to ca-cert.pem at a time both are valid', () => {
    const verified = verifyX509Signature(vectorRequest('v2-chain-sdkheaders'), { now: VECTOR_TIME, region: 'us-east-1' });
    const path = verifyCertificatePath(verified.leaf, verified.chain, anchors, Date.parse('2030-01-01T00:00:00Z'));
    expect(path.map((cert) => cert.node.subject)).toEqual(['CN=roles-anywhere-test-vector', 'CN=Test Vector Root CA']);
  });

  it('rejects the vector when the service serves another region', () => {
    const error = failure(() => verifyX509Signature(vectorRequest('v1-minimal'), { now: VECTOR_TIME, region: 'eu-west-1' }));
    expect(error.reason).toBe('WRONG_REGION');
  });

  it('accepts the vector when only its unsigned User-Agent changed', () => {
    const request = vectorRequest('v2-chain-sdkheaders');
    const changed = { ...request, headers: request.headers.map(([k, v]) => [k, k === 'User-Agent' ? 'something-else/2.0' : v] as const) };
    expect(() => verifyX509Signature(changed, { now: VECTOR_TIME, region: 'us-east-1' })).not.toThrow();
  });
});
