import { describe, expect, it } from 'vitest';
import type { ImportCandidate, ProfileView } from '../../src/shared/model';
import { toProblem } from '../../src/renderer/format/errors';
import { filterProfiles } from '../../src/renderer/format/filter';
import { diffLineKind, importBlockers, isImportable, needsPassphrase } from '../../src/renderer/format/import';
import { isSwitchedOn } from '../../src/renderer/format/status';

function profile(name: string, overrides: Partial<ProfileView> = {}): ProfileView {
  return {
    name,
    status: 'inactive',
    trustAnchorArn: 'arn:aws:rolesanywhere:eu-west-1:123456789012:trust-anchor/3f1c2a9e-5b7d-4e21-9c0a-7d6e8f901234',
    profileArn: 'arn:aws:rolesanywhere:eu-west-1:123456789012:profile/8a4b6c2d-1e3f-4a5b-8c7d-9e0f1a2b3c4d',
    roleArn: 'arn:aws:iam::123456789012:role/Developer',
    signingRegion: 'eu-west-1',
    durationSeconds: 3600,
    autoRefresh: true,
    delivery: 'file',
    deliveredTo: '/home/u/.aws/credentials',
    keyStorage: 'keychain',
    certificate: {} as ProfileView['certificate'],
    chain: [],
    certificateState: 'ok',
    certificateDaysLeft: 100,
    ...overrides,
  };
}

describe('the filter box', () => {
  const profiles = [
    profile('prod-admin', { status: 'active', roleArn: 'arn:aws:iam::123456789012:role/Admin', signingRegion: 'us-east-1' }),
    profile('prod-read', { status: 'failed' }),
    profile('dev', { delivery: 'process' }),
  ];
  const names = (query: string) => filterProfiles(profiles, query).map((p) => p.name);

  it('matches every word anywhere in the row, ignoring case', () => {
    expect(names('PROD')).toEqual(['prod-admin', 'prod-read']);
    expect(names('prod admin')).toEqual(['prod-admin']);
    expect(names('us-east-1')).toEqual(['prod-admin']);
    expect(names('failed')).toEqual(['prod-read']);
    expect(names('process')).toEqual(['dev']);
  });

  it('shows everything for an empty query and nothing for a miss', () => {
    expect(filterProfiles(profiles, '   ')).toBe(profiles);
    expect(names('staging')).toEqual([]);
  });
});

describe('the switch', () => {
  it('stays on for failed and expired profiles, which the agent keeps retrying', () => {
    expect(isSwitchedOn('inactive')).toBe(false);
    for (const status of ['activating', 'active', 'refreshing', 'failed', 'expired'] as const) expect(isSwitchedOn(status)).toBe(true);
  });
});

describe('errors from calls', () => {
  it('keeps the code, message, next step and detail the bridge rejects with', () => {
    const thrown = Object.assign(new Error('x'), { code: 'THROTTLED', message: 'Slow down.', next: 'Wait.', detail: 'rate 10/s' });
    expect(toProblem(thrown)).toEqual({ code: 'THROTTLED', message: 'Slow down.', next: 'Wait.', detail: 'rate 10/s' });
    expect(toProblem({ code: 'NETWORK', message: 'Offline.', next: 'Reconnect.' })).toEqual({ code: 'NETWORK', message: 'Offline.', next: 'Reconnect.' });
  });

  it('turns anything else into INTERNAL without repeating its text', () => {
    for (const thrown of [new Error('secret-ish internals'), 'boom', null, 42, { message: 'no code' }]) {
      const problem = toProblem(thrown);
      expect(problem.code).toBe('INTERNAL');
      expect(JSON.stringify(problem)).not.toMatch(/secret-ish|boom|no code/);
    }
  });
});

describe('the import preview', () => {
  const candidate = (problems: ImportCandidate['problems']): ImportCandidate => ({ awsProfile: 'dev', name: 'dev', tool: 'aws_signing_helper', multiLine: false, problems });
  const passphrase = { code: 'KEY_PASSPHRASE_REQUIRED' as const, message: 'Encrypted.', next: 'Give it.' };
  const missing = { code: 'FILE_UNREADABLE' as const, message: 'Missing.', next: 'Check.' };

  it('offers a line with an encrypted key, asking for its passphrase', () => {
    expect(isImportable(candidate([passphrase]))).toBe(true);
    expect(needsPassphrase(candidate([passphrase]))).toBe(true);
    expect(importBlockers(candidate([passphrase]))).toEqual([]);
  });

  it('holds back a line with any other problem', () => {
    expect(isImportable(candidate([missing, passphrase]))).toBe(false);
    expect(importBlockers(candidate([missing, passphrase]))).toEqual([missing]);
  });

  it('colours unified diff lines by kind', () => {
    expect(['--- a', '+++ b', '@@ -1 +1 @@', '+new', '-old', ' same'].map(diffLineKind)).toEqual(['file', 'file', 'hunk', 'added', 'removed', 'context']);
  });
});
