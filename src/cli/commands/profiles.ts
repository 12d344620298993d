// `rolecall profiles add|list|show|edit|rename|remove`: managing Rolecall profiles through the agent.
// add and edit read certificate files into a draft in the agent and show what Roles Anywhere will see
// (subject, principal tags, problems) before anything is saved.
import { resolve } from 'node:path';
import type { AgentClient } from '../../core/agent';
import { regionMismatches } from '../../core/rolesanywhere/region-check';
import { RolecallError, isRolecallError } from '../../shared/errors';
import type { OperationInput } from '../../shared/contract';
import type { ProfileView } from '../../shared/model';
import { EXIT_CODES_HELP, formatHelp, parseCommandArgsOrHelp, runSubcommand, type Subcommand } from '../args';
import { describeDraft, openUnlockedDraft, passphraseSource, problemLines, unlockDraft } from '../certificate-draft';
import { createTerminalOutput } from '../output';
import { profileDetails, profileTable } from '../profile-format';
import {
  CERTIFICATE_HELP,
  CERTIFICATE_OPTIONS,
  CLEAR_HELP,
  CLEAR_OPTIONS,
  SETTING_HELP,
  SETTING_OPTIONS,
  certificateFiles,
  settingFields,
  type CertificateFiles,
} from '../profile-flags';
import { isPkcs11Uri } from '../../core/pkcs11/uri';
import { confirm } from '../prompt';
import { withAgent } from '../runtime';
import { askPin, withTokenPin } from '../token-pin';

const COMMON = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;
const COMMON_HELP = [
  ['--json', 'Print the result as JSON'],
  ['--help', 'Show this help'],
] as const;

const HELP = formatHelp({
  usage: 'rolecall profiles add|list|show|edit|rename|remove ...',
  summary: 'Manage Rolecall profiles: a certificate and key, and the Roles Anywhere trust anchor, profile and role to use them with.',
  options: [
    ['add NAME', 'Add a profile from a certificate and key (or PKCS#12) file'],
    ['list', 'Show every profile with its status'],
    ['show NAME', 'Show one profile in detail'],
    ['edit NAME', 'Change a profile\'s settings, or rotate its certificate and key'],
    ['rename NAME NEW', 'Rename a profile (what it delivered moves to the new name)'],
    ['remove NAME', 'Delete a profile, its keychain items and what it delivered'],
  ],
  notes: ['Run `rolecall profiles <subcommand> --help` for its options.', EXIT_CODES_HELP],
});

const ADD_OPTIONS = { ...CERTIFICATE_OPTIONS, 'from-certificate': { type: 'string' }, 'pkcs11-lib': { type: 'string' }, 'keep-pin': { type: 'boolean' }, ...SETTING_OPTIONS, activate: { type: 'boolean' }, ...COMMON } as const;
const ADD_HELP = formatHelp({
  usage: 'rolecall profiles add NAME (--certificate FILE [--private-key FILE] [--intermediates FILE] | --from-certificate CERT) --trust-anchor-arn ARN --profile-arn ARN --role-arn ARN [options]',
  summary: 'Add a profile. The certificate is checked first and its principal tags are shown; the private key goes into the OS keychain (or stays in its file with --key-in-file). NAME is also the AWS profile name tools use (AWS_PROFILE=NAME).',
  options: [
    ...CERTIFICATE_HELP,
    ['--from-certificate CERT', 'Use the certificate issued for a request made with `rolecall certificate new` (its key is copied within the keychain)'],
    ['--pkcs11-lib PATH', 'With --certificate or --private-key as a pkcs11: URI (RFC 7512): the token\'s PKCS#11 module (default p11-kit-proxy); the key never leaves the token'],
    ['--keep-pin', 'Keep the token\'s PIN in the OS keychain so refreshes never ask (otherwise the agent holds it in memory until it exits, then asks)'],
    ...SETTING_HELP,
    ['--activate', 'Start the session right away'],
    ...COMMON_HELP,
  ],
  notes: ['A token\'s PIN is asked on the terminal unless the URI has pin-source (a file) or pin-value.', 'An encrypted key asks for its passphrase on the terminal unless --passphrase-stdin or --pkcs8-password is given.', 'Exit code 1 when Roles Anywhere would refuse the certificate (the problems are listed; nothing is saved).', EXIT_CODES_HELP],
});

const EDIT_OPTIONS = { ...CERTIFICATE_OPTIONS, ...SETTING_OPTIONS, ...CLEAR_OPTIONS, ...COMMON } as const;
const EDIT_HELP = formatHelp({
  usage: 'rolecall profiles edit NAME [options]',
  summary: 'Change a profile. Settings not given stay as they are; --certificate (with --private-key, --intermediates) rotates the certificate and key, and --private-key alone stores the key of the profile\'s own certificate again (say, after its keychain item was lost). An active profile is delivered again with the change.',
  options: [...CERTIFICATE_HELP, ...SETTING_HELP, ...CLEAR_HELP, ...COMMON_HELP],
  notes: [EXIT_CODES_HELP],
});

