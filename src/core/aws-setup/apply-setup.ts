// Creates a plan's resources through the SDKs, in dependency order (trust anchor, role and its
// policies, profile). Idempotent: each resource is first looked up by its name and reused when it is
// what the plan wants, refused (SETUP_CONFLICT) when it is not, and created only when absent. Each
// creation is recorded in the ledger as soon as AWS confirms it; a failure names what this run created.
import { AttachRolePolicyCommand, CreateRoleCommand, GetRoleCommand, ListAttachedRolePoliciesCommand, type Role } from '@aws-sdk/client-iam';
import {
  CreateProfileCommand,
  CreateTrustAnchorCommand,
  ListProfilesCommand,
  ListTrustAnchorsCommand,
  type ProfileDetail,
  type TrustAnchorDetail,
} from '@aws-sdk/client-rolesanywhere';
import { RolecallError } from '../../shared/errors';
import type { SetupClients } from './aws-clients';
import { roleTrustPolicy, type SetupPlan } from './plan';
import { isNotFound, setupError } from './setup-errors';
import type { CreatedResource, SetupLedger, SetupScope } from './setup-ledger';

export type SetupStepOutcome = 'created' | 'found';

export interface SetupStep {
  readonly resource: 'trust anchor' | 'role' | 'managed policy' | 'profile';
  readonly name: string;
  readonly outcome: SetupStepOutcome;
  readonly arn: string;
}

export interface AppliedSetup {
  readonly trustAnchorArn: string;
  readonly roleArn: string;
  readonly profileArn: string;
  readonly steps: readonly SetupStep[];
}

export interface ApplyDeps {
  readonly clients: SetupClients;
  readonly ledger: SetupLedger;
  readonly scope: SetupScope;
  /** Told of each resource as it is found or created. */
  readonly onStep?: (step: SetupStep) => void;
}

const MAX_PAGES = 200;

export async function applySetup(plan: SetupPlan, deps: ApplyDeps): Promise<AppliedSetup> {
  const steps: SetupStep[] = [];
  const step = (done: SetupStep) => {
    steps.push(done);
    deps.onStep?.(done);
  };
  const record = (resource: CreatedResource) => deps.ledger.record(deps.scope, resource);
  try {
    const trustAnchorArn = await ensureTrustAnchor(plan, deps.clients, record, step);
    const roleArn = await ensureRole(plan, trustAnchorArn, deps.clients, record, step);
    await ensurePolicies(plan, deps.clients, record, step);
    const profileArn = await ensureProfile(plan, roleArn, deps.clients, record, step);
    return { trustAnchorArn, roleArn, profileArn, steps };
  } catch (error) {
    throw withCreatedSoFar(error, plan, steps);
  }
}

type Record = (resource: CreatedResource) => Promise<void>;
type Step = (done: SetupStep) => void;

async function ensureTrustAnchor(plan: SetupPlan, clients: SetupClients, record: Record, step: Step): Promise<string> {
  const { name, source } = plan.trustAnchor;
  const named = (await listAll('rolesanywhere:ListTrustAnchors', async (nextToken) => {
    const page = await clients.rolesAnywhere.send(new ListTrustAnchorsCommand(nextToken === undefined ? {} : { nextToken }));
    return { items: page.trustAnchors ?? [], nextToken: page.nextToken };
  })).filter((anchor) => anchor.name === name);
  const same = named.find((anchor) => sameSource(anchor, plan));
  if (same?.trustAnchorArn) {
    step({ resource: 'trust anchor', name, outcome: 'found', arn: same.trustAnchorArn });
    return same.trustAnchorArn;
  }
  if (named.length > 0) throw new RolecallError('SETUP_CONFLICT', `trust anchor "${name}" exists with another CA`);
  const created = await call('rolesanywhere:CreateTrustAnchor', () =>
    clients.rolesAnywhere.send(
      new CreateTrustAnchorCommand({
        name,
        enabled: true,
        source:
          source.sourceType === 'CERTIFICATE_BUNDLE'
            ? { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: source.pem } }
            : { sourceType: 'AWS_ACM_PCA', sourceData: { acmPcaArn: source.acmPcaArn } },
        tags: [{ key: plan.tag.key, value: plan.tag.value }],
      }),
    ),
  );
  const arn = created.trustAnchor?.trustAnchorArn;
  const id = created.trustAnchor?.trustAnchorId;
  if (!arn || !id) throw new RolecallError('SETUP_FAILED', 'rolesanywhere:CreateTrustAnchor answered without the trust anchor\'s ARN');
  await record({ kind: 'trust-anchor', arn, id, name });
  step({ resource: 'trust anchor', name, outcome: 'created', arn });
  return arn;
}

