// The setup as `aws rolesanywhere …` and `aws iam …` lines ready to paste into bash or zsh, in the order
// the resources depend on each other, each ARN kept in a variable for the lines after it, and the
// `rolecall profiles add` line that uses them.
import type { SetupPlan } from './plan';
import { roleTrustPolicy, sessionDurationFlags } from './plan';
import { shellAssignment, shellLine, spliceVariable, type Word } from './shell-words';

export interface ScriptOptions {
  /** The Roles Anywhere region. */
  readonly region: string;
  /** The AWS CLI profile the lines run as. */
  readonly awsProfile?: string;
  /** An endpoint for both services (the sandbox). */
  readonly endpointUrl?: string;
  /** A certificate request issued to Rolecall (`rolecall certificate`), used instead of files. */
  readonly fromCertificate?: string;
  /** The certificate and key of the Rolecall profile; placeholders when absent. */
  readonly certificatePath?: string;
  readonly privateKeyPath?: string;
  readonly intermediatesPath?: string;
  /** The words that run Rolecall (default `rolecall`). */
  readonly rolecall?: readonly string[];
}

// Stands for the trust anchor's ARN in the policy text until it is spliced with the shell variable.
const ANCHOR_PLACEHOLDER = '\u0000TRUST_ANCHOR_ARN\u0000';

export function awsCliScript(plan: SetupPlan, options: ScriptOptions): string {
  // IAM is global, but the AWS CLI refuses to run without a region; any region reaches IAM's one endpoint.
  const common: Word[] = [
    '--region', options.region,
    ...(options.awsProfile === undefined ? [] : ['--profile', options.awsProfile]),
    ...(options.endpointUrl === undefined ? [] : ['--endpoint-url', options.endpointUrl]),
  ];
  const { source } = plan.trustAnchor;
  const sourceJson = JSON.stringify(
    source.sourceType === 'CERTIFICATE_BUNDLE'
      ? { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: source.pem } }
      : { sourceType: 'AWS_ACM_PCA', sourceData: { acmPcaArn: source.acmPcaArn } },
  );
  const policyJson = JSON.stringify(roleTrustPolicy(plan, ANCHOR_PLACEHOLDER));
  const rolecall = options.rolecall ?? ['rolecall'];
  const lines = [
    `# IAM Roles Anywhere for "${plan.name}" (rolecall setup aws). Run in bash or zsh, line by line or as a whole.`,
    shellAssignment('TRUST_ANCHOR_ARN', [
      'aws', 'rolesanywhere', 'create-trust-anchor', '--name', plan.trustAnchor.name, '--enabled', '--source', sourceJson,
      '--tags', JSON.stringify([{ key: plan.tag.key, value: plan.tag.value }]),
      '--query', 'trustAnchor.trustAnchorArn', '--output', 'text', ...common,
    ]),
    shellAssignment('ROLE_ARN', [
      'aws', 'iam', 'create-role', '--role-name', plan.role.name,
      '--assume-role-policy-document', spliceVariable(policyJson, JSON.stringify(ANCHOR_PLACEHOLDER).slice(1, -1), 'TRUST_ANCHOR_ARN'),
      '--max-session-duration', String(plan.role.maxSessionSeconds),
      '--tags', JSON.stringify([{ Key: plan.tag.key, Value: plan.tag.value }]),
      '--query', 'Role.Arn', '--output', 'text', ...common,
    ]),
    ...plan.role.managedPolicyArns.map((arn) => shellLine(['aws', 'iam', 'attach-role-policy', '--role-name', plan.role.name, '--policy-arn', arn, ...common])),
    shellAssignment('PROFILE_ARN', [
      'aws', 'rolesanywhere', 'create-profile', '--name', plan.profile.name, '--enabled',
      '--role-arns', [{ variable: 'ROLE_ARN' }], '--duration-seconds', String(plan.profile.durationSeconds),
      '--tags', JSON.stringify([{ key: plan.tag.key, value: plan.tag.value }]),
      '--query', 'profile.profileArn', '--output', 'text', ...common,
    ]),
    shellLine([
      ...rolecall, 'profiles', 'add', plan.name,
      ...(options.fromCertificate !== undefined
        ? ['--from-certificate', options.fromCertificate]
        : [
            '--certificate', options.certificatePath ?? 'CERTIFICATE.pem',
            '--private-key', options.privateKeyPath ?? 'PRIVATE-KEY.pem',
            ...(options.intermediatesPath === undefined ? [] : ['--intermediates', options.intermediatesPath]),
          ]),
      '--trust-anchor-arn', [{ variable: 'TRUST_ANCHOR_ARN' }], '--profile-arn', [{ variable: 'PROFILE_ARN' }], '--role-arn', [{ variable: 'ROLE_ARN' }],
      ...sessionDurationFlags(plan),
      ...(options.endpointUrl === undefined ? [] : ['--endpoint', options.endpointUrl]),
      '--activate',
    ]),
  ];
  return `${lines.join('\n')}\n`;
}
