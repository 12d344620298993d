// `profiles add` warns when the ARNs' region and the signing region (--region) or the endpoint's region
// differ, before the first CreateSession fails on it; the profile is still added as given.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server';
import { uniqueName } from '../agent-cli/agent-profiles';
import { pkiPath } from '../helpers/fixtures';
import { arnFlags, startFixtureSandbox } from '../helpers/fixture-sandbox';
import { createIsolatedEnv, type IsolatedEnv } from '../helpers/isolated-env';

let sandbox: Sandbox;
let env: IsolatedEnv;

beforeAll(async () => {
  sandbox = await startFixtureSandbox();
  env = await createIsolatedEnv();
});

afterAll(async () => {
  await env?.stop();
  await sandbox?.stop();
});

const ecLeaf = ['--certificate', pkiPath('leaf-ec-p256.cert.pem'), '--private-key', pkiPath('leaf-ec-p256.key.pkcs8.pem'), '--intermediates', pkiPath('intermediate-ca.cert.pem')];
const add = (...flags: string[]) => env.cli(['profiles', 'add', uniqueName('region'), ...arnFlags(), ...ecLeaf, ...flags]);

describe('rolecall profiles add and regions', () => {
  it('warns when --region differs from the trust anchor\'s region', async () => {
    const added = await add('--endpoint', sandbox.url, '--region', 'eu-west-1');
    expect(added.code, added.stderr).toBe(0);
    expect(added.stderr).toContain('! Requests are signed for eu-west-1 (--region), but the trust anchor and profile are in us-east-1: Roles Anywhere will refuse every session. Leave --region out to sign for us-east-1.');
  });

  it('warns when the endpoint is Roles Anywhere of another region', async () => {
    const added = await add('--endpoint', 'https://rolesanywhere.eu-west-1.amazonaws.com');
    expect(added.code, added.stderr).toBe(0);
    expect(added.stderr).toContain('! The endpoint is Roles Anywhere in eu-west-1, but requests are signed for us-east-1 (the ARNs\' region)');
  });

  it('says nothing when the regions agree', async () => {
    const added = await add('--endpoint', 'https://rolesanywhere.us-east-1.amazonaws.com', '--region', 'us-east-1');
    expect(added.code, added.stderr).toBe(0);
    expect(added.stderr).not.toContain('region');
  });
});
