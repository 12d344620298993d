// The agent's answers to the setup operations of the contract (the window's "Set up Roles Anywhere"):
// the same plan, template, commands and apply as `rolecall setup aws`, for an issued certificate request
// whose key is already in the keychain. Creating resources ends with the Rolecall profile added with
// their ARNs and activated, through the agent's own profile operations.
import type { ParsedInput } from '../agent';
import type { LocalCaManager } from '../ca/manager';
import type { CertificateManager } from '../certificates/manager';
import { parseCertificates, principalTags } from '../pki';
import type { HttpTransport } from '../platform/transport';
import { resolveAwsProfileCredentials } from '../rolesanywhere/aws-profile-credentials';
import type { AwsCredentials } from '../rolesanywhere/discovery';
import type { OperationOutput } from '../../shared/contract';
import { RolecallError } from '../../shared/errors';
import type { ProfileView, SetupPreview } from '../../shared/model';
import { awsCliScript } from './aws-cli-script';
import { trustAnchorSource, type CaSource } from './ca-source';
import { deployCommand, stackName, templateText } from './cloudformation-template';
import { planSetup, roleTrustPolicy, type SetupPlan } from './plan';
import { SetupLedger, type SetupScope } from './setup-ledger';
import { pinnedTags } from './trust-policy';

type SetupOperation = 'setup.preview' | 'setup.template' | 'setup.commands' | 'setup.apply';

export type SetupHandlers = { readonly [N in SetupOperation]: (input: ParsedInput<N>) => Promise<OperationOutput<N>> };

/** The local sandbox's control plane: where it listens and its admin key (which never leaves the agent). */
export interface SetupSandbox {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: AwsCredentials;
}

export interface SetupProfileArns {
  readonly trustAnchorArn: string;
  readonly profileArn: string;
  readonly roleArn: string;
  readonly endpoint?: string;
}

export interface SetupOperationsOptions {
  readonly dataDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homedir: string;
  readonly transport: HttpTransport;
  readonly certificates: CertificateManager;
  readonly cas: LocalCaManager;
  readonly timeoutMs: () => Promise<number>;
  /** Starts the local sandbox when it is not running; absent where the host offers none. */
  readonly sandbox?: () => Promise<SetupSandbox>;
  /** The profile of this name, if there is one. */
  existingProfile(name: string): ProfileView | undefined;
  /** Adds the profile from the issued certificate request (its key stays in the keychain), asking for sessions as long as the setup's. */
  addProfile(name: string, certificate: string, arns: SetupProfileArns, durationSeconds: number): Promise<ProfileView>;
  activate(name: string): Promise<ProfileView>;
}

type SetupRequest = ParsedInput<'setup.preview'>;
type SetupTarget = ParsedInput<'setup.apply'>['target'];

interface Target {
  readonly region: string;
  readonly endpoint?: string;
  readonly awsProfile?: string;
  credentials(): Promise<AwsCredentials>;
}

