// `rolecall exec NAME -- cmd args…`: run a command with the profile's session in its environment, or
// with --server a credentials endpoint it refreshes from, so long runs never see expired keys.
import { RolecallError } from '../../shared/errors';
import { endpointEnvVars, envVars, execWithCredentials } from '../../core/terminal';
import { EXIT_CODES_HELP, formatHelp, parseCommandArgs } from '../args';
import { withAgent } from '../runtime';

const HELP = formatHelp({
  usage: 'rolecall exec NAME [--server] -- COMMAND [ARGS…]',
  summary: 'Run COMMAND with the profile\'s session: stdio inherited, signals forwarded, its exit code returned. AWS_PROFILE and other credential variables are removed so the session is what SDKs use.',
  options: [
    ['--server', 'Give the command a local container-credentials endpoint instead of keys: SDKs refresh from it, so a three-hour terraform apply never sees expired credentials'],
    ['--help', 'Show this help'],
  ],
  notes: ['Example: rolecall exec dev -- terraform plan', EXIT_CODES_HELP],
});

export async function run(argv: string[]): Promise<number> {
  const separator = argv.indexOf('--');
  const own = separator === -1 ? argv : argv.slice(0, separator);
  const command = separator === -1 ? [] : argv.slice(separator + 1);
  const { values, positionals } = parseCommandArgs(own, { server: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, true);
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const [name, ...extra] = positionals;
  const [program, ...args] = command;
  if (!name || extra.length > 0 || !program) throw new RolecallError('USAGE', 'use: rolecall exec NAME -- COMMAND [ARGS…]');
  return withAgent(async (agent) => {
    if (!values.server) {
      const credentials = await agent.call('credentials.get', { name });
      return execWithCredentials({ command: program, args, env: process.env, credentialsEnv: envVars(credentials) });
    }
    const endpoint = await agent.call('endpoint.start', { names: [name] });
    const { toolRegion } = await agent.call('profiles.get', { name });
    try {
      return await execWithCredentials({ command: program, args, env: process.env, credentialsEnv: endpointEnvVars(endpoint, name, toolRegion) });
    } finally {
      await agent.call('endpoint.stop', { id: endpoint.id });
    }
  });
}
