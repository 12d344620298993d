// `rolecall import`: take over the credential_process lines of ~/.aws/config that run aws_signing_helper
// (or Rolecall's drop-in mode). Without --apply it only shows what would happen; with --apply each line
// becomes a Rolecall profile (key into the keychain) and switches to `rolecall credential-process
// --profile NAME`. Key files are never deleted: the ones now in the keychain are listed for the user.
import type { AgentClient } from '../../core/agent';
import { closeNames } from '../../core/profiles/unknown-profile';
import { RolecallError, isRolecallError } from '../../shared/errors';
import type { ImportCandidate, ImportPlan, ImportResult } from '../../shared/model';
import { EXIT_CODES_HELP, formatHelp, parseCommandArgs } from '../args';
import { problemLines } from '../certificate-draft';
import { createTerminalOutput, type TerminalOutput } from '../output';
import { promptSecret } from '../prompt';
import { withAgent } from '../runtime';
import { askPin } from '../token-pin';

const HELP = formatHelp({
  usage: 'rolecall import [--apply] [--only NAME]... [--json]',
  summary: 'Import the credential_process lines of ~/.aws/config (AWS_CONFIG_FILE) that run aws_signing_helper: shows each line, what stands in its way, and the config file as it would read afterwards. With --apply, each becomes a Rolecall profile and its line runs `rolecall credential-process --profile NAME`; nothing else in the file changes.',
  options: [
    ['--apply', 'Import (default: only show what would be imported)'],
    ['--only NAME', 'Only this AWS profile (repeat, or separate names with commas)'],
    ['--json', 'Print the plan (or with --apply the result) as JSON'],
    ['--help', 'Show this help'],
  ],
  notes: [
    'Encrypted keys ask for their passphrase on the terminal (a --pkcs8-password in the line is used when present).',
    'A key on a PKCS#11 token asks for the token\'s PIN on the terminal unless the URI has pin-value or pin-source; the agent keeps it in memory only and asks again after it restarts. A pin-value is never stored by Rolecall.',
    'Key files are never deleted; the ones now stored in the keychain are listed so you can delete them.',
    'Exit code 1 when a chosen profile could not be imported.',
    EXIT_CODES_HELP,
  ],
});

const PASSPHRASE_CODES = new Set(['KEY_PASSPHRASE_REQUIRED', 'KEY_PASSPHRASE_WRONG', 'PKCS12_PASSWORD_WRONG', 'PKCS11_PIN_REQUIRED', 'PKCS11_PIN_WRONG']);
const PROMPT_ROUNDS = 3;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { apply: { type: 'boolean' }, only: { type: 'string', multiple: true }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const only = onlyNames(values.only);
  const out = createTerminalOutput(process.stdout);
  return withAgent(async (agent) => {
    const plan = await agent.call('import.preview', {});
    const candidates = only ? plan.candidates.filter((candidate) => only.includes(candidate.awsProfile)) : plan.candidates;
    const unknown = only?.filter((name) => !plan.candidates.some((candidate) => candidate.awsProfile === name)) ?? [];
    if (unknown.length > 0) {
      const named = unknown.map((name) => {
        const close = closeNames(name, plan.candidates.map((candidate) => candidate.awsProfile));
        return close.length === 0 ? name : `${name} (did you mean ${close.join(' or ')}?)`;
      });
      throw new RolecallError('IMPORT_NOT_FOUND', `${named.join(', ')} in ${plan.configPath}`);
    }
    if (!values.apply) {
      process.stdout.write(values.json ? `${JSON.stringify({ ...plan, candidates }, null, 2)}\n` : renderPlan(plan, candidates, out));
      return 0;
    }
    const chosen = only ?? candidates.filter((candidate) => candidate.problems.length === 0).map((candidate) => candidate.awsProfile);
    if (chosen.length === 0) {
      if (values.json) process.stdout.write(`${JSON.stringify({ imported: [], failed: [], keyFilesNowInKeychain: [] }, null, 2)}\n`);
      else process.stdout.write(`Nothing to import from ${plan.configPath}${candidates.length > 0 ? ' (every line has a problem; run `rolecall import` to see them)' : ''}.\n`);
      return 0;
    }
    const result = await applyWithPassphrases(agent, chosen, plan.candidates);
    process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : renderResult(result, out));
    return result.failed.length > 0 ? 1 : 0;
  });
}

function onlyNames(given: readonly string[] | undefined): string[] | undefined {
  if (given === undefined) return undefined;
  const names = given.flatMap((entry) => entry.split(',')).map((name) => name.trim()).filter((name) => name !== '');
  if (names.length === 0) throw new RolecallError('USAGE', '--only needs an AWS profile name');
  return [...new Set(names)];
}