const LIST_HELP = formatHelp({ usage: 'rolecall profiles list [--json]', summary: 'Show every profile: status, time left, delivery, role, region and the last problem.', options: COMMON_HELP, notes: [EXIT_CODES_HELP] });
const SHOW_HELP = formatHelp({ usage: 'rolecall profiles show NAME [--json]', summary: 'Show one profile: its settings, certificate, principal tags and session.', options: COMMON_HELP, notes: [EXIT_CODES_HELP] });
const RENAME_HELP = formatHelp({
  usage: 'rolecall profiles rename NAME NEW [--force] [--json]',
  summary: 'Rename a profile. What it delivered under the old AWS profile name is taken back and delivered under the new one.',
  options: [['--force', 'Take over an AWS profile named NEW that holds credentials Rolecall did not write'], ...COMMON_HELP],
  notes: [EXIT_CODES_HELP],
});
const REMOVE_HELP = formatHelp({
  usage: 'rolecall profiles remove NAME [--yes] [--json]',
  summary: 'Delete a profile: its session ends, what it wrote to the AWS files is taken back (the files read as before) and its keychain items are deleted. A key kept in its own file is left alone.',
  options: [['--yes', 'Do not ask for confirmation (needed when there is no terminal)'], ...COMMON_HELP],
  notes: [EXIT_CODES_HELP],
});


const SUBCOMMANDS: Record<string, Subcommand> = { add, list, show, edit, rename, remove };

export function run(argv: string[]): Promise<number> {
  return runSubcommand('profiles', SUBCOMMANDS, HELP, argv);
}

/** A profile's own certificate with its key read again from this file (absolute). */
interface ProfileKeyFile {
  readonly profile: string;
  readonly privateKeyPath: string;
}

function names(positionals: readonly string[], count: number, usage: string): string[] {
  if (positionals.length !== count) throw new RolecallError('USAGE', usage);
  return [...positionals];
}

function printView(view: ProfileView, json: boolean | undefined): void {
  process.stdout.write(json ? `${JSON.stringify(view, null, 2)}\n` : profileDetails(view, Date.now(), createTerminalOutput(process.stdout)));
}

/**
 * Reads the certificate into an unlocked draft (from files, or from an issued certificate request) and
 * shows it; undefined (problems printed) when Roles Anywhere would refuse it.
 */
async function checkedDraft(agent: AgentClient, source: CertificateFiles | { readonly certificateName: string } | ProfileKeyFile, values: Parameters<typeof passphraseSource>[0] & { json?: boolean }): Promise<string | undefined> {
  const draft = 'certificateName' in source
    ? await agent.call('drafts.fromCertificate', { name: source.certificateName })
    : 'profile' in source
      ? await unlockDraft(agent, await agent.call('drafts.forProfileKey', { name: source.profile, privateKeyPath: source.privateKeyPath }), source.privateKeyPath, passphraseSource(values))
      : await openUnlockedDraft(agent, source, passphraseSource(values));
  if (!values.json) process.stdout.write(describeDraft(draft, createTerminalOutput(process.stdout)));
  if (draft.problems.length === 0) return draft.draftId;
  process.stderr.write(problemLines(draft.problems, createTerminalOutput()));
  process.stderr.write('Roles Anywhere would refuse this certificate, so nothing was saved.\n');
  return undefined;
}

