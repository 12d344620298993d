// `rolecall certificate new|import|list|show|remove`: keys born in the OS keychain, their certificate
// requests, and the certificates a CA issues for them. These run in this process against the data
// folder and the keychain; the agent only meets the result when a profile is made from it
// (`rolecall profiles add NAME --from-certificate CERT …`).
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseKeyType, toCertificateView, type CertificateView } from '../../core/certificates';
import { readInputFile } from '../../core/pki/read-file';
import { RolecallError, isRolecallError } from '../../shared/errors';
import { EXIT_CODES_HELP, formatHelp, parseCommandArgsOrHelp, printJson, runSubcommand, type Subcommand } from '../args';
import { createTerminalOutput, type TerminalOutput } from '../output';
import { confirm } from '../prompt';
import { certificateServices } from '../certificate-services';

const COMMON = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;
const COMMON_HELP = [
  ['--json', 'Print the result as JSON'],
  ['--help', 'Show this help'],
] as const;

const HELP = formatHelp({
  usage: 'rolecall certificate new|import|list|show|remove ...',
  summary: 'Certificates from scratch: a key made inside the OS keychain, a certificate signing request (CSR) for your CA, and the certificate it issues, ready for a profile.',
  options: [
    ['new NAME', 'Make a key in the keychain and print its CSR with the next steps for your CA'],
    ['import NAME', 'Take the certificate your CA issued for NAME\'s CSR'],
    ['list', 'Show every request and certificate (pending ones left over 30 days are flagged)'],
    ['show NAME', 'Show one in detail, with its CSR'],
    ['remove NAME', 'Delete one and its key from the keychain'],
  ],
  notes: ['Then: `rolecall profiles add PROFILE --from-certificate NAME --trust-anchor-arn … --profile-arn … --role-arn …`.', 'Run `rolecall certificate <subcommand> --help` for its options.', EXIT_CODES_HELP],
});

const NEW_OPTIONS = { subject: { type: 'string' }, san: { type: 'string', multiple: true }, 'key-type': { type: 'string' }, out: { type: 'string' }, 'key-in-file': { type: 'string' }, ...COMMON } as const;
const NEW_HELP = formatHelp({
  usage: 'rolecall certificate new NAME --subject "CN=…,OU=…,O=…,C=…" [--san dns:HOST|uri:URI]… [--key-type TYPE] [--out FILE]',
  summary: 'Make a private key inside the OS keychain (it is never written to disk) and a PKCS#10 request for a client certificate signed by it: keyUsage digitalSignature, extendedKeyUsage clientAuth. The CSR is printed (the next steps go to stderr, so `> NAME.csr` keeps only the CSR) or written with --out.',
  options: [
    ['--subject DN', 'The certificate\'s subject: CN (required), OU, O, C, L, ST, UID, as "CN=alice,OU=devops,O=Example,C=US" (a backslash escapes , + = inside a value). These become the session\'s aws:PrincipalTag/x509Subject/… tags'],
    ['--san dns:HOST|uri:URI', 'A subject alternative name (repeatable); the first of each becomes x509SAN/DNS or x509SAN/URI'],
    ['--key-type TYPE', 'p256 (default), p384, rsa2048, rsa3072 or rsa4096'],
    ['--out FILE', 'Write the CSR to FILE instead of printing it'],
    ['--key-in-file FILE', 'Keep the key in a new file FILE (mode 0600) instead of the keychain, for headless machines; a profile then uses it with --key-in-file'],
    ...COMMON_HELP,
  ],
  notes: [EXIT_CODES_HELP],
});
const IMPORT_OPTIONS = { certificate: { type: 'string' }, intermediates: { type: 'string' }, ...COMMON } as const;
const IMPORT_HELP = formatHelp({
  usage: 'rolecall certificate import NAME --certificate FILE [--intermediates FILE]',
  summary: 'Take the certificate a CA issued for NAME\'s request. It must hold the request\'s public key (both keys\' SHA-256 fingerprints are shown when it does not) and be usable by Roles Anywhere: X.509 v3, not a CA, keyUsage digitalSignature, signed with SHA-256 or stronger, clientAuth when it has an extendedKeyUsage.',
  options: [
    ['--certificate FILE', 'The issued certificate (PEM or DER; a PEM may carry its chain after it)'],
    ['--intermediates FILE', 'PEM bundle of the intermediate CA certificates between it and the trust anchor'],
    ...COMMON_HELP,
  ],
  notes: [EXIT_CODES_HELP],
});
const LIST_HELP = formatHelp({ usage: 'rolecall certificate list [--json]', summary: 'Show every request and certificate: state, key type, subject, where the key is, expiry. A request pending for more than 30 days is flagged: issue it or remove it.', options: COMMON_HELP, notes: [EXIT_CODES_HELP] });
const SHOW_HELP = formatHelp({ usage: 'rolecall certificate show NAME [--json]', summary: 'Show one request or certificate in detail, with its CSR.', options: COMMON_HELP, notes: [EXIT_CODES_HELP] });
const REMOVE_HELP = formatHelp({
  usage: 'rolecall certificate remove NAME [--yes] [--json]',
  summary: 'Delete a request or certificate and its key from the keychain (a key kept in its own file is left alone). Profiles made from it keep their own copy of the key.',
  options: [['--yes', 'Do not ask for confirmation (needed when there is no terminal)'], ...COMMON_HELP],
  notes: [EXIT_CODES_HELP],
});

