import { describe, expect, it } from 'vitest';
import { OPERATIONS, profileNameSchema } from '../../src/shared/contract';
import type { ProfileView } from '../../src/shared/model';
import {
  addInput,
  editInput,
  emptyForm,
  formFromProfile,
  formHints,
  formProblems,
  isEmptyEdit,
  type ProfileForm,
} from '../../src/renderer/format/profile-form';
import { isValidRegion } from '../../src/renderer/format/arn';

const ANCHOR = 'arn:aws:rolesanywhere:eu-west-1:123456789012:trust-anchor/3f1c2a9e-5b7d-4e21-9c0a-7d6e8f901234';
const PROFILE = 'arn:aws:rolesanywhere:eu-west-1:123456789012:profile/8a4b6c2d-1e3f-4a5b-8c7d-9e0f1a2b3c4d';
const PROFILE_US = 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/8a4b6c2d-1e3f-4a5b-8c7d-9e0f1a2b3c4d';
const ROLE = 'arn:aws:iam::123456789012:role/Developer';

const valid: ProfileForm = { ...emptyForm(), name: 'dev', trustAnchorArn: ANCHOR, profileArn: PROFILE, roleArn: ROLE };

function view(overrides: Partial<ProfileView> = {}): ProfileView {
  return {
    name: 'dev',
    status: 'active',
    trustAnchorArn: ANCHOR,
    profileArn: PROFILE,
    roleArn: ROLE,
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

describe('the profile form checks', () => {
  it('finds nothing wrong with a complete form', () => {
    expect(formProblems(valid)).toEqual({});
  });

  it('requires a name and the three ARNs', () => {
    expect(formProblems(emptyForm())).toEqual({ name: 'Required.', trustAnchorArn: 'Required.', profileArn: 'Required.', roleArn: 'Required.' });
  });

  it('refuses a profile from another region than the trust anchor', () => {
    expect(formProblems({ ...valid, profileArn: PROFILE_US }).profileArn).toBe('This profile is in us-east-1 but the trust anchor is in eu-west-1; use both from one region.');
  });

  it('keeps durations between 15 minutes and 12 hours in whole seconds', () => {
    for (const ok of ['900', '3600', '43200', ' 1800 ']) expect(formProblems({ ...valid, durationSeconds: ok }).durationSeconds).toBeUndefined();
    for (const bad of ['899', '43201', '1800.5', '', 'an hour']) expect(formProblems({ ...valid, durationSeconds: bad }).durationSeconds).toMatch(/from 900/);
  });

  it('accepts https endpoints, and plain http only on the loopback', () => {
    const endpoint = (text: string) => formProblems({ ...valid, endpoint: text }).endpoint;
    expect(endpoint('https://rolesanywhere.eu-west-1.amazonaws.com')).toBeUndefined();
    expect(endpoint('http://127.0.0.1:40123')).toBeUndefined();
    expect(endpoint('http://localhost:8080')).toBeUndefined();
    expect(endpoint('http://[::1]:8080')).toBeUndefined();
    expect(endpoint('http://example.com')).toMatch(/plain http/);
    expect(endpoint('rolesanywhere')).toMatch(/Use a URL/);
  });

  it('hints when the signing region is not the trust anchor\'s', () => {
    expect(formHints({ ...valid, signingRegion: 'us-east-1' }).signingRegion).toMatch(/eu-west-1/);
    expect(formHints({ ...valid, signingRegion: 'eu-west-1' })).toEqual({});
  });

  it('flags exactly the names, session names and regions the agent would refuse', () => {
    const shape = OPERATIONS['profiles.add'].input.shape;
    const names = ['a', 'dev', 'A-b.c_d+e@f', '-bad', '.bad', 'has space', 'x'.repeat(64), 'x'.repeat(65), 'ünï'];
    for (const name of names) expect(formProblems({ ...valid, name }).name === undefined, name).toBe(profileNameSchema.safeParse(name).success);
    const sessionNames = ['ab', 'a', 'alice@example.com', 'a b', 'x'.repeat(64), 'x'.repeat(65), 'a=b,c.d-e_f+g'];
    for (const roleSessionName of sessionNames) {
      expect(formProblems({ ...valid, roleSessionName }).roleSessionName === undefined, roleSessionName).toBe(shape.roleSessionName.safeParse(roleSessionName).success);
    }
    const regions = ['us-east-1', 'us-gov-west-1', 'eu-central-2', 'useast1', 'US-EAST-1', 'us-east', 'ap-southeast-10'];
    for (const region of regions) expect(isValidRegion(region), region).toBe(shape.toolRegion.safeParse(region).success);
  });
});

describe('the inputs a form becomes', () => {
  it('adds with trimmed values and leaves empty optional fields out', () => {
    const input = addInput({ ...valid, name: ' dev ', roleArn: ` ${ROLE} ` }, 'draft-1', false);
    expect(input).toEqual({ name: 'dev', draftId: 'draft-1', keyStorage: 'keychain', trustAnchorArn: ANCHOR, profileArn: PROFILE, roleArn: ROLE, durationSeconds: 3600, autoRefresh: true, delivery: 'file' });
    expect(OPERATIONS['profiles.add'].input.safeParse(input).success).toBe(true);
  });

  it('asks to take over a foreign AWS profile only when forced', () => {
    expect(addInput(valid, 'd', true).force).toBe(true);
  });

  it('edits only what changed and clears an optional field with null', () => {
    const original = view({ toolRegion: 'eu-central-1', roleSessionName: 'alice' });
    const form = { ...formFromProfile(original), toolRegion: '', durationSeconds: '7200', delivery: 'process' as const };
    const input = editInput(original, form, undefined, false);
    expect(input).toEqual({ name: 'dev', toolRegion: null, durationSeconds: 7200, delivery: 'process' });
    expect(OPERATIONS['profiles.edit'].input.safeParse(input).success).toBe(true);
  });

  it('sends a new name in the same edit as the other changes, trimmed', () => {
    const original = view();
    const input = editInput(original, { ...formFromProfile(original), name: ' dev-2 ', durationSeconds: '7200' }, undefined, false);
    expect(input).toEqual({ name: 'dev', newName: 'dev-2', durationSeconds: 7200 });
    expect(OPERATIONS['profiles.edit'].input.safeParse(input).success).toBe(true);
    expect(isEmptyEdit(editInput(original, { ...formFromProfile(original), name: 'dev-2' }, undefined, false))).toBe(false);
    expect(editInput(original, { ...formFromProfile(original), name: 'dev ' }, undefined, false)).toEqual({ name: 'dev' });
  });

  it('sends nothing but the name when nothing changed', () => {
    const original = view();
    expect(isEmptyEdit(editInput(original, formFromProfile(original), undefined, false))).toBe(true);
  });

  it('sends the key storage together with a new certificate only', () => {
    const original = view({ keyStorage: 'file' });
    expect(editInput(original, { ...formFromProfile(original), keyStorage: 'keychain' }, undefined, false)).toEqual({ name: 'dev' });
    expect(editInput(original, { ...formFromProfile(original), keyStorage: 'keychain' }, 'draft-2', false)).toEqual({ name: 'dev', draftId: 'draft-2', keyStorage: 'keychain' });
  });

  it('shows the signing region only when it differs from the trust anchor\'s', () => {
    expect(formFromProfile(view()).signingRegion).toBe('');
    expect(formFromProfile(view({ signingRegion: 'eu-west-2' })).signingRegion).toBe('eu-west-2');
  });
});
