// Builders shared by the trust-policy tests: the tutorials' trust policy shape, a default tag set as
// the fixture leaves carry it, and parse-or-fail.
import { expect } from 'vitest';
import { createSessionAuthorization, parseTrustPolicy, type TrustPolicy } from '../../../src/sandbox/policy';

export const RA = 'rolesanywhere.amazonaws.com';
export const ACCOUNT = '123456789012';
export const TRUST_ANCHOR = `arn:aws:rolesanywhere:us-east-1:${ACCOUNT}:trust-anchor/66666666-7777-8888-9999-000000000000`;
export const OTHER_ANCHOR = `arn:aws:rolesanywhere:us-east-1:${ACCOUNT}:trust-anchor/00000000-1111-2222-3333-444444444444`;
export const ALL_ACTIONS = ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'];
export const NOW = Date.parse('2026-03-01T12:00:00Z');

export const TAGS: Readonly<Record<string, string>> = {
  'x509Subject/CN': 'alice',
  'x509Subject/OU': 'devops',
  'x509Subject/O': 'Rolecall Tests',
  'x509Issuer/CN': 'Rolecall Test Intermediate CA',
  'x509SAN/DNS': 'alice.rolecall.test',
  'x509SAN/URI': 'spiffe://rolecall.test/workload/alice',
};

export type StatementJson = Record<string, unknown>;

export function allow(condition?: Record<string, unknown>, action: unknown = ALL_ACTIONS): StatementJson {
  return { Effect: 'Allow', Principal: { Service: RA }, Action: action, ...(condition ? { Condition: condition } : {}) };
}

export function deny(condition?: Record<string, unknown>, action: unknown = ALL_ACTIONS): StatementJson {
  return { ...allow(condition, action), Effect: 'Deny' };
}

export function document(statements: readonly StatementJson[], version: string | undefined = '2012-10-17'): string {
  return JSON.stringify({ ...(version ? { Version: version } : {}), Statement: statements });
}

export function parsed(text: string): TrustPolicy {
  const result = parseTrustPolicy(text);
  if (!result.ok) expect.fail(`policy refused: ${result.refusal.message}\n${text}`);
  return result.policy;
}

export function sessionRequest(overrides: { tags?: Readonly<Record<string, string>>; trustAnchorArn?: string; sourceIdentity?: string | null } = {}) {
  const sourceIdentity = overrides.sourceIdentity === null ? undefined : (overrides.sourceIdentity ?? 'CN=alice');
  return createSessionAuthorization({
    principalTags: overrides.tags ?? TAGS,
    trustAnchorArn: overrides.trustAnchorArn ?? TRUST_ANCHOR,
    ...(sourceIdentity === undefined ? {} : { sourceIdentity }),
    now: NOW,
  });
}