const SUBCOMMANDS: Record<string, Subcommand> = { new: create, import: importIssued, list, show, remove };

export function run(argv: string[]): Promise<number> {
  return runSubcommand('certificate', SUBCOMMANDS, HELP, argv);
}

export function oneName(positionals: readonly string[], usage: string): string {
  const [name, ...extra] = positionals;
  if (name === undefined || extra.length > 0) throw new RolecallError('USAGE', usage);
  return name;
}

async function create(argv: string[]): Promise<number> {
  const parsed = parseCommandArgsOrHelp(argv, NEW_OPTIONS, NEW_HELP, true);
  if (parsed === undefined) return 0;
  const { values, positionals } = parsed;
  const name = oneName(positionals, 'give one name: rolecall certificate new NAME --subject "CN=…"');
  if (values.subject === undefined) throw new RolecallError('USAGE', '--subject is required, e.g. --subject "CN=alice,OU=devops,O=Example Corp,C=US"');
  const keyType = values['key-type'] === undefined ? undefined : parseKeyType(values['key-type']);
  const { certificates, cas } = await certificateServices();
  const record = await certificates.create({
    name,
    subject: values.subject,
    sans: values.san ?? [],
    ...(keyType && { keyType }),
    ...(values['key-in-file'] !== undefined && { keyFile: resolve(values['key-in-file']) }),
  });
  const outPath = values.out === undefined ? undefined : resolve(values.out);
  if (outPath !== undefined) await writeFile(outPath, record.csrPem);
  const view = toCertificateView(record, Date.now());
  if (values.json) {
    printJson(outPath === undefined ? view : { ...view, csrPath: outPath });
    return 0;
  }
  const caNames = (await cas.list().catch(() => [])).map((ca) => ca.name);
  const steps = nextSteps(view, outPath, caNames, createTerminalOutput(outPath === undefined ? process.stderr : process.stdout));
  if (outPath === undefined) {
    process.stdout.write(record.csrPem);
    process.stderr.write(steps);
  } else {
    process.stdout.write(`Wrote the CSR of ${name} to ${outPath}.\n${steps}`);
  }
  return 0;
}

