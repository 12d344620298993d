// Sets up Rolecall profiles for CLI tests by talking to the agent directly (the way the app's UI
// would), so these tests depend only on the session and terminal commands they exercise.
import { randomUUID } from 'node:crypto';
import type { IsolatedEnv } from '../helpers/isolated-env';
import { pkiPath } from '../helpers/fixtures';
import { PROFILE_ARN, ROLE_ARN, TRUST_ANCHOR_ARN } from '../helpers/fixture-sandbox';
import type { Sandbox } from '../../src/sandbox/server';
import type { ProfileView } from '../../src/shared/model';

export interface FixtureProfileOptions {
  readonly delivery?: 'file' | 'process';
  readonly toolRegion?: string;
  readonly durationSeconds?: number;
}

/** Starts the agent through the CLI when none runs, then adds a profile signing with the fixture EC leaf. */
export async function addFixtureProfile(env: IsolatedEnv, sandbox: Sandbox, name: string, options: FixtureProfileOptions = {}): Promise<ProfileView> {
  const started = await env.cli(['status']);
  if (started.code !== 0) throw new Error(`rolecall status failed: ${started.stderr}`);
  const agent = await env.agent();
  try {
    const draft = await agent.call('drafts.open', {
      certificatePath: pkiPath('leaf-ec-p256.cert.pem'),
      privateKeyPath: pkiPath('leaf-ec-p256.key.pkcs8.pem'),
      intermediatesPath: pkiPath('intermediate-ca.cert.pem'),
    });
    return await agent.call('profiles.add', {
      name,
      draftId: draft.draftId,
      trustAnchorArn: TRUST_ANCHOR_ARN,
      profileArn: PROFILE_ARN,
      roleArn: ROLE_ARN,
      endpoint: sandbox.url,
      delivery: options.delivery ?? 'file',
      ...(options.toolRegion !== undefined && { toolRegion: options.toolRegion }),
      ...(options.durationSeconds !== undefined && { durationSeconds: options.durationSeconds }),
    });
  } finally {
    await agent.close();
  }
}

/** The role session ARN prefix STS reports for the fixture role. */
export const ASSUMED_ROLE_PREFIX = `arn:aws:sts::123456789012:assumed-role/${ROLE_ARN.split('/').pop() ?? ''}/`;

/** Asks the env's agent to exit (as the app's take-over does) and waits until it has. */
export async function stopAgent(env: IsolatedEnv): Promise<void> {
  const agent = await env.agent();
  await agent.call('agent.handOver', {});
  await agent.closed;
}

/**
 * A profile name no other test uses: every test file shares the run's keychain, where cached sessions
 * are kept per profile name, so two temp data folders with a profile of the same name would share one.
 */
export function uniqueName(base: string): string {
  return `${base}-${randomUUID().slice(0, 8)}`;
}