async function add(argv: string[]): Promise<number> {
  const parsed = parseCommandArgsOrHelp(argv, ADD_OPTIONS, ADD_HELP, true);
  if (parsed === undefined) return 0;
  const { values, positionals } = parsed;
  const [name] = names(positionals, 1, 'give one profile name: rolecall profiles add NAME --certificate FILE ...') as [string];
  const onToken = [values.certificate, values['private-key']].some((value) => value !== undefined && isPkcs11Uri(value));
  if (!onToken && (values['pkcs11-lib'] !== undefined || values['keep-pin'])) throw new RolecallError('USAGE', '--pkcs11-lib and --keep-pin come with a pkcs11: URI in --certificate or --private-key');
  const files = onToken ? undefined : certificateFiles(values);
  const fromCertificate = values['from-certificate'];
  if (files && fromCertificate !== undefined) throw new RolecallError('USAGE', 'give --certificate or --from-certificate, not both');
  const source = files ?? (fromCertificate === undefined ? undefined : { certificateName: fromCertificate });
  if (!source && !onToken) throw new RolecallError('USAGE', '--certificate (or --from-certificate) is required');
  const { signingRegion, toolRegion, roleSessionName, endpoint, trustAnchorArn, profileArn, roleArn, ...rest } = settingFields(values);
  const missing = (['trust-anchor-arn', 'profile-arn', 'role-arn'] as const).filter((flag) => values[flag] === undefined);
  if (missing.length > 0 || trustAnchorArn === undefined || profileArn === undefined || roleArn === undefined) {
    throw new RolecallError('USAGE', `--${missing.join(', --')} ${missing.length === 1 ? 'is' : 'are'} required`);
  }
  for (const warning of regionMismatches({ trustAnchorArn, signingRegion: signingRegion ?? undefined, endpoint: endpoint ?? undefined })) {
    process.stderr.write(`${createTerminalOutput().yellow(`! ${warning}`)}\n`);
  }
  const connection = {
    trustAnchorArn,
    profileArn,
    roleArn,
    ...rest,
    ...(signingRegion != null && { signingRegion }),
    ...(toolRegion != null && { toolRegion }),
    ...(roleSessionName != null && { roleSessionName }),
    ...(endpoint != null && { endpoint }),
  };
  return withAgent(async (agent) => {
    let view: ProfileView;
    if (onToken || !source) {
      view = await addFromToken(agent, name, values, connection);
    } else {
      const draftId = await checkedDraft(agent, source, values);
      if (draftId === undefined) return 1;
      view = await agent.call('profiles.add', { name, draftId, ...connection });
    }
    if (values.activate) view = await withTokenPin(agent, name, () => agent.call('sessions.activate', { name }));
    if (values.json) printView(view, true);
    else {
      const out = createTerminalOutput(process.stdout);
      // The certificate and its tags were shown above; one line says what was saved.
      process.stdout.write(`\n${profileTable([view], Date.now(), out)}`);
      if (!values.activate) process.stdout.write(`\nAdded ${name}. Next: ${out.bold(`rolecall activate ${name}`)} (then AWS tools use it with AWS_PROFILE=${name}; see \`rolecall config ${name}\`).\n`);
      else if (view.status === 'active') process.stdout.write(`\nAdded and activated ${name}: AWS tools use it with AWS_PROFILE=${name}.\n`);
    }
    return activationFailed(view) ? 1 : 0;
  });
}

/**
 * A profile whose key stays on a token: the agent finds certificate and key and proves they match. The
 * PIN is asked on the terminal when the token needs one and the URI does not say where it is.
 */
async function addFromToken(agent: AgentClient, name: string, values: { certificate?: string; 'private-key'?: string; 'pkcs11-lib'?: string; 'keep-pin'?: boolean; intermediates?: string }, connection: Omit<OperationInput<'profiles.add'>, 'name' | 'draftId'>): Promise<ProfileView> {
  if (values.intermediates !== undefined) throw new RolecallError('USAGE', '--intermediates: a profile on a token sends the CA certificates stored on the token');
  const { certificate, 'private-key': privateKey } = values;
  if (privateKey !== undefined && !isPkcs11Uri(privateKey)) throw new RolecallError('USAGE', 'a certificate on a token needs its key on a token too: give --private-key as a pkcs11: URI, or leave it out');
  const module = values['pkcs11-lib'];
  const input = {
    name,
    ...(certificate !== undefined && (isPkcs11Uri(certificate) ? { certificateUri: certificate } : { certificatePath: resolve(certificate) })),
    ...(privateKey !== undefined && { privateKeyUri: privateKey }),
    // A bare library name is for the system's loader to find; a path is made absolute here.
    ...(module !== undefined && { modulePath: module.includes('/') || module.includes('\\') ? resolve(module) : module }),
    ...(values['keep-pin'] && { keepPin: true }),
    ...connection,
  };
  try {
    return await agent.call('profiles.addFromToken', input);
  } catch (error) {
    if (!isRolecallError(error) || error.code !== 'PKCS11_PIN_REQUIRED') throw error;
    const pin = await askPin(name, false);
    if (pin === undefined) throw error;
    return agent.call('profiles.addFromToken', { ...input, pin });
  }
}

function activationFailed(view: ProfileView): boolean {
  if (view.status !== 'failed' && view.status !== 'expired') return false;
  if (view.lastError) process.stderr.write(`${view.name}: ${view.lastError.message} ${view.lastError.next} [${view.lastError.code}]\n`);
  return true;
}

