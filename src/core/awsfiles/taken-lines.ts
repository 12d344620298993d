// When the user lets Rolecall take over an AWS profile name (`--force`), the lines Rolecall replaces or
// removes are the user's own, often their own static keys. They are handed to the caller (who keeps them
// in the keychain, never on disk) as the section as it was, so withdrawing can put back exactly those
// bytes in exactly their place, or say that it cannot because the section was edited meanwhile.
import { RolecallError } from '../../shared/errors';
import type { Eol, IniDocument } from './ini';
import { profileSection, type AwsFileKind } from './profile-section';

/** One line of the section as it was; `taken` marks the lines of the keys Rolecall took over. */
export interface TakenLine {
  readonly text: string;
  readonly eol: Eol;
  readonly taken: boolean;
}

/** The user's section for one name in one file before Rolecall took it over, without Rolecall's own lines. */
export interface TakenLines {
  readonly kind: AwsFileKind;
  readonly name: string;
  /** The keys whose lines Rolecall replaced or removed. */
  readonly keys: readonly string[];
  /** Each occurrence's lines, header first, in file order (a name's section may appear more than once). */
  readonly sections: readonly (readonly TakenLine[])[];
}

/** How giving the lines back went: put back; already there (the takeover never reached the file); or
 * not possible because the user's part of the section changed since. */
export type GiveBack = 'given-back' | 'already-there' | 'edited';

/**
 * Take over `keys` of the name's section: remove them, except those in `overwriting` (the caller writes
 * those in place next), and return the section as it was, without the lines of keys Rolecall already
 * owned.
 */
export function takeOver(doc: IniDocument, kind: AwsFileKind, name: string, keys: readonly string[], owned: readonly string[], overwriting: readonly string[]): TakenLines {
  const section = profileSection(kind, name);
  const sections = doc.sectionLines(section).map((lines) => lines
    .filter((line) => line.key === undefined || !owned.includes(line.key))
    .map((line) => ({ text: line.text, eol: line.eol, taken: line.key !== undefined && keys.includes(line.key) })));
  // Every line of a taken key goes (a key may be written twice), but the last of one about to be overwritten.
  const entries = (key: string) => doc.sectionLines(section).flat().filter((line) => line.kind === 'entry' && line.key === key).length;
  for (const key of keys) {
    const keep = overwriting.includes(key) ? 1 : 0;
    for (let count = entries(key); count > keep; count -= 1) doc.remove(section, [key]);
  }
  return { kind, name, keys: [...keys], sections };
}

/**
 * Put the taken lines back in place of Rolecall's `owned` keys, if everything else in the section is as
 * it was. On 'given-back' the owned keys of the section are gone with it; otherwise nothing changed.
 */
export function giveBackLines(doc: IniDocument, lines: TakenLines, owned: readonly string[]): GiveBack {
  const section = profileSection(lines.kind, lines.name);
  const now = doc.sectionLines(section).map((found) => found.filter((line) => line.key === undefined || !owned.includes(line.key)).map((line) => line.text));
  const before = lines.sections.map((found) => found.map((line) => line.text));
  const untouched = lines.sections.map((found) => found.filter((line) => !line.taken).map((line) => line.text));
  if (sameSections(now, before)) return 'already-there';
  if (!sameSections(now, untouched)) return 'edited';
  doc.replaceSections(section, lines.sections, [...new Set([...owned, ...lines.keys])]);
  return 'given-back';
}

/** Text for the keychain: JSON (each byte is one code unit of the latin1 text, which JSON keeps). */
export function encodeTakenLines(lines: TakenLines): string {
  return JSON.stringify({ v: 1, kind: lines.kind, name: lines.name, keys: lines.keys, sections: lines.sections.map((found) => found.map((line) => [line.text, line.eol, line.taken ? 1 : 0])) });
}

/** The lines back from the keychain; INTERNAL when the item is not what `encodeTakenLines` wrote. */
export function decodeTakenLines(text: string): TakenLines {
  const damaged = () => new RolecallError('INTERNAL', 'a keychain item of lines Rolecall took over is damaged');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw damaged();
  }
  const item = value as { v?: unknown; kind?: unknown; name?: unknown; keys?: unknown; sections?: unknown };
  if (item.v !== 1 || (item.kind !== 'credentials' && item.kind !== 'config') || typeof item.name !== 'string') throw damaged();
  if (!Array.isArray(item.keys) || !item.keys.every((key) => typeof key === 'string') || !Array.isArray(item.sections)) throw damaged();
  const sections = item.sections.map((found: unknown) => {
    if (!Array.isArray(found)) throw damaged();
    return found.map((line: unknown): TakenLine => {
      if (!Array.isArray(line) || typeof line[0] !== 'string' || !['', '\n', '\r\n'].includes(line[1] as string)) throw damaged();
      return { text: line[0], eol: line[1] as Eol, taken: line[2] === 1 };
    });
  });
  return { kind: item.kind, name: item.name, keys: item.keys as string[], sections };
}

/**
 * The same lines, occurrence by occurrence. Blank lines are counted rather than placed, and one may
 * differ: removing a file's last line when it has no final newline can take the blank line before it.
 */
function sameSections(a: readonly (readonly string[])[], b: readonly (readonly string[])[]): boolean {
  return a.length === b.length && a.every((texts, index) => {
    const other = b[index] ?? [];
    const filled = texts.filter((text) => !isBlank(text));
    const otherFilled = other.filter((text) => !isBlank(text));
    const blanks = Math.abs(texts.length - filled.length - (other.length - otherFilled.length));
    return blanks <= 1 && filled.length === otherFilled.length && filled.every((text, line) => text === otherFilled[line]);
  });
}

function isBlank(text: string): boolean {
  return /^[ \t\v\f\r]*$/.test(text);
}
