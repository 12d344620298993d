// `rolecall setup aws`: the AWS side of Roles Anywhere for a CA and a certificate, written as a
// CloudFormation template (--template), as AWS CLI lines (--commands), or created through the SDKs
// (--apply, after a preview and a confirmation) and then added to Rolecall and activated.
// `--undo` removes what an --apply recorded as created.
import { readFile, writeFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
// The AWS SDK clients load only for --apply and --undo: templates, commands and help start without them.
import type { SetupStep } from '../../core/aws-setup/apply-setup';
import type { SetupClients } from '../../core/aws-setup/aws-clients';
import { awsCliScript } from '../../core/aws-setup/aws-cli-script';
import { trustAnchorSource, type CaSource } from '../../core/aws-setup/ca-source';
import { deployCommand, stackName, templateText, type TemplateFormat } from '../../core/aws-setup/cloudformation-template';
import { planSetup, roleTrustPolicy, sessionDurationFlags, type SetupPlan } from '../../core/aws-setup/plan';
import { SetupLedger, type CreatedResource, type SetupScope } from '../../core/aws-setup/setup-ledger';
import { pinnedTags } from '../../core/aws-setup/trust-policy';
import type { AgentClient } from '../../core/agent';
import { CaRecords } from '../../core/ca/records';
import { CertificateRecords } from '../../core/certificates/records';
import { createNodeTransport, usesProxy } from '../../core/platform/node-transport';
import { parseCertificates, principalTags } from '../../core/pki';
import { isValidRegion } from '../../core/rolesanywhere';
import { resolveAwsProfileCredentials } from '../../core/rolesanywhere/aws-profile-credentials';
import { ensureDataDir } from '../../core/store';
import { isRolecallError, RolecallError } from '../../shared/errors';
import { SESSION_DURATION_SECONDS } from '../../shared/limits';
import { EXIT_CODES_HELP, formatHelp, parseCommandArgs, parseCommandArgsOrHelp } from '../args';
import { describeDraft, openUnlockedDraft, passphraseSource, problemLines } from '../certificate-draft';
import { createTerminalOutput, type TerminalOutput } from '../output';
import { certificateFiles, type CertificateFiles } from '../profile-flags';
import { confirm } from '../prompt';
import { dataDir, withAgent } from '../runtime';

const OPTIONS = {
  name: { type: 'string' },
  'ca-file': { type: 'string' },
  'acm-pca-arn': { type: 'string' },
  ca: { type: 'string' },
  certificate: { type: 'string' },
  'from-certificate': { type: 'string' },
  'private-key': { type: 'string' },
  intermediates: { type: 'string' },
  'passphrase-stdin': { type: 'boolean' },
  'pkcs8-password': { type: 'string' },
  tag: { type: 'string', multiple: true },
  'role-name': { type: 'string' },
  'policy-arn': { type: 'string', multiple: true },
  'session-duration': { type: 'string' },
  template: { type: 'string' },
  format: { type: 'string' },
  commands: { type: 'boolean' },
  apply: { type: 'boolean' },
  undo: { type: 'boolean' },
  'aws-profile': { type: 'string' },
  region: { type: 'string' },
  'endpoint-url': { type: 'string' },
  yes: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP = formatHelp({
  usage: 'rolecall setup aws --name NAME (--ca-file FILE | --acm-pca-arn ARN | --ca NAME) [--certificate FILE --private-key FILE | --from-certificate CERT] (--template FILE | --commands | --apply --aws-profile P) [options]\n       rolecall setup aws --undo --name NAME --aws-profile P --region REGION [--endpoint-url URL]',
  summary: 'Set up IAM Roles Anywhere for a CA: a trust anchor, an IAM role whose trust policy pins the certificate\'s principal tags (its subject OU and CN unless --tag says otherwise) and the trust anchor, and a profile, all named rolecall-NAME and tagged rolecall:setup=NAME. Write them as a CloudFormation template, print them as AWS CLI commands, or create them (then add and activate the Rolecall profile NAME when the certificate and key are given).',
  options: [
    ['--name NAME', 'The setup\'s name: the Rolecall profile\'s, and the stem of the AWS resource names (letters, digits, - and _)'],
    ['--ca-file FILE', 'The CA certificate (PEM or DER) that issued your certificate: a CERTIFICATE_BUNDLE trust anchor'],
    ['--acm-pca-arn ARN', 'An AWS Private CA instead: an AWS_ACM_PCA trust anchor'],
    ['--ca NAME', 'A Rolecall CA (`rolecall ca create`) instead: its certificate becomes the trust anchor'],
    ['--certificate FILE', 'Your certificate: its principal tags go into the trust policy; with --private-key, the Rolecall profile is added after --apply'],
    ['--private-key FILE', 'Your private key (moved into the OS keychain when the profile is added)'],
    ['--from-certificate CERT', 'Instead of the files: a certificate issued for a `rolecall certificate new` request (its key is already in the keychain)'],
    ['--intermediates FILE', 'Intermediate CA certificates to send with yours'],
    ['--passphrase-stdin, --pkcs8-password P', 'For an encrypted key, as in `rolecall profiles add`'],
    ['--tag KEY[=VALUE]', 'A principal tag the trust policy requires, e.g. x509Subject/OU (the certificate\'s value) or x509Subject/OU=devops; repeat for more (default: the certificate\'s x509Subject/OU and x509Subject/CN)'],
    ['--role-name NAME', 'The IAM role\'s name (default rolecall-NAME)'],
    ['--policy-arn ARN', 'A managed policy to attach to the role (its permissions); repeat for more'],
    ['--session-duration SECONDS', `Session length, ${SESSION_DURATION_SECONDS.min}-${SESSION_DURATION_SECONDS.max} (default ${SESSION_DURATION_SECONDS.default}); the role's cap is raised to match`],
    ['--template FILE', 'Write a CloudFormation template (YAML, or JSON for a .json file or --format json) and print the deploy command'],
    ['--commands', 'Print the equivalent aws rolesanywhere / aws iam commands for bash or zsh'],
    ['--apply', 'Create the resources now (after a preview; --yes skips the question), reusing those that exist'],
    ['--undo', 'Remove what an earlier --apply of this NAME created, and nothing else'],
    ['--aws-profile P', 'The AWS CLI profile whose credentials create (or remove) the resources'],
    ['--region REGION', 'The Roles Anywhere region (needed by --apply, --commands and --undo)'],
    ['--endpoint-url URL', 'One endpoint for Roles Anywhere and IAM (the local sandbox); also the Rolecall profile\'s endpoint'],
    ['--yes', 'Do not ask for confirmation (needed when there is no terminal)'],
    ['--help', 'Show this help'],
  ],
  notes: ['`rolecall policy NAME` prints the trust policy for an existing profile\'s certificate.', EXIT_CODES_HELP],
});

type Values = ReturnType<typeof parseCommandArgs<typeof OPTIONS>>['values'];

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgsOrHelp(argv, OPTIONS, HELP, true);
  if (parsed === undefined) return 0;
  const { values, positionals } = parsed;
  const [target, ...extra] = positionals;
  if (target !== 'aws' || extra.length > 0) throw new RolecallError('USAGE', 'the only setup is `rolecall setup aws`');
  const name = values.name;
  if (name === undefined) throw new RolecallError('USAGE', '--name is required');
  const outputs = [values.template !== undefined, values.commands === true, values.apply === true, values.undo === true].filter(Boolean).length;
  if (outputs !== 1) throw new RolecallError('USAGE', 'choose one of --template FILE, --commands, --apply or --undo');
  if (values.undo) return undo(name, values);

  const plan = await planFrom(name, values);
  if (values.template !== undefined) return writeTemplate(plan, values.template, values);
  if (values.commands) {
    const files = certificateFiles(fileFlags(values));
    process.stdout.write(
      awsCliScript(plan, {
        region: requiredRegion(values),
        ...(values['aws-profile'] !== undefined && { awsProfile: values['aws-profile'] }),
        ...(values['endpoint-url'] !== undefined && { endpointUrl: values['endpoint-url'] }),
        ...(values['from-certificate'] !== undefined && { fromCertificate: values['from-certificate'] }),
        ...(files && { certificatePath: files.certificatePath }),
        ...(files?.privateKeyPath !== undefined && { privateKeyPath: files.privateKeyPath }),
        ...(files?.intermediatesPath !== undefined && { intermediatesPath: files.intermediatesPath }),
      }),
    );
    return 0;
  }
  return apply(plan, values);
}

async function planFrom(name: string, values: Values): Promise<SetupPlan> {
  const caSource = await caSourceOf(values);
  const certificateText = await certificateOf(values);
  const [certificate] = certificateText === undefined ? [] : parseCertificates(certificateText);
  const tags = certificate === undefined ? undefined : principalTags(certificate);
  const sessionSeconds = values['session-duration'] === undefined ? undefined : Number(values['session-duration']);
  return planSetup({
    name,
    source: await trustAnchorSource(caSource, rolecallCaCertificate),
    pinned: pinnedTags(tags, values.tag ?? []),
    ...(values['role-name'] !== undefined && { roleName: values['role-name'] }),
    managedPolicyArns: values['policy-arn'] ?? [],
    ...(sessionSeconds !== undefined && { sessionSeconds }),
  });
}

/** The certificate whose principal tags the trust policy pins: a file, or an issued Rolecall request. */
async function certificateOf(values: Values): Promise<Buffer | string | undefined> {
  const name = values['from-certificate'];
  if (name === undefined) return values.certificate === undefined ? undefined : readInput(values.certificate);
  if (values.certificate !== undefined) throw new RolecallError('USAGE', 'give --certificate or --from-certificate, not both');
  const record = await new CertificateRecords(await ensureDataDir(dataDir())).require(name);
  if (record.certificatePem === undefined) throw new RolecallError('CERTIFICATE_NOT_ISSUED', name);
  return record.certificatePem;
}

async function caSourceOf(values: Values): Promise<CaSource> {
  const given = [values['ca-file'], values['acm-pca-arn'], values.ca].filter((value) => value !== undefined).length;
  if (given !== 1) throw new RolecallError('USAGE', 'give the CA: --ca-file FILE, --acm-pca-arn ARN or --ca NAME, one of them');
  if (values['ca-file'] !== undefined) return { kind: 'pem-file', path: values['ca-file'], contents: await readInput(values['ca-file']) };
  if (values['acm-pca-arn'] !== undefined) return { kind: 'acm-pca', arn: values['acm-pca-arn'] };
  return { kind: 'rolecall-ca', name: values.ca as string };
}

/** A Rolecall CA's certificate from its record in the data folder (no keychain needed: only the certificate). */
async function rolecallCaCertificate(name: string): Promise<string> {
  return (await new CaRecords(await ensureDataDir(dataDir())).require(name)).certificatePem;
}

async function readInput(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new RolecallError('FILE_UNREADABLE', `${path} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, { cause: error });
  }
}

function fileFlags(values: Values): Record<string, string | undefined> {
  return { certificate: values.certificate, 'private-key': values['private-key'], intermediates: values.intermediates };
}

function requiredRegion(values: Values): string {
  const region = values.region;
  if (region === undefined) throw new RolecallError('USAGE', '--region is required (the Roles Anywhere region, e.g. eu-west-1)');
  if (!isValidRegion(region)) throw new RolecallError('REGION_INVALID', `"${region}"`);
  return region;
}

async function writeTemplate(plan: SetupPlan, file: string, values: Values): Promise<number> {
  const format: TemplateFormat = values.format === 'json' || (values.format === undefined && extname(file).toLowerCase() === '.json') ? 'json' : 'yaml';
  if (values.format !== undefined && values.format !== 'json' && values.format !== 'yaml') throw new RolecallError('USAGE', '--format is yaml or json');
  await writeFile(file, templateText(plan, format));
  const out = createTerminalOutput(process.stdout);
  const deploy = deployCommand(plan, resolve(file), values.region === undefined ? undefined : requiredRegion(values));
  const outputs = ['aws', 'cloudformation', 'describe-stacks', '--stack-name', stackName(plan), '--query', "'Stacks[0].Outputs'", '--output', 'table'];
  if (values.region !== undefined) outputs.push('--region', requiredRegion(values));
  process.stdout.write(
    [
      `Wrote ${file}: trust anchor ${plan.trustAnchor.name}, role ${plan.role.name}, profile ${plan.profile.name}.`,
      'Deploy it (named IAM roles need CAPABILITY_NAMED_IAM):',
      `  ${out.bold(deploy)}`,
      'Then read the ARNs for `rolecall profiles add` from its outputs:',
      `  ${outputs.join(' ')}`,
      '',
    ].join('\n'),
  );
  return 0;
}

function scopeOf(name: string, values: Values): SetupScope {
  const endpoint = values['endpoint-url'];
  return { name, region: requiredRegion(values), ...(endpoint !== undefined && { endpoint }) };
}

function requiredAwsProfile(values: Values): string {
  const awsProfile = values['aws-profile'];
  if (awsProfile === undefined) throw new RolecallError('USAGE', '--aws-profile is required: the AWS CLI profile whose credentials create the resources');
  return awsProfile;
}

async function clientsFor(values: Values): Promise<SetupClients> {
  const credentials = await resolveAwsProfileCredentials(requiredAwsProfile(values), { env: process.env });
  const { createSetupClients } = await import('../../core/aws-setup/aws-clients');
  return createSetupClients({
    region: requiredRegion(values),
    credentials,
    transport: createNodeTransport({ useProxy: usesProxy(process.env) }),
    ...(values['endpoint-url'] !== undefined && { endpoint: values['endpoint-url'] }),
  });
}

async function apply(plan: SetupPlan, values: Values): Promise<number> {
  const scope = scopeOf(plan.name, values);
  // Refused before the preview and its question, not after.
  requiredAwsProfile(values);
  const source = profileSource(values);
  const out = createTerminalOutput(process.stdout);
  process.stdout.write(preview(plan, scope, source, out));
  if (!values.yes && !(await confirmed(`Create these in ${scope.region}?`))) {
    process.stderr.write('Nothing was created.\n');
    return 1;
  }
  const clients = await clientsFor(values);
  const { applySetup } = await import('../../core/aws-setup/apply-setup');
  let applied;
  try {
    applied = await applySetup(plan, {
      clients,
      ledger: new SetupLedger(await ensureDataDir(dataDir())),
      scope,
      onStep: (step) => process.stdout.write(stepLine(step, out)),
    });
  } finally {
    clients.destroy();
  }
  process.stdout.write(
    ['', `Trust anchor ARN  ${applied.trustAnchorArn}`, `Profile ARN       ${applied.profileArn}`, `Role ARN          ${applied.roleArn}`, ''].join('\n'),
  );
  if (!source) {
    const duration = sessionDurationFlags(plan).map((word) => ` ${word}`).join('');
    const add = `rolecall profiles add ${plan.name} --certificate CERT --private-key KEY --trust-anchor-arn ${applied.trustAnchorArn} --profile-arn ${applied.profileArn} --role-arn ${applied.roleArn}${duration}${scope.endpoint === undefined ? '' : ` --endpoint ${scope.endpoint}`} --activate`;
    process.stdout.write(`\nNext: ${out.bold(add)}\n`);
    return 0;
  }
  const settings = { trustAnchorArn: applied.trustAnchorArn, profileArn: applied.profileArn, roleArn: applied.roleArn, durationSeconds: plan.profile.durationSeconds, ...(scope.endpoint !== undefined && { endpoint: scope.endpoint }) };
  return withAgent((agent) => addAndActivate(agent, plan.name, source, settings, values, out));
}

async function confirmed(question: string): Promise<boolean> {
  try {
    return await confirm(`${question} [y/N] `);
  } catch (error) {
    if (isRolecallError(error) && error.code === 'NO_TTY') throw new RolecallError('USAGE', 'there is no terminal to confirm on; pass --yes');
    throw error;
  }
}

/** What the Rolecall profile is made from: files with a key (or a PKCS#12 file), or an issued request; none without a key. */
type ProfileSource = CertificateFiles | { readonly certificateName: string };

function profileSource(values: Values): ProfileSource | undefined {
  if (values['from-certificate'] !== undefined) return { certificateName: values['from-certificate'] };
  const files = certificateFiles(fileFlags(values));
  return files && (files.privateKeyPath !== undefined || /\.(p12|pfx)$/i.test(files.certificatePath)) ? files : undefined;
}

function preview(plan: SetupPlan, scope: SetupScope, profile: ProfileSource | undefined, out: TerminalOutput): string {
  const { source } = plan.trustAnchor;
  const policies = plan.role.managedPolicyArns.length === 0 ? 'no managed policies (add permissions later)' : plan.role.managedPolicyArns.join(', ');
  const lines = [
    out.bold(`Roles Anywhere setup "${plan.name}" in ${scope.region}${scope.endpoint === undefined ? '' : ` at ${scope.endpoint}`}`),
    `  trust anchor  ${plan.trustAnchor.name}: ${source.sourceType}, ${source.description}`,
    `  IAM role      ${plan.role.name}: sessions up to ${plan.role.maxSessionSeconds} s; ${policies}`,
    `  profile       ${plan.profile.name}: role ${plan.role.name}, sessions of ${plan.profile.durationSeconds} s`,
    `  each tagged   ${plan.tag.key}=${plan.tag.value}`,
    profile === undefined
      ? '  (no --certificate and --private-key: the Rolecall profile is not added)'
      : `  then the Rolecall profile ${plan.name} for ${'certificateName' in profile ? `certificate ${profile.certificateName}` : profile.certificatePath}, activated`,
    '',
    `Trust policy of ${plan.role.name} (aws:SourceArn is the trust anchor's ARN):`,
    JSON.stringify(roleTrustPolicy(plan, `<ARN of trust anchor ${plan.trustAnchor.name}>`), null, 2),
    '',
  ];
  return `${lines.join('\n')}\n`;
}

function stepLine(step: SetupStep, out: TerminalOutput): string {
  const verb = step.outcome === 'created' ? out.green(step.resource === 'managed policy' ? 'attached' : 'created') : out.dim(step.resource === 'managed policy' ? 'already attached' : 'found');
  return `  ${verb} ${step.resource} ${step.resource === 'managed policy' ? `${step.arn} to ${step.name}` : `${step.name}  ${step.arn}`}\n`;
}

/** What the added profile takes from the setup: its ARNs, the session length the Roles Anywhere profile allows, the sandbox's endpoint. */
interface ProfileSettings {
  readonly trustAnchorArn: string;
  readonly profileArn: string;
  readonly roleArn: string;
  readonly durationSeconds: number;
  readonly endpoint?: string;
}

/** Adds the Rolecall profile (or finds it with these ARNs, on a second run) and activates it. */
async function addAndActivate(agent: AgentClient, name: string, source: ProfileSource, arns: ProfileSettings, values: Values, out: TerminalOutput): Promise<number> {
  const existing = await agent.call('profiles.get', { name }).catch((error: unknown) => {
    if (isRolecallError(error) && error.code === 'PROFILE_NOT_FOUND') return undefined;
    throw error;
  });
  if (existing) {
    if (existing.trustAnchorArn !== arns.trustAnchorArn || existing.profileArn !== arns.profileArn || existing.roleArn !== arns.roleArn) {
      throw new RolecallError('PROFILE_EXISTS', `${name} has other ARNs; the AWS side is in place: add the profile under another name with the ARNs above`);
    }
    process.stdout.write(`\nThe Rolecall profile ${name} exists with these ARNs.\n`);
  } else {
    const draft = 'certificateName' in source ? await agent.call('drafts.fromCertificate', { name: source.certificateName }) : await openUnlockedDraft(agent, source, passphraseSource(values));
    process.stdout.write(`\n${describeDraft(draft, out)}`);
    if (draft.problems.length > 0) {
      process.stderr.write(problemLines(draft.problems, createTerminalOutput()));
      process.stderr.write('Roles Anywhere would refuse this certificate, so no Rolecall profile was added (the AWS side is in place).\n');
      return 1;
    }
    await agent.call('profiles.add', { name, draftId: draft.draftId, ...arns });
  }
  const view = await agent.call('sessions.activate', { name });
  if (view.status === 'failed' || view.status === 'expired') {
    if (view.lastError) process.stderr.write(`${name}: ${view.lastError.message} ${view.lastError.next} [${view.lastError.code}]\n`);
    return 1;
  }
  process.stdout.write(`\n${out.green('Ready:')} ${name} is active; AWS tools use it with AWS_PROFILE=${name}.\n`);
  return 0;
}

async function undo(name: string, values: Values): Promise<number> {
  const scope = scopeOf(name, values);
  requiredAwsProfile(values);
  const ledger = new SetupLedger(await ensureDataDir(dataDir()));
  const recorded = await ledger.created(scope);
  if (recorded.length === 0) throw new RolecallError('SETUP_NOTHING_TO_UNDO', `setup "${name}" in ${scope.region}${scope.endpoint === undefined ? '' : ` at ${scope.endpoint}`}`);
  return withAgent(async (agent) => {
    const using = await rolecallProfilesUsing(agent, recorded);
    const own = using.find((profile) => profile.name === name);
    const others = using.filter((profile) => profile.name !== name).map((profile) => profile.name);
    const out = createTerminalOutput(process.stdout);
    const listed = [...recorded].reverse().map((resource) => `  ${describeCreated(resource)}`);
    if (own) listed.push(`  the Rolecall profile ${name} the setup added (its session is withdrawn from the AWS files)`);
    process.stdout.write(`${out.bold(`Remove what setup "${name}" created:`)}\n${listed.join('\n')}\n`);
    if (!values.yes && !(await confirmed('Remove these?'))) {
      process.stderr.write('Nothing was removed.\n');
      return 1;
    }
    const clients = await clientsFor(values);
    const { undoSetup } = await import('../../core/aws-setup/undo-setup');
    try {
      await undoSetup({ clients, ledger, scope, onRemoved: (resource) => process.stdout.write(`  ${out.green('removed')} ${describeCreated(resource)}\n`) });
    } finally {
      clients.destroy();
    }
    // Last, so an undo stopped by AWS leaves the profile with the resources it still has.
    if (own) {
      await agent.call('profiles.remove', { name });
      process.stdout.write(`  ${out.green('removed')} the Rolecall profile ${name}\n`);
    }
    if (others.length > 0) {
      process.stdout.write(`\n${others.join(', ')} used what was removed, so Roles Anywhere will refuse ${others.length === 1 ? 'it' : 'them'}: give ${others.length === 1 ? 'it' : 'them'} other ARNs with \`rolecall profiles edit\`, or \`rolecall profiles remove ${others[0] ?? ''}\`.\n`);
    }
    return 0;
  });
}

/** The Rolecall profiles that name a trust anchor, profile or role the setup created. */
async function rolecallProfilesUsing(agent: AgentClient, recorded: readonly CreatedResource[]): Promise<readonly { readonly name: string }[]> {
  const arns = new Set(recorded.flatMap((resource) => ('arn' in resource ? [resource.arn] : [])));
  const { profiles } = await agent.call('state.get', {});
  return profiles.filter((profile) => arns.has(profile.trustAnchorArn) || arns.has(profile.profileArn) || arns.has(profile.roleArn));
}

function describeCreated(resource: CreatedResource): string {
  switch (resource.kind) {
    case 'trust-anchor':
      return `trust anchor ${resource.name}  ${resource.arn}`;
    case 'role':
      return `IAM role ${resource.name}  ${resource.arn}`;
    case 'role-policy':
      return `managed policy ${resource.policyArn} attached to ${resource.roleName}`;
    case 'profile':
      return `profile ${resource.name}  ${resource.arn}`;
  }
}
