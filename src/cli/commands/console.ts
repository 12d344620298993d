// `rolecall console NAME`: the AWS console in the default browser, signed in with the profile's session
// (or the sign-in URL on stdout with --print). The URL signs whoever has it in for 15 minutes, so it goes
// only to the browser or to stdout, never to a log or an error message.
import { RolecallError } from '../../shared/errors';
import { EXIT_CODES_HELP, formatHelp, parseCommandArgs } from '../args';
import { openInBrowser } from '../open-browser';
import { withAgent } from '../runtime';

const HELP = formatHelp({
  usage: 'rolecall console NAME [--print] [--destination URL|PATH]',
  summary: 'Open the AWS console in your default browser, signed in with the profile\'s session (a federation sign-in URL from getSigninToken).',
  options: [
    ['--destination URL', 'The console page to open: an AWS console URL or a path such as /s3/home (default: the console home of the profile\'s region)'],
    ['--print', 'Print the sign-in URL instead of opening it (it signs in for 15 minutes: do not share it)'],
    ['--help', 'Show this help'],
  ],
  notes: ['The console uses the region the profile gives tools, else its signing region.', EXIT_CODES_HELP],
});

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { print: { type: 'boolean' }, destination: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, true);
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const [name, ...extra] = positionals;
  if (!name || extra.length > 0) throw new RolecallError('USAGE', 'give one profile name');
  const { url } = await withAgent((agent) => agent.call('console.url', { name, ...(values.destination !== undefined && { destination: values.destination }) }));
  if (values.print) {
    process.stdout.write(`${url}\n`);
    return 0;
  }
  await openInBrowser(url);
  process.stderr.write(`Opened the AWS console for ${name} in your browser.\n`);
  return 0;
}
