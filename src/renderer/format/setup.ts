// What the "Set up Roles Anywhere" wizard checks and offers before it asks the agent: names, key types,
// and how a certificate's origin reads.
import { SETUP_NAME_PATTERN } from '../../shared/patterns';

export const KEY_TYPE_CHOICES: readonly { readonly value: string; readonly label: string }[] = [
  { value: 'p256', label: 'EC P-256 (recommended)' },
  { value: 'p384', label: 'EC P-384' },
  { value: 'rsa2048', label: 'RSA 2048' },
  { value: 'rsa3072', label: 'RSA 3072' },
  { value: 'rsa4096', label: 'RSA 4096' },
];

/** Why a setup name cannot be used, or undefined. It names the key, the AWS resources and the profile. */
export function setupNameProblem(name: string): string | undefined {
  if (name === '') return 'Give a name.';
  if (name.length > 50) return 'Use at most 50 characters.';
  return SETUP_NAME_PATTERN.test(name) ? undefined : 'Use letters, digits, - and _ only.';
}

/** A subject's CN, to name things after it ("CN=alice,OU=devops" → "alice"). */
export function commonName(subject: string): string | undefined {
  const match = /(?:^|,)\s*CN=((?:\\.|[^,])*)/i.exec(subject);
  return match?.[1]?.trim() || undefined;
}

/** A PEM text the user pasted or chose, or a problem with it. */
export function pemProblem(text: string, label: 'CERTIFICATE'): string | undefined {
  if (text.trim() === '') return 'Paste it or choose its file.';
  return text.includes(`-----BEGIN ${label}-----`) ? undefined : 'This is not a PEM certificate (-----BEGIN CERTIFICATE-----).';
}
