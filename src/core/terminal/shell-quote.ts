// One value as a literal of one shell. Each shell gets the quoting with the fewest special characters,
// so that no character of the value can end the literal, expand, or start another command.
import { RolecallError } from '../../shared/errors';
import type { Shell } from '../../shared/model';

/**
 * No environment variable can hold NUL (C strings), and a lone UTF-16 surrogate has no UTF-8 form: a
 * shell would receive a different value than was meant. Refused for every shell.
 */
const UNREPRESENTABLE = /[\0\p{Cs}]/u;

/**
 * cmd.exe has no escape that works both typed at the prompt and in a batch file: `%` expands in one and
 * must be doubled in the other, `!` expands under delayed expansion, an inner `"` ends the quoting so
 * `&` or `|` after it starts a new command, and a line break ends the line. Non-ASCII depends on the
 * console code page. Rather than guess the context, only printable ASCII without `"`, `%` and `!` is
 * accepted; AWS keys, tokens, dates and regions never hold anything else.
 */
const CMD_CARRIABLE = /^[\x20\x23\x24\x26-\x7E]*$/;
const CMD_REFUSED_TEXT = '", %, !, line breaks, control or non-ASCII characters';

/** POSIX sh, dash, bash, zsh, ksh: inside '…' nothing is special but `'` itself, written '\''. */
export function quotePosix(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/** fish: inside '…' only `\'` and `\\` are escapes; every other character is literal. */
export function quoteFish(value: string): string {
  return `'${value.replace(/[\\']/g, (char) => `\\${char}`)}'`;
}

/**
 * PowerShell: '…' is verbatim and `''` is a quote. PowerShell also ends a single-quoted string at the
 * typographic quotes U+2018–U+201B, so those are doubled too.
 */
export function quotePowerShell(value: string): string {
  return `'${value.replace(/['\u2018\u2019\u201A\u201B]/g, (char) => char + char)}'`;
}

/** cmd: `"NAME=value"` as the argument of `set`; throws ENV_VALUE_UNSAFE for what cmd cannot carry. */
export function quoteCmdAssignment(name: string, value: string): string {
  if (!CMD_CARRIABLE.test(value)) {
    throw new RolecallError('ENV_VALUE_UNSAFE', `${name} holds a character cmd cannot carry (${CMD_REFUSED_TEXT})`);
  }
  return `"${name}=${value}"`;
}

/** Throws ENV_VALUE_UNSAFE when no environment variable of any shell can hold the value. */
export function assertRepresentable(name: string, value: string): void {
  if (UNREPRESENTABLE.test(value)) {
    throw new RolecallError('ENV_VALUE_UNSAFE', `${name} holds a NUL character or a lone UTF-16 surrogate`);
  }
}

/** The statement that sets one exported variable in `shell`. */
export function assignment(shell: Shell, name: string, value: string): string {
  assertRepresentable(name, value);
  switch (shell) {
    case 'bash':
    case 'zsh':
      return `export ${name}=${quotePosix(value)}`;
    case 'fish':
      return `set -gx ${name} ${quoteFish(value)}`;
    case 'powershell':
      return `$Env:${name} = ${quotePowerShell(value)}`;
    case 'cmd':
      return `set ${quoteCmdAssignment(name, value)}`;
  }
}

/** The statements that remove variables from `shell`'s environment (silently when they are not set). */
export function removals(shell: Shell, names: readonly string[]): string[] {
  if (names.length === 0) return [];
  switch (shell) {
    case 'bash':
    case 'zsh':
      return [`unset ${names.join(' ')}`];
    case 'fish':
      return names.map((name) => `set -e ${name}`);
    case 'powershell':
      return names.map((name) => `$Env:${name} = $null`);
    case 'cmd':
      return names.map((name) => `set "${name}="`);
  }
}
