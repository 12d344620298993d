// A lossless line model of the AWS credentials and config files. Every byte is kept: the text of each
// line is held as latin1 code units (one per byte), so invalid UTF-8, a BOM, CRLF/LF per line and a
// missing final newline all survive. Lines are classified the way botocore's configparser reads them
// (full-line `#`/`;` comments, `=` or `:` delimiters, lowercased keys, indented continuation lines),
// because botocore is the reference reader; other readers are laxer, never stricter.
import { RolecallError } from '../../shared/errors';

export type Eol = '' | '\n' | '\r\n';

/** A section as readers know it: the header Rolecall writes, and every spelling that names it. */
export interface SectionRef {
  /** Header text (between the brackets) Rolecall writes when it creates the section. */
  readonly header: string;
  /** Whether an existing header names this section. */
  readonly matches: (header: string) => boolean;
}

/** What one call of `set`/`remove`/`removeSectionIfEmpty` was allowed to change. */
export interface EditScope {
  readonly section: SectionRef;
  readonly keys: readonly string[];
}

export type LineKind = 'blank' | 'comment' | 'header' | 'entry' | 'continuation' | 'other';

/** One line as botocore reads it. Offsets index `text`. */
export interface AnalysedLine {
  readonly text: string;
  readonly eol: Eol;
  readonly kind: LineKind;
  /** Index of the header line this line falls under; -1 before the first header. */
  readonly section: number;
  /** Headers: the text between the brackets (latin1 code units). */
  readonly header?: string;
  /** Entries: the lowercased key. */
  readonly key?: string;
  /** Continuations: index of the entry line they continue. */
  readonly entry?: number;
  readonly indent: number;
  /** Whether a line indented deeper than the key line would continue a key's value after this line. */
  readonly open: boolean;
  readonly valueStart?: number;
  readonly valueEnd?: number;
  /** Entries with a value: the text between key and value ("=", " = ", ": "). */
  readonly separator?: string;
}

interface Line {
  text: string;
  eol: Eol;
}

/** A line of a section, with the key it belongs to (see `sectionLines`). */
export interface SectionLine {
  readonly text: string;
  readonly eol: Eol;
  readonly kind: LineKind;
  readonly key?: string;
}

/** The lines as read, with the headers (and their decoded names) listed once for section look-ups. */
interface Analysis {
  readonly lines: readonly AnalysedLine[];
  readonly headers: readonly { readonly index: number; readonly name: string }[];
}

const BOM = '\xef\xbb\xbf';
// configparser strips with str.strip(); these are the whitespace characters a real file holds.
const WHITESPACE = new Set([' ', '\t', '\n', '\v', '\f', '\r']);
const KEY_NAME = /^[A-Za-z0-9_.-]+$/;

export function exactSection(header: string): SectionRef {
  return { header, matches: (candidate) => candidate === header };
}

export class IniDocument {
  readonly #bom: boolean;
  readonly #lines: Line[];
  readonly #defaultEol: '\n' | '\r\n';
  readonly #edits: EditScope[] = [];
  // Reading the lines is the costly part in a large file; any change of #lines drops it.
  #analysis: Analysis | undefined;

  private constructor(bom: boolean, lines: Line[], defaultEol: '\n' | '\r\n') {
    this.#bom = bom;
    this.#lines = lines;
    this.#defaultEol = defaultEol;
  }

  /** `defaultEol` is used for new lines only when the file has no line ending to copy. */
  static parse(bytes: Uint8Array, options: { defaultEol?: '\n' | '\r\n' } = {}): IniDocument {
    const { bom, lines } = splitLines(bytes);
    return new IniDocument(bom, lines, options.defaultEol ?? '\n');
  }

