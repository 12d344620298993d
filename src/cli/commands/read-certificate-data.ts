// `read-certificate-data --certificate F`: the reference client's JSON, byte for byte.
import { RolecallError } from '../../shared/errors';
import { parseCertificates, readInputFile, supportedKind } from '../../core/pki';
import { EXIT_CODES_HELP, formatHelp, parseCommandArgs } from '../args';

const HELP = formatHelp({
  usage: 'rolecall read-certificate-data --certificate FILE',
  summary: 'Print the certificate\'s key type, base64 DER, decimal serial number and supported algorithms as JSON (as aws_signing_helper does).',
  options: [
    ['--certificate FILE', 'Certificate file (PEM or DER); the first certificate is read'],
    ['--debug', 'Accepted for compatibility'],
    ['--help', 'Show this help'],
  ],
  notes: ['For a readable description and the problems Roles Anywhere would find, use `rolecall inspect FILE`.', EXIT_CODES_HELP],
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
  for (const flag of ['cert-selector', 'system-store-name', 'pkcs11-lib'] as const) {
    if (values[flag] !== undefined) throw new RolecallError('NOT_SUPPORTED_YET', `--${flag} (certificate stores and PKCS#11)`);
  }
  if (!values.certificate) throw new RolecallError('USAGE', '--certificate is required');
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

function keyTypeOf(publicKey: Parameters<typeof supportedKind>[0]): string {
  // The reference prints "" for key types it does not sign with.
  if (publicKey.asymmetricKeyType === 'rsa') return 'RSA';
  if (publicKey.asymmetricKeyType === 'ec') return 'EC';
  return '';
}
