// The setup as a CloudFormation template: the trust anchor, the role with its trust policy (pinned to
// the trust anchor by reference) and the profile, with parameters for what a user tunes at deploy
// time (role name, policies, durations) and the three ARNs as outputs for `rolecall profiles add`.
import { SESSION_DURATION_SECONDS } from '../../shared/limits';
import type { SetupPlan } from './plan';
import { roleTrustPolicy } from './plan';
import { shellLine } from './shell-words';
import { yamlText, type JsonValue } from './yaml-text';

export type TemplateFormat = 'yaml' | 'json';

const getAtt = (resource: string, attribute: string): JsonValue => ({ 'Fn::GetAtt': [resource, attribute] });
const ref = (name: string): JsonValue => ({ Ref: name });

export function cloudFormationTemplate(plan: SetupPlan): { readonly [key: string]: JsonValue } {
  const tags: JsonValue = [{ Key: plan.tag.key, Value: plan.tag.value }];
  const { source } = plan.trustAnchor;
  const hasPolicies = plan.role.managedPolicyArns.length > 0;
  const parameters: Record<string, JsonValue> = {
    RoleName: { Type: 'String', Default: plan.role.name, Description: 'Name of the IAM role the certificate assumes', AllowedPattern: '[\\w+=,.@-]{1,64}' },
    ...(hasPolicies && {
      ManagedPolicyArns: { Type: 'CommaDelimitedList', Default: plan.role.managedPolicyArns.join(','), Description: 'Managed policies attached to the role (its permissions)' },
    }),
    SessionDurationSeconds: { Type: 'Number', Default: plan.profile.durationSeconds, MinValue: SESSION_DURATION_SECONDS.min, MaxValue: SESSION_DURATION_SECONDS.max, Description: 'Length of the sessions the profile issues, at most MaxSessionDurationSeconds' },
    MaxSessionDurationSeconds: { Type: 'Number', Default: plan.role.maxSessionSeconds, MinValue: 3600, MaxValue: SESSION_DURATION_SECONDS.max, Description: 'The role\'s cap on any session' },
  };
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `IAM Roles Anywhere for "${plan.name}" (rolecall setup aws): a trust anchor, a role whose trust policy pins ${plan.role.pinned.map((tag) => `${tag.key}=${tag.value}`).join(', ')}, and a profile`,
    Parameters: parameters,
    Resources: {
      TrustAnchor: {
        Type: 'AWS::RolesAnywhere::TrustAnchor',
        Properties: {
          Name: plan.trustAnchor.name,
          Enabled: true,
          Source:
            source.sourceType === 'CERTIFICATE_BUNDLE'
              ? { SourceType: 'CERTIFICATE_BUNDLE', SourceData: { X509CertificateData: source.pem } }
              : { SourceType: 'AWS_ACM_PCA', SourceData: { AcmPcaArn: source.acmPcaArn } },
          Tags: tags,
        },
      },
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: ref('RoleName'),
          AssumeRolePolicyDocument: roleTrustPolicy(plan, getAtt('TrustAnchor', 'TrustAnchorArn')) as unknown as JsonValue,
          ...(hasPolicies && { ManagedPolicyArns: ref('ManagedPolicyArns') }),
          MaxSessionDuration: ref('MaxSessionDurationSeconds'),
          Tags: tags,
        },
      },
      Profile: {
        Type: 'AWS::RolesAnywhere::Profile',
        Properties: {
          Name: plan.profile.name,
          Enabled: true,
          RoleArns: [getAtt('Role', 'Arn')],
          DurationSeconds: ref('SessionDurationSeconds'),
          Tags: tags,
        },
      },
    },
    Outputs: {
      TrustAnchorArn: { Description: 'rolecall profiles add --trust-anchor-arn', Value: getAtt('TrustAnchor', 'TrustAnchorArn') },
      ProfileArn: { Description: 'rolecall profiles add --profile-arn', Value: getAtt('Profile', 'ProfileArn') },
      RoleArn: { Description: 'rolecall profiles add --role-arn', Value: getAtt('Role', 'Arn') },
    },
  };
}

export function templateText(plan: SetupPlan, format: TemplateFormat): string {
  const template = cloudFormationTemplate(plan);
  return format === 'json' ? `${JSON.stringify(template, null, 2)}\n` : yamlText(template);
}

/** The stack name a template is deployed as: the resources' shared name. */
export function stackName(plan: SetupPlan): string {
  return plan.profile.name;
}

/** The line that deploys the template saved at `templatePath` (named IAM roles need CAPABILITY_NAMED_IAM). */
export function deployCommand(plan: SetupPlan, templatePath: string, region?: string): string {
  return shellLine(['aws', 'cloudformation', 'deploy', '--template-file', templatePath, '--stack-name', stackName(plan), '--capabilities', 'CAPABILITY_NAMED_IAM', ...(region === undefined ? [] : ['--region', region])]);
}
