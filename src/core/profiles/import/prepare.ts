// The import preview: every credential_process line of ~/.aws/config that runs the reference client
// (or Rolecall's drop-in mode), what profile each would become, what stands in the way, and the config
// file as it would read afterwards. A line whose key is on a PKCS#11 token becomes a token-backed
// profile; a PIN written in its URI (pin-value) is used for the import only and shown or stored nowhere.
import { constants as fsConstants, promises as fs } from 'node:fs';
import { posix, win32 } from 'node:path';
import { isSessionDuration } from '../../../shared/limits';
import { PROFILE_NAME_PATTERN, SESSION_NAME_PATTERN } from '../../../shared/patterns';
import { RolecallError } from '../../../shared/errors';
import type { ImportCandidate, ImportPlan } from '../../../shared/model';
import { credentialProcessCommand, profileSection, readAwsFile, type IniDocument, type SectionRef } from '../../awsfiles';
import { isPkcs11Uri, parsePkcs11Uri, withoutPinValue } from '../../pkcs11/uri';
import { isValidRegion, parseRoleArn, parseRolesAnywhereArn, resolveEndpoint } from '../../rolesanywhere';
import { readSigningHelperCommand, type DropInFlags, type ImportTool } from './signing-helper-command';
import { splitCommandLine } from './split-command-line';
import { unifiedDiff } from './unified-diff';

export interface ImportOptions {
  readonly configPath: string;
  /** The argv that starts Rolecall's CLI, absolute paths (see credentialProcessCommand). */
  readonly launcher: readonly string[];
  /** Whose quoting rules the config's lines follow and the new lines use. */
  readonly platform: NodeJS.Platform;
  /** For paths written as ~/…, which SDKs running the line through a shell expand. */
  readonly homedir: string;
  /** Rolecall profiles that exist already: an import may not take their names. */
  readonly existingProfiles?: readonly string[];
}

/** What addProfile receives for one imported line: a key in files, or one on a token. */
export type ImportProfileInput = ImportFileProfileInput | ImportTokenProfileInput;

export interface ImportFileProfileInput extends ImportConnection {
  readonly certificatePath: string;
  readonly privateKeyPath?: string;
  readonly intermediatesPath?: string;
  readonly passphrase?: string;
}

export interface ImportTokenProfileInput extends ImportConnection {
  readonly token: ImportTokenKey;
  /** The token's PIN typed at import (a pin-value in the URI is used when there is none). */
  readonly pin?: string;
}

/** The key (and maybe the certificate) on a token, as profiles.addFromToken takes them. */
export interface ImportTokenKey {
  /** As written in the line: it may hold a pin-value, which the profile store never gets. */
  readonly certificateUri?: string;
  /** A certificate file, when only the key is on the token. */
  readonly certificatePath?: string;
  readonly privateKeyUri?: string;
  /** --pkcs11-lib: an absolute path, or a library name the system's loader finds. */
  readonly modulePath?: string;
}

interface ImportConnection {
  readonly name: string;
  readonly trustAnchorArn: string;
  readonly profileArn: string;
  readonly roleArn: string;
  /** The signing region (--region). */
  readonly region?: string;
  readonly durationSeconds?: number;
  readonly roleSessionName?: string;
  readonly endpoint?: string;
}

/** One line as the apply step needs it. Holds a passphrase when the line had --pkcs8-password. */
export interface ImportLine {
  readonly candidate: ImportCandidate;
  /** The credential_process value as readers see it, to check it did not change before rewriting. */
  readonly value: string;
  /** Set when the candidate has no problems: what addProfile gets, and the value the line becomes. */
  readonly input?: ImportProfileInput;
  readonly replacement?: string;
  /** The file holding the private key (the certificate file for PKCS#12 or combined PEM). */
  readonly keyFile?: string;
}

/**
 * The plan for the UI plus what applying it needs. Only `plan` may leave the agent: the lines can hold
 * a passphrase, so they are behind a method (JSON.stringify and structured clones skip it).
 */
export class PreparedImport {
  readonly plan: ImportPlan;
  readonly #lines: readonly ImportLine[];

  constructor(plan: ImportPlan, lines: readonly ImportLine[]) {
    this.plan = plan;
    this.#lines = lines;
  }

  lines(): readonly ImportLine[] {
    return this.#lines;
  }
}

