// Applying an import: each chosen line becomes a Rolecall profile, then the config file's
// credential_process lines of those profiles switch to `rolecall credential-process --profile NAME`
// in one locked, checked write that changes nothing else. Key files are never touched: the result
// lists those the user may now delete.
import { RolecallError, toErrorInfo } from '../../../shared/errors';
import type { ImportResult, ProblemView } from '../../../shared/model';
import { profileSection, updateAwsFile, type IniDocument, type TakenLines } from '../../awsfiles';
import type { ImportLine, ImportProfileInput, PreparedImport } from './prepare';

export interface ImportSelection {
  /** AWS profile names from the plan's candidates. */
  readonly awsProfiles: readonly string[];
  /**
   * Passphrases of encrypted keys or PKCS#12 files, by AWS profile name; they win over --pkcs8-password.
   * For a key on a token it is the token's PIN, which wins over a pin-value in the URI.
   */
  readonly passphrases?: Readonly<Record<string, string>>;
}

export interface ImportDeps {
  /** Creates the Rolecall profile with its key in the keychain; throws a RolecallError when it cannot. */
  readonly addProfile: (input: ImportProfileInput) => Promise<void> | void;
  /**
   * Keeps each switched profile's config section as it was, to be put back when the profile is removed;
   * called before the file changes (again if the write starts over), so a failure leaves it unchanged.
   */
  readonly keepOriginals?: (configPath: string, originals: ReadonlyMap<string, TakenLines>) => Promise<void>;
}

type Added = ImportLine & { readonly replacement: string };

export async function applyImport(prepared: PreparedImport, selection: ImportSelection, deps: ImportDeps): Promise<ImportResult> {
  const failed: { name: string; problem: ProblemView }[] = [];
  const added: Added[] = [];
  for (const awsProfile of new Set(selection.awsProfiles)) {
    const line = prepared.lines().find((candidate) => candidate.candidate.awsProfile === awsProfile);
    if (line === undefined) {
      failed.push({ name: awsProfile, problem: new RolecallError('IMPORT_NOT_FOUND', awsProfile).toInfo() });
      continue;
    }
    const [blocking] = line.candidate.problems;
    if (blocking !== undefined || line.input === undefined || line.replacement === undefined) {
      failed.push({ name: line.candidate.name, problem: blocking ?? new RolecallError('IMPORT_LINE_INVALID', awsProfile).toInfo() });
      continue;
    }
    try {
      await deps.addProfile(withSecret(line.input, selection.passphrases?.[awsProfile]));
      added.push({ ...line, replacement: line.replacement });
    } catch (error) {
      failed.push({ name: line.candidate.name, problem: toErrorInfo(error) });
    }
  }

  const switched = await switchLines(prepared.plan.configPath, added, failed, deps);
  const imported = new Set(switched.map((line) => line.candidate.awsProfile));
  return {
    imported: switched.map((line) => line.candidate.name),
    failed,
    keyFilesNowInKeychain: deletableKeyFiles(prepared.lines(), imported),
  };
}

/** The line's input with the secret the user typed: a key file's passphrase, or a token's PIN. */
function withSecret(input: ImportProfileInput, typed: string | undefined): ImportProfileInput {
  if (typed === undefined) return input;
  return 'token' in input ? { ...input, pin: typed } : { ...input, passphrase: typed };
}

/** Rewrites the lines that still read as they did in the preview; the others are reported, not overwritten. */
async function switchLines(configPath: string, added: readonly Added[], failed: { name: string; problem: ProblemView }[], deps: ImportDeps): Promise<Added[]> {
  if (added.length === 0) return [];
  let stale: Set<string>;
  try {
    ({ stale } = await updateAwsFile(
      configPath,
      (doc) => {
        const changedMeanwhile = new Set<string>();
        const originals = new Map<string, TakenLines>();
        for (const line of added) {
          const section = profileSection('config', line.candidate.name);
          if (doc.get(section, 'credential_process') === line.value) {
            originals.set(line.candidate.name, sectionAsItWas(doc, line.candidate.name));
            doc.set(section, { credential_process: line.replacement });
          } else changedMeanwhile.add(line.candidate.name);
        }
        return { stale: changedMeanwhile, originals };
      },
      {},
      async ({ originals }) => deps.keepOriginals?.(configPath, originals),
    ));
  } catch (error) {
    // The profiles exist in Rolecall now; the config still runs the old command, which keeps working.
    for (const line of added) failed.push({ name: line.candidate.name, problem: toErrorInfo(error) });
    return [];
  }
  for (const name of stale) {
    const detail = `the credential_process of ${name} changed since the preview; the Rolecall profile was added and the line left as it is`;
    failed.push({ name, problem: new RolecallError('AWS_FILE_CONFLICT', detail).toInfo() });
  }
  return added.filter((line) => !stale.has(line.candidate.name));
}

/** The profile's config section before the switch, its credential_process lines marked as the ones taken. */
function sectionAsItWas(doc: IniDocument, name: string): TakenLines {
  const sections = doc.sectionLines(profileSection('config', name)).map((lines) => lines.map((line) => ({ text: line.text, eol: line.eol, taken: line.key === 'credential_process' })));
  return { kind: 'config', name, keys: ['credential_process'], sections };
}

/** Key files of imported lines that no line left running the old command still reads. */
function deletableKeyFiles(lines: readonly ImportLine[], imported: ReadonlySet<string>): string[] {
  const stillUsed = new Set(lines.filter((line) => !imported.has(line.candidate.awsProfile)).map((line) => line.keyFile));
  const files = lines.filter((line) => imported.has(line.candidate.awsProfile)).map((line) => line.keyFile);
  return [...new Set(files)].filter((file): file is string => file !== undefined && !stillUsed.has(file));
}
