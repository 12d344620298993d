// IAM's wildcards: `*` matches any run of characters (none included), `?` exactly one. A pattern is a
// list of pieces so that text a policy variable put in (or `${*}`) stays literal even when it holds `*`.

export type PatternPiece = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'any' } | { readonly kind: 'one' };

const ANY = Symbol('any');
const ONE = Symbol('one');
type Cell = string | typeof ANY | typeof ONE;

/** The pieces of a pattern written in a policy, where every `*` and `?` is a wildcard. */
export function wildcardPieces(pattern: string): PatternPiece[] {
  const pieces: PatternPiece[] = [];
  let text = '';
  for (const char of pattern) {
    if (char !== '*' && char !== '?') {
      text += char;
      continue;
    }
    if (text) pieces.push({ kind: 'text', text });
    text = '';
    pieces.push({ kind: char === '*' ? 'any' : 'one' });
  }
  if (text) pieces.push({ kind: 'text', text });
  return pieces;
}

export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  return piecesMatch(wildcardPieces(pattern), value, ignoreCase);
}

/**
 * Greedy match with one backtrack point per `*` (the classic two-pointer glob walk): time is bounded by
 * pattern length × value length, so a hostile policy cannot make evaluation take exponential time.
 */
export function piecesMatch(pieces: readonly PatternPiece[], value: string, ignoreCase = false): boolean {
  const fold = (text: string) => (ignoreCase ? text.toLowerCase() : text);
  const cells: Cell[] = pieces.flatMap((piece): Cell[] => (piece.kind === 'text' ? [...fold(piece.text)] : [piece.kind === 'any' ? ANY : ONE]));
  const chars = [...fold(value)];
  let p = 0;
  let v = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (v < chars.length) {
    const cell = cells[p];
    if (cell === ANY) {
      starAt = p++;
      resumeAt = v;
    } else if (cell !== undefined && (cell === ONE || cell === chars[v])) {
      p++;
      v++;
    } else if (starAt >= 0) {
      p = starAt + 1;
      v = ++resumeAt;
    } else {
      return false;
    }
  }
  while (cells[p] === ANY) p++;
  return p === cells.length;
}
