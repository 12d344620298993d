// `rolecall sandbox`: the local Roles Anywhere + STS emulator in the foreground, for trying Rolecall
// (and the AWS CLI) without an AWS account.
import { join } from 'node:path';
import { RolecallError } from '../../shared/errors';
import { defaultDataDir } from '../../core/store';
import { startDemoSandbox } from '../../sandbox/demo-sandbox';
import { EXIT_CODES_HELP, formatHelp, parseCommandArgs } from '../args';
import { createTerminalOutput } from '../output';

const HELP = formatHelp({
  usage: 'rolecall sandbox [--port N] [--host ADDRESS] [--dir FOLDER] [--fresh-pki]',
  summary: 'Run a local IAM Roles Anywhere + STS emulator with strict signature checks and a demo PKI, until Ctrl-C.',
  options: [
    ['--port N', 'Port to listen on (default: any free port)'],
    ['--host ADDRESS', 'Loopback address to bind (default 127.0.0.1)'],
    ['--dir FOLDER', 'Where the demo PKI lives (default: the Rolecall data folder\'s sandbox/)'],
    ['--fresh-pki', 'Make a new demo PKI even if one exists'],
    ['--help', 'Show this help'],
  ],
  notes: ['Not AWS: credentials it issues work only against the sandbox\'s own STS (aws sts get-caller-identity --endpoint-url URL).', EXIT_CODES_HELP],
});

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    dir: { type: 'string' },
    'fresh-pki': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RolecallError('USAGE', `--port ${values.port}`);
  const dir = values.dir ?? join(defaultDataDir(), 'sandbox');
  const out = createTerminalOutput(process.stdout);
  process.stdout.write(out.dim(`Preparing the demo PKI in ${dir}…\n`));
  const demo = await startDemoSandbox({ dir, port, ...(values.host ? { host: values.host } : {}), freshPki: Boolean(values['fresh-pki']) });
  const rsa = demo.pki.leaves['rsa-2048'];
  const lines = [
    out.bold(`Roles Anywhere sandbox listening on ${demo.sandbox.url}`),
    '',
    `  region             ${demo.region}`,
    `  trust anchor ARN   ${demo.trustAnchorArn}`,
    `  profile ARN        ${demo.profileArn}`,
    `  role ARN           ${demo.roleArn}`,
    '',
    `  root CA            ${demo.pki.rootCertificatePath}`,
    `  intermediates      ${demo.pki.chainPath}`,
    ...Object.values(demo.pki.leaves).map((leaf) => `  ${leaf.kind.padEnd(18)} ${leaf.certificatePath}  (key ${leaf.privateKeyPath})`),
    '',
    out.bold('Try it:'),
    `  rolecall credential-process --endpoint ${demo.sandbox.url} --certificate ${rsa.certificatePath} --private-key ${rsa.privateKeyPath} --intermediates ${demo.pki.chainPath} --trust-anchor-arn ${demo.trustAnchorArn} --profile-arn ${demo.profileArn} --role-arn ${demo.roleArn}`,
    '',
    out.dim('Press Ctrl-C to stop.'),
  ];
  process.stdout.write(lines.join('\n') + '\n');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await demo.stop();
  process.stdout.write('Sandbox stopped.\n');
  return 0;
}
