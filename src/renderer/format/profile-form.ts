// The add/edit form as plain strings, its inline checks, and the contract inputs it becomes. The
// patterns mirror src/shared/contract.ts (importing it would bundle zod into the renderer); a test
// checks they agree with the contract's schemas.
import type { OperationInput } from '../../shared/contract';
import type { DeliveryMode, KeyStorage, ProfileView, SandboxTrustedCa } from '../../shared/model';
import { arnProblem, isValidRegion, regionOfArn } from './arn';
import { SESSION_DURATION_SECONDS } from '../../shared/limits';
import { PROFILE_NAME_PATTERN, SESSION_NAME_PATTERN } from '../../shared/patterns';

export interface ProfileForm {
  readonly name: string;
  readonly trustAnchorArn: string;
  readonly profileArn: string;
  readonly roleArn: string;
  readonly signingRegion: string;
  readonly toolRegion: string;
  readonly durationSeconds: string;
  readonly roleSessionName: string;
  readonly endpoint: string;
  readonly delivery: DeliveryMode;
  /** Where a key from chosen files goes; a token's key stays on the token, so files bring one to the keychain. */
  readonly keyStorage: Exclude<KeyStorage, 'token'>;
  readonly autoRefresh: boolean;
}

export type FormField = keyof ProfileForm;
export type FieldMessages = Partial<Record<FormField, string>>;

export const MIN_DURATION_SECONDS = SESSION_DURATION_SECONDS.min;
export const MAX_DURATION_SECONDS = SESSION_DURATION_SECONDS.max;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

export function emptyForm(): ProfileForm {
  return {
    name: '',
    trustAnchorArn: '',
    profileArn: '',
    roleArn: '',
    signingRegion: '',
    toolRegion: '',
    durationSeconds: String(SESSION_DURATION_SECONDS.default),
    roleSessionName: '',
    endpoint: '',
    delivery: 'file',
    keyStorage: 'keychain',
    autoRefresh: true,
  };
}

/** A new profile against the local sandbox for certificates of a CA it trusts: the user picks name and files. */
export function formForSandboxCa(trusted: SandboxTrustedCa): ProfileForm {
  return {
    ...emptyForm(),
    trustAnchorArn: trusted.trustAnchorArn,
    profileArn: trusted.profileArn,
    roleArn: trusted.roleArn,
    endpoint: trusted.endpoint,
  };
}

export function formFromProfile(profile: ProfileView): ProfileForm {
  return {
    name: profile.name,
    trustAnchorArn: profile.trustAnchorArn,
    profileArn: profile.profileArn,
    roleArn: profile.roleArn,
    // The view always carries the effective signing region; show it only when it was chosen on purpose.
    signingRegion: profile.signingRegion === regionOfArn(profile.trustAnchorArn) ? '' : profile.signingRegion,
    toolRegion: profile.toolRegion ?? '',
    durationSeconds: String(profile.durationSeconds),
    roleSessionName: profile.roleSessionName ?? '',
    endpoint: profile.endpoint ?? '',
    delivery: profile.delivery,
    keyStorage: profile.keyStorage === 'token' ? 'keychain' : profile.keyStorage,
    autoRefresh: profile.autoRefresh,
  };
}

function endpointProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'Use a URL such as https://rolesanywhere.us-east-1.amazonaws.com.';
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  return 'Use https; plain http is allowed only for 127.0.0.1, ::1 or localhost.';
}

function durationProblem(text: string): string | undefined {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(value) || value < MIN_DURATION_SECONDS || value > MAX_DURATION_SECONDS) {
    return `Use whole seconds from ${MIN_DURATION_SECONDS} (15 minutes) to ${MAX_DURATION_SECONDS} (12 hours).`;
  }
  return undefined;
}

