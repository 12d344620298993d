import { credentialProcessJson } from '../../core/rolesanywhere/process-output';
import { EXIT_CODES_HELP, formatHelp, parseCommandArgs } from '../args';
import { DROP_IN_HELP_OPTIONS, DROP_IN_OPTIONS, dropInRequest, loadDropInCredentials, mintDropInSession } from '../drop-in';

const HELP = formatHelp({
  usage: 'rolecall credential-process --certificate FILE [--private-key FILE] --trust-anchor-arn ARN --profile-arn ARN --role-arn ARN [options]',
  summary: 'Print temporary credentials in the credential_process format (a drop-in for aws_signing_helper credential-process).',
  options: [...DROP_IN_HELP_OPTIONS, ['--help', 'Show this help']],
  notes: [
    'Use in ~/.aws/config:  credential_process = rolecall credential-process --certificate ... --role-arn ...',
    'Output: {"Version":1,"AccessKeyId":...,"SecretAccessKey":...,"SessionToken":...,"Expiration":...} without a trailing newline.',
    EXIT_CODES_HELP,
  ],
});

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { ...DROP_IN_OPTIONS, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const request = dropInRequest(values);
  const credentials = await loadDropInCredentials(request);
  const session = await mintDropInSession(request, credentials);
  process.stdout.write(credentialProcessJson(session));
  return 0;
}