  serialize(): Buffer {
    return Buffer.from(joinLines(this.#bom, this.#lines), 'latin1');
  }

  /** Every section and key the edits so far were allowed to touch (the write check trusts nothing else). */
  get edits(): readonly EditScope[] {
    return this.#edits;
  }

  /** Section headers in file order, decoded as UTF-8 (duplicates included). */
  headers(): string[] {
    return this.#analysed().headers.map(({ name }) => name);
  }

  hasSection(section: SectionRef): boolean {
    return this.#occurrences(section).length > 0;
  }

  /** Lowercased keys of the section, in file order, each once (duplicate sections are merged). */
  keys(section: SectionRef): string[] {
    const { lines } = this.#analysed();
    const found = new Set<string>();
    for (const header of this.#occurrences(section)) {
      for (const index of sectionBody(lines, header)) {
        const line = lines[index];
        if (line?.kind === 'entry' && line.key !== undefined) found.add(line.key);
      }
    }
    return [...found];
  }

  /**
   * The value a reader sees: the last definition wins across duplicate sections (the JS SDK merges
   * them; botocore refuses such a file). Continuation lines are joined with "\n" as configparser does.
   */
  get(section: SectionRef, key: string): string | undefined {
    const index = this.#lastEntry(section, key.toLowerCase());
    if (index === undefined) return undefined;
    return decode(entryValue(this.#analysed().lines, index));
  }

  /**
   * Set keys in a section. An existing key keeps its line, indent and spacing and gets the new value
   * (its continuation lines go: they were part of the old value); missing keys follow the section's
   * last key; a missing section is created at the end of the file, after one blank line.
   */
  set(section: SectionRef, values: Readonly<Record<string, string>>): void {
    const entries = Object.entries(values).map(([key, value]) => ({ key: checkKey(key), value: checkValue(key, value) }));
    this.#edits.push({ section, keys: entries.map(({ key }) => key.toLowerCase()) });
    const missing: { key: string; value: string }[] = [];
    const replacing = new Map<number, string>();
    for (const { key, value } of entries) {
      const index = this.#lastEntry(section, key.toLowerCase());
      if (index === undefined) missing.push({ key, value });
      else replacing.set(index, value);
    }
    // A new value leaves every line's reading as it was (the key, its indent and whether a value is open
    // stay), so one reading serves all replacements; bottom-up, dropping one value's continuation lines
    // does not move the lines still to edit.
    const { lines } = this.#analysed();
    for (const [index, value] of [...replacing].sort(([a], [b]) => b - a)) this.#replaceValue(lines, index, value);
    if (missing.length === 0) return;
    const last = this.#occurrences(section).at(-1);
    if (last === undefined) this.#appendSection(section.header, missing);
    else this.#addEntries(this.#analysed().lines, last, missing);
  }

  /** Remove keys (with their continuation lines) from a section; absent keys are ignored. */
  remove(section: SectionRef, keys: readonly string[]): void {
    const wanted = keys.map((key) => checkKey(key).toLowerCase());
    this.#edits.push({ section, keys: wanted });
    for (const key of wanted) {
      const index = this.#lastEntry(section, key);
      if (index === undefined) continue;
      const doomed = [index, ...continuationsOf(this.#analysed().lines, index)];
      for (const line of doomed.sort((a, b) => b - a)) this.#removeRange(line, line);
    }
  }

  /**
   * Remove the section's last occurrence when it holds nothing but blank lines, together with the blank
   * line before it (the one Rolecall adds when it creates a section). Returns whether it was removed.
   */
  removeSectionIfEmpty(section: SectionRef): boolean {
    this.#edits.push({ section, keys: [] });
    const { lines } = this.#analysed();
    const header = this.#occurrences(section).at(-1);
    if (header === undefined) return false;
    const body = sectionBody(lines, header);
    if (body.some((index) => lines[index]?.kind !== 'blank')) return false;
    // With the header gone, an indented header below would read as a continuation of the previous key.
    const next = lines[header + body.length + 1];
    if (next !== undefined && next.indent > 0) return false;
    const start = header > 0 && lines[header - 1]?.kind === 'blank' ? header - 1 : header;
    this.#removeRange(start, header);
    return true;
  }

  /**
   * The lines of each occurrence of the section, its header first, up to the next header, as bytes
   * (latin1 text) with their line ending, and the key each belongs to: an entry's own key, the key a
   * continuation line continues, none for headers, comments, blank and other lines.
   */
  sectionLines(section: SectionRef): SectionLine[][] {
    const { lines } = this.#analysed();
    return this.#occurrences(section).map((header) => [header, ...sectionBody(lines, header)].map((index) => {
      const line = lines[index];
      const owner = line?.kind === 'continuation' ? lines[line.entry ?? -1] : line;
      const key = owner?.kind === 'entry' ? owner.key : undefined;
      return { text: line?.text ?? '', eol: line?.eol ?? '', kind: line?.kind ?? 'other', ...(key !== undefined && { key }) };
    }));
  }

  /**
   * Put `occurrences` (header line first, as `sectionLines` gives them) in place of the section's
   * occurrences, in order; there must be as many. `keys` are the keys this edit may add, change or drop:
   * every other line must come back as it was.
   */
  replaceSections(section: SectionRef, occurrences: readonly (readonly { text: string; eol: Eol }[])[], keys: readonly string[]): void {
    const headers = this.#occurrences(section);
    if (headers.length !== occurrences.length) throw new RolecallError('INTERNAL', 'a section to replace is missing');
    this.#edits.push({ section, keys: keys.map((key) => checkKey(key).toLowerCase()) });
    const eol = this.#dominantEol();
    const { lines } = this.#analysed();
    // Bottom-up, so replacing one occurrence does not move the headers still to do.
    for (let position = headers.length - 1; position >= 0; position -= 1) {
      const header = headers[position] ?? 0;
      const count = sectionBody(lines, header).length + 1;
      const replacement = (occurrences[position] ?? []).map((line) => ({ text: line.text, eol: line.eol }));
      const endsFile = header + count === this.#lines.length;
      // Lines that ended the file without a final newline may now have lines after them, and the other way round.
      const last = replacement.at(-1);
      if (last !== undefined && last.eol === '' && !endsFile) last.eol = eol;
      if (last !== undefined && endsFile && this.#lines.at(-1)?.eol === '') last.eol = '';
      this.#lines.splice(header, count, ...replacement);
    }
    this.#analysis = undefined;
  }

  #analysed(): Analysis {
    if (this.#analysis === undefined) {
      const lines = analyse(this.#lines);
      const headers: { index: number; name: string }[] = [];
      lines.forEach((line, index) => {
        if (line.kind === 'header') headers.push({ index, name: decode(line.header ?? '') });
      });
      this.#analysis = { lines, headers };
    }
    return this.#analysis;
  }

  #occurrences(section: SectionRef): number[] {
    return this.#analysed().headers.filter(({ name }) => section.matches(name)).map(({ index }) => index);
  }

  #lastEntry(section: SectionRef, key: string): number | undefined {
    const { lines } = this.#analysed();
    let found: number | undefined;
    for (const header of this.#occurrences(section)) {
      for (const index of sectionBody(lines, header)) {
        const line = lines[index];
        if (line?.kind === 'entry' && line.key === key) found = index;
      }
    }
    return found;
  }

  #replaceValue(lines: readonly AnalysedLine[], index: number, value: string): void {
    const line = lines[index];
    const target = this.#lines[index];
    if (line?.valueStart === undefined || line.valueEnd === undefined || target === undefined) return;
    const before = line.text.slice(0, line.valueStart);
    // `key =` with an empty value: keep the style of the space before the delimiter.
    const gap = line.valueStart === line.valueEnd && !/[ \t]$/.test(before) && /[ \t][=:]$/.test(before) ? ' ' : '';
    target.text = `${before}${gap}${encode(value)}${line.text.slice(line.valueEnd)}`;
    this.#analysis = undefined;
    for (const continuation of continuationsOf(lines, index).sort((a, b) => b - a)) {
      this.#removeRange(continuation, continuation);
    }
  }

  #addEntries(lines: readonly AnalysedLine[], header: number, entries: readonly { key: string; value: string }[]): void {
    const body = sectionBody(lines, header);
    // After the last key (with its continuation lines, or a line botocore cannot parse); comments and
    // blank lines that close a section usually describe the next one, so they stay below.
    let anchor = header;
    let style: AnalysedLine | undefined;
    for (const index of body) {
      const line = lines[index];
      if (line === undefined || line.kind === 'blank' || line.kind === 'comment') continue;
      anchor = index;
      if (line.kind === 'entry') style = line;
    }
    // configparser reads a line indented deeper than the last key (or unparsable) line as part of a
    // key's value. While a value is open, a new key takes the indent of the line that set that level
    // (deeper would continue the value, and the header below is no deeper); otherwise that of the
    // header below (shallower would make that header a continuation of the new key).
    let level = anchor;
    while (level > header && ['continuation', 'blank', 'comment'].includes(lines[level]?.kind ?? '')) level -= 1;
    const indentFrom = lines[anchor]?.open ? lines[level] : lines[header + body.length + 1];
    const lead = indentFrom?.text.slice(0, indentFrom.indent) ?? '';
    const separator = style?.separator?.includes('=') ? style.separator : ' = ';
    this.#insertAfter(anchor, entries.map(({ key, value }) => `${lead}${key}${separator}${encode(value)}`));
  }