function sameSource(anchor: TrustAnchorDetail, plan: SetupPlan): boolean {
  const wanted = plan.trustAnchor.source;
  const data = anchor.source?.sourceData;
  if (wanted.sourceType === 'AWS_ACM_PCA') return anchor.source?.sourceType === 'AWS_ACM_PCA' && data?.acmPcaArn === wanted.acmPcaArn;
  return anchor.source?.sourceType === 'CERTIFICATE_BUNDLE' && pemBody(data?.x509CertificateData ?? '') === pemBody(wanted.pem);
}

/** The base64 of every certificate in a PEM bundle, whatever its line breaks. */
function pemBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '|').replace(/\s+/g, '');
}

async function ensureRole(plan: SetupPlan, trustAnchorArn: string, clients: SetupClients, record: Record, step: Step): Promise<string> {
  const { name, maxSessionSeconds } = plan.role;
  const policy = JSON.stringify(roleTrustPolicy(plan, trustAnchorArn));
  const existing = await findRole(name, clients);
  if (existing) {
    if (!existing.Arn) throw new RolecallError('SETUP_FAILED', `iam:GetRole answered without the ARN of role "${name}"`);
    if (normalisedPolicy(existing.AssumeRolePolicyDocument) !== policy) throw new RolecallError('SETUP_CONFLICT', `role "${name}" exists with another trust policy`);
    if ((existing.MaxSessionDuration ?? 3600) < plan.profile.durationSeconds) {
      throw new RolecallError('SETUP_CONFLICT', `role "${name}" caps sessions at ${existing.MaxSessionDuration ?? 3600} s, below the ${plan.profile.durationSeconds} s asked for`);
    }
    step({ resource: 'role', name, outcome: 'found', arn: existing.Arn });
    return existing.Arn;
  }
  const created = await call('iam:CreateRole', () =>
    clients.iam.send(
      new CreateRoleCommand({
        RoleName: name,
        AssumeRolePolicyDocument: policy,
        MaxSessionDuration: maxSessionSeconds,
        Description: `IAM Roles Anywhere role of the Rolecall setup "${plan.name}"`,
        Tags: [{ Key: plan.tag.key, Value: plan.tag.value }],
      }),
    ),
  );
  const arn = created.Role?.Arn;
  if (!arn) throw new RolecallError('SETUP_FAILED', 'iam:CreateRole answered without the role\'s ARN');
  await record({ kind: 'role', arn, name });
  step({ resource: 'role', name, outcome: 'created', arn });
  return arn;
}

async function findRole(name: string, clients: SetupClients): Promise<Role | undefined> {
  try {
    return (await clients.iam.send(new GetRoleCommand({ RoleName: name }))).Role;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw setupError(error, 'iam:GetRole');
  }
}

/** IAM answers the document URL-encoded; compared as compact JSON. */
function normalisedPolicy(document: string | undefined): string {
  if (document === undefined) return '';
  try {
    return JSON.stringify(JSON.parse(decodeURIComponent(document)));
  } catch {
    return document;
  }
}

