// Which INI section holds an AWS profile: `[NAME]` in the credentials file; `[profile NAME]` in the
// config file, except `[default]`. Readers accept a few more spellings for the config file
// (botocore splits the header with shlex, the JS SDK allows quotes), and so must Rolecall when it looks
// for a profile, or it would miss a user's `[profile "dev"]` and write a second one.
import { RolecallError } from '../../shared/errors';
import type { SectionRef } from './ini';

export type AwsFileKind = 'credentials' | 'config';

// Brackets, whitespace and control characters cannot be written in a header that every reader parses alike.
const UNWRITABLE = /[[\]\s\p{Cc}]/u;

export function profileSection(kind: AwsFileKind, name: string): SectionRef {
  if (name === '' || UNWRITABLE.test(name)) throw new RolecallError('PROFILE_NAME_INVALID', JSON.stringify(name));
  if (kind === 'credentials') return { header: name, matches: (header) => header === name };
  if (name === 'default') {
    return { header: 'default', matches: (header) => header === 'default' || isProfileHeader(header, name) };
  }
  return { header: `profile ${name}`, matches: (header) => isProfileHeader(header, name) };
}

function isProfileHeader(header: string, name: string): boolean {
  const match = /^profile[ \t]+(?:"([^"]*)"|'([^']*)'|(\S+))$/.exec(header);
  return match !== null && (match[1] ?? match[2] ?? match[3]) === name;
}
