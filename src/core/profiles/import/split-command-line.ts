// A credential_process value turned back into the argv an SDK would run, with botocore's rules:
// shlex (POSIX) everywhere but Windows, where backslashes are literal except before a double quote
// (the C runtime's rules, which keep C:\Users\... paths intact). One deliberate difference: on Windows a
// line break also separates words, so a value continued over several lines reads as its author meant.
import { RolecallError } from '../../../shared/errors';

// shlex's whitespace; botocore's Windows rules know only space and tab (see above).
const SPACE = new Set([' ', '\t', '\r', '\n']);

export function splitCommandLine(text: string, platform: NodeJS.Platform): string[] {
  return platform === 'win32' ? splitWindows(text) : splitPosix(text);
}

function splitPosix(text: string): string[] {
  const words: string[] = [];
  let word = '';
  // A word has begun: `''` is an empty argument, not nothing.
  let started = false;
  let quote: "'" | '"' | undefined;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index] as string;
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else word += char;
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (char === '\\' && index + 1 < text.length) {
        const next = text[index + 1] as string;
        // Inside double quotes shlex lets a backslash escape only a double quote or a backslash.
        word += next === '"' || next === '\\' ? next : `\\${next}`;
        index += 1;
      } else word += char;
    } else if (SPACE.has(char)) {
      if (started) words.push(word);
      word = '';
      started = false;
    } else if (char === '\\') {
      if (index + 1 >= text.length) throw new RolecallError('IMPORT_LINE_INVALID', 'the line ends with a lone backslash');
      word += text[index + 1];
      index += 1;
      started = true;
    } else if (char === "'" || char === '"') {
      quote = char;
      started = true;
    } else {
      word += char;
      started = true;
    }
  }
  if (quote !== undefined) throw new RolecallError('IMPORT_LINE_INVALID', `a ${quote === '"' ? 'double' : 'single'} quote is not closed`);
  if (started) words.push(word);
  return words;
}

function splitWindows(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let started = false;
  let quoted = false;
  let backslashes = 0;
  const flushBackslashes = () => {
    word += '\\'.repeat(backslashes);
    backslashes = 0;
  };
  for (const char of text) {
    if (char === '\\') {
      backslashes += 1;
      started = true;
    } else if (char === '"') {
      // 2n backslashes before a quote are n backslashes and the quote toggles quoting; 2n+1 are n and a literal quote.
      word += '\\'.repeat(Math.floor(backslashes / 2));
      const escaped = backslashes % 2 === 1;
      backslashes = 0;
      started = true;
      if (escaped) word += '"';
      else quoted = !quoted;
    } else if (SPACE.has(char) && !quoted) {
      flushBackslashes();
      if (started) words.push(word);
      word = '';
      started = false;
    } else {
      flushBackslashes();
      word += char;
      started = true;
    }
  }
  if (quoted) throw new RolecallError('IMPORT_LINE_INVALID', 'a double quote is not closed');
  flushBackslashes();
  if (started) words.push(word);
  return words;
}