async function ensurePolicies(plan: SetupPlan, clients: SetupClients, record: Record, step: Step): Promise<void> {
  const { name: roleName, managedPolicyArns } = plan.role;
  if (managedPolicyArns.length === 0) return;
  const attached = new Set<string>();
  let marker: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const answer = await call('iam:ListAttachedRolePolicies', () => clients.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName, ...(marker === undefined ? {} : { Marker: marker }) })));
    for (const policy of answer.AttachedPolicies ?? []) if (policy.PolicyArn) attached.add(policy.PolicyArn);
    marker = answer.IsTruncated ? answer.Marker : undefined;
    if (marker === undefined) break;
  }
  for (const policyArn of managedPolicyArns) {
    if (attached.has(policyArn)) {
      step({ resource: 'managed policy', name: roleName, outcome: 'found', arn: policyArn });
      continue;
    }
    await call('iam:AttachRolePolicy', () => clients.iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn })), policyArn);
    await record({ kind: 'role-policy', roleName, policyArn });
    step({ resource: 'managed policy', name: roleName, outcome: 'created', arn: policyArn });
  }
}

async function ensureProfile(plan: SetupPlan, roleArn: string, clients: SetupClients, record: Record, step: Step): Promise<string> {
  const { name, durationSeconds } = plan.profile;
  const named = (await listAll('rolesanywhere:ListProfiles', async (nextToken) => {
    const page = await clients.rolesAnywhere.send(new ListProfilesCommand(nextToken === undefined ? {} : { nextToken }));
    return { items: page.profiles ?? [], nextToken: page.nextToken };
  })).filter((profile) => profile.name === name);
  const same = named.find((profile: ProfileDetail) => profile.roleArns?.includes(roleArn));
  if (same?.profileArn) {
    step({ resource: 'profile', name, outcome: 'found', arn: same.profileArn });
    return same.profileArn;
  }
  if (named.length > 0) throw new RolecallError('SETUP_CONFLICT', `profile "${name}" exists without the role ${roleArn}`);
  const created = await call('rolesanywhere:CreateProfile', () =>
    clients.rolesAnywhere.send(new CreateProfileCommand({ name, enabled: true, roleArns: [roleArn], durationSeconds, tags: [{ key: plan.tag.key, value: plan.tag.value }] })),
  );
  const arn = created.profile?.profileArn;
  const id = created.profile?.profileId;
  if (!arn || !id) throw new RolecallError('SETUP_FAILED', 'rolesanywhere:CreateProfile answered without the profile\'s ARN');
  await record({ kind: 'profile', arn, id, name });
  step({ resource: 'profile', name, outcome: 'created', arn });
  return arn;
}

async function call<T>(action: string, send: () => Promise<T>, about?: string): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw setupError(error, action, about);
  }
}

async function listAll<T>(action: string, fetchPage: (nextToken: string | undefined) => Promise<{ items: readonly T[]; nextToken: string | undefined }>): Promise<T[]> {
  const items: T[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const answer = await call(action, () => fetchPage(nextToken));
    items.push(...answer.items);
    nextToken = answer.nextToken || undefined;
    if (nextToken === undefined) return items;
  }
  throw new RolecallError('SETUP_FAILED', `${action} returned more than ${MAX_PAGES} pages`);
}

/** The error as it was, with what this run had created before it (the ledger holds them for --undo). */
function withCreatedSoFar(error: unknown, plan: SetupPlan, steps: readonly SetupStep[]): RolecallError {
  const failure = error instanceof RolecallError ? error : setupError(error, 'setup');
  const created = steps.filter((done) => done.outcome === 'created');
  if (created.length === 0) return failure;
  const list = created.map((done) => `${done.resource} ${done.resource === 'managed policy' ? done.arn : `${done.name} (${done.arn})`}`).join(', ');
  const detail = `${failure.detail ?? failure.message} — created before it stopped: ${list}; \`rolecall setup aws --undo --name ${plan.name}\` removes them`;
  return new RolecallError(failure.code, detail, { cause: failure });
}
