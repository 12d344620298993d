// `rolecall serve NAME…`: a local credentials endpoint per profile for long-running tools (and, only
// with --imds, IMDSv2 emulation compatible with aws_signing_helper serve).
import { RolecallError } from '../../shared/errors';
import { exportsFor } from '../../core/terminal';
import { EXIT_CODES_HELP, formatHelp, parseCommandArgs } from '../args';
import { createTerminalOutput } from '../output';
import { connect } from '../runtime';
import { parseShell } from './env';

const HELP = formatHelp({
  usage: 'rolecall serve NAME [NAME…] [--port N] [--imds] [--shell SHELL]',
  summary: 'Serve the profiles\' sessions on http://127.0.0.1:PORT as container credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI with a random AWS_CONTAINER_AUTHORIZATION_TOKEN). SDKs refresh from it by themselves. Runs until Ctrl-C.',
  options: [
    ['--port N', 'Port for the container endpoint (default: a free port)'],
    ['--imds', 'Also emulate IMDSv2 on 127.0.0.1:9911 for the first profile (as aws_signing_helper serve). Weaker: any local process can read it'],
    ['--shell SHELL', 'Syntax of the printed exports (default: detected)'],
    ['--help', 'Show this help'],
  ],
  notes: [EXIT_CODES_HELP],
});

export async function run(argv: string[]): Promise<number> {
  const { values, positionals: names } = parseCommandArgs(argv, { port: { type: 'string' }, imds: { type: 'boolean' }, shell: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, true);
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (names.length === 0) throw new RolecallError('USAGE', 'give at least one profile name');
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new RolecallError('USAGE', `--port ${values.port}`);
  const shell = parseShell(values.shell);
  const out = createTerminalOutput(process.stderr);
  const agent = await connect();
  // An open connection keeps the process alive: close it on every way out, errors included.
  try {
    const endpoint = await agent.call('endpoint.start', { names, ...(port !== undefined && { port }), ...(values.imds && { imds: true }) });
    // The endpoint would keep the agent busy after this command is gone.
    try {
      for (const name of names) {
        const { toolRegion } = await agent.call('profiles.get', { name });
        process.stderr.write(out.bold(`# ${name}: ${endpoint.urls[name]}\n`));
        process.stdout.write(exportsFor(endpoint, name, shell, toolRegion));
      }
      if (endpoint.imdsUrl) {
        process.stderr.write(out.yellow(`IMDSv2 emulation on ${endpoint.imdsUrl} for ${names[0]}: any local process can read these credentials.\n`));
        process.stdout.write(`${shell === 'fish' ? 'set -gx AWS_EC2_METADATA_SERVICE_ENDPOINT' : shell === 'powershell' ? '$Env:AWS_EC2_METADATA_SERVICE_ENDPOINT =' : shell === 'cmd' ? 'set AWS_EC2_METADATA_SERVICE_ENDPOINT=' : 'export AWS_EC2_METADATA_SERVICE_ENDPOINT='}${shell === 'powershell' ? ` '${endpoint.imdsUrl}'` : shell === 'fish' ? ` '${endpoint.imdsUrl}'` : `'${endpoint.imdsUrl}'`}\n`);
      }
      process.stderr.write(out.dim('Serving until Ctrl-C.\n'));
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
        void agent.closed.then(resolve);
      });
    } finally {
      await agent.call('endpoint.stop', { id: endpoint.id }).catch(() => undefined);
    }
    return 0;
  } finally {
    await agent.close();
  }
}
