import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RolecallError } from '../../../src/shared/errors';
import { REDACTED, createRedactor } from '../../../src/core/log/redact';

const redactor = createRedactor();

// Deterministic key material: the same strings on every run, shaped like the real thing.
function generatedSecretKey(seed: number): string {
  return createHash('sha256').update(`secret-${seed}`).digest().subarray(0, 30).toString('base64');
}
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'; // AWS documentation's example
const SESSION_TOKEN = `IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ${createHash('sha512').update('token').digest('base64')}${createHash('sha512').update('more').digest('base64').replace(/=+$/, '')}`;
const ACCESS_KEY_ID = 'ASIAIOSFODNN7EXAMPLE';
const PRIVATE_KEY_PEM = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const RSA_PEM = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
const SIGNATURE = createHash('sha256').update('sig').digest('hex').repeat(8);
const JWT = 'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2lnbmF0dXJlLXBhcnQ';

function body(pem: string): string {
  return pem.split('\n')[1]!;
}

describe('createRedactor: secrets are removed from text', () => {
  it('removes AWS secret access keys', () => {
    const out = redactor.text(`secret ${SECRET_KEY} end`);
    expect(out).toBe(`secret ${REDACTED} end`);
  });

  it('removes generated secret access keys, whatever characters they hold', () => {
    for (let seed = 0; seed < 500; seed += 1) {
      const key = generatedSecretKey(seed);
      expect(redactor.text(`k=${key};`)).not.toContain(key);
      expect(redactor.text(`(${key})`)).not.toContain(key);
    }
  });

  it('removes session tokens', () => {
    expect(SESSION_TOKEN.length).toBeGreaterThan(200);
    const out = redactor.text(`token ${SESSION_TOKEN}`);
    expect(out).toBe(`token ${REDACTED}`);
  });

  it('masks access key ids to their first and last four characters', () => {
    expect(redactor.text(`using ${ACCESS_KEY_ID} now`)).toBe('using ASIA…MPLE now');
    expect(redactor.text('AKIAABCDEFGHIJKLWXYZ')).toBe('AKIA…WXYZ');
  });

  it('removes PEM private key blocks of every kind, and a block cut off before its END line', () => {
    for (const pem of [PRIVATE_KEY_PEM, RSA_PEM, '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHzBJBgkqhkiG9w0BBQ0wPDAbBgkqhkiG9w0BBQww\n-----END ENCRYPTED PRIVATE KEY-----\n']) {
      const out = redactor.text(`key:\n${pem}after`);
      expect(out).toBe('key:\n[REDACTED PRIVATE KEY]\nafter');
    }
    const cut = PRIVATE_KEY_PEM.slice(0, 80);
    expect(redactor.text(`partial ${cut}`)).toBe('partial [REDACTED PRIVATE KEY]');
    expect(redactor.text(JSON.stringify({ pem: RSA_PEM }))).not.toContain(body(RSA_PEM));
  });

  it('removes the signature of an Authorization header but keeps its credential scope', () => {
    const header = `AWS4-X509-RSA-SHA256 Credential=123456789/20240101/us-east-1/rolesanywhere/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-x509, Signature=${SIGNATURE}`;
    const out = redactor.text(`Authorization: ${header}`);
    expect(out).not.toContain(SIGNATURE);
    expect(out).toContain('Credential=123456789/20240101/us-east-1/rolesanywhere/aws4_request');
    expect(out).toContain(`Signature=${REDACTED}`);
    expect(redactor.text(`https://s3.amazonaws.com/b/k?X-Amz-Signature=${SIGNATURE.slice(0, 64)}&x=1`)).toBe(`https://s3.amazonaws.com/b/k?X-Amz-Signature=${REDACTED}&x=1`);
  });

  it('removes container endpoint tokens and other Authorization values', () => {
    const token = randomBytes(32).toString('base64url');
    expect(redactor.text(`Authorization: ${token}`)).toBe(`Authorization: ${REDACTED}`);
    expect(redactor.text(`AWS_CONTAINER_AUTHORIZATION_TOKEN=${token}`)).toBe(`AWS_CONTAINER_AUTHORIZATION_TOKEN=${REDACTED}`);
    expect(redactor.text(`authorization: Bearer ${token}`)).toBe(`authorization: Bearer ${REDACTED}`);
    expect(redactor.text(`header ${JWT} sent`)).toBe(`header ${REDACTED} sent`);
  });

  it('removes the values of secret-named keys written as text', () => {
    const samples: [string, string][] = [
      ['aws_secret_access_key = abc123', `aws_secret_access_key = ${REDACTED}`],
      ['AWS_SESSION_TOKEN=short-token-value', `AWS_SESSION_TOKEN=${REDACTED}`],
      ['{"SecretAccessKey":"s3cr3t","Expiration":"2024-01-01T00:00:00Z"}', `{"SecretAccessKey":"${REDACTED}","Expiration":"2024-01-01T00:00:00Z"}`],
      ["passphrase: 'hunter2'", `passphrase: '${REDACTED}'`],
      ['password=hunter2&user=ann', `password=${REDACTED}&user=ann`],
      ['--pkcs8-password hunter2 --region us-east-1', `--pkcs8-password ${REDACTED} --region us-east-1`],
      ['privateKey: pk-value', `privateKey: ${REDACTED}`],
    ];
    for (const [input, expected] of samples) expect(redactor.text(input)).toBe(expected);
  });

  it('removes exact known secrets wherever they appear', () => {
    const known = 'plain words are a secret too';
    const withKnown = createRedactor({ knownSecrets: () => [known, 'short'] });
    expect(withKnown.text(`said: ${known}!`)).toBe(`said: ${REDACTED}!`);
    expect(withKnown.text('a short word')).toBe('a short word');
  });
});

