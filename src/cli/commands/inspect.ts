// `rolecall inspect FILE`: what a certificate says about the session it will open, and what Roles
// Anywhere would refuse, before anything is sent.
import { RolecallError, isRolecallError, type ErrorInfo } from '../../shared/errors';
import type { CertificateSummary } from '../../shared/model';
import { daysUntilExpiry, expiresWithin, isPkcs12, leafProblems, parseCertificates, parsePrivateKey, readInputFile, type Certificate } from '../../core/pki';
import { brokenChainLink } from '../../core/pki/chain';
import { EXIT_CODES_HELP, formatHelp, parseCommandArgs } from '../args';
import { loadDropInCredentials } from '../drop-in';
import { createTerminalOutput } from '../output';

const HELP = formatHelp({
  usage: 'rolecall inspect FILE [--private-key FILE] [--intermediates FILE] [--json]',
  summary: 'Describe a certificate (PEM, DER or PKCS#12): subject, issuer, serial, validity, SANs, the principal tags your Roles Anywhere session will carry, and every problem the service would refuse.',
  options: [
    ['--private-key FILE', 'Also check that this key belongs to the certificate'],
    ['--intermediates FILE', 'Also check the intermediate bundle you will send: each link issued and signed by the next, and valid'],
    ['--pkcs8-password PASSWORD', 'Passphrase of an encrypted key or PKCS#12 file (omit it to be asked)'],
    ['--json', 'Print JSON: {certificate, chain, problems, warnings}'],
    ['--help', 'Show this help'],
  ],
  notes: ['Exit code 1 when Roles Anywhere would refuse the certificate.', EXIT_CODES_HELP],
});

interface Inspection {
  readonly certificate: CertificateSummary;
  readonly chain: readonly CertificateSummary[];
  readonly keyChecked: boolean;
  readonly problems: readonly ErrorInfo[];
  readonly warnings: readonly string[];
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      'private-key': { type: 'string' },
      intermediates: { type: 'string' },
      'pkcs8-password': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) throw new RolecallError('USAGE', 'give exactly one file to inspect');

  const inspection = await inspect(file, values);
  if (values.json) process.stdout.write(`${JSON.stringify(inspection, null, 2)}\n`);
  else process.stdout.write(render(inspection));
  return inspection.problems.length > 0 ? 1 : 0;
}

async function inspect(file: string, values: { 'private-key'?: string; intermediates?: string; 'pkcs8-password'?: string }): Promise<Inspection> {
  const now = Date.now();
  const bytes = await readInputFile(file, 'file');
  let leaf: Certificate;
  let chain: Certificate[];
  let privateKey;
  if (isPkcs12(bytes) || values['private-key'] !== undefined || containsKey(bytes)) {
    const credentials = await loadDropInCredentials({
      certificate: file,
      ...(values['private-key'] === undefined ? {} : { privateKey: values['private-key'] }),
      ...(values.intermediates === undefined ? {} : { intermediates: values.intermediates }),
      ...(values['pkcs8-password'] === undefined ? {} : { passphrase: values['pkcs8-password'] }),
    });
    leaf = credentials.leaf;
    chain = [...credentials.chain];
    privateKey = credentials.privateKey;
  } else {
    const [first, ...rest] = parseCertificates(bytes);
    if (!first) throw new RolecallError('CERT_NOT_FOUND');
    leaf = first;
    const intermediates = values.intermediates === undefined ? [] : parseCertificates(await readInputFile(values.intermediates, 'intermediates file'));
    chain = [...rest, ...intermediates];
  }
  const warnings: string[] = [];
  const broken = brokenChainLink(leaf, chain, now);
  const chainProblems = broken ? [new RolecallError('CHAIN_BROKEN', `link ${broken.link} (${broken.subject}): ${broken.reason}`).toInfo()] : [];
  if (expiresWithin(leaf, now)) warnings.push(`The certificate expires in ${daysUntilExpiry(leaf, now)} days (${leaf.notAfter.toISOString()}): renew it soon.`);
  return {
    certificate: leaf.toSummary(),
    chain: chain.map((certificate) => certificate.toSummary()),
    keyChecked: privateKey !== undefined,
    problems: [...leafProblems({ leaf, chain, at: now, ...(privateKey ? { privateKey } : {}) }), ...chainProblems],
    warnings,
  };
}

function containsKey(bytes: Buffer): boolean {
  try {
    parsePrivateKey(bytes);
    return true;
  } catch (error) {
    // An encrypted key beside the certificate still counts: loading it will ask for the passphrase.
    return isRolecallError(error) && error.code === 'KEY_PASSPHRASE_REQUIRED';
  }
}

function render(inspection: Inspection): string {
  const out = createTerminalOutput(process.stdout);
  const { certificate: c } = inspection;
  const days = Math.floor((Date.parse(c.notAfter) - Date.now()) / 86_400_000);
  const sans = [
    ...c.subjectAlternativeNames.dns.map((v) => `DNS:${v}`),
    ...c.subjectAlternativeNames.uri.map((v) => `URI:${v}`),
    ...c.subjectAlternativeNames.email.map((v) => `email:${v}`),
    ...c.subjectAlternativeNames.ip.map((v) => `IP:${v}`),
    ...c.subjectAlternativeNames.directoryName.map((v) => `DirName:${v}`),
  ];
  const rows: [string, string][] = [
    ['Subject', c.subject],
    ['Issuer', c.issuer],
    ['Serial', `${c.serialHex} (decimal ${c.serialDecimal})`],
    ['Valid', `${c.notBefore} → ${c.notAfter} (${days >= 0 ? `${days} days left` : `expired ${-days} days ago`})`],
    ['Key', c.keyAlgorithm],
    ['Signature', c.signatureAlgorithm],
    ['Key usage', c.keyUsage?.join(', ') ?? '(no keyUsage extension)'],
    ['SANs', sans.join(', ') || '(none)'],
    ['SHA-256', c.fingerprintSha256],
    ['Chain', inspection.chain.length === 0 ? '(no intermediates)' : inspection.chain.map((link) => link.subject).join(' ← ')],
    ['Private key', inspection.keyChecked ? 'matches the certificate' : '(not checked: pass --private-key)'],
  ];
  const lines = rows.map(([label, value]) => `${out.bold(label.padEnd(12))} ${value}`);
  lines.push('', out.bold('Principal tags the session will carry (aws:PrincipalTag/…):'));
  const tags = Object.entries(c.principalTags);
  const width = Math.max(0, ...tags.map(([key]) => key.length));
  lines.push(...(tags.length === 0 ? ['  (none)'] : tags.map(([key, value]) => `  ${key.padEnd(width)}  ${value}`)));
  lines.push('');
  for (const warning of inspection.warnings) lines.push(out.yellow(`! ${warning}`));
  if (inspection.problems.length === 0) lines.push(out.green('✔ Roles Anywhere would accept this certificate.'));
  for (const problem of inspection.problems) {
    lines.push(out.red(`✖ ${problem.message}${problem.detail ? ` (${problem.detail})` : ''} [${problem.code}]`), `  ${problem.next}`);
  }
  return lines.join('\n') + '\n';
}