async function edit(argv: string[]): Promise<number> {
  const parsed = parseCommandArgsOrHelp(argv, EDIT_OPTIONS, EDIT_HELP, true);
  if (parsed === undefined) return 0;
  const { values, positionals } = parsed;
  const [name] = names(positionals, 1, 'give one profile name: rolecall profiles edit NAME [options]') as [string];
  // --private-key alone: the same certificate with its key read again from a file.
  const keyOnly = values.certificate === undefined && values.intermediates === undefined && values['private-key'] !== undefined;
  const files = keyOnly ? undefined : certificateFiles(values);
  const source: CertificateFiles | ProfileKeyFile | undefined = keyOnly ? { profile: name, privateKeyPath: resolve(values['private-key'] as string) } : files;
  const settings = settingFields(values);
  if (!source && Object.keys(settings).length === 0) throw new RolecallError('USAGE', 'nothing to change: give the settings to change (see `rolecall profiles edit --help`)');
  return withAgent(async (agent) => {
    // Fail on an unknown name before asking for a passphrase.
    await agent.call('profiles.get', { name });
    const draftId = source ? await checkedDraft(agent, source, values) : undefined;
    if (source && draftId === undefined) return 1;
    const view = await agent.call('profiles.edit', { name, ...settings, ...(draftId !== undefined && { draftId }) });
    printView(view, values.json);
    if (!values.json && keyOnly) process.stdout.write(`\n${view.keyStorage === 'keychain' ? `The key of ${name} is in the keychain again` : `${name} reads its key from ${view.keyPath ?? 'its file'}`}.\n`);
    else if (!values.json && draftId !== undefined) process.stdout.write(`\nThe certificate and key of ${name} were replaced; the old key was removed from the keychain.\n`);
    return activationFailed(view) ? 1 : 0;
  });
}

async function list(argv: string[]): Promise<number> {
  const parsed = parseCommandArgsOrHelp(argv, COMMON, LIST_HELP, true);
  if (parsed === undefined) return 0;
  const { values, positionals } = parsed;
  names(positionals, 0, '`profiles list` takes no names; use `profiles show NAME`');
  const state = await withAgent((agent) => agent.call('state.get', {}));
  process.stdout.write(values.json ? `${JSON.stringify(state.profiles, null, 2)}\n` : profileTable(state.profiles, Date.now(), createTerminalOutput(process.stdout)));
  return 0;
}

async function show(argv: string[]): Promise<number> {
  const parsed = parseCommandArgsOrHelp(argv, COMMON, SHOW_HELP, true);
  if (parsed === undefined) return 0;
  const { values, positionals } = parsed;
  const [name] = names(positionals, 1, 'give one profile name') as [string];
  printView(await withAgent((agent) => agent.call('profiles.get', { name })), values.json);
  return 0;
}

async function rename(argv: string[]): Promise<number> {
  const parsed = parseCommandArgsOrHelp(argv, { force: { type: 'boolean' }, ...COMMON }, RENAME_HELP, true);
  if (parsed === undefined) return 0;
  const { values, positionals } = parsed;
  const [name, newName] = names(positionals, 2, 'give the profile\'s name and its new name: rolecall profiles rename NAME NEW') as [string, string];
  const view = await withAgent((agent) => agent.call('profiles.rename', { name, newName, ...(values.force && { force: true }) }));
  if (values.json) printView(view, true);
  else process.stdout.write(`Renamed ${name} to ${newName}.\n${profileTable([view], Date.now(), createTerminalOutput(process.stdout))}`);
  return 0;
}

async function remove(argv: string[]): Promise<number> {
  const parsed = parseCommandArgsOrHelp(argv, { yes: { type: 'boolean', short: 'y' }, ...COMMON }, REMOVE_HELP, true);
  if (parsed === undefined) return 0;
  const { values, positionals } = parsed;
  const [name] = names(positionals, 1, 'give one profile name') as [string];
  return withAgent(async (agent) => {
    const view = await agent.call('profiles.get', { name });
    if (!values.yes && !(await confirmRemoval(view))) {
      process.stderr.write('Nothing was removed.\n');
      return 1;
    }
    const result = await agent.call('profiles.remove', { name });
    if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      const key = view.keyStorage === 'keychain' ? 'its key was deleted from the keychain' : view.token ? 'its key stays on the token' : `its key file${view.keyPath ? ` ${view.keyPath}` : ''} was left as it is`;
      const delivered = view.status === 'inactive' ? [] : [`what it delivered to ${view.deliveredTo} was taken back`];
      process.stdout.write(`Removed ${name}: ${[...delivered, key].join(' and ')}.\n`);
    }
    return 0;
  });
}

async function confirmRemoval(view: ProfileView): Promise<boolean> {
  const parts = [`profile ${view.name}`, ...(view.keyStorage === 'keychain' ? ['its key in the keychain'] : []), ...(view.status === 'inactive' ? [] : [`the session it delivered to ${view.deliveredTo}`])];
  const listed = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
  try {
    return await confirm(`Remove ${listed}?`);
  } catch (error) {
    if (isRolecallError(error) && error.code === 'NO_TTY') throw new RolecallError('USAGE', `there is no terminal to confirm on; pass --yes to remove ${view.name}`);
    throw error;
  }
}
