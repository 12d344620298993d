// The `credential_process` value: one line that every SDK turns back into the same argv. botocore splits
// it itself (shlex on POSIX, CommandLineToArgvW rules on Windows) and spawns without a shell; the JS,
// Go and Java SDKs hand it to `sh -c` or `cmd.exe /c`. So quoting must mean the same to both readings,
// and to the JS SDK's INI parser, which cuts a value at " #" or " ;" (an inline comment).
import { RolecallError } from '../../shared/errors';

// Characters that need no quoting (sh and shlex; CommandLineToArgvW and cmd.exe). Not "=" (a first
// word with it is an assignment to sh), "~" (home folder), nor ",", ";", "=", "@" (cmd.exe delimiters
// and prefixes).
const PLAIN_POSIX = /^[A-Za-z0-9_@%+:,./-]+$/;
const PLAIN_WINDOWS = /^[A-Za-z0-9_+:./\\-]+$/;

export function quoteCommandLine(argv: readonly string[], platform: NodeJS.Platform): string {
  return argv.map((arg) => (platform === 'win32' ? quoteWindows(arg) : quotePosix(arg))).join(' ');
}

/** `credential_process` for a profile: the launcher (node and the CLI script, or a packaged binary)
 * followed by `credential-process --profile NAME`. Paths must be absolute: SDKs spawn from any folder. */
export function credentialProcessCommand(launcher: readonly string[], profile: string, platform: NodeJS.Platform): string {
  return quoteCommandLine([...launcher, 'credential-process', '--profile', profile], platform);
}

function quotePosix(arg: string): string {
  checkArg(arg);
  if (PLAIN_POSIX.test(arg)) return arg;
  // Single quotes are literal for sh and shlex alike; a quote, `#` or `;` is written outside them with
  // a backslash, which both read as that character and which hides it from the INI comment rule.
  return `'${arg.replace(/['#;]/g, (char) => `'\\${char}'`)}'`;
}

function quoteWindows(arg: string): string {
  checkArg(arg);
  if (arg.includes('"')) throw new RolecallError('INTERNAL', 'a credential_process argument holds a double quote');
  if (PLAIN_WINDOWS.test(arg)) return arg;
  // Inside quotes backslashes are literal except before the closing quote, where they must be doubled.
  // `#` goes outside the quotes, where CommandLineToArgvW joins it to the same argument. cmd.exe still
  // expands %NAME% inside quotes; Windows paths rarely hold a percent sign.
  const body = arg.replace(/(\\*)(#|$)/g, (_match, slashes: string, tail: string) => `${slashes}${slashes}${tail === '#' ? '"#"' : ''}`);
  return `"${body}"`;
}

function checkArg(arg: string): void {
  // A line break would end the INI value; NUL cannot be passed in an argv.
  if (arg === '' || /[\r\n\0]/.test(arg)) throw new RolecallError('INTERNAL', 'a credential_process argument is empty or holds a line break');
}
