// The trust policy of a role that Roles Anywhere may assume for one kind of certificate: the service
// principal, the three actions a session needs (AssumeRole; TagSession for the principal tags;
// SetSourceIdentity for the CN the service sets as source identity), StringEquals on the chosen
// principal tags, and ArnEquals on the trust anchor when it is known, so a certificate that reaches the
// role through another anchor (another CA of the account) is refused even with the same subject.
import { RolecallError } from '../../shared/errors';

export const ROLES_ANYWHERE_SERVICE = 'rolesanywhere.amazonaws.com';
export const TRUST_POLICY_ACTIONS = ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'] as const;
/** What the tutorials pin: the subject's OU and CN. */
export const DEFAULT_PINNED_TAGS = ['x509Subject/OU', 'x509Subject/CN'] as const;

/** A principal tag key without `aws:PrincipalTag/` (x509Subject/CN), and the value the policy requires. */
export interface PinnedTag {
  readonly key: string;
  readonly value: string;
}

/**
 * A trust policy whose source ARN is a value of type A: the ARN itself, or what stands for it where it
 * is not known yet (a CloudFormation reference, a shell variable).
 */
export interface TrustPolicy<A = string> {
  readonly Version: '2012-10-17';
  readonly Statement: readonly [
    {
      readonly Effect: 'Allow';
      readonly Principal: { readonly Service: typeof ROLES_ANYWHERE_SERVICE };
      readonly Action: readonly string[];
      readonly Condition: {
        readonly StringEquals: Readonly<Record<string, string>>;
        readonly ArnEquals?: { readonly 'aws:SourceArn': A };
      };
    },
  ];
}

const TAG_KEY = /^(?:(?:x509Subject|x509Issuer|x509SAN\/Name)\/(?:C|CN|L|O|OU|ST|UID)|x509SAN\/(?:DNS|URI))$/;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;
const PRINCIPAL_TAG_PREFIX = 'aws:PrincipalTag/';

export function trustPolicy<A = string>(pinned: readonly PinnedTag[], sourceArn?: A): TrustPolicy<A> {
  if (pinned.length === 0) throw new RolecallError('SETUP_TAG_MISSING', 'no principal tag was chosen, so the role would trust every certificate of the trust anchor');
  const stringEquals = Object.fromEntries(pinned.map(({ key, value }) => [`${PRINCIPAL_TAG_PREFIX}${key}`, value]));
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: ROLES_ANYWHERE_SERVICE },
        Action: [...TRUST_POLICY_ACTIONS],
        Condition: { StringEquals: stringEquals, ...(sourceArn === undefined ? {} : { ArnEquals: { 'aws:SourceArn': sourceArn } }) },
      },
    ],
  };
}

/**
 * The tags the policy pins, from choices such as `x509Subject/OU` (the certificate's value) or
 * `x509Subject/OU=devops` (a value given outright, for a certificate not at hand). No choice means the
 * tutorials' default: the certificate's OU and CN, those of them it carries.
 */
export function pinnedTags(certificateTags: Readonly<Record<string, string>> | undefined, choices: readonly string[]): PinnedTag[] {
  const wanted = choices.length > 0 ? choices : DEFAULT_PINNED_TAGS.filter((key) => certificateTags?.[key] !== undefined);
  if (wanted.length === 0) {
    throw new RolecallError('SETUP_TAG_MISSING', certificateTags === undefined ? 'give the certificate (--certificate) or the tags with their values (--tag x509Subject/OU=VALUE)' : 'the certificate has neither a subject OU nor a CN: choose its tags with --tag');
  }
  const pinned = new Map<string, string>();
  for (const choice of wanted) {
    const { key, value } = pinnedTag(choice, certificateTags);
    pinned.set(key, value);
  }
  return [...pinned].map(([key, value]) => ({ key, value }));
}

function pinnedTag(choice: string, certificateTags: Readonly<Record<string, string>> | undefined): PinnedTag {
  const equals = choice.indexOf('=');
  const rawKey = equals < 0 ? choice : choice.slice(0, equals);
  const key = rawKey.startsWith(PRINCIPAL_TAG_PREFIX) ? rawKey.slice(PRINCIPAL_TAG_PREFIX.length) : rawKey;
  if (!TAG_KEY.test(key)) throw new RolecallError('SETUP_TAG_UNKNOWN', `"${rawKey}" is not a principal tag Roles Anywhere sets`);
  const value = equals < 0 ? certificateTags?.[key] : choice.slice(equals + 1);
  if (value === undefined) {
    const carried = Object.keys(certificateTags ?? {}).join(', ');
    throw new RolecallError('SETUP_TAG_UNKNOWN', certificateTags === undefined ? `${key} has no value: give one (--tag ${key}=VALUE) or the certificate` : `the certificate carries no ${key} (it carries ${carried || 'no tags'})`);
  }
  if (!TAG_VALUE.test(value)) throw new RolecallError('SETUP_TAG_UNKNOWN', `the value of ${key} is not one a session tag can carry`);
  return { key, value };
}
