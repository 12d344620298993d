// Generated AWS files for property tests: the shapes real files have (comments, CRLF/LF mixes,
// duplicate sections, odd spacing, keys before any section, nested blocks, unicode, a BOM, no final
// newline) and the shapes only broken files have.
import fc from 'fast-check';

export const SECTION_NAMES = ['default', 'dev', 'prod', 'profile dev', 'profile prod', 'profile "dev"', 'ünï', 'a b', 'ci-☁'];
export const KEYS = ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token', 'region', 'output', 'credential_process', 'Region', 'cli_pager'];

export interface GeneratedFile {
  readonly lines: readonly string[];
  readonly eols: readonly ('\n' | '\r\n')[];
  readonly finalNewline: boolean;
  readonly bom: boolean;
}

export function toBytes(file: GeneratedFile): Buffer {
  const body = file.lines
    .map((line, index) => line + (index < file.lines.length - 1 || file.finalNewline ? (file.eols[index] ?? '\n') : ''))
    .join('');
  return Buffer.concat([file.bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(body, 'utf8')]);
}

// Values without edge whitespace or line breaks, in several scripts.
const valueText = fc.stringMatching(/^[A-Za-z0-9/+=._:@-]{0,24}$/);
export const value = fc.oneof(
  valueText,
  fc.constantFrom('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'é ü 漢字 😀', 'שָׁלוֹם', 'a=b', 'x;y # not a comment', '"quoted value"'),
);

const spacing = fc.constantFrom(' = ', '=', ' =', '= ', '  =\t', ' : ', ':');
const comment = fc.tuple(fc.constantFrom('#', ';', '  #', '\t;'), fc.constantFrom('', ' a comment', ' [profile fake]', ' key = value', ' ünïcödé'))
  .map(([mark, text]) => mark + text);
const blank = fc.constantFrom('', '   ', '\t');
const header = fc.tuple(fc.constantFrom(...SECTION_NAMES), fc.constantFrom('', ' ', '  ; trailing')).map(([name, tail]) => `[${name}]${tail}`);
const entry = fc.tuple(fc.constantFrom(...KEYS), spacing, value, fc.constantFrom('', ' ', '\t'))
  .map(([key, sep, text, tail]) => `${key}${sep}${text}${text === '' ? '' : tail}`);
const nested = fc.tuple(fc.constantFrom('s3', 'sso-session-block'), fc.array(fc.tuple(fc.constantFrom('max_concurrent_requests', 'addressing_style', 'region'), valueText), { minLength: 1, maxLength: 3 }))
  .map(([key, subs]) => [`${key} =`, ...subs.map(([sub, text]) => `    ${sub} = ${text}`)]);

/** Files whose structure a test can follow: headers and keys unindented, nested blocks indented. */
export const tidyLines = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: entry.map((line) => [line]) },
    { weight: 2, arbitrary: header.map((line) => [line]) },
    { weight: 1, arbitrary: comment.map((line) => [line]) },
    { weight: 1, arbitrary: blank.map((line) => [line]) },
    { weight: 1, arbitrary: nested },
  ),
  { maxLength: 25 },
).map((groups) => groups.flat());

/** Anything: random indentation, garbage, lone CRs, keys with no value, indented headers. */
const wildLine = fc.oneof(
  header,
  entry,
  comment,
  blank,
  fc.tuple(fc.constantFrom(' ', '  ', '\t', '    '), fc.oneof(entry, header, comment, valueText)).map(([indent, line]) => indent + line),
  fc.constantFrom('just text', '=novalue', '[unclosed', 'key', ' = ', 'a\rb', '[]', '[[x]]', 'k = v\r'),
  fc.string({ unit: 'grapheme', maxLength: 20 }).filter((text) => !/[\r\n]/.test(text)),
);
export const wildLines = fc.array(wildLine, { maxLength: 25 });

export function file(lines: fc.Arbitrary<string[]>, options: { bom?: boolean } = {}): fc.Arbitrary<GeneratedFile> {
  return lines.chain((generated) =>
    fc.record({
      lines: fc.constant(generated),
      eols: fc.array(fc.constantFrom<'\n' | '\r\n'>('\n', '\r\n'), { minLength: generated.length, maxLength: generated.length }),
      finalNewline: fc.boolean(),
      bom: options.bom === false ? fc.constant(false) : fc.boolean(),
    }),
  );
}