  #appendSection(header: string, entries: readonly { key: string; value: string }[]): void {
    const texts = [`[${encode(header)}]`, ...entries.map(({ key, value }) => `${key} = ${encode(value)}`)];
    this.#insertAfter(this.#lines.length - 1, this.#lines.length > 0 ? ['', ...texts] : texts);
  }

  /** Insert lines after `index` (-1: at the start). At the end of a file without a final newline the
   * previous last line lends its missing newline to the new last line, so removing them restores it. */
  #insertAfter(index: number, texts: readonly string[]): void {
    const eol = this.#dominantEol();
    const atEnd = index === this.#lines.length - 1;
    const previous = this.#lines[index];
    const borrow = atEnd && previous !== undefined && previous.eol === '';
    // A last line ending in a lone CR would turn "\n" into a CRLF and lose that CR when removed again.
    if (borrow) previous.eol = previous.text.endsWith('\r') ? '\r\n' : eol;
    const added: Line[] = texts.map((text, position) => ({
      text,
      eol: borrow && position === texts.length - 1 ? '' : eol,
    }));
    this.#lines.splice(index + 1, 0, ...added);
    this.#analysis = undefined;
  }

  /** Remove lines start..end; if they ended the file without a final newline, so does the new last line. */
  #removeRange(start: number, end: number): void {
    const removedLast = end === this.#lines.length - 1 && this.#lines[end]?.eol === '';
    this.#lines.splice(start, end - start + 1);
    this.#analysis = undefined;
    const last = this.#lines.at(-1);
    if (removedLast && last !== undefined && start === this.#lines.length) last.eol = '';
  }

  #dominantEol(): '\n' | '\r\n' {
    let crlf = 0;
    let lf = 0;
    let latest: Eol = '';
    for (const line of this.#lines) {
      if (line.eol === '\r\n') crlf += 1;
      if (line.eol === '\n') lf += 1;
      if (line.eol !== '') latest = line.eol;
    }
    if (crlf > lf) return '\r\n';
    if (lf > crlf) return '\n';
    return latest === '' ? this.#defaultEol : latest;
  }
}

