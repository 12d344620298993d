// `rolecall explain NAME`: why Roles Anywhere refuses a profile, reproduced from its certificate, the
// service's clock and what the user's AWS credentials may read, in the service's order; the first
// cause with its fix, then every check.
import { resolve } from 'node:path';
import { RolecallError } from '../../shared/errors';
import type { ExplainCheck, Explanation } from '../../shared/model';
import { EXIT_CODES_HELP, formatHelp, parseCommandArgs, printJson } from '../args';
import { createTerminalOutput, type TerminalOutput } from '../output';
import { withAgent } from '../runtime';

const HELP = formatHelp({
  usage: 'rolecall explain NAME [--aws-profile PROFILE | --using NAME] [--ca FILE] [--policy FILE] [--json]',
  summary: 'Say why Roles Anywhere refuses (or would refuse) a profile: the certificate at the service\'s clock, its chain to the trust anchor, the signing region, the trust anchor and profile, the role, the session name and the role\'s trust policy with the principal tags the certificate gives, in the service\'s order. Reads the trust anchor, profile and role with AWS credentials you give (rolesanywhere:GetTrustAnchor, rolesanywhere:ListCrls, rolesanywhere:GetProfile, iam:GetRole) and says what stays unknown without them.',
  options: [
    ['--aws-profile PROFILE', 'Read with an AWS CLI profile\'s credentials (~/.aws/config and credentials)'],
    ['--using NAME', 'Read with an active Rolecall profile\'s session (default: this profile\'s, when it has one)'],
    ['--ca FILE', 'The trust anchor\'s CA certificates (PEM), when GetTrustAnchor may not be read'],
    ['--policy FILE', 'The role\'s trust policy (JSON), when iam:GetRole may not be read'],
    ['--json', 'Print the explanation as JSON: {profile, verdict, cause, checks, serviceTime, lastError}'],
    ['--help', 'Show this help'],
  ],
  notes: ['Exit code 1 when a cause was found, 0 when every check passed or none failed.', EXIT_CODES_HELP],
});

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      'aws-profile': { type: 'string' },
      using: { type: 'string' },
      ca: { type: 'string' },
      policy: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const [name, ...extra] = positionals;
  if (!name || extra.length > 0) throw new RolecallError('USAGE', 'give exactly one profile name: rolecall explain NAME');
  const awsProfile = values['aws-profile'];
  if (awsProfile !== undefined && values.using !== undefined) throw new RolecallError('USAGE', 'give --aws-profile or --using, not both');
  const using = awsProfile !== undefined ? ({ kind: 'aws', profile: awsProfile } as const) : values.using !== undefined ? ({ kind: 'rolecall', name: values.using } as const) : undefined;
  const explanation = await withAgent((agent) =>
    agent.call('profiles.explain', {
      name,
      ...(using && { using }),
      ...(values.ca !== undefined && { caPath: resolve(values.ca) }),
      ...(values.policy !== undefined && { policyPath: resolve(values.policy) }),
    }),
  );
  if (values.json) printJson(explanation);
  else process.stdout.write(render(explanation, createTerminalOutput(process.stdout)));
  return explanation.verdict === 'cause' ? 1 : 0;
}

const MARKS: Record<ExplainCheck['outcome'], string> = { pass: '✔', fail: '✖', unknown: '?', note: '·' };

function render(explanation: Explanation, out: TerminalOutput): string {
  const lines: string[] = [];
  const { cause } = explanation;
  if (cause) {
    lines.push(out.red(out.bold(`✖ ${explanation.profile}: ${cause.summary}`)) + (cause.cause ? out.dim(` [${cause.cause}]`) : ''));
    if (cause.wanted) lines.push(`  wanted:  ${cause.wanted.map((value) => JSON.stringify(value)).join(' or ')}`, `  carried: ${cause.carried === null || cause.carried === undefined ? '(nothing)' : JSON.stringify(cause.carried)}`);
    if (cause.fix) lines.push(`  ${cause.fix}`);
  } else if (explanation.verdict === 'clear') {
    lines.push(out.green(`✔ ${explanation.profile}: every check passed; Roles Anywhere should accept it.`));
  } else {
    lines.push(out.yellow(`? ${explanation.profile}: no check failed, but some could not be made (below).`));
  }
  if (explanation.lastError) lines.push(out.dim(`  last failure: ${explanation.lastError.message}${explanation.lastError.detail ? ` (${explanation.lastError.detail})` : ''} [${explanation.lastError.code}]`));
  lines.push('', out.bold('Checks, in the service\'s order:'));
  for (const check of explanation.checks) {
    const mark = MARKS[check.outcome];
    const colour = check.outcome === 'fail' ? out.red : check.outcome === 'unknown' ? out.yellow : check.outcome === 'pass' ? out.green : out.dim;
    lines.push(`  ${colour(mark)} ${check.check.padEnd(15)} ${check.summary}`);
    if (check.outcome === 'unknown' && check.permission) lines.push(out.dim(`    ${' '.repeat(15)} ${check.permission} would let Rolecall look${check.fix ? `. ${check.fix}` : ''}`));
  }
  if (explanation.checks.some((check) => check.outcome === 'unknown')) {
    lines.push('', out.dim('To read the trust anchor, profile and role: --aws-profile PROFILE or --using NAME (an active profile); or give --ca FILE and --policy FILE.'));
  }
  return lines.join('\n') + '\n';
}
