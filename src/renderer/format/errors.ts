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
  BROWSER_UNAVAILABLE: 'Set a default web browser in your system settings, then try again.',
  KEY_PASSPHRASE_REQUIRED: 'Give the passphrase of the private key.',
  ACCESS_DENIED: 'Choose "Why?" in the profile\'s menu: Rolecall checks the certificate, the trust anchor, the profile and last the role\'s trust policy, in the service\'s order, and names the one that refuses.',
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
  RENEWAL_CA_MISSING: 'Make a new Rolecall CA, trust it in Roles Anywhere, issue a certificate from it and make the profile from that certificate.',
  RENEWAL_CA_KEY_MISSING: 'Make a new Rolecall CA, trust it in Roles Anywhere, issue a certificate from it and make the profile from that certificate.',
  RENEWAL_CA_ENDING: 'Make a new Rolecall CA, trust it in Roles Anywhere, issue a certificate from it and make the profile from that certificate.',
  // Keys, certificate requests and Rolecall CAs: the "Set up Roles Anywhere" wizard's first step.
  KEY_TYPE_UNSUPPORTED: 'Choose one of the key types offered: P-256 (the default), P-384, or RSA of 2048, 3072 or 4096 bits.',
  SAN_INVALID: 'Write each alternative name as dns:host.example.com or uri:spiffe://example.com/alice, one per line.',
  CERTIFICATE_EXISTS: 'Choose another name: a key and certificate request of this name exist already.',
  CERTIFICATE_NOT_FOUND: 'It may have been removed from the command line: start the setup again to make a new key.',
  CERTIFICATE_NOT_PENDING: 'This request has its certificate already: go on to the trust policy, or start again with another name.',
  CERTIFICATE_NOT_ISSUED: 'Have your CA sign the request shown (copy or save it), then import the certificate it issued.',
  CSR_INVALID: 'Start the setup again with another name to make a new key and request.',
  VALIDITY_INVALID: 'Give the validity as a whole number of days from 1 to 3650 (a CA from 1 to 36500).',
  CA_EXISTS: 'Choose another name for the new CA, or choose the existing CA of this name.',
  CA_NOT_FOUND: 'It may have been removed from the command line: choose another CA or create one.',
  CA_EXPIRED: 'Create a new CA, and have Roles Anywhere trust it.',
  FILE_UNWRITABLE: 'Save it in a folder you can write to, on a disk that is not full or read-only.',
  ENV_VALUE_UNSAFE: 'Copy for another shell (bash, zsh, fish, PowerShell) from the menu beside the copy button; real AWS credentials never hold such characters.',
  PKCS11_SUPPORT_MISSING: 'Reinstall Rolecall with its optional parts, or use a certificate and key file.',
  PKCS11_PIN_REQUIRED: 'Choose Enter token PIN… in the profile\'s menu.',
  PKCS11_PIN_WRONG: 'Choose Enter token PIN… in the profile\'s menu and give the PIN (not the PUK or SO PIN): Rolecall tries a PIN once and never again on its own.',
  PKCS11_PIN_LOCKED: 'Unblock the PIN with the PUK or security officer PIN using your token vendor\'s tool, then refresh the profile.',
  PKCS11_TOKEN_REMOVED: 'Insert the token again, then refresh the profile.',
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
