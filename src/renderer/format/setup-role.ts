// The wizard's role fields as `rolecall setup aws --role-name / --policy-arn / --session-duration` take
// them: the CLI's defaults and its checks, so the window refuses beside a field what the agent would
// refuse (it checks them again).
import type { OperationInput } from '../../shared/contract';
import { ERRORS } from '../../shared/errors';
import { isSessionDuration, SESSION_DURATION_SECONDS } from '../../shared/limits';
import { IAM_ROLE_NAME_PATTERN, MANAGED_POLICY_ARN_PATTERN } from '../../shared/patterns';

type SetupRequest = OperationInput<'setup.preview'>;
export type SetupRole = Required<Pick<SetupRequest, 'roleName' | 'policyArns' | 'sessionSeconds'>>;

/** The fields as typed. */
export interface SetupRoleText {
  readonly roleName: string;
  /** One managed policy ARN a line. */
  readonly policies: string;
  readonly sessionSeconds: string;
}

export interface SetupRoleCheck {
  readonly problems: { readonly [K in keyof SetupRoleText]?: string };
  /** The role as the setup operations take it; absent while a field is refused. */
  readonly role?: SetupRole;
}

// IAM attaches at most 20 managed policies to a role.
const MAX_POLICIES = 20;
export const EXAMPLE_POLICY_ARN = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

/** The CLI's defaults: the role named as the other resources are, no policy yet, one-hour sessions. */
export function setupRoleDefaults(roleName: string): SetupRoleText {
  return { roleName, policies: '', sessionSeconds: String(SESSION_DURATION_SECONDS.default) };
}

export function checkSetupRole(text: SetupRoleText): SetupRoleCheck {
  const roleName = text.roleName.trim();
  // Repeats are dropped, as the CLI drops a repeated --policy-arn.
  const policyArns = [...new Set(text.policies.split('\n').map((line) => line.trim()).filter((line) => line !== ''))];
  const badArn = policyArns.find((arn) => !MANAGED_POLICY_ARN_PATTERN.test(arn));
  const seconds = text.sessionSeconds.trim();
  const sessionSeconds = seconds === '' ? Number.NaN : Number(seconds);
  const problems = {
    ...(!IAM_ROLE_NAME_PATTERN.test(roleName) && { roleName: 'Use 1 to 64 letters, digits and +=,.@_- for the role name.' }),
    ...(badArn !== undefined && { policies: `${badArn} is not a managed policy ARN, such as ${EXAMPLE_POLICY_ARN}.` }),
    ...(badArn === undefined && policyArns.length > MAX_POLICIES && { policies: `${policyArns.length} policies: IAM attaches at most ${MAX_POLICIES} to a role.` }),
    ...(!isSessionDuration(sessionSeconds) && { sessionSeconds: ERRORS.DURATION_INVALID.next }),
  };
  return Object.keys(problems).length > 0 ? { problems } : { problems, role: { roleName, policyArns, sessionSeconds } };
}
