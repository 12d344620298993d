// ARN checks for inline validation and short names, on the shapes the agent enforces (shared/patterns).
import { REGION_PATTERN, ROLE_ARN_PATTERN, ROLES_ANYWHERE_ARN_PATTERN } from '../../shared/patterns';

const UUID_LIKE = /^[a-f0-9]{8}-(?:[a-z0-9]{4}-){3}[a-z0-9]{12}$/;

export type ArnKind = 'trust-anchor' | 'profile' | 'role';

export interface ParsedArn {
  readonly kind: ArnKind;
  /** Absent for IAM role ARNs, which are global. */
  readonly region?: string;
  readonly account: string;
  /** The trust anchor or profile ID, or the role name (without its path). */
  readonly name: string;
}

const EXPECTED: Record<ArnKind, string> = {
  'trust-anchor': 'arn:aws:rolesanywhere:REGION:ACCOUNT:trust-anchor/ID',
  profile: 'arn:aws:rolesanywhere:REGION:ACCOUNT:profile/ID',
  role: 'arn:aws:iam::ACCOUNT:role/NAME',
};

const KIND_LABEL: Record<ArnKind, string> = { 'trust-anchor': 'a trust anchor', profile: 'a profile', role: 'a role' };

export function isValidRegion(text: string): boolean {
  return REGION_PATTERN.test(text);
}

/** Any of the three ARN kinds Rolecall uses, or null when the text is none of them. */
export function parseArn(text: string): ParsedArn | null {
  const arn = text.trim();
  const rolesAnywhere = ROLES_ANYWHERE_ARN_PATTERN.exec(arn);
  if (rolesAnywhere) {
    const [, , region = '', account = '', kind, id = ''] = rolesAnywhere;
    return { kind: kind === 'profile' ? 'profile' : 'trust-anchor', region, account, name: id };
  }
  const role = ROLE_ARN_PATTERN.exec(arn);
  if (role) {
    const [, , account = '', , name = ''] = role;
    return { kind: 'role', account, name };
  }
  return null;
}

/** Why `text` is not an ARN of `kind`, or undefined when it is. Empty text is the form's business. */
export function arnProblem(text: string, kind: ArnKind): string | undefined {
  const parsed = parseArn(text);
  if (parsed?.kind === kind) return undefined;
  if (parsed) return `This is ${KIND_LABEL[parsed.kind]} ARN; expected ${EXPECTED[kind]}.`;
  return `Expected ${EXPECTED[kind]}.`;
}

export function regionOfArn(text: string): string | undefined {
  return parseArn(text)?.region;
}

/** The ID or role name an ARN ends with; the text itself when it is no ARN Rolecall knows. */
export function arnShortName(text: string): string {
  return parseArn(text)?.name ?? text.trim();
}

/** Trust anchor and profile IDs are UUIDs: their first 8 digits tell them apart at a glance. */
export function abbreviateId(id: string): string {
  return UUID_LIKE.test(id) ? `${id.slice(0, 8)}…` : id;
}