describe('createRedactor: ordinary text survives', () => {
  const ordinary = [
    'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/7a9f4c34-8e51-4bd7-9e55-0b1c4a5d3f21',
    'arn:aws:rolesanywhere:eu-west-1:123456789012:profile/0f2d9a6b-1c3e-4f5a-8b7c-9d0e1f2a3b4c',
    'arn:aws:iam::123456789012:role/Admin/very/deep/path/DeveloperAccessFromRolecall',
    'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf',
    'profile dev-admin activated; profile prod.readonly@corp refreshed',
    'serial 7F3A9C2B4E6D8F0A1B3C5D7E9F0A2B4C6D8E0F12 and 0x00c0ffee',
    'sha1 fingerprint 4f2a9c3b1d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a',
    'sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    'expires 2024-06-01T12:34:56.789Z (in 3599 s)',
    '/home/alice/.config/Rolecall/logs/rolecall.log',
    '/Users/alice/Library/Application Support/Rolecall/profiles.json',
    '/home/alice/projects/rolecall/tests/fixtures/pki',
    'cd /Users/alice/Projects/Rolecall/certs/dev',
    'C:\\Users\\alice\\AppData\\Roaming\\Rolecall\\profiles.json',
    'https://rolesanywhere.us-east-1.amazonaws.com/sessions',
    'AROAEXAMPLEROLEID1234 and AIDAEXAMPLEUSERID1234',
    'the token expired; refresh in 15 minutes',
    'Credential=123456789/20240101/us-east-1/rolesanywhere/aws4_request',
    'SignedHeaders=content-type;host;x-amz-date',
    'a session lasts 3600 seconds; duration 43200 max',
    'createSessionWithCertificateAndPrivateKey',
  ];
  for (const text of ordinary) {
    it(`keeps "${text}"`, () => {
      expect(redactor.text(text)).toBe(text);
    });
  }
});

