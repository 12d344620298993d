// What a setup makes, decided once and shown before anything is created: the trust anchor, the role
// (trust policy, managed policies, a MaxSessionDuration that admits the session), the profile, the
// names they are found by again and the `rolecall:setup` tag they carry. Every output (template,
// commands, --apply) is written from this one plan, so all three make the same account.
import { RolecallError } from '../../shared/errors';
import { isSessionDuration, SESSION_DURATION_SECONDS } from '../../shared/limits';
import { IAM_ROLE_NAME_PATTERN, MANAGED_POLICY_ARN_PATTERN, SETUP_NAME_PATTERN } from '../../shared/patterns';
import type { TrustAnchorSource } from './ca-source';
import { trustPolicy, type PinnedTag, type TrustPolicy } from './trust-policy';

export const SETUP_TAG_KEY = 'rolecall:setup';
/** Resource names start with it, so a setup's resources can be told apart in a listing. */
export const SETUP_NAME_PREFIX = 'rolecall-';
// IAM's floor for a role's MaxSessionDuration; a role's cap below the session would shorten it.
const MIN_ROLE_MAX_SESSION_SECONDS = 3600;

export interface SetupInput {
  /** The setup's name: the Rolecall profile's, and the stem of the resource names. */
  readonly name: string;
  readonly source: TrustAnchorSource;
  readonly pinned: readonly PinnedTag[];
  readonly roleName?: string;
  readonly managedPolicyArns?: readonly string[];
  readonly sessionSeconds?: number;
}

export interface SetupPlan {
  readonly name: string;
  readonly tag: { readonly key: typeof SETUP_TAG_KEY; readonly value: string };
  readonly trustAnchor: { readonly name: string; readonly source: TrustAnchorSource };
  readonly role: {
    readonly name: string;
    readonly pinned: readonly PinnedTag[];
    readonly managedPolicyArns: readonly string[];
    readonly maxSessionSeconds: number;
  };
  readonly profile: { readonly name: string; readonly durationSeconds: number };
}

export function planSetup(input: SetupInput): SetupPlan {
  if (!SETUP_NAME_PATTERN.test(input.name)) throw new RolecallError('SETUP_NAME_INVALID', `--name "${input.name}"`);
  const roleName = input.roleName ?? `${SETUP_NAME_PREFIX}${input.name}`;
  if (!IAM_ROLE_NAME_PATTERN.test(roleName)) throw new RolecallError('SETUP_NAME_INVALID', `--role-name "${roleName}"`);
  const managedPolicyArns = [...new Set(input.managedPolicyArns ?? [])];
  const badArn = managedPolicyArns.find((arn) => !MANAGED_POLICY_ARN_PATTERN.test(arn));
  if (badArn !== undefined) throw new RolecallError('POLICY_ARN_INVALID', `"${badArn}"`);
  if (managedPolicyArns.length > 20) throw new RolecallError('POLICY_ARN_INVALID', `${managedPolicyArns.length} policies: IAM attaches at most 20 to a role`);
  const sessionSeconds = input.sessionSeconds ?? SESSION_DURATION_SECONDS.default;
  if (!isSessionDuration(sessionSeconds)) throw new RolecallError('DURATION_INVALID', String(sessionSeconds));
  // Fails here, before anything is created, when no tag was chosen.
  trustPolicy(input.pinned);
  const resourceName = `${SETUP_NAME_PREFIX}${input.name}`;
  return {
    name: input.name,
    tag: { key: SETUP_TAG_KEY, value: input.name },
    trustAnchor: { name: resourceName, source: input.source },
    role: { name: roleName, pinned: input.pinned, managedPolicyArns, maxSessionSeconds: Math.max(MIN_ROLE_MAX_SESSION_SECONDS, sessionSeconds) },
    profile: { name: resourceName, durationSeconds: sessionSeconds },
  };
}

/** `rolecall profiles add`'s flag for the plan's session length; none for the default hour. */
export function sessionDurationFlags(plan: SetupPlan): string[] {
  return plan.profile.durationSeconds === SESSION_DURATION_SECONDS.default ? [] : ['--session-duration', String(plan.profile.durationSeconds)];
}

/** The role's trust policy once the trust anchor's ARN (or what stands for it) is known. */
export function roleTrustPolicy<A>(plan: SetupPlan, trustAnchorArn: A): TrustPolicy<A> {
  return trustPolicy(plan.role.pinned, trustAnchorArn);
}
