import { afterEach, describe, expect, it } from 'vitest';
import { startCredentialsEndpoint, type CredentialsEndpoint, type CredentialsEndpointOptions, type CredentialsProvider } from '../../../src/core/terminal';
import { RolecallError } from '../../../src/shared/errors';
import { credentialsExpiringIn, KEYS } from './credentials';
import { rawRequest, type RawRequest } from './http-request';
import { VirtualClock } from '../../helpers/virtual-clock';

const TTL_HEADER = 'x-aws-ec2-metadata-token-ttl-seconds';
const ROLES = '/latest/meta-data/iam/security-credentials/';
const started: CredentialsEndpoint[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((endpoint) => endpoint.stop()));
});

async function startImds(provider: CredentialsProvider, options: Partial<CredentialsEndpointOptions> = {}) {
  const endpoint = await startCredentialsEndpoint({ provider, names: ['dev', 'ops'], imds: { port: 0 }, ...options });
  started.push(endpoint);
  const port = Number(new URL(endpoint.imdsUrl ?? '').port);
  const call = (request: Omit<RawRequest, 'port'>) => rawRequest({ port, ...request });
  const token = async (ttl = '21600') => (await call({ method: 'PUT', path: '/latest/api/token', headers: { [TTL_HEADER]: ttl } })).body;
  return { endpoint, port, call, token };
}

const fresh: CredentialsProvider = async () => credentialsExpiringIn(3600);

