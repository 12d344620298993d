// The fixture sandbox of tests/helpers, started from the checkout's root as repoRoot() finds it: that
// helper locates the fixtures from its own file, which inside the bench's bundle is somewhere else.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { ACCOUNT, PROFILE_ARN, ROLE_ARN, TRUST_ANCHOR_ARN } from '../helpers/fixture-sandbox';
import { repoRoot } from './paths';

export { PROFILE_ARN, ROLE_ARN, TRUST_ANCHOR_ARN };

const idOf = (arn: string) => arn.slice(arn.indexOf('/') + 1);

export function startFuzzSandbox(): Promise<Sandbox> {
  return startSandbox({
    account: ACCOUNT,
    trustAnchors: [{ id: idOf(TRUST_ANCHOR_ARN), name: 'test-root', caPem: readFileSync(join(repoRoot(), 'tests', 'fixtures', 'pki', 'root-ca.cert.pem'), 'utf8') }],
    profiles: [{ id: idOf(PROFILE_ARN), name: 'developers', roleArns: [ROLE_ARN], acceptRoleSessionName: true, durationSeconds: 3600 }],
    roles: [{ arn: ROLE_ARN, maxSessionDurationSeconds: 43200 }],
  });
}
