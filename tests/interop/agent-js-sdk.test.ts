// The AWS SDK for JavaScript v3, as a real client of what the agent provides: its credential
// providers read the credentials file, run the credential_process line and fetch from the container
// credentials endpoint, and STS GetCallerIdentity against the sandbox proves each set of keys.
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromContainerMetadata, fromHttp, fromIni, fromProcess } from '@aws-sdk/credential-providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server';
import type { EndpointInfo } from '../../src/shared/contract';
import { ASSUMED_ROLE_PREFIX, addFixtureProfile, uniqueName } from '../agent-cli/agent-profiles';
import { assertCliBuilt } from '../helpers/cli';
import { startFixtureSandbox } from '../helpers/fixture-sandbox';
import { createIsolatedEnv, type IsolatedEnv } from '../helpers/isolated-env';

let sandbox: Sandbox;
let env: IsolatedEnv;
let endpoint: EndpointInfo;
const FILE_PROFILE = uniqueName('sdk-file');
const PROCESS_PROFILE = uniqueName('sdk-process');

beforeAll(async () => {
  assertCliBuilt();
  sandbox = await startFixtureSandbox();
  env = await createIsolatedEnv();
  // fromProcess runs the credential_process line with this process's environment: make it the
  // isolated one, so the CLI it starts finds the test's agent and data folder.
  for (const [name, value] of Object.entries(env.env)) if (value !== undefined) process.env[name] = value;
  await addFixtureProfile(env, sandbox, FILE_PROFILE, { delivery: 'file' });
  await addFixtureProfile(env, sandbox, PROCESS_PROFILE, { delivery: 'process' });
  for (const name of [FILE_PROFILE, PROCESS_PROFILE]) {
    const activated = await env.cli(['activate', name]);
    expect(activated.code, activated.stderr).toBe(0);
  }
  const agent = await env.agent();
  endpoint = await agent.call('endpoint.start', { names: [FILE_PROFILE] });
  await agent.close();
});

afterAll(async () => {
  await env?.stop();
  await sandbox?.stop();
});

type Credentials = NonNullable<ConstructorParameters<typeof STSClient>[0]>['credentials'];

async function callerArn(credentials: Credentials): Promise<string> {
  const client = new STSClient({ region: 'us-east-1', endpoint: sandbox.url, credentials });
  try {
    const identity = await client.send(new GetCallerIdentityCommand({}));
    const caller = sandbox.requests.entries.filter((entry) => entry.operation === 'GetCallerIdentity' && entry.status === 200).at(-1);
    expect(sandbox.issuedCredentials(caller?.accessKeyId ?? ''), 'STS was called with credentials the sandbox issued').toBeDefined();
    return identity.Arn ?? '';
  } finally {
    client.destroy();
  }
}

const files = () => ({ filepath: env.credentialsFile, configFilepath: env.configFile, ignoreCache: true });

describe('the AWS SDK for JavaScript v3 with what the agent delivers', () => {
  it('fromIni reads the keys `rolecall activate` wrote to the credentials file', async () => {
    expect(await callerArn(fromIni({ profile: FILE_PROFILE, ...files() }))).toMatch(ASSUMED_ROLE_PREFIX);
  });

  it('fromIni runs the credential_process line of a `process` profile', async () => {
    expect(await callerArn(fromIni({ profile: PROCESS_PROFILE, ...files() }))).toMatch(ASSUMED_ROLE_PREFIX);
  });

  it('fromProcess runs the credential_process line and gets the agent\'s cached session', async () => {
    const minted = sandbox.requests.count('CreateSession', 201);
    const credentials = await fromProcess({ profile: PROCESS_PROFILE, ...files() })();
    expect(sandbox.issuedCredentials(credentials.accessKeyId)).toBeDefined();
    expect(credentials.expiration?.getTime()).toBeGreaterThan(Date.now() + 15 * 60_000);
    expect(await callerArn(async () => credentials)).toMatch(ASSUMED_ROLE_PREFIX);
    expect(sandbox.requests.count('CreateSession', 201)).toBe(minted);
  });

  it('fromHttp fetches from the agent\'s container credentials endpoint with its token', async () => {
    const provider = fromHttp({ awsContainerCredentialsFullUri: endpoint.urls[FILE_PROFILE], awsContainerAuthorizationToken: endpoint.token });
    expect(await callerArn(provider)).toMatch(ASSUMED_ROLE_PREFIX);
  });

  it('fromContainerMetadata finds the endpoint through AWS_CONTAINER_CREDENTIALS_FULL_URI', async () => {
    process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = endpoint.urls[FILE_PROFILE];
    process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN = endpoint.token;
    try {
      expect(await callerArn(fromContainerMetadata())).toMatch(ASSUMED_ROLE_PREFIX);
    } finally {
      delete process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
      delete process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
    }
  });
});