const PROFILE_HEADER = /^profile[ \t]+(?:"([^"]*)"|'([^']*)'|(\S+))$/;
const TOOL_MENTION = /aws_signing_helper|rolecall/i;
// A shell-style continuation (backslash, then the line break) as the tutorials write it. botocore joins
// the value's lines with "\n" and shlex keeps an escaped line break as a character, so the AWS CLI and
// SDKs pass "\n--certificate" as one argument and the helper refuses it: the line never worked.
const BACKSLASH_CONTINUED = /\\[ \t]*\r?\n/;
// Passphrases and PINs on a command line are shown as this in the preview (the config file itself still has them until applied).
const MASKED_PASSWORD = /(--(?:pkcs8|tpm-key)-password(?:=|\s+))("[^"]*"|'[^']*'|\S+)/g;
const MASKED_PIN = /([?&]pin-value=)[^&\s"';]*/gi;

export async function prepareImport(options: ImportOptions): Promise<PreparedImport> {
  const doc = await readAwsFile(options.configPath);
  const existing = new Set(options.existingProfiles ?? []);
  const lines: ImportLine[] = [];
  for (const awsProfile of configProfiles(doc)) {
    const value = doc.get(readerSection(awsProfile), 'credential_process');
    if (value === undefined) continue;
    const line = await readLine(awsProfile, value, options, existing);
    if (line) lines.push(line);
  }
  const before = doc.serialize();
  for (const line of lines) {
    if (line.replacement !== undefined) doc.set(profileSection('config', line.candidate.name), { credential_process: line.replacement });
  }
  const configDiff = unifiedDiff(maskPasswords(before.toString('utf8')), maskPasswords(doc.serialize().toString('utf8')), {
    fromName: options.configPath,
    toName: options.configPath,
  });
  const plan: ImportPlan = { configPath: options.configPath, candidates: lines.map((line) => line.candidate), configDiff };
  return new PreparedImport(plan, lines);
}

/** AWS profile names of the config file in file order: `[default]`, `[profile NAME]` (other sections are not profiles). */
function configProfiles(doc: IniDocument): string[] {
  const names = new Set<string>();
  for (const header of doc.headers()) {
    const name = profileNameOf(header);
    if (name !== undefined) names.add(name);
  }
  return [...names];
}

function profileNameOf(header: string): string | undefined {
  if (header === 'default') return 'default';
  const match = PROFILE_HEADER.exec(header);
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}

/** Every spelling of the profile's header, including names Rolecall could not write. */
function readerSection(name: string): SectionRef {
  return { header: name === 'default' ? 'default' : `profile ${name}`, matches: (header) => profileNameOf(header) === name };
}

async function readLine(awsProfile: string, value: string, options: ImportOptions, existing: ReadonlySet<string>): Promise<ImportLine | undefined> {
  const multiLine = value.includes('\n');
  if (BACKSLASH_CONTINUED.test(value) && TOOL_MENTION.test(value)) {
    // One problem for the line rather than one per argument it would be misread into.
    return { candidate: { awsProfile, name: awsProfile, tool: toolOf(value), multiLine, problems: [new RolecallError('IMPORT_LINE_CONTINUED', awsProfile).toInfo()] }, value };
  }
  let argv: string[];
  try {
    argv = splitCommandLine(value, options.platform);
  } catch (error) {
    // A line that mentions a signing helper but cannot be split is shown, so the user learns why it is left alone.
    if (!(error instanceof RolecallError) || !TOOL_MENTION.test(value)) return undefined;
    return { candidate: { awsProfile, name: awsProfile, tool: toolOf(value), multiLine, problems: [error.toInfo()] }, value };
  }
  const command = readSigningHelperCommand(argv);
  if (command.kind !== 'drop-in') return undefined;

  const { flags } = command;
  const errors: RolecallError[] = [...command.problems];
  if (!PROFILE_NAME_PATTERN.test(awsProfile)) errors.push(new RolecallError('PROFILE_NAME_INVALID', `${JSON.stringify(awsProfile)} cannot be a Rolecall profile name`));
  else if (existing.has(awsProfile)) errors.push(new RolecallError('PROFILE_EXISTS', awsProfile));
  const files = await checkFiles(flags, options, errors);
  const token = await checkToken(flags, files, options, errors);
  const durationSeconds = checkSettings(flags, errors);

  const candidate: ImportCandidate = {
    awsProfile,
    name: awsProfile,
    tool: command.tool,
    // A key on a token shows its URI, less any pin-value.
    ...optional('certificatePath', files.certificate ?? shownUri(flags.certificate)),
    ...optional('privateKeyPath', files.privateKey ?? shownUri(flags.privateKey)),
    ...optional('intermediatesPath', files.intermediates),
    ...optional('trustAnchorArn', flags.trustAnchorArn),
    ...optional('profileArn', flags.profileArn),
    ...optional('roleArn', flags.roleArn),
    ...optional('durationSeconds', durationSeconds),
    ...optional('region', flags.region),
    multiLine,
    problems: errors.map((error) => error.toInfo()),
  };
  // A key on a token has no file the user could delete once imported.
  const keyFile = token === undefined ? (files.privateKey ?? files.certificate) : undefined;
  const line = { candidate, value, ...optional('keyFile', keyFile) };
  if (errors.length > 0 || !flags.trustAnchorArn || !flags.profileArn || !flags.roleArn) return line;
  const keySource = token === undefined ? fileKey(flags, files) : { token };
  if (keySource === undefined) return line;
  const input: ImportProfileInput = {
    name: awsProfile,
    ...keySource,
    trustAnchorArn: flags.trustAnchorArn,
    profileArn: flags.profileArn,
    roleArn: flags.roleArn,
    ...optional('region', flags.region),
    ...optional('durationSeconds', durationSeconds),
    ...optional('roleSessionName', flags.roleSessionName),
    ...optional('endpoint', flags.endpoint === undefined ? undefined : withScheme(flags.endpoint)),
  };
  return { ...line, input, replacement: credentialProcessCommand(options.launcher, awsProfile, options.platform) };
}

function toolOf(value: string): ImportTool {
  return /aws_signing_helper/i.test(value) ? 'aws_signing_helper' : 'rolecall';
}

async function checkFiles(flags: DropInFlags, options: ImportOptions, errors: RolecallError[]) {
  const resolved: { certificate?: string; privateKey?: string; intermediates?: string } = {};
  for (const key of ['certificate', 'privateKey', 'intermediates'] as const) {
    const given = flags[key];
    if (given === undefined || /^(pkcs11|handle):/.test(given)) continue;
    const path = absolutePath(given, options);
    if (path === undefined) {
      errors.push(new RolecallError('FILE_UNREADABLE', `${given} is a relative path, which SDKs resolve against whatever folder they run in`));
      continue;
    }
    resolved[key] = path;
    try {
      await fs.access(path, fsConstants.R_OK);
    } catch {
      errors.push(new RolecallError('FILE_UNREADABLE', path));
    }
  }
  return resolved;
}

function fileKey(flags: DropInFlags, files: { certificate?: string; privateKey?: string; intermediates?: string }) {
  if (files.certificate === undefined) return undefined;
  return {
    certificatePath: files.certificate,
    ...optional('privateKeyPath', files.privateKey),
    ...optional('intermediatesPath', files.intermediates),
    ...optional('passphrase', flags.passphrase),
  };
}

/** The token key of a line with a pkcs11: URI, checked as profiles.addFromToken would; undefined for a line with key files. */
async function checkToken(flags: DropInFlags, files: { certificate?: string }, options: ImportOptions, errors: RolecallError[]): Promise<ImportTokenKey | undefined> {
  const certificateUri = flags.certificate !== undefined && isPkcs11Uri(flags.certificate) ? flags.certificate : undefined;
  const privateKeyUri = flags.privateKey !== undefined && isPkcs11Uri(flags.privateKey) ? flags.privateKey : undefined;
  if (certificateUri === undefined && privateKeyUri === undefined) return undefined;
  for (const [flag, uri] of [['certificate', certificateUri], ['private-key', privateKeyUri]] as const) {
    if (uri === undefined) continue;
    try {
      parsePkcs11Uri(uri);
    } catch (error) {
      if (!(error instanceof RolecallError)) throw error;
      errors.push(new RolecallError(error.code, `--${flag}: ${error.detail ?? error.message}`));
    }
  }
  if (certificateUri !== undefined && flags.privateKey !== undefined && privateKeyUri === undefined) {
    errors.push(new RolecallError('IMPORT_LINE_INVALID', 'a certificate on a token needs its key on the token too: --private-key is a file'));
  }
  if (flags.intermediates !== undefined) {
    errors.push(new RolecallError('IMPORT_OPTION_UNSUPPORTED', '--intermediates with a key on a token: a token profile sends the CA certificates stored on the token'));
  }
  const modulePath = flags.pkcs11Lib === undefined ? undefined : await checkModule(flags.pkcs11Lib, options, errors);
  return {
    ...optional('certificateUri', certificateUri),
    ...optional('certificatePath', certificateUri === undefined ? files.certificate : undefined),
    ...optional('privateKeyUri', privateKeyUri),
    ...optional('modulePath', modulePath),
  };
}

/** A bare library name is for the system's loader to find; a path must be absolute and readable. */
async function checkModule(given: string, options: ImportOptions, errors: RolecallError[]): Promise<string | undefined> {
  if (!/[\\/]/.test(given)) return given;
  const path = absolutePath(given, options);
  if (path === undefined) {
    errors.push(new RolecallError('FILE_UNREADABLE', `--pkcs11-lib ${given} is a relative path, which SDKs resolve against whatever folder they run in`));
    return undefined;
  }
  try {
    await fs.access(path, fsConstants.R_OK);
  } catch {
    errors.push(new RolecallError('FILE_UNREADABLE', `--pkcs11-lib ${path}`));
  }
  return path;
}

function shownUri(given: string | undefined): string | undefined {
  return given !== undefined && isPkcs11Uri(given) ? withoutPinValue(given) : undefined;
}

function absolutePath(given: string, options: ImportOptions): string | undefined {
  const flavour = options.platform === 'win32' ? win32 : posix;
  if (given === '~' || given.startsWith('~/') || (options.platform === 'win32' && given.startsWith('~\\'))) {
    return flavour.join(options.homedir, given.slice(1));
  }
  return flavour.isAbsolute(given) ? given : undefined;
}

/** The same checks a new profile gets, so the preview shows them before anything is imported. */
function checkSettings(flags: DropInFlags, errors: RolecallError[]): number | undefined {
  const attempt = (check: () => void) => {
    try {
      check();
    } catch (error) {
      if (error instanceof RolecallError) errors.push(error);
      else throw error;
    }
  };
  let anchorRegion: string | undefined;
  let profileRegion: string | undefined;
  if (flags.trustAnchorArn) attempt(() => (anchorRegion = parseRolesAnywhereArn(flags.trustAnchorArn ?? '', 'trust-anchor').region));
  if (flags.profileArn) attempt(() => (profileRegion = parseRolesAnywhereArn(flags.profileArn ?? '', 'profile').region));
  if (flags.roleArn) attempt(() => parseRoleArn(flags.roleArn ?? ''));
  if (anchorRegion && profileRegion && anchorRegion !== profileRegion) {
    errors.push(new RolecallError('REGION_MISMATCH', `trust anchor in ${anchorRegion}, profile in ${profileRegion}`));
  }
  if (flags.region !== undefined && !isValidRegion(flags.region)) errors.push(new RolecallError('REGION_INVALID', `--region ${flags.region}`));
  if (flags.roleSessionName !== undefined && !SESSION_NAME_PATTERN.test(flags.roleSessionName)) {
    errors.push(new RolecallError('SESSION_NAME_INVALID', `--role-session-name ${flags.roleSessionName}`));
  }
  if (flags.endpoint !== undefined) {
    attempt(() => resolveEndpoint({ region: flags.region ?? anchorRegion ?? 'us-east-1', endpoint: flags.endpoint }));
  }
  if (flags.sessionDuration === undefined) return undefined;
  const seconds = /^\d+$/.test(flags.sessionDuration) ? Number(flags.sessionDuration) : Number.NaN;
  if (!isSessionDuration(seconds)) {
    errors.push(new RolecallError('DURATION_INVALID', `--session-duration ${flags.sessionDuration}`));
    return undefined;
  }
  return seconds;
}

/** The reference client takes a bare host name as https; Rolecall's profiles hold URLs. */
function withScheme(endpoint: string): string {
  return endpoint.includes('://') ? endpoint : `https://${endpoint}`;
}

function maskPasswords(text: string): string {
  return text.replace(MASKED_PASSWORD, '$1********').replace(MASKED_PIN, '$1********');
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
