// `rolecall ca create|issue|list|show|remove`: a local CA for personal and sandbox accounts and for
// teams without PKI staff. Its key is made inside the OS keychain; its certificate is written to a file
// for the Roles Anywhere trust anchor; it signs pending certificate requests.
import { DEFAULT_CA_DAYS, DEFAULT_LEAF_DAYS, type CaRecord } from '../../core/ca';
import { parseKeyType, toCertificateView } from '../../core/certificates';
import { parseCertificates } from '../../core/pki/certificate';
import { RolecallError } from '../../shared/errors';
import { EXIT_CODES_HELP, formatHelp, parseCommandArgsOrHelp, printJson, runSubcommand, type Subcommand } from '../args';
import { certificateServices } from '../certificate-services';
import { createTerminalOutput, type TerminalOutput } from '../output';
import { confirmed, oneName, profileHint } from './certificate';

const COMMON = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;
const COMMON_HELP = [
  ['--json', 'Print the result as JSON'],
  ['--help', 'Show this help'],
] as const;

const HELP = formatHelp({
  usage: 'rolecall ca create|issue|list|show|remove ...',
  summary: 'A Rolecall CA: its key in the OS keychain, its certificate in a file for the Roles Anywhere trust anchor, issuing client certificates for your certificate requests.',
  options: [
    ['create NAME', 'Make a CA: a key in the keychain and a self-signed CA certificate'],
    ['issue NAME --for CERT', 'Sign the pending request CERT and import the certificate'],
    ['list', 'Show every Rolecall CA'],
    ['show NAME', 'Show one CA and print its certificate'],
    ['remove NAME', 'Delete a CA, its key and its certificate file'],
  ],
  notes: ['Run `rolecall ca <subcommand> --help` for its options.', EXIT_CODES_HELP],
});
const CREATE_OPTIONS = { subject: { type: 'string' }, days: { type: 'string' }, 'key-type': { type: 'string' }, ...COMMON } as const;
const CREATE_HELP = formatHelp({
  usage: 'rolecall ca create NAME --subject "CN=…,O=…" [--days N] [--key-type TYPE]',
  summary: 'Make a CA whose private key is born in the OS keychain and never written to disk, with a self-signed X.509 v3 CA certificate (basicConstraints CA:TRUE, keyUsage keyCertSign and cRLSign). The certificate is written to the data folder and its path printed: give that file to Roles Anywhere as the trust anchor.',
  options: [
    ['--subject DN', 'The CA\'s subject, e.g. "CN=Team CA,O=Example Corp" (becomes the x509Issuer/… tags)'],
    ['--days N', `Validity in days (default ${DEFAULT_CA_DAYS})`],
    ['--key-type TYPE', 'p256 (default), p384, rsa2048, rsa3072 or rsa4096'],
    ...COMMON_HELP,
  ],
  notes: [EXIT_CODES_HELP],
});
const ISSUE_OPTIONS = { for: { type: 'string' }, days: { type: 'string' }, ...COMMON } as const;
const ISSUE_HELP = formatHelp({
  usage: 'rolecall ca issue NAME --for CERT [--days N]',
  summary: 'Sign the pending request CERT (made with `rolecall certificate new`) with the CA NAME: a client certificate for its subject, SANs and key (keyUsage digitalSignature, extendedKeyUsage clientAuth), imported into CERT at once.',
  options: [
    ['--for CERT', 'The pending certificate request to sign'],
    ['--days N', `Validity in days (default ${DEFAULT_LEAF_DAYS}; never past the CA's own end)`],
    ...COMMON_HELP,
  ],
  notes: [EXIT_CODES_HELP],
});
const LIST_HELP = formatHelp({ usage: 'rolecall ca list [--json]', summary: 'Show every Rolecall CA: subject, key type, validity and its certificate file.', options: COMMON_HELP, notes: [EXIT_CODES_HELP] });
const SHOW_HELP = formatHelp({ usage: 'rolecall ca show NAME [--json]', summary: 'Show one Rolecall CA and print its certificate (PEM), as a trust anchor takes it.', options: COMMON_HELP, notes: [EXIT_CODES_HELP] });
const REMOVE_HELP = formatHelp({
  usage: 'rolecall ca remove NAME [--yes] [--json]',
  summary: 'Delete a Rolecall CA: its key leaves the keychain and its certificate file is removed. Certificates it issued stay valid until they expire, as long as the trust anchor holds its certificate.',
  options: [['--yes', 'Do not ask for confirmation (needed when there is no terminal)'], ...COMMON_HELP],
  notes: [EXIT_CODES_HELP],
});

const SUBCOMMANDS: Record<string, Subcommand> = { create, issue, list, show, remove };

export function run(argv: string[]): Promise<number> {
  return runSubcommand('ca', SUBCOMMANDS, HELP, argv);
}

interface CaView {
  readonly name: string;
  readonly subject: string;
  readonly keyType: string;
  readonly certificatePath: string;
  readonly notAfter: string;
  readonly fingerprintSha256: string;
  readonly createdAt: string;
  readonly certificatePem: string;
}

function toCaView(record: CaRecord): CaView {
  const [certificate] = parseCertificates(record.certificatePem);
  return {
    name: record.name,
    subject: record.subject,
    keyType: record.keyType,
    certificatePath: record.certificatePath,
    notAfter: certificate?.notAfter.toISOString() ?? '',
    fingerprintSha256: certificate?.fingerprintSha256 ?? '',
    createdAt: record.createdAt,
    certificatePem: record.certificatePem,
  };
}

