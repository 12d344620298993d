import { describe, expect, it } from 'vitest';
import { detectShell } from '../../../src/core/terminal';

// What each console really leaves in the environment of a program it starts.
const WINDOWS_MACHINE_PSMODULEPATH = 'C:\\Program Files\\WindowsPowerShell\\Modules;C:\\WINDOWS\\system32\\WindowsPowerShell\\v1.0\\Modules';
const WINDOWS_POWERSHELL_PSMODULEPATH = `C:\\Users\\ana\\Documents\\WindowsPowerShell\\Modules;${WINDOWS_MACHINE_PSMODULEPATH}`;
const PWSH_LINUX_PSMODULEPATH = '/home/ana/.local/share/powershell/Modules:/usr/local/share/powershell/Modules:/opt/microsoft/powershell/7/Modules';

describe('detectShell on Linux and macOS', () => {
  it.each([
    ['/bin/bash', 'bash'],
    ['/usr/bin/zsh', 'zsh'],
    ['/opt/homebrew/bin/fish', 'fish'],
    ['/bin/sh', 'bash'],
    ['/bin/dash', 'bash'],
    ['/usr/bin/pwsh', 'powershell'],
  ] as const)('takes SHELL=%s as %s (POSIX shells share the bash syntax)', (shell, expected) => {
    expect(detectShell({ env: { SHELL: shell }, platform: 'linux' })).toBe(expected);
  });

  it('prefers FISH_VERSION, set by the running fish, over a bash login shell', () => {
    expect(detectShell({ env: { SHELL: '/bin/bash', FISH_VERSION: '3.7.1' }, platform: 'darwin' })).toBe('fish');
  });

  it('prefers ZSH_VERSION over SHELL', () => {
    expect(detectShell({ env: { SHELL: '/bin/bash', ZSH_VERSION: '5.9' }, platform: 'linux' })).toBe('zsh');
  });

  it('sees pwsh started from a bash login shell by the PSModulePath it exports', () => {
    expect(detectShell({ env: { SHELL: '/bin/bash', PSModulePath: PWSH_LINUX_PSMODULEPATH }, platform: 'linux' })).toBe('powershell');
  });

  it('falls back to bash syntax without any clue, or for a shell it does not know', () => {
    expect(detectShell({ env: {}, platform: 'linux' })).toBe('bash');
    expect(detectShell({ env: { SHELL: '/bin/tcsh' }, platform: 'freebsd' })).toBe('bash');
  });
});

describe('detectShell on Windows', () => {
  const base = { ComSpec: 'C:\\WINDOWS\\system32\\cmd.exe', Path: 'C:\\WINDOWS\\system32' };

  it('says cmd when only the machine-wide PSModulePath is present', () => {
    expect(detectShell({ env: { ...base, PSModulePath: WINDOWS_MACHINE_PSMODULEPATH }, platform: 'win32' })).toBe('cmd');
  });

  it('says powershell when PowerShell added the user module folder to PSModulePath', () => {
    expect(detectShell({ env: { ...base, PSModulePath: WINDOWS_POWERSHELL_PSMODULEPATH }, platform: 'win32' })).toBe('powershell');
  });

  it('reads variable names without regard to case, as Windows does', () => {
    expect(detectShell({ env: { ...base, PSMODULEPATH: WINDOWS_POWERSHELL_PSMODULEPATH }, platform: 'win32' })).toBe('powershell');
  });

  it('says bash in Git Bash, which sets SHELL to a bash.exe', () => {
    const env = { ...base, PSModulePath: WINDOWS_POWERSHELL_PSMODULEPATH, SHELL: 'C:\\Program Files\\Git\\usr\\bin\\bash.exe' };
    expect(detectShell({ env, platform: 'win32' })).toBe('bash');
  });

  it('says cmd when nothing else is known', () => {
    expect(detectShell({ env: base, platform: 'win32' })).toBe('cmd');
  });
});