describe('IMDSv2 emulation', () => {
  it('runs on its own 127.0.0.1 port only when asked, with a warning that any local process can use it', async () => {
    const { endpoint, port } = await startImds(fresh);
    expect(endpoint.imdsUrl).toBe(`http://127.0.0.1:${port}/`);
    expect(port).not.toBe(endpoint.port);
    expect(endpoint.warnings).toHaveLength(1);
    expect(endpoint.warnings[0]).toContain('any process or user on this computer');
    expect(endpoint.warnings[0]).toContain('dev');
  });

  it('walks the EC2 sequence: token, role name, credentials', async () => {
    const clock = new VirtualClock({ start: Date.UTC(2030, 5, 6, 7, 8, 9) });
    const { call, token } = await startImds(async () => credentialsExpiringIn(3600, clock.now()), { clock, imds: { port: 0, roleName: 'DevRole' } });
    const session = await token('300');
    expect(session.length).toBeGreaterThanOrEqual(32);

    const roles = await call({ path: ROLES, headers: { 'x-aws-ec2-metadata-token': session } });
    expect(roles.status).toBe(200);
    expect(roles.body).toBe('DevRole');
    expect(roles.headers[TTL_HEADER]).toBe('300');

    const credentials = await call({ path: `${ROLES}DevRole`, headers: { 'x-aws-ec2-metadata-token': session } });
    expect(credentials.status).toBe(200);
    expect(JSON.parse(credentials.body)).toEqual({
      Code: 'Success',
      LastUpdated: '2030-06-06T07:08:09Z',
      Type: 'AWS-HMAC',
      AccessKeyId: KEYS.accessKeyId,
      SecretAccessKey: KEYS.secretAccessKey,
      Token: KEYS.sessionToken,
      Expiration: '2030-06-06T08:08:09Z',
    });
  });

  it('serves the first profile under its own name by default, or the one asked for', async () => {
    const asked: string[] = [];
    const provider: CredentialsProvider = async (name) => {
      asked.push(name);
      return credentialsExpiringIn(3600);
    };
    const first = await startImds(provider);
    const firstToken = await first.token();
    expect((await first.call({ path: ROLES, headers: { 'x-aws-ec2-metadata-token': firstToken } })).body).toBe('dev');
    expect((await first.call({ path: `${ROLES}dev`, headers: { 'x-aws-ec2-metadata-token': firstToken } })).status).toBe(200);

    const second = await startImds(provider, { imds: { port: 0, name: 'ops' } });
    const secondToken = await second.token();
    expect((await second.call({ path: `${ROLES}ops/`, headers: { 'x-aws-ec2-metadata-token': secondToken } })).status).toBe(200);
    expect(asked).toEqual(['dev', 'ops']);
  });

  it('accepts a token TTL of 1 to 21600 seconds only', async () => {
    const { call } = await startImds(fresh);
    for (const ttl of ['1', '21600']) {
      const response = await call({ method: 'PUT', path: '/latest/api/token', headers: { [TTL_HEADER]: ttl } });
      expect(response.status, ttl).toBe(200);
      expect(response.headers[TTL_HEADER]).toBe(ttl);
    }
    for (const ttl of ['0', '21601', '-5', '1.5', 'abc', '']) {
      expect((await call({ method: 'PUT', path: '/latest/api/token', headers: { [TTL_HEADER]: ttl } })).status, ttl).toBe(400);
    }
    expect((await call({ method: 'PUT', path: '/latest/api/token' })).status).toBe(400);
    expect((await call({ method: 'GET', path: '/latest/api/token', headers: { [TTL_HEADER]: '60' } })).status).toBe(405);
  });

  it('refuses metadata requests without a token or with an unknown one', async () => {
    const { call } = await startImds(fresh);
    for (const headers of [{}, { 'x-aws-ec2-metadata-token': 'made-up' }] as Array<Record<string, string>>) {
      expect((await call({ path: ROLES, headers })).status).toBe(401);
      const refused = await call({ path: `${ROLES}dev`, headers });
      expect(refused.status).toBe(401);
      expect(refused.body).not.toContain(KEYS.secretAccessKey);
    }
  });

  it('refuses a token once its TTL has passed', async () => {
    const clock = new VirtualClock({ start: Date.now() });
    const { call, token } = await startImds(fresh, { clock });
    const session = await token('60');
    expect((await call({ path: ROLES, headers: { 'x-aws-ec2-metadata-token': session } })).status).toBe(200);
    await clock.advance(59_000);
    expect((await call({ path: ROLES, headers: { 'x-aws-ec2-metadata-token': session } })).headers[TTL_HEADER]).toBe('1');
    await clock.advance(1_000);
    expect((await call({ path: ROLES, headers: { 'x-aws-ec2-metadata-token': session } })).status).toBe(401);
  });

  it('refuses any request carrying X-Forwarded-For', async () => {
    const { call, token } = await startImds(fresh);
    const session = await token();
    const forwarded = { 'x-forwarded-for': '203.0.113.9' };
    expect((await call({ method: 'PUT', path: '/latest/api/token', headers: { [TTL_HEADER]: '60', ...forwarded } })).status).toBe(400);
    const credentials = await call({ path: `${ROLES}dev`, headers: { 'x-aws-ec2-metadata-token': session, ...forwarded } });
    expect(credentials.status).toBe(400);
    expect(credentials.body).not.toContain(KEYS.secretAccessKey);
  });

  it('refuses requests addressed to another host name', async () => {
    const { call, port } = await startImds(fresh);
    const response = await call({ method: 'PUT', path: '/latest/api/token', headers: { [TTL_HEADER]: '60', host: `rebound.example:${port}` } });
    expect(response.status).toBe(403);
  });

  it('answers 404 for another role name or another metadata path', async () => {
    const { call, token } = await startImds(fresh);
    const session = await token();
    for (const path of [`${ROLES}Admin`, '/latest/meta-data/placement/region', '/latest/user-data']) {
      expect((await call({ path, headers: { 'x-aws-ec2-metadata-token': session } })).status, path).toBe(404);
    }
  });

  it('answers 503 with the error code, and no secret, when the provider fails or the session is nearly over', async () => {
    const failing = await startImds(async () => {
      throw new RolecallError('NETWORK', 'connect ETIMEDOUT');
    });
    const failed = await failing.call({ path: `${ROLES}dev`, headers: { 'x-aws-ec2-metadata-token': await failing.token() } });
    expect(failed.status).toBe(503);
    expect(JSON.parse(failed.body)).toMatchObject({ Code: 'NETWORK' });

    const expiring = await startImds(async () => credentialsExpiringIn(20));
    const nearlyOver = await expiring.call({ path: `${ROLES}dev`, headers: { 'x-aws-ec2-metadata-token': await expiring.token() } });
    expect(nearlyOver.status).toBe(503);
    expect(JSON.parse(nearlyOver.body)).toMatchObject({ Code: 'SESSION_EXPIRED' });
    expect(nearlyOver.body).not.toContain(KEYS.secretAccessKey);
  });

  it('refuses to serve a profile the endpoint does not serve, or an unusable role name', async () => {
    await expect(startImds(fresh, { imds: { port: 0, name: 'prod' } })).rejects.toMatchObject({ code: 'USAGE' });
    await expect(startImds(fresh, { imds: { port: 0, roleName: 'bad/name' } })).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('frees the container endpoint\'s port when the IMDS port is taken', async () => {
    const { port: takenImdsPort } = await startImds(fresh);
    const probe = await startCredentialsEndpoint({ provider: fresh, names: ['dev'] });
    await probe.stop();
    await expect(startImds(fresh, { port: probe.port, imds: { port: takenImdsPort } })).rejects.toMatchObject({ code: 'PORT_UNAVAILABLE' });
    const reuse = await startCredentialsEndpoint({ provider: fresh, names: ['dev'], port: probe.port });
    started.push(reuse);
    expect(reuse.port).toBe(probe.port);
  });
});