/** What stops the form from being saved, by field. */
export function formProblems(form: ProfileForm): FieldMessages {
  const problems: FieldMessages = {};
  const name = form.name.trim();
  if (name === '') problems.name = 'Required.';
  else if (!PROFILE_NAME_PATTERN.test(name)) problems.name = 'Use up to 64 letters, digits and . _ + @ - (starting with a letter or digit).';

  const arns = [
    ['trustAnchorArn', 'trust-anchor'],
    ['profileArn', 'profile'],
    ['roleArn', 'role'],
  ] as const;
  for (const [field, kind] of arns) {
    const text = form[field].trim();
    const problem = text === '' ? 'Required.' : arnProblem(text, kind);
    if (problem) problems[field] = problem;
  }
  const anchorRegion = regionOfArn(form.trustAnchorArn);
  const profileRegion = regionOfArn(form.profileArn);
  if (!problems.profileArn && anchorRegion && profileRegion && anchorRegion !== profileRegion) {
    problems.profileArn = `This profile is in ${profileRegion} but the trust anchor is in ${anchorRegion}; use both from one region.`;
  }

  for (const field of ['signingRegion', 'toolRegion'] as const) {
    const text = form[field].trim();
    if (text !== '' && !isValidRegion(text)) problems[field] = 'Use a region name such as us-east-1.';
  }
  const duration = durationProblem(form.durationSeconds);
  if (duration) problems.durationSeconds = duration;
  const sessionName = form.roleSessionName.trim();
  if (sessionName !== '' && !SESSION_NAME_PATTERN.test(sessionName)) {
    problems.roleSessionName = 'Use 2 to 64 characters from letters, digits and _+=,.@-';
  }
  const endpoint = form.endpoint.trim();
  if (endpoint !== '') {
    const problem = endpointProblem(endpoint);
    if (problem) problems.endpoint = problem;
  }
  return problems;
}

/** Things worth a second look that do not stop saving. */
export function formHints(form: ProfileForm): FieldMessages {
  const hints: FieldMessages = {};
  const anchorRegion = regionOfArn(form.trustAnchorArn);
  const signingRegion = form.signingRegion.trim();
  if (anchorRegion && signingRegion !== '' && isValidRegion(signingRegion) && signingRegion !== anchorRegion) {
    hints.signingRegion = `The trust anchor is in ${anchorRegion}; Roles Anywhere will not find it from ${signingRegion}.`;
  }
  return hints;
}

const optional = (text: string): string | undefined => (text.trim() === '' ? undefined : text.trim());

export function addInput(form: ProfileForm, draftId: string, force: boolean): OperationInput<'profiles.add'> {
  const input: OperationInput<'profiles.add'> = {
    name: form.name.trim(),
    draftId,
    keyStorage: form.keyStorage,
    trustAnchorArn: form.trustAnchorArn.trim(),
    profileArn: form.profileArn.trim(),
    roleArn: form.roleArn.trim(),
    signingRegion: optional(form.signingRegion),
    toolRegion: optional(form.toolRegion),
    durationSeconds: Number(form.durationSeconds.trim()),
    roleSessionName: optional(form.roleSessionName),
    autoRefresh: form.autoRefresh,
    delivery: form.delivery,
    endpoint: optional(form.endpoint),
    force: force || undefined,
  };
  return dropUndefined(input);
}

/**
 * Only what changed, so an edit never rewrites a field the agent normalised; a cleared optional field
 * becomes null. A new name goes in the same input, so the rename and the edit are saved together or not at all.
 */
export function editInput(original: ProfileView, form: ProfileForm, draftId: string | undefined, force: boolean): OperationInput<'profiles.edit'> {
  const before = formFromProfile(original);
  const changed = (field: FormField) => String(form[field]).trim() !== String(before[field]).trim();
  const cleared = (field: 'signingRegion' | 'toolRegion' | 'roleSessionName' | 'endpoint') =>
    changed(field) ? (optional(form[field]) ?? null) : undefined;
  const input: OperationInput<'profiles.edit'> = {
    name: original.name,
    newName: changed('name') ? form.name.trim() : undefined,
    draftId,
    keyStorage: draftId === undefined ? undefined : form.keyStorage,
    force: force || undefined,
    trustAnchorArn: changed('trustAnchorArn') ? form.trustAnchorArn.trim() : undefined,
    profileArn: changed('profileArn') ? form.profileArn.trim() : undefined,
    roleArn: changed('roleArn') ? form.roleArn.trim() : undefined,
    signingRegion: cleared('signingRegion'),
    toolRegion: cleared('toolRegion'),
    durationSeconds: changed('durationSeconds') ? Number(form.durationSeconds.trim()) : undefined,
    roleSessionName: cleared('roleSessionName'),
    autoRefresh: changed('autoRefresh') ? form.autoRefresh : undefined,
    delivery: changed('delivery') ? form.delivery : undefined,
    endpoint: cleared('endpoint'),
  };
  return dropUndefined(input);
}

/** The inputs are strict schemas: send absent fields as absent, not as undefined. */
function dropUndefined<T extends object>(input: T): T {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as T;
}

/** True when an edit would send nothing but the name. */
export function isEmptyEdit(input: OperationInput<'profiles.edit'>): boolean {
  return Object.keys(input).length === 1;
}
