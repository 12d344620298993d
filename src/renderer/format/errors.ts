// Whatever a call threw, as the banner shows it. The bridge rejects with {code, message, next, detail};
// anything else is a bug on our side and becomes INTERNAL without its raw text.
import type { ProblemView } from '../../shared/model';

const INTERNAL: ProblemView = {
  code: 'INTERNAL',
  message: 'Something unexpected went wrong inside Rolecall.',
  next: 'Try again; if it persists, report it with the log file (it holds no secrets).',
};

/**
 * The shared next steps are written for a terminal (flags, `rolecall …` commands). Where the window
 * offers its own way, it says that instead; every other code keeps the shared wording.
 */
const NEXT_IN_WINDOW: Readonly<Record<string, string>> = {
  USAGE: 'Check the values you entered, then try again.',
  KEY_PASSPHRASE_REQUIRED: 'Give the passphrase of the private key.',
  UNTRUSTED_CERTIFICATE: 'Choose the file of intermediate certificates together with the certificate (Edit…, then Choose another…), or check the trust anchor holds the CA that issued this certificate.',
  INVALID_SIGNATURE: 'Check the private key matches the certificate and this computer\'s clock is right.',
  SESSION_NAME_NOT_ACCEPTED: 'Turn on "accept role session name" in the Roles Anywhere profile, or clear the role session name (Edit…).',
  THROTTLED: 'Wait a moment: Rolecall tries again by itself, and tools share its cached session instead of asking anew.',
  NETWORK: 'Check your network, your system proxy settings and the endpoint (Edit…, Advanced).',
  SERVICE_ERROR: 'Try again; if it persists, report it with the log file (it holds no secrets).',
  KEYCHAIN_UNAVAILABLE: 'On Linux install and unlock a Secret Service (gnome-keyring or KeePassXC) in your desktop session; or choose "Keep in my file" for the private key.',
  KEYCHAIN_ITEM_MISSING: 'Edit the profile and choose its certificate and key files again.',
  AWS_PROFILE_TAKEN: 'Choose another name, or let Rolecall take over that profile.',
  PROFILE_NOT_FOUND: 'It may have been removed from the command line; the list shows the profiles there are.',
  NOT_ACTIVE: 'Switch the profile on first.',
  SESSION_EXPIRED: 'Fix the error shown on the profile\'s row, then refresh it.',
  ENV_VALUE_UNSAFE: 'Copy for another shell (bash, zsh, fish, PowerShell) from the menu beside the copy button; real AWS credentials never hold such characters.',
};

/** The next step as the window words it. */
export function nextStep(problem: Pick<ProblemView, 'code' | 'next'>): string {
  return NEXT_IN_WINDOW[problem.code] ?? problem.next;
}

/**
 * A detail as a sentence of its own: "expired Jun 1, 2021" becomes "Expired Jun 1, 2021.". A first word
 * that is an identifier (keyUsage, basicConstraints) keeps its case.
 */
export function asSentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return trimmed;
  const capitalised = /^[a-z]+(?![A-Za-z0-9])/.test(trimmed) ? trimmed.charAt(0).toUpperCase() + trimmed.slice(1) : trimmed;
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

export function toProblem(error: unknown): ProblemView {
  if (typeof error !== 'object' || error === null) return INTERNAL;
  const { code, message, next, detail } = error as Record<string, unknown>;
  if (!isText(code) || !isText(message)) return INTERNAL;
  return {
    code,
    message,
    next: isText(next) ? next : INTERNAL.next,
    ...(isText(detail) ? { detail } : {}),
  };
}
