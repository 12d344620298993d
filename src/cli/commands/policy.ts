// `rolecall policy NAME`: the trust policy a role needs for a profile's certificate, for users whose
// AWS side is run by someone else: the principal tags it pins (the subject's OU and CN unless --tag says
// otherwise) and the profile's trust anchor.
import { pinnedTags, trustPolicy } from '../../core/aws-setup/trust-policy';
import { RolecallError } from '../../shared/errors';
import { EXIT_CODES_HELP, formatHelp, parseCommandArgsOrHelp, printJson } from '../args';
import { withAgent } from '../runtime';

const OPTIONS = {
  tag: { type: 'string', multiple: true },
  'no-source-arn': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP = formatHelp({
  usage: 'rolecall policy NAME [--tag KEY[=VALUE]]... [--no-source-arn]',
  summary: 'Print the IAM trust policy (JSON) that lets Roles Anywhere assume a role for this profile\'s certificate: rolesanywhere.amazonaws.com may call sts:AssumeRole, sts:TagSession and sts:SetSourceIdentity when the session\'s principal tags match the certificate and it came through the profile\'s trust anchor.',
  options: [
    ['--tag KEY[=VALUE]', 'A principal tag to require, e.g. x509Subject/OU or x509Issuer/CN (the certificate\'s value) or KEY=VALUE; repeat for more (default: x509Subject/OU and x509Subject/CN)'],
    ['--no-source-arn', 'Leave out the aws:SourceArn condition on the trust anchor'],
    ['--help', 'Show this help'],
  ],
  notes: ['Give it to whoever runs your AWS account: `aws iam update-assume-role-policy --role-name ROLE --policy-document file://policy.json`.', EXIT_CODES_HELP],
});

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgsOrHelp(argv, OPTIONS, HELP, true);
  if (parsed === undefined) return 0;
  const { values, positionals } = parsed;
  const [name, ...extra] = positionals;
  if (!name || extra.length > 0) throw new RolecallError('USAGE', 'give one profile name');
  const view = await withAgent((agent) => agent.call('profiles.get', { name }));
  const pinned = pinnedTags(view.certificate.principalTags, values.tag ?? []);
  const policy = trustPolicy(pinned, values['no-source-arn'] ? undefined : view.trustAnchorArn);
  printJson(policy);
  return 0;
}
