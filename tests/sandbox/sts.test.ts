// STS GetCallerIdentity with credentials the sandbox issued, in XML, query-JSON and awsJson forms,
// and the errors clients key on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server';
import { makeTestPki, type TestPki } from './test-pki';
import { issueCredentials, startTestSandbox } from './sandbox-helpers';
import { send, signHmac, type HmacSignInput } from './test-signer';

let pki: TestPki;
let sandbox: Sandbox;
let offsetMs = 0;
let credentials: Awaited<ReturnType<typeof issueCredentials>>;

beforeAll(async () => {
  pki = await makeTestPki();
  sandbox = await startTestSandbox(pki, { clock: () => Date.now() + offsetMs });
  credentials = await issueCredentials(sandbox, pki);
});
afterAll(() => sandbox.stop());

const FORM = 'Action=GetCallerIdentity&Version=2011-06-15';

function stsCall(overrides: Partial<HmacSignInput> = {}) {
  return send(
    sandbox.url,
    signHmac({
      method: 'POST',
      host: new URL(sandbox.url).host,
      path: '/',
      body: FORM,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
      region: 'us-east-1',
      service: 'sts',
      date: new Date(sandbox.now()),
      ...overrides,
    }),
  );
}

const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

describe('GetCallerIdentity', () => {
  it('answers in STS XML with the assumed-role identity', async () => {
    const response = await stsCall();
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/xml');
    expect(response.body).toContain('<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">');
    const serial = pki.ecLeaf.serialHex;
    expect(tag(response.body, 'Arn')).toBe(`arn:aws:sts::123456789012:assumed-role/Dev/${serial}`);
    expect(tag(response.body, 'UserId')).toMatch(new RegExp(`^AROA[A-Z2-7]{17}:${serial}$`));
    expect(tag(response.body, 'Account')).toBe('123456789012');
    expect(tag(response.body, 'RequestId')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('accepts any region in the credential scope', async () => {
    expect((await stsCall({ region: 'eu-central-1' })).status).toBe(200);
  });

  it('answers in JSON when the client accepts application/json', async () => {
    const response = await stsCall({ headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' } });
    const body = response.json<{ GetCallerIdentityResponse: { GetCallerIdentityResult: Record<string, string> } }>();
    expect(body.GetCallerIdentityResponse.GetCallerIdentityResult.Account).toBe('123456789012');
    expect(body.GetCallerIdentityResponse.GetCallerIdentityResult.Arn).toContain(':assumed-role/Dev/');
  });

  it('answers the awsJson protocol when asked through X-Amz-Target', async () => {
    const response = await stsCall({
      body: '{}',
      headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'AWSSecurityTokenServiceV20110615.GetCallerIdentity' },
    });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(Object.keys(response.json()).sort()).toEqual(['Account', 'Arn', 'UserId']);
  });

  it('also answers a GET with the parameters in the query string', async () => {
    const response = await stsCall({ method: 'GET', body: '', headers: {}, query: FORM });
    expect(response.status).toBe(200);
  });
});

describe('STS errors', () => {
  it('answers SignatureDoesNotMatch for a wrong secret', async () => {
    const response = await stsCall({ secretAccessKey: 'x'.repeat(40) });
    expect(response.status).toBe(403);
    expect(tag(response.body, 'Code')).toBe('SignatureDoesNotMatch');
    expect(tag(response.body, 'Type')).toBe('Sender');
    expect(response.body).toContain('<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">');
  });

  it('answers SignatureDoesNotMatch for a body changed after signing', async () => {
    const request = signHmac({
      method: 'POST', host: new URL(sandbox.url).host, path: '/', body: FORM,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken,
      region: 'us-east-1', service: 'sts', date: new Date(sandbox.now()),
    });
    const response = await send(sandbox.url, { ...request, body: Buffer.from(`${FORM}&Extra=1`) });
    expect(tag(response.body, 'Code')).toBe('SignatureDoesNotMatch');
  });

  it('answers InvalidClientTokenId for an access key it never issued', async () => {
    const response = await stsCall({ accessKeyId: 'ASIAAAAAAAAAAAAAAAAA' });
    expect(response.status).toBe(403);
    expect(tag(response.body, 'Code')).toBe('InvalidClientTokenId');
  });

  it('answers InvalidClientTokenId when the session token is not the one issued', async () => {
    expect(tag((await stsCall({ sessionToken: 'forged' })).body, 'Code')).toBe('InvalidClientTokenId');
    const without = await stsCall({ sessionToken: undefined });
    expect(tag(without.body, 'Code')).toBe('InvalidClientTokenId');
  });

  it('answers MissingAuthenticationToken to an unsigned call', async () => {
    const response = await fetch(sandbox.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: FORM });
    expect(response.status).toBe(403);
    expect(tag(await response.text(), 'Code')).toBe('MissingAuthenticationToken');
  });

  it('answers InvalidAction for operations the sandbox does not serve', async () => {
    const response = await stsCall({ body: 'Action=AssumeRole&Version=2011-06-15' });
    expect(response.status).toBe(400);
    expect(tag(response.body, 'Code')).toBe('InvalidAction');
  });

  it('answers ExpiredToken once the credentials have expired', async () => {
    sandbox.switches.shortLivedSeconds = 1;
    const shortLived = await issueCredentials(sandbox, pki);
    sandbox.switches.shortLivedSeconds = undefined;
    offsetMs += 2_000;
    const response = await stsCall({ accessKeyId: shortLived.accessKeyId, secretAccessKey: shortLived.secretAccessKey, sessionToken: shortLived.sessionToken });
    expect(response.status).toBe(400);
    expect(tag(response.body, 'Code')).toBe('ExpiredToken');
  });

  it('words errors as awsJson for an X-Amz-Target call', async () => {
    const response = await stsCall({
      secretAccessKey: 'x'.repeat(40),
      body: '{}',
      headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'AWSSecurityTokenServiceV20110615.GetCallerIdentity' },
    });
    expect(response.status).toBe(403);
    expect(response.headers['x-amzn-query-error']).toBe('SignatureDoesNotMatch;Sender');
    expect(response.json<{ __type: string }>().__type).toBe('com.amazonaws.sts#SignatureDoesNotMatch');
  });
});
