// Entry of the `rolecall` command. Commands load lazily so `credential-process`, called by SDKs on every
// refresh, never pays for code it does not use (no React, no Electron, no AWS SDK).
import { formatError, isRolecallError, toErrorInfo } from '../shared/errors';
import { EXIT_CODES_HELP } from './args';
import { createTerminalOutput } from './output';

declare const ROLECALL_VERSION: string;

export interface CommandModule {
  run(argv: string[]): Promise<number>;
}

interface CommandEntry {
  readonly summary: string;
  readonly load: () => Promise<CommandModule>;
  /** Drop-in commands exit 1 on every failure, usage errors included, as aws_signing_helper does. */
  readonly dropIn?: boolean;
}

const COMMANDS: Record<string, CommandEntry> = {
  'credential-process': {
    summary: 'Print credentials for credential_process (drop-in for aws_signing_helper credential-process)',
    load: () => import('./commands/credential-process'),
    dropIn: true,
  },
  'read-certificate-data': {
    summary: 'Print a certificate\'s data as JSON (as aws_signing_helper does)',
    load: () => import('./commands/read-certificate-data'),
    dropIn: true,
  },
  activate: { summary: 'Start a profile\'s session, deliver it and keep it refreshed', load: () => import('./commands/sessions').then((m) => ({ run: m.sessionCommand('activate') })) },
  deactivate: { summary: 'Stop a profile\'s session and take back what was delivered', load: () => import('./commands/sessions').then((m) => ({ run: m.sessionCommand('deactivate') })) },
  refresh: { summary: 'Mint a new session now (NAME or --all)', load: () => import('./commands/sessions').then((m) => ({ run: m.sessionCommand('refresh') })) },
  status: { summary: 'Show every profile with its status and time left (--watch to follow)', load: () => import('./commands/status') },
  env: { summary: 'Print shell commands exporting a profile\'s session: eval "$(rolecall env NAME)"', load: () => import('./commands/env') },
  exec: { summary: 'Run a command with a profile\'s session: rolecall exec NAME -- terraform plan', load: () => import('./commands/exec') },
  console: { summary: 'Open the AWS console signed in with a profile\'s session (--print for the URL, --destination for the page)', load: () => import('./commands/console') },
  profiles: { summary: 'Add, list, show, edit, rename and remove profiles (certificate, key, trust anchor, profile, role)', load: () => import('./commands/profiles') },
  certificate: { summary: 'Make a key in the OS keychain and its CSR, import the certificate your CA issues (new, import, list, show, remove)', load: () => import('./commands/certificate') },
  ca: { summary: 'A local CA with its key in the keychain: create it, issue certificates for your requests (create, issue, list, show, remove)', load: () => import('./commands/ca') },
  import: { summary: 'Take over the aws_signing_helper credential_process lines of ~/.aws/config (preview; --apply)', load: () => import('./commands/import') },
  discover: { summary: 'List the trust anchors, profiles and roles of a region, with the flags to add each', load: () => import('./commands/discover') },
  config: { summary: 'Print the ~/.aws/config lines for a profile', load: () => import('./commands/config') },
  setup: { summary: 'Set up Roles Anywhere for a CA: trust anchor, role and profile as a template, AWS CLI commands, or created now (setup aws)', load: () => import('./commands/setup') },
  policy: { summary: 'Print the IAM trust policy that admits a profile\'s certificate', load: () => import('./commands/policy') },
  explain: { summary: 'Say why Roles Anywhere refuses a profile: the first cause in the service\'s order, with its fix', load: () => import('./commands/explain') },
  doctor: { summary: 'Check the keychain, agent, clock, proxy, and every profile: status, keychain item, certificate expiry, AWS files, name conflicts', load: () => import('./commands/doctor') },
  serve: { summary: 'Serve sessions on a local credentials endpoint for long-running tools', load: () => import('./commands/serve') },
  inspect: { summary: 'Describe a certificate, key or PKCS#12 file and the problems Roles Anywhere would find', load: () => import('./commands/inspect') },
  agent: { summary: 'Run the agent in the foreground (started in the background when needed); status|stop|restart it; install|uninstall it as a login service', load: () => import('./commands/agent') },
  sandbox: { summary: 'Run a local Roles Anywhere + STS emulator with a demo PKI (for trying Rolecall without AWS)', load: () => import('./commands/sandbox') },
  demo: { summary: 'Show the whole flow against the local sandbox: demo PKI, CreateSession, STS identity', load: () => import('./commands/demo') },
};

function topLevelHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = [
    'Usage: rolecall <command> [options]',
    '',
    'IAM Roles Anywhere credentials from your certificate, without long-lived access keys.',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`),
    '',
    'Run `rolecall <command> --help` for the options of a command.',
    EXIT_CODES_HELP,
  ];
  return lines.join('\n') + '\n';
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(topLevelHelp());
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v' || command === 'version') {
    process.stdout.write(`rolecall ${ROLECALL_VERSION}\n`);
    return 0;
  }
  const entry = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!entry) {
    process.stderr.write(`rolecall: unknown command "${command}". Run \`rolecall --help\` to see the commands.\n`);
    return 2;
  }
  const module = await entry.load();
  return module.run(rest);
}

const argv = process.argv.slice(2);
main(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const info = toErrorInfo(error);
    createTerminalOutput().error(formatError(info), info.code);
    if (!isRolecallError(error) && process.env.ROLECALL_DEBUG) console.error(error);
    const dropIn = Object.hasOwn(COMMANDS, argv[0] ?? '') && COMMANDS[argv[0] ?? '']?.dropIn === true;
    process.exitCode = info.code === 'USAGE' && !dropIn ? 2 : 1;
  },
);
