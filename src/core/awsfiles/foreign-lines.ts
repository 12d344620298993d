// The last check before an AWS file is replaced: a second reading, independent of how the edit was
// made, that everything the edit was not allowed to touch is still there, in order, and still means
// the same to botocore (same kind of line, same section, same key for continuation lines).
import { RolecallError } from '../../shared/errors';
import { analyseBytes, decodeHeader, type AnalysedLine, type EditScope } from './ini';

interface ForeignLine {
  readonly kind: string;
  readonly text: string;
  readonly section: string | null;
  readonly continues: string | null;
}

/** Throws AWS_FILE_UNSAFE if `after` lost or changed any line outside `scope`. */
export function assertKeepsForeignLines(before: Uint8Array, after: Uint8Array, scope: readonly EditScope[]): void {
  const old = foreignLines(before, scope);
  const next = foreignLines(after, scope);
  if (old.bom !== next.bom) throw unsafe('the byte order mark changed');
  const length = Math.max(old.lines.length, next.lines.length);
  for (let index = 0; index < length; index += 1) {
    const a = old.lines[index];
    const b = next.lines[index];
    if (a === undefined || b === undefined || a.kind !== b.kind || a.text !== b.text || a.section !== b.section || a.continues !== b.continues) {
      throw unsafe(a === undefined ? 'a line was added outside the edited keys' : `line ${index + 1} of the untouched part was lost or changed`);
    }
  }
  // Removing a section Rolecall created may take the one blank line Rolecall put before it.
  if (old.blanks - next.blanks > scope.length) throw unsafe('blank lines were lost');
}

function foreignLines(bytes: Uint8Array, scope: readonly EditScope[]): { bom: boolean; lines: ForeignLine[]; blanks: number } {
  const { bom, lines } = analyseBytes(bytes);
  const inScope = (line: AnalysedLine, key: string | undefined): boolean => {
    const header = lines[line.section];
    if (header === undefined || key === undefined) return false;
    const name = decodeHeader(header);
    return scope.some((edit) => edit.keys.includes(key) && edit.section.matches(name));
  };
  const kept: (ForeignLine & { scopedHeader: boolean })[] = [];
  let blanks = 0;
  for (const line of lines) {
    if (line.kind === 'blank') {
      blanks += 1;
      continue;
    }
    if (line.kind === 'entry' && inScope(line, line.key)) continue;
    const owner = line.kind === 'continuation' ? lines[line.entry ?? -1] : undefined;
    if (owner !== undefined && inScope(owner, owner.key)) continue;
    const header = lines[line.section];
    kept.push({
      kind: line.kind,
      text: line.text,
      section: header === undefined ? null : header.text,
      continues: owner === undefined ? null : owner.text,
      scopedHeader: line.kind === 'header' && scope.some((edit) => edit.section.matches(decodeHeader(line))),
    });
  }
  // A section in scope that holds nothing foreign may have been created or removed by the edit.
  const result = kept.filter((line, index) => !(line.scopedHeader && (kept[index + 1] === undefined || kept[index + 1]?.kind === 'header')));
  return { bom, lines: result.map(({ kind, text, section, continues }) => ({ kind, text, section, continues })), blanks };
}

function unsafe(detail: string): RolecallError {
  return new RolecallError('AWS_FILE_UNSAFE', detail);
}
