// What `rolecall doctor` asks the agent: the agent's own view of itself (version, uptime, whether it
// reaches the keychain now) and of every profile — its status and last problem, its key (in the keychain or its file),
// its certificate's validity, what it delivered to the AWS files, and other credentials under its name.
// The agent answers because it holds the sessions and the keychain context the profiles are used with:
// a CLI in another shell may see a different keychain than the agent does.
import type { KeyObject } from 'node:crypto';
import type { AgentInfo, DoctorFinding, DoctorReport, KeychainReach, ProblemView, ProfileView } from '../../shared/model';
import { ERRORS, toErrorInfo } from '../../shared/errors';
import { findForeignCredentials, profileSection, readAwsFile, type AwsFilePaths } from '../awsfiles';
import { maskAccessKeyId } from '../log/redact';
import { isPkcs12, parseCertificates, parsePkcs12, parsePrivateKey, privateKeyFromPkcs8Pem, readInputFile } from '../pki';
import type { ProfileDefinition } from '../profiles';
import { profileFilePaths } from '../profiles/delivery';
import type { ProfileRepository } from '../profiles/repository';
import type { SecretStore } from '../secrets';

/** Certificates expiring within this many days are worth renewing now (a CA can take days to issue). */
export const DOCTOR_EXPIRY_WARNING_DAYS = 30;
const ACTIVE: ReadonlySet<ProfileView['status']> = new Set(['active', 'refreshing']);

export interface DoctorCheckInput {
  readonly info: AgentInfo;
  /** Wall time now, ms. */
  readonly now: number;
  readonly secrets: SecretStore;
  readonly repository: ProfileRepository;
  readonly awsPaths: AwsFilePaths;
  /** The `credential_process` line Rolecall writes for a profile. */
  readonly commandFor: (name: string) => string;
  readonly profiles: readonly { readonly definition: ProfileDefinition; readonly view: ProfileView }[];
}

export async function doctorCheck(input: DoctorCheckInput): Promise<DoctorReport> {
  const keychain = await probeKeychain(input.secrets);
  const findings: DoctorFinding[] = [];
  const perProfile = await Promise.all(
    input.profiles.map(async ({ definition, view }) => ({
      status: statusFindings(view),
      key: await keyFindings(definition, input.secrets),
      certificate: certificateFindings(view),
      delivery: await deliveryFindings(definition, view, input).catch((error: unknown) => [notChecked(`delivery of ${view.name}`, view.name, error)]),
      names: await nameFindings(definition, input).catch((error: unknown) => [notChecked(`AWS profile ${view.name}`, view.name, error)]),
    })),
  );
  const count = input.profiles.length;
  const none = count === 0 ? 'no profiles yet' : undefined;
  const groups = [
    ['profiles', none ?? summary(input.profiles.map(({ view }) => view))],
    ['keychain items', none ?? 'every key the profiles keep in the keychain is there and readable'],
    ['certificates', none ?? `${count === 1 ? 'the certificate is' : `all ${count} are`} valid for more than ${DOCTOR_EXPIRY_WARNING_DAYS} days`],
    ['AWS deliveries', none ?? 'every active profile\'s credentials are in the AWS files as Rolecall delivered them'],
    ['AWS profile names', none ?? 'no other credentials under Rolecall\'s profile names in the AWS files'],
  ] as const;
  const keys = ['status', 'key', 'certificate', 'delivery', 'names'] as const;
  groups.forEach(([name, okDetail], index) => {
    const key = keys[index] ?? 'status';
    const found = perProfile.flatMap((profile) => profile[key]);
    findings.push(...(found.length > 0 ? found : [{ name, status: 'ok' as const, detail: okDetail }]));
  });
  return {
    agent: {
      ...input.info,
      uptimeSeconds: Math.max(0, Math.round((input.now - Date.parse(input.info.startedAt)) / 1000)),
      keychain: keychain.reach,
      ...(keychain.problem && { keychainProblem: keychain.problem }),
    },
    findings,
  };
}

async function probeKeychain(secrets: SecretStore): Promise<{ readonly reach: KeychainReach; readonly problem?: ProblemView }> {
  try {
    await secrets.probe();
    return { reach: 'reachable' };
  } catch (error) {
    const problem = toErrorInfo(error);
    // A locked keyring was reached; the user unlocks it in this same session.
    return { reach: problem.code === 'KEYCHAIN_LOCKED' ? 'reachable' : 'unreachable', problem };
  }
}

