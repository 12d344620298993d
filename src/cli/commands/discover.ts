// `rolecall discover`: the trust anchors and profiles (with their roles) of a region, listed with the
// credentials of an active Rolecall profile or an AWS CLI profile, and the `profiles add` flags for each role.
import type { Discovery } from '../../shared/model';
import { RolecallError } from '../../shared/errors';
import { quoteCommandLine } from '../../core/awsfiles';
import { EXIT_CODES_HELP, formatHelp, parseCommandArgs } from '../args';
import { createTerminalOutput, type TerminalOutput } from '../output';
import { withAgent } from '../runtime';

const HELP = formatHelp({
  usage: 'rolecall discover (--using NAME | --aws-profile PROFILE) --region REGION [--endpoint URL] [--json]',
  summary: 'List the Roles Anywhere trust anchors and profiles (with their roles) in a region, and the `rolecall profiles add` flags for each role. Needs credentials allowed to call rolesanywhere:ListTrustAnchors and rolesanywhere:ListProfiles.',
  options: [
    ['--using NAME', 'List with an active Rolecall profile\'s session'],
    ['--aws-profile PROFILE', 'List with an AWS CLI profile\'s credentials (~/.aws/config and credentials)'],
    ['--region REGION', 'The region to list'],
    ['--endpoint URL', 'Roles Anywhere endpoint (default: the --using profile\'s, else https://rolesanywhere.REGION.amazonaws.com)'],
    ['--json', 'Print the trust anchors and profiles as JSON'],
    ['--help', 'Show this help'],
  ],
  notes: [EXIT_CODES_HELP],
});

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    using: { type: 'string' },
    'aws-profile': { type: 'string' },
    region: { type: 'string' },
    endpoint: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const { using, region } = values;
  const awsProfile = values['aws-profile'];
  if ((using === undefined) === (awsProfile === undefined)) throw new RolecallError('USAGE', 'give --using NAME (a Rolecall profile) or --aws-profile PROFILE, one of them');
  if (region === undefined) throw new RolecallError('USAGE', '--region is required');
  const { discovery, endpoint } = await withAgent(async (agent) => {
    const endpoint = values.endpoint ?? (using === undefined ? undefined : (await agent.call('profiles.get', { name: using })).endpoint);
    const discovery = await agent.call('discover.list', {
      using: using === undefined ? { kind: 'aws', profile: awsProfile as string } : { kind: 'rolecall', name: using },
      region,
      ...(values.endpoint !== undefined && { endpoint: values.endpoint }),
    });
    return { discovery, endpoint };
  });
  process.stdout.write(values.json ? `${JSON.stringify(discovery, null, 2)}\n` : renderTree(discovery, endpoint, createTerminalOutput(process.stdout)));
  return 0;
}

function state(enabled: boolean, out: TerminalOutput): string {
  return enabled ? out.green('enabled') : out.yellow('disabled');
}

function renderTree(discovery: Discovery, endpoint: string | undefined, out: TerminalOutput): string {
  const lines = [out.bold(`IAM Roles Anywhere in ${discovery.region}`)];
  lines.push(`├─ Trust anchors${discovery.trustAnchors.length === 0 ? ' (none)' : ''}`);
  discovery.trustAnchors.forEach((anchor, index) => {
    const last = index === discovery.trustAnchors.length - 1;
    lines.push(`│  ${last ? '└─' : '├─'} ${out.bold(anchor.name)} (${state(anchor.enabled, out)})`, `│  ${last ? '  ' : '│ '}   ${anchor.arn}`);
  });
  lines.push(`└─ Profiles${discovery.profiles.length === 0 ? ' (none)' : ''}`);
  const anchors = discovery.trustAnchors.filter((anchor) => anchor.enabled);
  const anchorArn = anchors.length === 1 ? (anchors[0]?.arn ?? '') : 'TRUST_ANCHOR_ARN';
  discovery.profiles.forEach((profile, index) => {
    const last = index === discovery.profiles.length - 1;
    const stem = `   ${last ? '   ' : '│  '}`;
    const facts = [state(profile.enabled, out), profile.durationSeconds === undefined ? undefined : `sessions up to ${profile.durationSeconds} s`, profile.acceptRoleSessionName ? 'accepts role session names' : undefined];
    lines.push(`   ${last ? '└─' : '├─'} ${out.bold(profile.name)} (${facts.filter(Boolean).join(', ')})`, `${stem}   ${profile.arn}`);
    profile.roleArns.forEach((roleArn, roleIndex) => {
      const lastRole = roleIndex === profile.roleArns.length - 1;
      const add = ['rolecall', 'profiles', 'add', 'NAME', '--certificate', 'CERT', '--private-key', 'KEY', '--trust-anchor-arn', anchorArn, '--profile-arn', profile.arn, '--role-arn', roleArn];
      if (endpoint !== undefined) add.push('--endpoint', endpoint);
      lines.push(`${stem}${lastRole ? '└─' : '├─'} role ${roleArn}`, `${stem}${lastRole ? '  ' : '│ '}   ${out.dim(quoteCommandLine(add, process.platform))}`);
    });
    if (profile.roleArns.length === 0) lines.push(`${stem}└─ (no roles)`);
  });
  if (anchors.length > 1) lines.push('', 'Several trust anchors are enabled: use the one that holds the CA which issued your certificate.');
  if (discovery.profiles.length > 0) lines.push('', 'Replace NAME, CERT and KEY with your profile name, certificate file and key file (add --intermediates FILE when your CA is an intermediate).');
  return `${lines.join('\n')}\n`;
}