/** Split and classify bytes without a document (the write check's second opinion). */
export function analyseBytes(bytes: Uint8Array): { bom: boolean; lines: AnalysedLine[] } {
  const { bom, lines } = splitLines(bytes);
  return { bom, lines: analyse(lines) };
}

/** Header text as callers compare it (UTF-8). */
export function decodeHeader(line: AnalysedLine): string {
  return decode(line.header ?? '');
}

/** Indices of the lines after a header up to the next header. */
export function sectionBody(lines: readonly AnalysedLine[], header: number): number[] {
  const body: number[] = [];
  for (let index = header + 1; index < lines.length && lines[index]?.kind !== 'header'; index += 1) body.push(index);
  return body;
}

function splitLines(bytes: Uint8Array): { bom: boolean; lines: Line[] } {
  let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const bom = text.startsWith(BOM);
  if (bom) text = text.slice(BOM.length);
  const lines: Line[] = [];
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    if (newline === -1) {
      lines.push({ text: text.slice(start), eol: '' });
      break;
    }
    const crlf = newline > start && text[newline - 1] === '\r';
    lines.push({ text: text.slice(start, crlf ? newline - 1 : newline), eol: crlf ? '\r\n' : '\n' });
    start = newline + 1;
  }
  return { bom, lines };
}

function joinLines(bom: boolean, lines: readonly Line[]): string {
  return (bom ? BOM : '') + lines.map((line) => line.text + line.eol).join('');
}

