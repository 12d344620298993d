// `rolecall credential-process`: with the reference's flags a one-shot mint (drop-in for
// aws_signing_helper); with `--profile NAME` the agent's cached session, so a burst of SDK calls costs
// one CreateSession per validity period. Each path loads only its own code: SDKs run this often.
import { RolecallError, isRolecallError } from '../../shared/errors';
import { credentialProcessJson } from '../../core/rolesanywhere/process-output';
import { EXIT_CODES_HELP, formatHelp, parseCommandArgs } from '../args';
import { DROP_IN_HELP_OPTIONS, DROP_IN_OPTIONS } from '../drop-in-options';

declare const ROLECALL_VERSION: string;

const HELP = formatHelp({
  usage: 'rolecall credential-process --profile NAME\n       rolecall credential-process --certificate FILE [--private-key FILE] --trust-anchor-arn ARN --profile-arn ARN --role-arn ARN [options]',
  summary: 'Print temporary credentials in the credential_process format. With --profile, a Rolecall profile\'s cached session (minted only when less than 15 minutes remain); with the aws_signing_helper flags, a new session each call (drop-in replacement).',
  options: [['--profile NAME', 'A Rolecall profile (see `rolecall profiles list`)'], ...DROP_IN_HELP_OPTIONS, ['--help', 'Show this help']],
  notes: [
    'In ~/.aws/config:  credential_process = rolecall credential-process --profile NAME',
    'Output: {"Version":1,"AccessKeyId":...,"SecretAccessKey":...,"SessionToken":...,"Expiration":...} without a trailing newline.',
    EXIT_CODES_HELP,
  ],
});

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { ...DROP_IN_OPTIONS, profile: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.profile !== undefined) {
    const signingFlags = Object.keys(values).filter((flag) => flag !== 'profile' && flag !== 'debug');
    if (signingFlags.length > 0) throw new RolecallError('USAGE', `--profile takes its certificate and ARNs from the profile; drop --${signingFlags.join(', --')}`);
    process.stdout.write(credentialProcessJson(await profileCredentials(values.profile)));
    return 0;
  }
  const { dropInRequest, dropInSession } = await import('../drop-in');
  process.stdout.write(credentialProcessJson(await dropInSession(dropInRequest(values))));
  return 0;
}

/**
 * Failures that mean no agent can serve this user here, as opposed to the agent refusing the call; an
 * agent from another Rolecall version (after an upgrade) counts too, so SDKs keep getting credentials.
 */
const NO_AGENT_CODES: ReadonlySet<string> = new Set(['AGENT_UNAVAILABLE', 'AGENT_SOCKET_UNSAFE', 'AGENT_INCOMPATIBLE']);

async function profileCredentials(name: string) {
  const { withAgent } = await import('../runtime');
  try {
    return await withAgent((agent) => agent.call('credentials.get', { name }));
  } catch (error) {
    if (!isRolecallError(error) || !NO_AGENT_CODES.has(error.code)) throw error;
    // No agent could start (a locked-down machine, a container, a socket folder others can enter):
    // mint here with the same cache and lock. This never talks to the socket, so an unsafe folder
    // cannot hand it an impostor's credentials.
    const { oneShotRun } = await import('../one-shot');
    return oneShotRun(name, ROLECALL_VERSION);
  }
}
