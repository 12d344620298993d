// What Rolecall writes into the AWS files for one profile name, as edits of the line model. Rolecall
// only ever touches the keys it records as its own (the record lives in Rolecall's store); everything
// else in a section belongs to the user, and removing exactly what Rolecall added restores the file.
import type { IniDocument } from './ini';
import { profileSection, type AwsFileKind } from './profile-section';

/** What Rolecall wrote for one name in one file: the keys it owns, and whether it created the section. */
export interface OwnedEntries {
  readonly keys: readonly string[];
  readonly createdSection: boolean;
}

export interface SessionCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
}

/**
 * Keys that give a profile its credentials, in either file: SDKs merge both files per name, static keys
 * in the credentials file beat `credential_process`, and role, SSO and login settings beat static keys
 * in botocore. Any of them that Rolecall did not write means the name is someone else's.
 */
export const CREDENTIAL_KEYS: readonly string[] = [
  'aws_access_key_id',
  'aws_secret_access_key',
  'aws_session_token',
  'aws_security_token',
  'credential_process',
  'role_arn',
  'source_profile',
  'credential_source',
  'web_identity_token_file',
  'sso_session',
  'sso_start_url',
  'sso_account_id',
  'sso_role_name',
  'login_session',
];

export const FILE_DELIVERY_KEYS = ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token'] as const;

/** Credential keys in the name's section that Rolecall did not write. */
export function foreignCredentials(doc: IniDocument, kind: AwsFileKind, name: string, owned?: OwnedEntries): string[] {
  const mine = new Set(owned?.keys ?? []);
  return doc.keys(profileSection(kind, name)).filter((key) => CREDENTIAL_KEYS.includes(key) && !mine.has(key));
}

/** `file` delivery: the three keys in `[NAME]` of the credentials file, and nothing else. */
export function writeCredentialKeys(doc: IniDocument, name: string, credentials: SessionCredentials, owned?: OwnedEntries): OwnedEntries {
  return writeOwned(doc, 'credentials', name, {
    aws_access_key_id: credentials.accessKeyId,
    aws_secret_access_key: credentials.secretAccessKey,
    aws_session_token: credentials.sessionToken,
  }, owned);
}

/** `process` delivery: `credential_process` in `[profile NAME]` of the config file. */
export function writeCredentialProcess(doc: IniDocument, name: string, command: string, owned?: OwnedEntries): OwnedEntries {
  return writeOwned(doc, 'config', name, { credential_process: command }, owned);
}

/**
 * The tool region (what AWS tools use by default, not the signing region) in the config file: written
 * only when the user set one, never over a `region` the user wrote, and removed again when the user
 * clears it if Rolecall wrote it.
 */
export function writeToolRegion(doc: IniDocument, name: string, region: string | undefined, owned?: OwnedEntries): OwnedEntries | undefined {
  const section = profileSection('config', name);
  const ours = owned?.keys.includes('region') ?? false;
  if (region === undefined) return ours && owned !== undefined ? removeOwned(doc, 'config', name, owned, ['region']) : owned;
  if (!ours && doc.get(section, 'region') !== undefined) return owned;
  return writeOwned(doc, 'config', name, { region }, owned);
}

/**
 * Remove keys Rolecall owns (all of them by default) and, if Rolecall created the section and nothing
 * else is left in it, the section. Returns what Rolecall still owns, or undefined when nothing.
 */
export function removeOwned(doc: IniDocument, kind: AwsFileKind, name: string, owned: OwnedEntries, keys: readonly string[] = owned.keys): OwnedEntries | undefined {
  const section = profileSection(kind, name);
  const leaving = owned.keys.filter((key) => keys.includes(key));
  doc.remove(section, leaving);
  const remaining = owned.keys.filter((key) => !leaving.includes(key));
  if (remaining.length > 0) return { keys: remaining, createdSection: owned.createdSection };
  if (owned.createdSection) doc.removeSectionIfEmpty(section);
  return undefined;
}

function writeOwned(doc: IniDocument, kind: AwsFileKind, name: string, values: Record<string, string>, owned?: OwnedEntries): OwnedEntries {
  const section = profileSection(kind, name);
  const existed = doc.hasSection(section);
  // Read before the edit (which only adds and replaces keys), while the document's reading is still fresh.
  const present = new Set(doc.keys(section));
  doc.set(section, values);
  // A key the user deleted by hand is no longer Rolecall's to remove later.
  const kept = (owned?.keys ?? []).filter((key) => present.has(key) && !(key in values));
  return { keys: [...kept, ...Object.keys(values)], createdSection: !existed || (owned?.createdSection ?? false) };
}
