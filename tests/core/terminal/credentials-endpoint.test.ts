import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../src/core/log';
import {
  startCredentialsEndpoint,
  type CredentialsEndpoint,
  type CredentialsEndpointOptions,
  type CredentialsProvider,
} from '../../../src/core/terminal';
import { RolecallError } from '../../../src/shared/errors';
import { credentialsExpiringIn, KEYS } from './credentials';
import { rawRequest } from './http-request';
import { VirtualClock } from '../../helpers/virtual-clock';

const ROLE_ARN = 'arn:aws:iam::123456789012:role/Dev';
const started: CredentialsEndpoint[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((endpoint) => endpoint.stop()));
});

async function start(provider: CredentialsProvider, options: Partial<CredentialsEndpointOptions> = {}) {
  const endpoint = await startCredentialsEndpoint({ provider, names: ['dev'], ...options });
  started.push(endpoint);
  return endpoint;
}

const fresh: CredentialsProvider = async () => credentialsExpiringIn(3600);

function get(endpoint: CredentialsEndpoint, path = '/credentials/dev', headers: Record<string, string> = { authorization: endpoint.token }) {
  return rawRequest({ port: endpoint.port, path, headers });
}

function expectNoSecret(body: string) {
  expect(body).not.toContain(KEYS.secretAccessKey);
  expect(body).not.toContain(KEYS.sessionToken);
  expect(body).not.toContain(KEYS.accessKeyId);
}

