// `read-certificate-data --certificate F`: the reference client's JSON, byte for byte. With a pkcs11:
// URI, the reference's listing of the certificates it matches on the token(s) instead.
import { createHash } from 'node:crypto';
import { isRolecallError, RolecallError } from '../../shared/errors';
import { parseCertificates, readInputFile, supportedKind } from '../../core/pki';
import { goSubjectString } from '../../core/pki/go-name';
import { isPkcs11Uri, parsePkcs11Uri } from '../../core/pkcs11/uri';
import { EXIT_CODES_HELP, formatHelp, parseCommandArgs } from '../args';
import { promptSecret } from '../prompt';

const HELP = formatHelp({
  usage: 'rolecall read-certificate-data --certificate FILE|URI [--pkcs11-lib PATH]',
  summary: 'Print the certificate\'s key type, base64 DER, decimal serial number and supported algorithms as JSON (as aws_signing_helper does); for a pkcs11: URI, list the certificates it matches on the token.',
  options: [
    ['--certificate FILE|URI', 'Certificate file (PEM or DER; the first certificate is read), or a pkcs11: URI (RFC 7512) of certificates on a token'],
    ['--pkcs11-lib PATH', 'PKCS#11 module of the token (default: the URI\'s module-path, else p11-kit-proxy)'],
    ['--debug', 'Accepted for compatibility'],
    ['--help', 'Show this help'],
  ],
  notes: [
    'A token is searched without its PIN first; when one token matches and shows nothing, it is logged in to with the URI\'s pin-value or pin-source, or a PIN asked on the terminal (one try).',
    'For a readable description and the problems Roles Anywhere would find, use `rolecall inspect FILE`.',
    EXIT_CODES_HELP,
  ],
});
export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    certificate: { type: 'string' },
    debug: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
    'cert-selector': { type: 'string' },
    'system-store-name': { type: 'string' },
    'pkcs11-lib': { type: 'string' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  for (const flag of ['cert-selector', 'system-store-name'] as const) {
    if (values[flag] !== undefined) throw new RolecallError('NOT_SUPPORTED_YET', `--${flag} (certificate stores)`);
  }
  if (!values.certificate) throw new RolecallError('USAGE', '--certificate is required');
  if (isPkcs11Uri(values.certificate)) return listTokenCertificates(values.certificate, values['pkcs11-lib']);
  if (values['pkcs11-lib'] !== undefined) throw new RolecallError('USAGE', '--pkcs11-lib needs a pkcs11: URI in --certificate');
  const [certificate] = parseCertificates(await readInputFile(values.certificate, 'certificate file'));
  if (!certificate) throw new RolecallError('CERT_NOT_FOUND');
  const keyType = keyTypeOf(certificate.publicKey);
  process.stdout.write(
    JSON.stringify({
      keyType,
      certificateData: certificate.toBase64(),
      serialNumber: certificate.serialDecimal,
      supportedAlgorithms: [`${keyType}SHA256`, `${keyType}SHA384`, `${keyType}SHA512`],
    }),
  );
  return 0;
}

/** The reference's "Matching identities" listing: SHA-1 fingerprint, Go-style subject and a URI for each. */
async function listTokenCertificates(text: string, moduleFlag: string | undefined): Promise<number> {
  const uri = parsePkcs11Uri(text);
  const { defaultModulePath, findTokenCertificates } = await import('../../core/pkcs11');
  const modulePath = moduleFlag ?? uri.modulePath;
  const certificates = await findTokenCertificates(uri, modulePath ?? defaultModulePath(), askPinOnTerminal);
  const lines = certificates.map(({ der, uri: objectUri }, index) => `${index + 1}) ${createHash('sha1').update(der).digest('hex')} "${goSubjectString(der)}"\n\tURI: ${objectUri}\n`);
  process.stdout.write(`Matching identities\n${lines.join('')}`);
  return 0;
}

// The reference reads only the URI's pin-value here; asking at a terminal serves the same token without
// writing the PIN into a command line. Without a terminal nobody is asked, and the PIN is reported needed.
async function askPinOnTerminal(): Promise<string | undefined> {
  try {
    return await promptSecret('Please enter your user PIN: ');
  } catch (error) {
    if (isRolecallError(error) && error.code === 'NO_TTY') return undefined;
    throw error;
  }
}

function keyTypeOf(publicKey: Parameters<typeof supportedKind>[0]): string {
  // The reference prints "" for key types it does not sign with.
  if (publicKey.asymmetricKeyType === 'rsa') return 'RSA';
  if (publicKey.asymmetricKeyType === 'ec') return 'EC';
  return '';
}
