// Command lines for a POSIX shell (bash, zsh): each word is literal text, or literal text spliced with
// shell variables that earlier lines set ("$ROLE_ARN"), so a pasted script carries the ARNs AWS
// assigned from one command to the next.
export type WordPart = string | { readonly variable: string };
export type Word = string | readonly WordPart[];

const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellLine(words: readonly Word[]): string {
  return words.map(shellWord).join(' ');
}

/** `NAME=$(command)`: the command's output in a variable for the next lines. */
export function shellAssignment(variable: string, words: readonly Word[]): string {
  return `${variable}=$(${shellLine(words)})`;
}

export function shellWord(word: Word): string {
  const parts = typeof word === 'string' ? [word] : word;
  if (parts.length === 0) return "''";
  return parts.map((part) => (typeof part === 'string' ? literal(part) : `"$${part.variable}"`)).join('');
}

function literal(text: string): string {
  if (text === '') return "''";
  if (PLAIN.test(text)) return text;
  // Inside single quotes nothing is special but the quote itself, which is closed, escaped and reopened.
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A word holding `text` with each occurrence of `placeholder` replaced by the variable. */
export function spliceVariable(text: string, placeholder: string, variable: string): Word {
  const pieces = text.split(placeholder);
  return pieces.flatMap((piece, index): WordPart[] => (index === 0 ? [piece] : [{ variable }, piece])).filter((part) => part !== '');
}