/** Applies, then asks on the terminal for the passphrases of keys that turned out encrypted and tries those again. */
async function applyWithPassphrases(agent: AgentClient, awsProfiles: readonly string[], candidates: readonly ImportCandidate[]): Promise<ImportResult> {
  let result = await agent.call('import.apply', { awsProfiles: [...awsProfiles] });
  for (let round = 0; round < PROMPT_ROUNDS; round += 1) {
    const locked = result.failed.filter((failure) => PASSPHRASE_CODES.has(failure.problem.code));
    if (locked.length === 0) break;
    const passphrases: Record<string, string> = {};
    for (const failure of locked) {
      const candidate = candidates.find((entry) => entry.name === failure.name);
      if (!candidate) continue;
      const { code } = failure.problem;
      // For a key on a token the secret is its PIN, which import.apply takes in the same place.
      const passphrase = code.startsWith('PKCS11_') ? await askPin(candidate.awsProfile, code === 'PKCS11_PIN_WRONG') : await askPassphrase(candidate, code !== 'KEY_PASSPHRASE_REQUIRED');
      if (passphrase === undefined) return result;
      passphrases[candidate.awsProfile] = passphrase;
    }
    const again = await agent.call('import.apply', { awsProfiles: Object.keys(passphrases), passphrases });
    result = merge(result, again, new Set(locked.map((failure) => failure.name)));
  }
  return result;
}

/** undefined when there is no terminal to ask on. */
async function askPassphrase(candidate: ImportCandidate, retry: boolean): Promise<string | undefined> {
  try {
    if (retry) process.stderr.write(`That passphrase does not decrypt the key of ${candidate.awsProfile}.\n`);
    return await promptSecret(`Passphrase for ${candidate.privateKeyPath ?? candidate.certificatePath ?? candidate.awsProfile} (${candidate.awsProfile}): `);
  } catch (error) {
    if (isRolecallError(error) && error.code === 'NO_TTY') return undefined;
    throw error;
  }
}

function merge(first: ImportResult, retried: ImportResult, retriedNames: ReadonlySet<string>): ImportResult {
  return {
    imported: [...first.imported, ...retried.imported],
    failed: [...first.failed.filter((failure) => !retriedNames.has(failure.name)), ...retried.failed],
    keyFilesNowInKeychain: [...new Set([...first.keyFilesNowInKeychain, ...retried.keyFilesNowInKeychain])],
  };
}

function renderPlan(plan: ImportPlan, candidates: readonly ImportCandidate[], out: TerminalOutput): string {
  if (candidates.length === 0) return `No credential_process line running aws_signing_helper was found in ${plan.configPath}.\n`;
  const lines = [`${out.bold(`credential_process lines in ${plan.configPath}`)}`, ''];
  for (const candidate of candidates) {
    const ok = candidate.problems.length === 0;
    lines.push(`${ok ? out.green('✔') : out.red('✖')} ${out.bold(candidate.awsProfile)} (${candidate.tool})${ok ? ` → Rolecall profile ${candidate.name}` : ''}`);
    const rows: [string, string | undefined][] = [
      ['certificate', candidate.certificatePath],
      ['private key', candidate.privateKeyPath],
      ['intermediates', candidate.intermediatesPath],
      ['trust anchor', candidate.trustAnchorArn],
      ['profile', candidate.profileArn],
      ['role', candidate.roleArn],
      ['region', candidate.region],
      ['duration', candidate.durationSeconds === undefined ? undefined : `${candidate.durationSeconds} s`],
    ];
    for (const [label, value] of rows) if (value !== undefined) lines.push(`    ${label.padEnd(13)} ${value}`);
    if ([candidate.certificatePath, candidate.privateKeyPath].some((value) => value?.startsWith('pkcs11:'))) {
      lines.push('    the key stays on the token; its PIN is asked on import (unless the URI gives it) and kept in the agent\'s memory only');
    }
    const continued = candidate.problems.some((problem) => problem.code === 'IMPORT_LINE_CONTINUED');
    if (candidate.multiLine && !continued) lines.push(out.yellow('    ! the line spans several lines, which only botocore reads; the import writes it on one line'));
    if (!ok) lines.push(problemLines(candidate.problems, out).trimEnd().replace(/^/gm, '    '));
  }
  const importable = candidates.filter((candidate) => candidate.problems.length === 0).length;
  if (plan.configDiff !== '') lines.push('', out.bold('The config file after the import:'), plan.configDiff.trimEnd());
  lines.push(
    '',
    importable === 0
      ? 'Nothing can be imported as it is; fix the problems above and run `rolecall import` again.'
      : `Run ${out.bold('rolecall import --apply')} to import ${importable === 1 ? 'the importable profile' : `the ${importable} importable profiles`}: keys go into the keychain, the lines run Rolecall, your key files stay where they are.`,
  );
  return `${lines.join('\n')}\n`;
}

function renderResult(result: ImportResult, out: TerminalOutput): string {
  const lines: string[] = [];
  if (result.imported.length > 0) {
    lines.push(`${out.green('✔')} Imported ${result.imported.join(', ')}. AWS tools keep using ${result.imported.length === 1 ? 'this profile' : 'these profiles'} as before; Rolecall now signs for them (\`rolecall profiles list\`).`);
  }
  for (const failure of result.failed) {
    lines.push(`${out.red('✖')} ${failure.name} was not imported:`, problemLines([failure.problem], out).trimEnd().replace(/^/gm, '    '));
  }
  if (result.keyFilesNowInKeychain.length > 0) {
    lines.push('', 'These private key files are now stored in the keychain. Rolecall did not delete them; delete them yourself once you no longer need them:');
    for (const file of result.keyFilesNowInKeychain) lines.push(`    ${file}`);
  }
  return `${lines.join('\n')}\n`;
}