function days(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new RolecallError('VALIDITY_INVALID', `--days ${text}`);
  return Number(text);
}

function details(view: CaView, out: TerminalOutput): string {
  return [
    `${out.bold(view.name)}  Rolecall CA`,
    `  Subject      ${view.subject}`,
    `  Key          ${view.keyType}, in the OS keychain`,
    `  Valid until  ${view.notAfter}`,
    `  Fingerprint  SHA-256 ${view.fingerprintSha256}`,
    `  Certificate  ${view.certificatePath}`,
    '',
  ].join('\n');
}

async function create(argv: string[]): Promise<number> {
  const parsed = parseCommandArgsOrHelp(argv, CREATE_OPTIONS, CREATE_HELP, true);
  if (parsed === undefined) return 0;
  const { values, positionals } = parsed;
  const name = oneName(positionals, 'give one name: rolecall ca create NAME --subject "CN=…"');
  if (values.subject === undefined) throw new RolecallError('USAGE', '--subject is required, e.g. --subject "CN=Team CA,O=Example Corp"');
  const keyType = values['key-type'] === undefined ? undefined : parseKeyType(values['key-type']);
  const validity = days(values.days);
  const { cas } = await certificateServices();
  const view = toCaView(await cas.create({ name, subject: values.subject, ...(validity !== undefined && { days: validity }), ...(keyType && { keyType }) }));
  if (values.json) {
    printJson(view);
    return 0;
  }
  const out = createTerminalOutput(process.stdout);
  process.stdout.write(`${details(view, out)}\nThe CA certificate is in ${out.bold(view.certificatePath)}: make it a Roles Anywhere trust anchor, e.g.\n`);
  process.stdout.write(`  aws rolesanywhere create-trust-anchor --name ${name} --enabled \\\n    --source "sourceType=CERTIFICATE_BUNDLE,sourceData={x509CertificateData=$(cat ${view.certificatePath})}"\n`);
  process.stdout.write(`Then: rolecall certificate new CERT --subject "CN=…" and ${out.bold(`rolecall ca issue ${name} --for CERT`)}.\n`);
  return 0;
}

async function issue(argv: string[]): Promise<number> {
  const parsed = parseCommandArgsOrHelp(argv, ISSUE_OPTIONS, ISSUE_HELP, true);
  if (parsed === undefined) return 0;
  const { values, positionals } = parsed;
  const name = oneName(positionals, 'give one CA name: rolecall ca issue NAME --for CERT');
  if (values.for === undefined) throw new RolecallError('USAGE', '--for CERT is required: the pending request to sign (see `rolecall certificate list`)');
  const validity = days(values.days);
  const { cas } = await certificateServices();
  const record = await cas.issue({ ca: name, certificate: values.for, ...(validity !== undefined && { days: validity }) });
  const view = toCertificateView(record, Date.now());
  if (values.json) printJson(view);
  else process.stdout.write(`Issued ${values.for} by Rolecall CA ${name}, valid until ${view.certificate?.notAfter ?? '?'}.\n${profileHint(values.for)}`);
  return 0;
}

async function list(argv: string[]): Promise<number> {
  const parsed = parseCommandArgsOrHelp(argv, COMMON, LIST_HELP, true);
  if (parsed === undefined) return 0;
  const { values, positionals } = parsed;
  if (positionals.length > 0) throw new RolecallError('USAGE', '`ca list` takes no names; use `ca show NAME`');
  const { cas } = await certificateServices();
  const views = (await cas.list()).map(toCaView);
  if (values.json) printJson(views.map(({ certificatePem: _pem, ...rest }) => rest));
  else if (views.length === 0) process.stdout.write('No Rolecall CA yet. Make one with `rolecall ca create NAME --subject "CN=…"`.\n');
  else {
    const out = createTerminalOutput(process.stdout);
    process.stdout.write(views.map((view) => details(view, out)).join('\n'));
  }
  return 0;
}

async function show(argv: string[]): Promise<number> {
  const parsed = parseCommandArgsOrHelp(argv, COMMON, SHOW_HELP, true);
  if (parsed === undefined) return 0;
  const { values, positionals } = parsed;
  const name = oneName(positionals, 'give one CA name');
  const { cas } = await certificateServices();
  const view = toCaView(await cas.get(name));
  if (values.json) printJson(view);
  else process.stdout.write(`${details(view, createTerminalOutput(process.stdout))}\n${view.certificatePem}`);
  return 0;
}

async function remove(argv: string[]): Promise<number> {
  const parsed = parseCommandArgsOrHelp(argv, { yes: { type: 'boolean', short: 'y' }, ...COMMON }, REMOVE_HELP, true);
  if (parsed === undefined) return 0;
  const { values, positionals } = parsed;
  const name = oneName(positionals, 'give one CA name');
  const { cas } = await certificateServices();
  await cas.get(name);
  if (!values.yes && !(await confirmed(`Remove Rolecall CA ${name}, its key in the keychain and its certificate file?`, name))) {
    process.stderr.write('Nothing was removed.\n');
    return 1;
  }
  const record = await cas.remove(name);
  if (values.json) printJson({ removed: name });
  else process.stdout.write(`Removed Rolecall CA ${name}: its key was deleted from the keychain and ${record.certificatePath} removed.\n`);
  return 0;
}