describe('the container credentials endpoint', () => {
  it('answers the profile path with the credentials in the container format', async () => {
    const clock = new VirtualClock({ start: Date.UTC(2030, 0, 2, 3, 4, 5) });
    const endpoint = await start(async () => ({ ...credentialsExpiringIn(3600, clock.now()), roleArn: ROLE_ARN }), { clock });
    const response = await get(endpoint);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(response.body)).toEqual({
      AccessKeyId: KEYS.accessKeyId,
      SecretAccessKey: KEYS.secretAccessKey,
      Token: KEYS.sessionToken,
      Expiration: '2030-01-02T04:04:05Z',
      RoleArn: ROLE_ARN,
    });
  });

  it('writes the expiration in whole seconds, cutting milliseconds off rather than rounding up', async () => {
    const endpoint = await start(async () => ({ ...KEYS, expiration: '2099-05-06T07:08:09.999Z' }));
    expect(JSON.parse((await get(endpoint)).body).Expiration).toBe('2099-05-06T07:08:09Z');
  });

  it('advertises one 127.0.0.1 URL per profile and asks the provider for the profile of the path', async () => {
    const asked: string[] = [];
    const endpoint = await start(
      async (name) => {
        asked.push(name);
        return credentialsExpiringIn(3600);
      },
      { names: ['dev', 'ops+team@corp'] },
    );
    expect(endpoint.urls).toEqual({
      dev: `http://127.0.0.1:${endpoint.port}/credentials/dev`,
      'ops+team@corp': `http://127.0.0.1:${endpoint.port}/credentials/ops%2Bteam%40corp`,
    });
    const url = new URL(endpoint.urls['ops+team@corp'] ?? '');
    expect((await get(endpoint, url.pathname)).status).toBe(200);
    expect((await get(endpoint, '/credentials/dev')).status).toBe(200);
    expect(asked).toEqual(['ops+team@corp', 'dev']);
  });

  it('uses a fresh random 32-byte token for every endpoint', async () => {
    const first = await start(fresh);
    const second = await start(fresh);
    expect(first.token).toMatch(/^[0-9a-f]{64}$/);
    expect(second.token).not.toBe(first.token);
  });

  it('answers 401 without an Authorization header, and never calls the provider', async () => {
    let calls = 0;
    const endpoint = await start(async () => {
      calls += 1;
      return credentialsExpiringIn(3600);
    });
    const response = await get(endpoint, '/credentials/dev', {});
    expect(response.status).toBe(401);
    expect(JSON.parse(response.body)).toMatchObject({ code: 'Unauthorized' });
    expect(calls).toBe(0);
  });

  it('answers 403 to a wrong token, whatever its length, and logs the refusal without the token', async () => {
    const logger = createMemoryLogger({ redact: false });
    const endpoint = await start(fresh, { logger });
    const almost = `${endpoint.token.slice(0, -1)}${endpoint.token.endsWith('0') ? '1' : '0'}`;
    for (const token of [almost, 'x', `${endpoint.token}0`, `Bearer ${endpoint.token}`]) {
      const response = await get(endpoint, '/credentials/dev', { authorization: token });
      expect(response.status).toBe(403);
      expect(JSON.parse(response.body)).toMatchObject({ code: 'AccessDenied' });
      expectNoSecret(response.body);
    }
    expect(logger.text()).toContain('wrong token');
    expect(logger.text()).not.toContain(endpoint.token);
  });

  it('answers 404 for a path that serves no profile', async () => {
    const endpoint = await start(fresh);
    for (const path of ['/credentials/prod', '/credentials/', '/', '/latest/meta-data/iam/security-credentials/', '/credentials/%E0%A4%A']) {
      const response = await get(endpoint, path);
      expect(response.status, path).toBe(404);
    }
  });

  it('refuses requests addressed to another host name, as a DNS-rebinding page would send', async () => {
    const endpoint = await start(fresh);
    for (const host of ['evil.example', `evil.example:${endpoint.port}`, `127.0.0.1.evil.example:${endpoint.port}`, `127.0.0.1:${endpoint.port + 1}`, `[::1]:${endpoint.port}`]) {
      const response = await get(endpoint, '/credentials/dev', { authorization: endpoint.token, host });
      expect(response.status, host).toBe(403);
      expect(JSON.parse(response.body)).toMatchObject({ code: 'HostNotAllowed' });
      expectNoSecret(response.body);
    }
    for (const host of [`localhost:${endpoint.port}`, `LOCALHOST:${endpoint.port}`, `127.0.0.1:${endpoint.port}`, 'localhost']) {
      expect((await get(endpoint, '/credentials/dev', { authorization: endpoint.token, host })).status, host).toBe(200);
    }
  });

  it('answers only GET', async () => {
    const endpoint = await start(fresh);
    const response = await rawRequest({ port: endpoint.port, path: '/credentials/dev', method: 'POST', headers: { authorization: endpoint.token } });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET');
  });

  it('listens on 127.0.0.1 only', async () => {
    const endpoint = await start(fresh);
    await expect(rawRequest({ host: '::1', port: endpoint.port, path: '/credentials/dev', headers: { authorization: endpoint.token, host: 'localhost' } })).rejects.toThrow();
  });

  it('answers 503 rather than hand out credentials with less than a minute left', async () => {
    const endpoint = await start(async () => credentialsExpiringIn(30));
    const response = await get(endpoint);
    expect(response.status).toBe(503);
    expect(JSON.parse(response.body)).toMatchObject({ code: 'SESSION_EXPIRED' });
    expectNoSecret(response.body);
  });

  it('judges the time left by the clock it was given', async () => {
    const clock = new VirtualClock({ start: Date.UTC(2030, 0, 1) });
    const expiresAt = clock.now() + 10 * 60_000;
    const endpoint = await start(async () => credentialsExpiringIn(600, Date.UTC(2030, 0, 1)), { clock });
    expect((await get(endpoint)).status).toBe(200);
    await clock.advance(expiresAt - clock.now() - 59_000);
    expect((await get(endpoint)).status).toBe(503);
  });

  it('keeps a stricter minimum when asked to', async () => {
    const endpoint = await start(async () => credentialsExpiringIn(600), { minValiditySeconds: 900 });
    expect((await get(endpoint)).status).toBe(503);
  });

  it('answers 503 with the provider\'s error code when it fails', async () => {
    const endpoint = await start(async () => {
      throw new RolecallError('THROTTLED', 'CreateSession rate exceeded');
    });
    const response = await get(endpoint);
    expect(response.status).toBe(503);
    expect(JSON.parse(response.body)).toMatchObject({ code: 'THROTTLED', detail: 'CreateSession rate exceeded' });
  });

  it('never puts the text of an unexpected error in the answer', async () => {
    const endpoint = await start(async () => {
      throw new Error(`leaked ${KEYS.secretAccessKey} ${KEYS.sessionToken}`);
    });
    const response = await get(endpoint);
    expect(response.status).toBe(503);
    expect(JSON.parse(response.body)).toMatchObject({ code: 'INTERNAL' });
    expectNoSecret(response.body);
    expect(response.body).not.toContain('leaked');
  });

  it('answers 503 instead of empty credentials', async () => {
    for (const broken of [{ sessionToken: '' }, { accessKeyId: '' }, { expiration: 'soon' }]) {
      const endpoint = await start(async () => ({ ...credentialsExpiringIn(3600), ...broken }));
      expect((await get(endpoint)).status).toBe(503);
    }
  });

  it('stops listening when stopped', async () => {
    const endpoint = await start(fresh);
    await endpoint.stop();
    await expect(get(endpoint)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('says PORT_UNAVAILABLE when the port is taken', async () => {
    const first = await start(fresh);
    await expect(start(fresh, { port: first.port })).rejects.toMatchObject({ code: 'PORT_UNAVAILABLE' });
  });

  it('refuses to start without a profile', async () => {
    await expect(start(fresh, { names: [] })).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('starts no IMDS emulation and warns of nothing unless asked', async () => {
    const endpoint = await start(fresh);
    expect(endpoint.imdsUrl).toBeUndefined();
    expect(endpoint.warnings).toEqual([]);
  });
});
