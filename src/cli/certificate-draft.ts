// Picking a certificate for a profile from the command line: the agent reads the files into a draft, the
// CLI supplies the passphrase when the key is encrypted (terminal prompt, one line of stdin, or the
// visible --pkcs8-password flag), then shows what Roles Anywhere will see before anything is saved.
import type { AgentClient } from '../core/agent';
import { RolecallError, isRolecallError } from '../shared/errors';
import type { CertificateSummary, DraftView, ProblemView } from '../shared/model';
import type { TerminalOutput } from './output';
import type { CertificateFiles } from './profile-flags';
import { promptSecret } from './prompt';

export interface PassphraseSource {
  /** --pkcs8-password: given on the command line. */
  readonly flag?: string;
  /** --passphrase-stdin: the first line of standard input. */
  readonly stdin?: boolean;
}

const PROMPT_ATTEMPTS = 3;

/** The passphrase source the flags name; warns about a passphrase on the command line. */
export function passphraseSource(values: { readonly 'pkcs8-password'?: string | boolean; readonly 'passphrase-stdin'?: string | boolean }): PassphraseSource {
  const flag = typeof values['pkcs8-password'] === 'string' ? values['pkcs8-password'] : undefined;
  const stdin = values['passphrase-stdin'] === true;
  if (flag !== undefined && stdin) throw new RolecallError('USAGE', 'give --pkcs8-password or --passphrase-stdin, not both');
  if (flag !== undefined) {
    process.stderr.write('rolecall: warning: --pkcs8-password is visible to other processes on this computer; prefer the prompt or --passphrase-stdin.\n');
  }
  return { ...(flag !== undefined && { flag }), ...(stdin && { stdin }) };
}

/** Reads the first line of standard input (without its line break). */
export async function readStdinLine(stream: NodeJS.ReadStream = process.stdin): Promise<string> {
  stream.setEncoding('utf8');
  let text = '';
  for await (const chunk of stream as AsyncIterable<string>) {
    text += chunk;
    const end = text.indexOf('\n');
    if (end >= 0) {
      text = text.slice(0, end);
      break;
    }
  }
  return text.replace(/\r$/, '');
}

/** Opens the files as a draft and unlocks it when the key is encrypted. */
export async function openUnlockedDraft(agent: AgentClient, files: CertificateFiles, source: PassphraseSource): Promise<DraftView> {
  return unlockDraft(agent, await agent.call('drafts.open', files), files.privateKeyPath ?? files.certificatePath, source);
}

/** Unlocks a draft whose key (in `keyFile`) is encrypted, with the passphrase from `source` or the terminal. */
export async function unlockDraft(agent: AgentClient, draft: DraftView, keyFile: string, source: PassphraseSource): Promise<DraftView> {
  if (draft.unlocked) return draft;
  const given = source.flag ?? (source.stdin ? await readStdinLine() : undefined);
  if (given !== undefined) return agent.call('drafts.unlock', { draftId: draft.draftId, passphrase: given });
  for (let attempt = 1; ; attempt += 1) {
    const passphrase = await promptSecret(`Passphrase for ${keyFile}: `);
    try {
      return await agent.call('drafts.unlock', { draftId: draft.draftId, passphrase });
    } catch (error) {
      const wrong = isRolecallError(error) && (error.code === 'KEY_PASSPHRASE_WRONG' || error.code === 'PKCS12_PASSWORD_WRONG');
      if (!wrong || attempt >= PROMPT_ATTEMPTS) throw error;
      process.stderr.write('That passphrase does not decrypt the key; try again.\n');
    }
  }
}

/** What the certificate is and which principal tags the session will carry. */
export function describeDraft(draft: DraftView, out: TerminalOutput): string {
  const lines: string[] = [];
  const certificate = draft.certificate;
  if (certificate) {
    lines.push(
      `${out.bold('Certificate')}  ${certificate.subject}`,
      `  Issuer       ${certificate.issuer}`,
      `  Valid        ${certificate.notBefore} → ${certificate.notAfter}`,
      `  Key          ${draft.keyAlgorithm ?? certificate.keyAlgorithm}`,
      `  Serial       ${certificate.serialHex}`,
      `  Chain        ${draft.chain.length === 0 ? chainHint(certificate) : draft.chain.map((link) => link.subject).join(' ← ')}`,
    );
    const tags = Object.entries(certificate.principalTags);
    lines.push('  Principal tags (aws:PrincipalTag/…)');
    const width = Math.max(0, ...tags.map(([key]) => key.length));
    lines.push(...(tags.length === 0 ? ['    (none)'] : tags.map(([key, value]) => `    ${key.padEnd(width)}  ${value}`)));
  }
  for (const warning of draft.warnings) lines.push(out.yellow(`! ${warning}`));
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function chainHint(certificate: CertificateSummary): string {
  // Roles Anywhere needs every intermediate between the leaf and the trust anchor's CA, and only the trust anchor knows which CA that is.
  return certificate.issuer === certificate.subject ? '(none)' : '(no intermediates: add --intermediates FILE unless the trust anchor holds the issuing CA itself)';
}

/** Problems as the CLI prints them: message, code, then the next step. */
export function problemLines(problems: readonly ProblemView[], out: TerminalOutput): string {
  return problems.map((problem) => `${out.red(`✖ ${problem.message}${problem.detail ? ` (${problem.detail})` : ''} [${problem.code}]`)}\n  ${problem.next}\n`).join('');
}