function summary(views: readonly ProfileView[]): string {
  const active = views.filter((view) => ACTIVE.has(view.status)).length;
  return `${views.length} profile${views.length === 1 ? '' : 's'}: ${active} active, ${views.length - active} inactive, none failing`;
}

function statusFindings(view: ProfileView): DoctorFinding[] {
  const { name, lastError } = view;
  const problem = lastError ? `${lastError.message}${lastError.detail ? ` (${lastError.detail})` : ''}` : undefined;
  if (view.status === 'failed') {
    return [{ name: `profile ${name}`, profile: name, status: 'fail', detail: `failed: ${problem ?? 'no reason was recorded'}`, next: lastError?.next ?? `Run \`rolecall activate ${name}\` to try again.` }];
  }
  if (view.status === 'expired') {
    return [{ name: `profile ${name}`, profile: name, status: 'fail', detail: `its session expired and could not be renewed${problem ? `: ${problem}` : ''}`, next: lastError?.next ?? `Run \`rolecall refresh ${name}\`.` }];
  }
  if (lastError && view.status !== 'inactive') {
    const retry = view.nextRefreshAt ? `; the agent tries again at ${view.nextRefreshAt}` : '';
    return [{ name: `profile ${name}`, profile: name, status: 'warn', detail: `${view.status}, but the last refresh failed: ${problem ?? ''}${retry}`, next: lastError.next }];
  }
  return [];
}

async function keyFindings(definition: ProfileDefinition, secrets: SecretStore): Promise<DoctorFinding[]> {
  const { name, key } = definition;
  const replaceKey = `Store its key again from the file that holds it: \`rolecall profiles edit ${name} --private-key KEY_FILE\` (the key must belong to the profile's certificate).`;
  const finding = (detail: string, next: string): DoctorFinding[] => [{ name: `keychain item of ${name}`, profile: name, status: 'fail', detail, next }];
  if (key.kind === 'file') {
    const problem = await keyFileProblem(definition, key.path);
    if (problem === undefined) return [];
    return [{ name: `key file of ${name}`, profile: name, status: 'fail', detail: problem, next: `Put the key back at ${key.path} (the profile reads it there at each signing), or ${replaceKey.charAt(0).toLowerCase()}${replaceKey.slice(1)}` }];
  }
  // A token's key is checked by signing with it, which activation does; nothing to read here.
  if (key.kind === 'pkcs11') return [];
  let pem: string | null;
  try {
    pem = await secrets.get(key.account);
  } catch (error) {
    const problem = toErrorInfo(error);
    return finding(`could not be read: ${problem.message}${problem.detail ? ` (${problem.detail})` : ''}`, problem.next);
  }
  if (pem === null) return finding(`the private key's keychain item (account "${key.account}") is missing`, replaceKey);
  try {
    privateKeyFromPkcs8Pem(pem);
    return [];
  } catch {
    return finding(`the keychain item (account "${key.account}") does not hold a private key Rolecall can read`, replaceKey);
  }
}

/**
 * Reads the key file as a signing does: a file that is there but holds no key (overwritten, truncated) or
 * another key fails every activation just as a missing one does.
 */
async function keyFileProblem(definition: ProfileDefinition, path: string): Promise<string | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readInputFile(path, 'private key file');
  } catch (error) {
    return `${path} cannot be read: ${toErrorInfo(error).message}`;
  }
  let privateKey: KeyObject;
  try {
    privateKey = (isPkcs12(bytes) ? parsePkcs12(bytes).privateKey : parsePrivateKey(bytes)).keyObject;
  } catch (error) {
    const problem = toErrorInfo(error);
    // A passphrase-protected key file is refused at signing too: Rolecall never asks for it there.
    return `${path} cannot be read as a private key: ${problem.code === 'KEY_PASSPHRASE_REQUIRED' ? ERRORS.KEY_FILE_ENCRYPTED.message : problem.message}`;
  }
  const [leaf] = parseCertificates(definition.certificatePem);
  return leaf && !leaf.matchesPrivateKey(privateKey) ? `${path} holds a private key that does not belong to the profile's certificate` : undefined;
}

