import type { Shell } from '../../shared/model';

export const SHELL_LABEL: Record<Shell, string> = { bash: 'bash', zsh: 'zsh', fish: 'fish', powershell: 'PowerShell', cmd: 'cmd.exe' };

/** Short enough that every row's copy button has the same width. */
export const SHELL_SHORT: Record<Shell, string> = { bash: 'bash', zsh: 'zsh', fish: 'fish', powershell: 'pwsh', cmd: 'cmd' };