/** What to do with the CSR, for each kind of CA a user may have. */
export function nextSteps(view: CertificateView, csrPath: string | undefined, caNames: readonly string[], out: TerminalOutput): string {
  const csr = csrPath ?? `${view.name}.csr`;
  const issued = `${view.name}.pem`;
  const where = view.keyStorage === 'keychain' ? 'in the OS keychain' : `in ${view.keyPath ?? 'its file'}`;
  const lines = [
    '',
    `The private key of ${out.bold(view.name)} (${view.keyType}, public key SHA-256 ${view.publicKeySha256}) is ${where}.`,
    ...(csrPath === undefined ? [`Save the CSR above as ${csr} (rolecall certificate show ${view.name} prints it again), then have a CA sign it:`] : ['Have a CA sign it:']),
    '',
  ];
  if (caNames.length > 0) {
    lines.push(`  ${out.bold('Rolecall CA')}     rolecall ca issue ${caNames[0]} --for ${view.name}${caNames.length > 1 ? `   (your CAs: ${caNames.join(', ')})` : ''}`, '');
  }
  lines.push(
    `  ${out.bold('openssl')}         printf 'basicConstraints=critical,CA:FALSE\\nkeyUsage=critical,digitalSignature\\nextendedKeyUsage=clientAuth\\n' > client.ext`,
    `                  openssl x509 -req -in ${csr} -CA ca.pem -CAkey ca.key -CAcreateserial -sha256 -days 365 -extfile client.ext -out ${issued}`,
    `                  (or \`openssl ca -in ${csr} -extensions …\` with a section holding the same three lines)`,
    '',
    `  ${out.bold('cfssl')}           cfssl sign -ca ca.pem -ca-key ca-key.pem -config config.json -profile client ${csr} | cfssljson -bare ${view.name}`,
    '                  (a "client" profile with usages "digital signature" and "client auth"; the certificate is written to',
    `                  ${view.name}.pem)`,
    '',
    `  ${out.bold('AWS Private CA')}  aws acm-pca issue-certificate --certificate-authority-arn arn:aws:acm-pca:REGION:ACCOUNT:certificate-authority/ID \\`,
    `                    --csr fileb://${csr} --signing-algorithm SHA256WITHECDSA \\`,
    '                    --template-arn arn:aws:acm-pca:::template/EndEntityClientAuthCertificate/V1 --validity Value=365,Type=DAYS',
    '                  (SHA256WITHRSA when the CA\'s own key is RSA), then with the CertificateArn it prints:',
    '                  aws acm-pca get-certificate --certificate-authority-arn … --certificate-arn CERTIFICATE_ARN \\',
    `                    --query Certificate --output text > ${issued}`,
    '',
    `  ${out.bold('Corporate CA')}    send ${csr} to your PKI team and ask for a client-authentication certificate`,
    '                  (keyUsage digitalSignature, extendedKeyUsage clientAuth) and the intermediate certificates.',
    '',
    `Then: ${out.bold(`rolecall certificate import ${view.name} --certificate ${issued}`)} [--intermediates chain.pem]`,
  );
  return `${lines.join('\n')}\n`;
}

async function importIssued(argv: string[]): Promise<number> {
  const parsed = parseCommandArgsOrHelp(argv, IMPORT_OPTIONS, IMPORT_HELP, true);
  if (parsed === undefined) return 0;
  const { values, positionals } = parsed;
  const name = oneName(positionals, 'give one name: rolecall certificate import NAME --certificate FILE');
  if (values.certificate === undefined) throw new RolecallError('USAGE', '--certificate is required');
  const certificate = await readInputFile(resolve(values.certificate), 'certificate file');
  const intermediates = values.intermediates === undefined ? undefined : await readInputFile(resolve(values.intermediates), 'intermediates file');
  const { certificates } = await certificateServices();
  const record = await certificates.import({ name, certificate, ...(intermediates && { intermediates }) });
  const view = toCertificateView(record, Date.now());
  if (values.json) printJson(view);
  else process.stdout.write(`${details(view, createTerminalOutput(process.stdout))}\n${profileHint(view.name)}`);
  return 0;
}

export function profileHint(name: string): string {
  return `Next: rolecall profiles add PROFILE --from-certificate ${name} --trust-anchor-arn … --profile-arn … --role-arn …\n`;
}

async function list(argv: string[]): Promise<number> {
  const parsed = parseCommandArgsOrHelp(argv, COMMON, LIST_HELP, true);
  if (parsed === undefined) return 0;
  const { values, positionals } = parsed;
  if (positionals.length > 0) throw new RolecallError('USAGE', '`certificate list` takes no names; use `certificate show NAME`');
  const { certificates } = await certificateServices();
  const now = Date.now();
  const views = (await certificates.list()).map((record) => toCertificateView(record, now));
  if (values.json) {
    printJson(views.map(({ csrPem: _csr, ...rest }) => rest));
    return 0;
  }
  process.stdout.write(table(views, createTerminalOutput(process.stdout)));
  return 0;
}