/** configparser's reading of each line (Python 3 RawConfigParser, as botocore configures it). */
function analyse(lines: readonly Line[]): AnalysedLine[] {
  const result: AnalysedLine[] = [];
  let section = -1;
  let entry = -1;
  let indentLevel = 0;
  for (let index = 0; index < lines.length; index += 1) {
    const { text, eol } = lines[index] ?? { text: '', eol: '' };
    let start = 0;
    while (start < text.length && WHITESPACE.has(text[start] ?? '')) start += 1;
    let end = text.length;
    while (end > start && WHITESPACE.has(text[end - 1] ?? '')) end -= 1;
    // Every line gets the same object shape: per-kind shapes (or spreads) make this loop many times slower.
    let kind: LineKind;
    let open = entry >= 0;
    let header: string | undefined;
    let key: string | undefined;
    let continues: number | undefined;
    let valueStart: number | undefined;
    let valueEnd: number | undefined;
    let separator: string | undefined;
    const first = text[start];
    if (start === end) kind = 'blank';
    else if (first === '#' || first === ';') kind = 'comment';
    else if (entry >= 0 && start > indentLevel) {
      kind = 'continuation';
      continues = entry;
    } else {
      indentLevel = start;
      // configparser's patterns, `\[(.+)\]` and `(.*?)\s*([=:])\s*(.*)$` on the stripped line, spelled
      // out: a header runs from its bracket to the last closing one, a key to the first delimiter.
      const close = first === '[' ? text.lastIndexOf(']', end - 1) : -1;
      const delimiter = close >= start + 2 ? -1 : firstDelimiter(text, start, end);
      let nameEnd = delimiter;
      while (nameEnd > start && isOptionSpace(text.charCodeAt(nameEnd - 1))) nameEnd -= 1;
      if (close >= start + 2) {
        section = index;
        entry = -1;
        open = false;
        kind = 'header';
        header = text.slice(start + 1, close);
      } else if (delimiter === -1 || nameEnd === start) {
        // configparser reports both as errors; "= v" also ends the previous key's value, a bare word does not.
        if (delimiter !== -1) entry = -1;
        open = entry >= 0;
        kind = 'other';
      } else {
        entry = index;
        open = true;
        kind = 'entry';
        key = asciiLower(text.slice(start, nameEnd));
        valueStart = delimiter + 1;
        while (valueStart < end && isOptionSpace(text.charCodeAt(valueStart))) valueStart += 1;
        valueEnd = end;
        // An empty value ("s3 =" opening a nested block) says nothing about the file's spacing style.
        separator = valueStart === end ? undefined : text.slice(nameEnd, valueStart);
      }
    }
    result.push({ text, eol, kind, section, header, key, entry: continues, indent: start, open, valueStart, valueEnd, separator });
  }
  return result;
}

function firstDelimiter(text: string, start: number, end: number): number {
  for (let index = start; index < end; index += 1) {
    const code = text.charCodeAt(index);
    if (code === 0x3d || code === 0x3a) return index;
  }
  return -1;
}

// The `\s` of configparser's option pattern, as the model has always read it: space, \t, \v, \f, \r.
function isOptionSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0b || code === 0x0c || code === 0x0d;
}

function continuationsOf(lines: readonly AnalysedLine[], entry: number): number[] {
  const found: number[] = [];
  for (let index = entry + 1; index < lines.length; index += 1) {
    const line = lines[index];
    if (line?.kind === 'continuation' && line.entry === entry) found.push(index);
    if (line?.kind === 'header' || line?.kind === 'entry') break;
  }
  return found;
}

function entryValue(lines: readonly AnalysedLine[], index: number): string {
  const line = lines[index];
  if (line === undefined) return '';
  const parts = [line.text.slice(line.valueStart, line.valueEnd)];
  const continuations = continuationsOf(lines, index);
  const last = continuations.at(-1) ?? index;
  for (let position = index + 1; position <= last; position += 1) {
    const next = lines[position];
    if (next?.kind === 'continuation') parts.push(strip(next.text));
    if (next?.kind === 'blank') parts.push('');
  }
  const value = parts.join('\n');
  let end = value.length;
  while (end > 0 && WHITESPACE.has(value[end - 1] ?? '')) end -= 1;
  return value.slice(0, end);
}

// String.trim would also strip latin1 0xA0, which here is the last byte of a UTF-8 character.
function strip(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && WHITESPACE.has(text[start] ?? '')) start += 1;
  while (end > start && WHITESPACE.has(text[end - 1] ?? '')) end -= 1;
  return text.slice(start, end);
}

function asciiLower(text: string): string {
  return /[A-Z]/.test(text) ? text.replace(/[A-Z]/g, (char) => char.toLowerCase()) : text;
}

function decode(latin1: string): string {
  // ASCII reads the same either way; only other bytes need the round trip.
  return /[\x80-\xff]/.test(latin1) ? Buffer.from(latin1, 'latin1').toString('utf8') : latin1;
}

function encode(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

function checkKey(key: string): string {
  if (!KEY_NAME.test(key)) throw new RolecallError('INTERNAL', `not an AWS file key: ${JSON.stringify(key)}`);
  return key;
}

function checkValue(key: string, value: string): string {
  // A line break would end the value early; edge whitespace would be stripped by every reader.
  if (/[\r\n]/.test(value) || value !== value.trim()) {
    throw new RolecallError('INTERNAL', `the value for ${key} holds a line break or edge whitespace`);
  }
  return value;
}