function certificateFindings(view: ProfileView): DoctorFinding[] {
  const { name } = view;
  const rotate = `${ERRORS.CERT_EXPIRED.next} To update it: \`rolecall profiles edit ${name} --certificate CERT_FILE --private-key KEY_FILE\`.`;
  const base = { name: `certificate of ${name}`, profile: name };
  if (view.certificateState === 'expired') return [{ ...base, status: 'fail', detail: `expired on ${view.certificate.notAfter}`, next: rotate }];
  if (view.certificateState === 'not-yet-valid') {
    return [{ ...base, status: 'fail', detail: `not valid before ${view.certificate.notBefore}`, next: 'Check this computer\'s clock; if it is right, wait until then or ask your CA for a certificate valid now.' }];
  }
  if (view.certificateDaysLeft <= DOCTOR_EXPIRY_WARNING_DAYS) {
    return [{ ...base, status: 'warn', detail: `expires in ${view.certificateDaysLeft} day${view.certificateDaysLeft === 1 ? '' : 's'} (${view.certificate.notAfter})`, next: rotate }];
  }
  return [];
}

/** An active profile's delivery: the keys of its current session in [NAME], or its credential_process line. */
async function deliveryFindings(definition: ProfileDefinition, view: ProfileView, input: DoctorCheckInput): Promise<DoctorFinding[]> {
  if (!ACTIVE.has(view.status) || view.expiresAt === undefined) return [];
  const { name } = definition;
  const paths = profileFilePaths(definition, input.awsPaths);
  const fail = (detail: string): DoctorFinding[] => [
    { name: `delivery of ${name}`, profile: name, status: 'fail', detail, next: `Run \`rolecall refresh ${name}\`: it mints a session and writes it again.` },
  ];
  if (definition.delivery === 'file') {
    const file = await readAwsFile(paths.credentials);
    const section = profileSection('credentials', name);
    const keyId = file.get(section, 'aws_access_key_id');
    if (keyId === undefined) return fail(`[${section.header}] in ${paths.credentials} no longer holds the session's keys`);
    const complete = file.get(section, 'aws_secret_access_key') !== undefined && file.get(section, 'aws_session_token') !== undefined;
    if (!complete || (view.accessKeyIdMasked !== undefined && maskAccessKeyId(keyId) !== view.accessKeyIdMasked)) {
      return fail(`[${section.header}] in ${paths.credentials} holds other keys than the session Rolecall delivered (${view.accessKeyIdMasked ?? 'unknown'})`);
    }
    return [];
  }
  const config = await readAwsFile(paths.config);
  const section = profileSection('config', name);
  const line = config.get(section, 'credential_process');
  if (line === undefined) return fail(`[${section.header}] in ${paths.config} has no credential_process line`);
  if (line !== input.commandFor(name)) return fail(`credential_process in [${section.header}] of ${paths.config} runs \`${line}\`, not Rolecall's \`${input.commandFor(name)}\``);
  return [];
}

/**
 * Credentials Rolecall did not write under a Rolecall profile's name, in either file: activating the
 * profile would be refused, and meanwhile tools may use them (static keys in the credentials file win
 * over a credential_process line in every SDK).
 */
async function nameFindings(definition: ProfileDefinition, input: DoctorCheckInput): Promise<DoctorFinding[]> {
  if (definition.takeOver) return [];
  const { name } = definition;
  const paths = profileFilePaths(definition, input.awsPaths);
  const record = await input.repository.getDelivery(name);
  const owned = record && record.paths.credentials === paths.credentials && record.paths.config === paths.config ? record.owned : {};
  const foreign = await findForeignCredentials(paths, name, owned);
  return (['credentials', 'config'] as const)
    .filter((kind) => foreign[kind].length > 0)
    .map((kind) => ({
      name: `AWS profile ${name}`,
      profile: name,
      status: 'fail' as const,
      detail: `[${profileSection(kind, name).header}] in ${paths[kind]} has ${foreign[kind].join(', ')}, which Rolecall did not write; activating ${name} would be refused`,
      next: `Remove those lines, rename the Rolecall profile (\`rolecall profiles rename ${name} NEW_NAME\`), or let Rolecall take the name over (\`rolecall profiles edit ${name} --force\`).`,
    }));
}

function notChecked(name: string, profile: string, error: unknown): DoctorFinding {
  const problem = toErrorInfo(error);
  return { name, profile, status: 'warn', detail: `not checked: ${problem.message}${problem.detail ? ` (${problem.detail})` : ''}`, next: problem.next };
}