describe('createRedactor: structured values', () => {
  it('empties fields named like secrets, whatever their spelling, and keeps flags', () => {
    const out = redactor.value({
      secretAccessKey: 'plain', SessionToken: 'plain', aws_session_token: 'plain', 'x-amz-security-token': 'plain',
      password: 'plain', pkcs8Password: 'plain', passphrase: 'plain', privateKey: 'plain', private_key_pem: 'plain',
      credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: 'plain' }, signature: 'plain', apiKey: 'plain',
      hasPassphrase: true, passwordPrompted: false,
      credentialsFile: '/home/ann/.aws/credentials', profile: 'dev', region: 'us-east-1',
    }) as Record<string, unknown>;
    for (const key of ['secretAccessKey', 'SessionToken', 'aws_session_token', 'x-amz-security-token', 'password', 'pkcs8Password', 'passphrase', 'privateKey', 'private_key_pem', 'credentials', 'signature', 'apiKey']) {
      expect(out[key], key).toBe(REDACTED);
    }
    expect(out).toMatchObject({ hasPassphrase: true, passwordPrompted: false, credentialsFile: '/home/ann/.aws/credentials', profile: 'dev', region: 'us-east-1' });
  });

  it('keeps a SigV4 Authorization field without its signature and removes any other', () => {
    const out = redactor.value({
      headers: { Authorization: `AWS4-X509-EC-SHA256 Credential=42/20240101/us-east-1/rolesanywhere/aws4_request, SignedHeaders=host, Signature=${SIGNATURE}` },
      container: { authorization: 'opaque-container-token' },
    });
    expect(out).toEqual({
      headers: { Authorization: `AWS4-X509-EC-SHA256 Credential=42/20240101/us-east-1/rolesanywhere/aws4_request, SignedHeaders=host, Signature=${REDACTED}` },
      container: { authorization: REDACTED },
    });
  });

  it('redacts strings recursively in objects, arrays, maps and sets', () => {
    const out = JSON.stringify(redactor.value({
      response: { body: `{"credentialSet":[{"credentials":{"accessKeyId":"${ACCESS_KEY_ID}","secretAccessKey":"${SECRET_KEY}","sessionToken":"${SESSION_TOKEN}"}}]}` },
      list: [[[SECRET_KEY]]],
      map: new Map([['k', SESSION_TOKEN]]),
      set: new Set([PRIVATE_KEY_PEM]),
    }));
    for (const secret of [SECRET_KEY, SESSION_TOKEN, body(PRIVATE_KEY_PEM), ACCESS_KEY_ID]) expect(out).not.toContain(secret);
  });

  it('redacts inside Error messages, stacks, causes and RolecallError details', () => {
    const cause = new Error(`upstream said ${SESSION_TOKEN}`);
    const error = new Error(`failed with ${SECRET_KEY}`, { cause });
    const wrapped = new RolecallError('INTERNAL', `detail ${SECRET_KEY}`, { cause: error });
    const out = redactor.value({ error: wrapped, aggregate: new AggregateError([error], 'many') }) as { error: Record<string, unknown> };
    const text = JSON.stringify(out);
    expect(text).not.toContain(SECRET_KEY);
    expect(text).not.toContain(SESSION_TOKEN);
    expect(out.error).toMatchObject({ name: 'RolecallError', code: 'INTERNAL', detail: `detail ${REDACTED}` });
    expect(out.error.stack).toEqual(expect.stringContaining('RolecallError'));
    expect(out.error.cause).toMatchObject({ message: `failed with ${REDACTED}`, cause: { message: `upstream said ${REDACTED}` } });
  });

  it('shows bytes and key objects only by their size and type', () => {
    const keyBytes = Buffer.from(PRIVATE_KEY_PEM);
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(redactor.value({ der: keyBytes, raw: new Uint8Array(3), key: privateKey })).toEqual({
      der: `[${keyBytes.length} bytes]`, raw: '[3 bytes]', key: '[KeyObject private]',
    });
  });

  it('removes the value after a secret flag in an argument list', () => {
    expect(redactor.value(['credential-process', '--pkcs8-password', 'hunter2', '--profile', 'dev'])).toEqual(
      ['credential-process', '--pkcs8-password', REDACTED, '--profile', 'dev']);
  });

  it('copies cycles, dates, bigints and functions into JSON-safe values', () => {
    const node: Record<string, unknown> = { name: 'root', when: new Date('2024-01-02T03:04:05Z'), big: 10n, fn: function refresh() {} };
    node.self = node;
    expect(redactor.value(node)).toEqual({ name: 'root', when: '2024-01-02T03:04:05.000Z', big: '10', fn: '[Function refresh]', self: '[Circular]' });
  });
});
