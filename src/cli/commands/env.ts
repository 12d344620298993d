// `rolecall env NAME`: shell commands that export the profile's session, for `eval "$(rolecall env dev)"`.
import { RolecallError } from '../../shared/errors';
import { SHELLS, type Shell } from '../../shared/model';
import { detectShell } from '../../core/terminal/detect-shell';
import { EXIT_CODES_HELP, formatHelp, parseCommandArgs } from '../args';
import { withAgent } from '../runtime';

const HELP = formatHelp({
  usage: 'rolecall env NAME [--shell bash|zsh|fish|powershell|cmd]',
  summary: 'Print commands that export the profile\'s session (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION, the tool region if set) and unset AWS_PROFILE, which would otherwise win in the JavaScript SDK.',
  options: [
    ['--shell SHELL', 'bash, zsh, fish, powershell or cmd (default: detected)'],
    ['--help', 'Show this help'],
  ],
  notes: [
    'bash/zsh:    eval "$(rolecall env dev)"',
    'fish:        rolecall env dev --shell fish | source',
    'PowerShell:  rolecall env dev --shell powershell | Out-String | Invoke-Expression',
    'The credentials last until the session expires; for long-running tools use `rolecall exec --server`.',
    EXIT_CODES_HELP,
  ],
});

export function parseShell(value: string | undefined): Shell {
  if (value === undefined) return detectShell({ env: process.env, platform: process.platform });
  if (!(SHELLS as readonly string[]).includes(value)) throw new RolecallError('USAGE', `--shell ${value}: use one of ${SHELLS.join(', ')}`);
  return value as Shell;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { shell: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, true);
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const [name, ...extra] = positionals;
  if (!name || extra.length > 0) throw new RolecallError('USAGE', 'give one profile name');
  const shell = parseShell(values.shell);
  const { script } = await withAgent((agent) => agent.call('env.render', { name, shell }));
  process.stdout.write(script);
  return 0;
}
