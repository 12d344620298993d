// `rolecall config NAME`: what ~/.aws/config holds for a profile, for users who keep that file by hand
// (or in dotfiles) and want to see or copy the lines Rolecall writes there.
import { RolecallError } from '../../shared/errors';
import { credentialProcessCommand, profileSection } from '../../core/awsfiles';
import { EXIT_CODES_HELP, formatHelp, parseCommandArgsOrHelp } from '../args';
import { cliCommand, withAgent } from '../runtime';

const HELP = formatHelp({
  usage: 'rolecall config NAME',
  summary: 'Print the ~/.aws/config lines for a profile: for `process` delivery the credential_process line (absolute paths, as SDKs need), for `file` delivery the region line if a tool region is set, with an explanation of where the credentials go.',
  options: [['--help', 'Show this help']],
  notes: ['Rolecall writes these lines itself when the profile is activated; copy them only if you manage the file yourself.', EXIT_CODES_HELP],
});

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgsOrHelp(argv, { help: { type: 'boolean', short: 'h' } }, HELP, true);
  if (parsed === undefined) return 0;
  const { positionals } = parsed;
  const [name, ...extra] = positionals;
  if (!name || extra.length > 0) throw new RolecallError('USAGE', 'give one profile name');
  const view = await withAgent((agent) => agent.call('profiles.get', { name }));
  const header = `[${profileSection('config', name).header}]`;
  const region = view.toolRegion === undefined ? [] : [`region = ${view.toolRegion}`];
  const lines =
    view.delivery === 'process'
      ? [
          `# ${name}: AWS tools run Rolecall for credentials (delivery: process); Rolecall writes this to ${view.deliveredTo} when ${name} is active.`,
          header,
          `credential_process = ${credentialProcessCommand(cliCommand(), name, process.platform)}`,
          ...region,
        ]
      : [
          `# ${name}: while ${name} is active, Rolecall keeps its session keys in [${name}] of ${view.deliveredTo} (delivery: file)`,
          `# and takes them out again when it is deactivated. ~/.aws/config needs no credential lines for it.`,
          ...(region.length > 0 ? [header, ...region] : [`# Set a default region for tools with \`rolecall profiles edit ${name} --tool-region REGION\`.`]),
        ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
