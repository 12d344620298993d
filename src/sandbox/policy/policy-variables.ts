// Policy variables in condition values (`${aws:PrincipalTag/x509Subject/CN}`, with an optional
// `, 'default'`), and IAM's escapes `${*}`, `${?}`, `${$}` for a literal `*`, `?`, `$`. IAM expands them
// only under Version 2012-10-17; under 2008-10-17 (or no Version) the text is taken as written.
import { wildcardPieces, type PatternPiece } from './wildcard';

const VARIABLE = /\$\{([^}]*)\}/g;
const WITH_DEFAULT = /^\s*([^,\s]+)\s*,\s*'([^']*)'\s*$/;
const ESCAPES: Readonly<Record<string, string>> = { '*': '*', '?': '?', $: '$' };

export interface ExpandOptions {
  readonly variables: boolean;
  /** Whether `*` and `?` written outside variables are wildcards (the …Like and Arn operators). */
  readonly wildcards: boolean;
  /** A single value of a request key (keys match without regard to case), or undefined. */
  readonly lookup: (key: string) => string | undefined;
}

/** The value as pattern pieces; undefined when it names a variable the request lacks and gives no default. */
export function expandPolicyValue(value: string, options: ExpandOptions): PatternPiece[] | undefined {
  const literal = (text: string): PatternPiece[] => (options.wildcards ? wildcardPieces(text) : text ? [{ kind: 'text', text }] : []);
  if (!options.variables) return literal(value);
  const pieces: PatternPiece[] = [];
  let last = 0;
  for (const match of value.matchAll(VARIABLE)) {
    pieces.push(...literal(value.slice(last, match.index)));
    last = match.index + match[0].length;
    const inner = match[1] ?? '';
    const substituted = ESCAPES[inner] ?? variableValue(inner, options.lookup);
    if (substituted === undefined) return undefined;
    if (substituted) pieces.push({ kind: 'text', text: substituted });
  }
  pieces.push(...literal(value.slice(last)));
  return pieces;
}

function variableValue(inner: string, lookup: (key: string) => string | undefined): string | undefined {
  const withDefault = WITH_DEFAULT.exec(inner);
  if (withDefault) return lookup(withDefault[1] ?? '') ?? withDefault[2];
  return lookup(inner.trim());
}

/** The text of pieces that hold no wildcard. */
export function piecesText(pieces: readonly PatternPiece[]): string {
  return pieces.map((piece) => (piece.kind === 'text' ? piece.text : piece.kind === 'any' ? '*' : '?')).join('');
}
