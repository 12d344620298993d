// The sandbox's sign-in federation endpoint: getSigninToken takes only temporary credentials it issued,
// still valid, with their own secret and token; login takes only its tokens and redirects only to a console.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server';
import { issueCredentials, startTestSandbox } from './sandbox-helpers';
import { makeTestPki, type TestPki } from './test-pki';

let pki: TestPki;
let sandbox: Sandbox;
let offsetMs = 0;

beforeAll(async () => {
  pki = await makeTestPki();
  sandbox = await startTestSandbox(pki, { clock: () => Date.now() + offsetMs });
});
afterAll(() => sandbox.stop());

interface Keys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

async function signinToken(keys: Keys): Promise<Response> {
  const session = JSON.stringify({ sessionId: keys.accessKeyId, sessionKey: keys.secretAccessKey, sessionToken: keys.sessionToken ?? '' });
  return fetch(`${sandbox.url}/federation?${new URLSearchParams({ Action: 'getSigninToken', Session: session })}`);
}

async function login(token: string, destination: string): Promise<Response> {
  return fetch(`${sandbox.url}/federation?${new URLSearchParams({ Action: 'login', Issuer: 'test', Destination: destination, SigninToken: token })}`, { redirect: 'manual' });
}

describe('sandbox federation endpoint', () => {
  it('gives a sign-in token for a session it issued, which logs in to the console asked for', async () => {
    const issued = await issueCredentials(sandbox, pki);
    const answer = await signinToken(issued);
    expect(answer.status).toBe(200);
    const { SigninToken } = (await answer.json()) as { SigninToken: string };
    const destination = `${sandbox.url}/console/ec2/home`;
    const redirect = await login(SigninToken, destination);
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe(destination);
    // Off the console, even with a good token, it does not redirect.
    expect((await login(SigninToken, 'https://attacker.example/')).status).toBe(400);
    // The request log keeps neither the session nor the token.
    expect(JSON.stringify(sandbox.requests.entries)).not.toContain(SigninToken);
    expect(JSON.stringify(sandbox.requests.entries)).not.toContain(issued.secretAccessKey);
  });

  it('refuses a wrong secret, a wrong token, the long-term admin key, and a session past its expiry', async () => {
    const issued = await issueCredentials(sandbox, pki);
    expect((await signinToken({ ...issued, secretAccessKey: `${issued.secretAccessKey.slice(0, -1)}x` })).status).toBe(400);
    expect((await signinToken({ ...issued, sessionToken: `${issued.sessionToken}x` })).status).toBe(400);
    expect((await signinToken({ ...sandbox.adminKey, sessionToken: '' })).status).toBe(400);
    offsetMs = 2 * 3600_000;
    try {
      expect((await signinToken(issued)).status).toBe(400);
    } finally {
      offsetMs = 0;
    }
  });

  it('lets a sign-in token lapse after 15 minutes', async () => {
    const issued = await issueCredentials(sandbox, pki);
    const { SigninToken } = (await (await signinToken(issued)).json()) as { SigninToken: string };
    offsetMs = 16 * 60_000;
    try {
      expect((await login(SigninToken, `${sandbox.url}/console/home`)).status).toBe(400);
    } finally {
      offsetMs = 0;
    }
  });
});
