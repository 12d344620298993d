// The last check before an AWS file is replaced: a second reading, independent of how the edit was
// made, that everything the edit was not allowed to touch is still there, in order, and still means
// the same to botocore (same kind of line, same section, same key for continuation lines).
import { RolecallError } from '../../shared/errors';
import { analyseBytes, decodeHeader, type AnalysedLine, type EditScope } from './ini';

/** A file's lines, and which of them the edits were not allowed to touch. */
interface Reading {
  readonly bom: boolean;
  readonly lines: readonly AnalysedLine[];
  /** Indices of the foreign lines, in file order (blank lines are counted, not listed). */
  readonly foreign: readonly number[];
  readonly blanks: number;
}

/** Throws AWS_FILE_UNSAFE if `after` lost or changed any line outside `scope`. */
export function assertKeepsForeignLines(before: Uint8Array, after: Uint8Array, scope: readonly EditScope[]): void {
  const old = foreignLines(before, scope);
  const next = foreignLines(after, scope);
  if (old.bom !== next.bom) throw unsafe('the byte order mark changed');
  const length = Math.max(old.foreign.length, next.foreign.length);
  for (let index = 0; index < length; index += 1) {
    const a = old.foreign[index];
    const b = next.foreign[index];
    if (a === undefined || b === undefined || !sameMeaning(old.lines, a, next.lines, b)) {
      throw unsafe(a === undefined ? 'a line was added outside the edited keys' : `line ${index + 1} of the untouched part was lost or changed`);
    }
  }
  // Removing a section Rolecall created may take the one blank line Rolecall put before it.
  if (old.blanks - next.blanks > scope.length) throw unsafe('blank lines were lost');
}

/** Same text, same kind of line, under a header of the same text, continuing a key line of the same text. */
function sameMeaning(oldLines: readonly AnalysedLine[], a: number, newLines: readonly AnalysedLine[], b: number): boolean {
  const x = oldLines[a];
  const y = newLines[b];
  if (x === undefined || y === undefined || x.kind !== y.kind || x.text !== y.text) return false;
  if (oldLines[x.section]?.text !== newLines[y.section]?.text) return false;
  return x.kind !== 'continuation' || oldLines[x.entry ?? -1]?.text === newLines[y.entry ?? -1]?.text;
}

function foreignLines(bytes: Uint8Array, scope: readonly EditScope[]): Reading {
  const { bom, lines } = analyseBytes(bytes);
  // Per header line, the keys the edits may touch under it: each header is decoded and matched once.
  const scoped = new Map<number, Set<string>>();
  lines.forEach((line, index) => {
    if (line.kind !== 'header') return;
    const name = decodeHeader(line);
    const edits = scope.filter((edit) => edit.section.matches(name));
    if (edits.length > 0) scoped.set(index, new Set(edits.flatMap((edit) => edit.keys)));
  });
  const inScope = (line: AnalysedLine | undefined): boolean => line?.key !== undefined && (scoped.get(line.section)?.has(line.key) ?? false);
  const kept: number[] = [];
  let blanks = 0;
  lines.forEach((line, index) => {
    const owner = line.kind === 'entry' ? line : line.kind === 'continuation' ? lines[line.entry ?? -1] : undefined;
    if (line.kind === 'blank') blanks += 1;
    else if (!inScope(owner)) kept.push(index);
  });
  // A section in scope that holds nothing foreign may have been created or removed by the edit.
  const foreign = kept.filter((index, position) => {
    const next = kept[position + 1];
    return !(scoped.has(index) && (next === undefined || lines[next]?.kind === 'header'));
  });
  return { bom, lines, foreign, blanks };
}

function unsafe(detail: string): RolecallError {
  return new RolecallError('AWS_FILE_UNSAFE', detail);
}