export function setupOperations(options: SetupOperationsOptions): SetupHandlers {
  const planOf = async (request: SetupRequest): Promise<{ plan: SetupPlan; tags: Record<string, string> }> => {
    const record = await options.certificates.get(request.certificate);
    const [leaf] = record.certificatePem === undefined ? [] : parseCertificates(record.certificatePem);
    if (!leaf) throw new RolecallError('CERTIFICATE_NOT_ISSUED', request.certificate);
    const tags = principalTags(leaf);
    // Every box unticked is a choice too: a trust policy pinning nothing, which planSetup refuses.
    const pinned = request.tags === undefined ? pinnedTags(tags, []) : request.tags.length === 0 ? [] : pinnedTags(tags, request.tags);
    const plan = planSetup({
      name: request.name,
      source: await trustAnchorSource(caSourceOf(request.ca), (name) => options.cas.certificatePem(name)),
      pinned,
      ...(request.roleName !== undefined && { roleName: request.roleName }),
      managedPolicyArns: request.policyArns ?? [],
      ...(request.sessionSeconds !== undefined && { sessionSeconds: request.sessionSeconds }),
    });
    return { plan, tags };
  };

  const targetOf = async (target: SetupTarget): Promise<Target> => {
    if (target.kind === 'aws') {
      return { region: target.region, awsProfile: target.awsProfile, credentials: () => resolveAwsProfileCredentials(target.awsProfile, { env: options.env, homedir: options.homedir }) };
    }
    if (!options.sandbox) throw new RolecallError('NOT_SUPPORTED_YET', 'this host offers no local sandbox');
    const sandbox = await options.sandbox();
    return { region: sandbox.region, endpoint: sandbox.endpoint, credentials: async () => sandbox.credentials };
  };

  return {
    async 'setup.preview'(request) {
      const { plan, tags } = await planOf(request);
      return preview(plan, tags);
    },
    async 'setup.template'(request) {
      const { plan } = await planOf(request);
      const fileName = `${stackName(plan)}.yaml`;
      return { text: templateText(plan, 'yaml'), fileName, next: deployCommand(plan, fileName) };
    },
    async 'setup.commands'({ target, ...request }) {
      const { plan } = await planOf(request);
      const where = await targetOf(target);
      const text = awsCliScript(plan, {
        region: where.region,
        fromCertificate: request.certificate,
        ...(where.awsProfile !== undefined && { awsProfile: where.awsProfile }),
        ...(where.endpoint !== undefined && { endpointUrl: where.endpoint }),
      });
      return { text, fileName: `${stackName(plan)}.sh` };
    },
    async 'setup.apply'({ target, ...request }) {
      const { plan } = await planOf(request);
      const where = await targetOf(target);
      const credentials = await where.credentials();
      // The SDK clients load only when something is created: the agent starts without them.
      const [{ createSetupClients }, { applySetup }] = await Promise.all([import('./aws-clients'), import('./apply-setup')]);
      const clients = createSetupClients({
        region: where.region,
        credentials,
        transport: options.transport,
        timeoutMs: await options.timeoutMs(),
        ...(where.endpoint !== undefined && { endpoint: where.endpoint }),
      });
      const scope: SetupScope = { name: plan.name, region: where.region, ...(where.endpoint !== undefined && { endpoint: where.endpoint }) };
      let applied;
      try {
        applied = await applySetup(plan, { clients, ledger: new SetupLedger(options.dataDir), scope });
      } finally {
        clients.destroy();
      }
      const arns: SetupProfileArns = { trustAnchorArn: applied.trustAnchorArn, profileArn: applied.profileArn, roleArn: applied.roleArn, ...(where.endpoint !== undefined && { endpoint: where.endpoint }) };
      const existing = options.existingProfile(plan.name);
      if (existing && (existing.trustAnchorArn !== arns.trustAnchorArn || existing.profileArn !== arns.profileArn || existing.roleArn !== arns.roleArn)) {
        throw new RolecallError('PROFILE_EXISTS', `${plan.name} has other ARNs; the AWS side is in place (trust anchor ${arns.trustAnchorArn}, profile ${arns.profileArn}, role ${arns.roleArn})`);
      }
      if (!existing) await options.addProfile(plan.name, request.certificate, arns, plan.profile.durationSeconds);
      const profile = await options.activate(plan.name);
      return {
        trustAnchorArn: applied.trustAnchorArn,
        roleArn: applied.roleArn,
        profileArn: applied.profileArn,
        steps: applied.steps.map((step) => ({ ...step })),
        profile,
        target: where.awsProfile === undefined ? `the local sandbox (${where.endpoint ?? where.region})` : `${where.region}, with the AWS CLI profile ${where.awsProfile}`,
      };
    },
  };
}

function caSourceOf(ca: SetupRequest['ca']): CaSource {
  if (ca.kind === 'rolecall-ca') return { kind: 'rolecall-ca', name: ca.name };
  if (ca.kind === 'acm-pca') return { kind: 'acm-pca', arn: ca.arn };
  return { kind: 'pem-file', path: 'the CA certificate given', contents: ca.pem };
}

function preview(plan: SetupPlan, tags: Record<string, string>): SetupPreview {
  const { source } = plan.trustAnchor;
  const policies = plan.role.managedPolicyArns.length === 0 ? 'no permissions policy yet (attach one later)' : `permissions ${plan.role.managedPolicyArns.join(', ')}`;
  return {
    name: plan.name,
    certificateTags: tags,
    pinned: plan.role.pinned,
    trustPolicy: JSON.stringify(roleTrustPolicy(plan, `<ARN of trust anchor ${plan.trustAnchor.name}>`), null, 2),
    resources: [
      { kind: 'trust anchor', name: plan.trustAnchor.name, detail: source.sourceType === 'AWS_ACM_PCA' ? source.description : `the CA ${source.description}` },
      { kind: 'IAM role', name: plan.role.name, detail: `trusted by Roles Anywhere for this certificate; sessions up to ${plan.role.maxSessionSeconds / 60} minutes; ${policies}` },
      { kind: 'profile', name: plan.profile.name, detail: `hands out the role ${plan.role.name} for ${plan.profile.durationSeconds / 60} minutes at a time` },
    ],
    tag: `${plan.tag.key}=${plan.tag.value}`,
  };
}