function table(views: readonly CertificateView[], out: TerminalOutput): string {
  if (views.length === 0) return 'No certificates yet. Make one with `rolecall certificate new NAME --subject "CN=…"`.\n';
  const rows = views.map((view) => [
    view.name,
    view.state,
    view.keyType,
    view.keyStorage,
    view.certificate ? `until ${view.certificate.notAfter.slice(0, 10)}` : `${view.ageDays} d old`,
    view.subject,
  ]);
  const header = ['NAME', 'STATE', 'KEY', 'KEY IN', 'VALIDITY', 'SUBJECT'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ');
  const stale = views.filter((view) => view.stale);
  const notes = stale.map((view) => out.yellow(`! ${view.name} has waited ${view.ageDays} days for its certificate: import it, or remove it with \`rolecall certificate remove ${view.name}\`.`));
  return `${[out.bold(line(header)), ...rows.map(line), ...(notes.length > 0 ? ['', ...notes] : [])].join('\n')}\n`;
}

function details(view: CertificateView, out: TerminalOutput): string {
  const issuer = view.issuedBy === undefined ? undefined : view.issuedBy.kind === 'rolecall-ca' ? `Rolecall CA ${view.issuedBy.ca}` : 'an external CA';
  const lines = [
    `${out.bold(view.name)}  ${view.state === 'issued' ? out.green('issued') : out.yellow('pending')}`,
    `  Subject      ${view.subject}`,
    ...(view.sans.length > 0 ? [`  SANs         ${view.sans.join(', ')}`] : []),
    `  Key          ${view.keyType}, ${view.keyStorage === 'keychain' ? 'in the OS keychain' : `in ${view.keyPath ?? 'its file'}`}`,
    `  Public key   SHA-256 ${view.publicKeySha256}`,
    `  Requested    ${view.createdAt}${view.stale ? out.yellow(` (${view.ageDays} days ago: import its certificate or remove it)`) : ''}`,
  ];
  if (view.certificate) {
    lines.push(
      `  Issued       ${view.issuedAt ?? ''}${issuer ? ` by ${issuer}` : ''}`,
      `  Issuer       ${view.certificate.issuer}`,
      `  Valid        ${view.certificate.notBefore} → ${view.certificate.notAfter}`,
      `  Serial       ${view.certificate.serialHex}`,
      `  Fingerprint  SHA-256 ${view.certificate.fingerprintSha256}`,
      `  Chain        ${view.certificate.chainLength} intermediate certificate${view.certificate.chainLength === 1 ? '' : 's'}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

async function show(argv: string[]): Promise<number> {
  const parsed = parseCommandArgsOrHelp(argv, COMMON, SHOW_HELP, true);
  if (parsed === undefined) return 0;
  const { values, positionals } = parsed;
  const name = oneName(positionals, 'give one name');
  const { certificates } = await certificateServices();
  const view = toCertificateView(await certificates.get(name), Date.now());
  if (values.json) printJson(view);
  else process.stdout.write(`${details(view, createTerminalOutput(process.stdout))}\n${view.state === 'pending' ? view.csrPem : profileHint(name)}`);
  return 0;
}

async function remove(argv: string[]): Promise<number> {
  const parsed = parseCommandArgsOrHelp(argv, { yes: { type: 'boolean', short: 'y' }, ...COMMON }, REMOVE_HELP, true);
  if (parsed === undefined) return 0;
  const { values, positionals } = parsed;
  const name = oneName(positionals, 'give one name');
  const { certificates } = await certificateServices();
  const record = await certificates.get(name);
  if (!values.yes && !(await confirmed(`Remove certificate ${name}${record.key.kind === 'keychain' ? ' and its key in the keychain' : ''}?`, name))) {
    process.stderr.write('Nothing was removed.\n');
    return 1;
  }
  await certificates.remove(name);
  if (values.json) printJson({ removed: name });
  else process.stdout.write(`Removed ${name}: ${record.key.kind === 'keychain' ? 'its key was deleted from the keychain' : `its key file ${record.key.path} was left as it is`}.\n`);
  return 0;
}

export async function confirmed(question: string, name: string): Promise<boolean> {
  try {
    return await confirm(question);
  } catch (error) {
    if (isRolecallError(error) && error.code === 'NO_TTY') throw new RolecallError('USAGE', `there is no terminal to confirm on; pass --yes to remove ${name}`);
    throw error;
  }
}
