// A best guess at the shell that will run `rolecall env`'s output, from what shells leave in the
// environment. A guess can be wrong (a shell started from another inherits its variables), which is why
// the CLI also takes --shell.
import type { Shell } from '../../shared/model';

export interface ShellContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: string;
}

const SHELL_NAMES: Readonly<Record<string, Shell>> = {
  sh: 'bash',
  dash: 'bash',
  ash: 'bash',
  ksh: 'bash',
  mksh: 'bash',
  bash: 'bash',
  zsh: 'zsh',
  fish: 'fish',
  pwsh: 'powershell',
  powershell: 'powershell',
  cmd: 'cmd',
};

/** bash, sh or zsh from "/usr/local/bin/zsh", "C:\Program Files\Git\usr\bin\bash.exe"... */
function shellFromPath(path: string | undefined): Shell | undefined {
  if (path === undefined || path === '') return undefined;
  const base = path.split(/[\\/]/).pop() ?? '';
  return SHELL_NAMES[base.toLowerCase().replace(/\.exe$/, '')];
}

function lookup(context: ShellContext, name: string): string | undefined {
  if (context.platform !== 'win32') return context.env[name];
  // Windows variable names ignore case; a plain object copy of the environment does not.
  const key = Object.keys(context.env).find((candidate) => candidate.toUpperCase() === name.toUpperCase());
  return key === undefined ? undefined : context.env[key];
}

export function detectShell(context: ShellContext): Shell {
  // Set only by the shell itself (and seen only when it exported them): the surest signs.
  if (lookup(context, 'FISH_VERSION')) return 'fish';
  if (lookup(context, 'ZSH_VERSION')) return 'zsh';
  if (lookup(context, 'BASH_VERSION')) return 'bash';

  const psModulePath = lookup(context, 'PSModulePath');
  const loginShell = shellFromPath(lookup(context, 'SHELL'));
  if (context.platform === 'win32') {
    // Git Bash, MSYS2 and Cygwin set SHELL; plain Windows consoles do not.
    if (loginShell !== undefined) return loginShell;
    // PSModulePath is a machine-wide variable on Windows, so cmd has it too; PowerShell adds the user's
    // own module folder when it starts, which makes at least three entries.
    if (psModulePath !== undefined && psModulePath.split(';').filter(Boolean).length >= 3) return 'powershell';
    return 'cmd';
  }
  // Elsewhere only pwsh sets PSModulePath (and hands it to its children); SHELL names the login shell.
  if (psModulePath) return 'powershell';
  return loginShell ?? 'bash';
}
