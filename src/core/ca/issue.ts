// A Rolecall CA signing a pending request: the CSR's signature is checked, then a client certificate
// is made for its subject and key with the extensions Roles Anywhere and TLS clients expect (not a CA,
// keyUsage digitalSignature, extendedKeyUsage clientAuth, the CSR's dns/uri SANs, key identifiers). The
// CSR's other requested extensions are not copied: the CA decides what it certifies.
import { webcrypto, type KeyObject } from 'node:crypto';
import { RolecallError } from '../../shared/errors';
import { CLIENT_AUTH_OID } from '../certificates/csr';
import { loadX509, signingAlgorithmFor, type X509 } from '../certificates/x509-library';
import { BACKDATE_MS, randomSerial } from './ca-certificate';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface IssueInput {
  readonly csrPem: string;
  readonly caCertificatePem: string;
  readonly caPrivateKey: KeyObject;
  readonly days: number;
  readonly now: number;
}

export async function issueFromCsr(input: IssueInput): Promise<string> {
  const x509 = await loadX509();
  const csr = readCsr(x509, input.csrPem);
  if (!(await csr.verify())) throw new RolecallError('CSR_INVALID', 'its signature does not verify');
  const ca = new x509.X509Certificate(input.caCertificatePem);
  if (ca.notAfter.getTime() <= input.now) throw new RolecallError('CA_EXPIRED', `expired ${ca.notAfter.toISOString()}`);
  const signingAlgorithm = signingAlgorithmFor(input.caPrivateKey);
  const signingKey = await webcrypto.subtle.importKey('pkcs8', input.caPrivateKey.export({ type: 'pkcs8', format: 'der' }), signingAlgorithm, false, ['sign']);
  const extensions: InstanceType<X509['Extension']>[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([CLIENT_AUTH_OID]),
    await x509.SubjectKeyIdentifierExtension.create(csr.publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(ca),
  ];
  const requested = csr.extensions.find((extension) => extension instanceof x509.SubjectAlternativeNameExtension);
  const requestedNames = requested?.names.toJSON().filter((name) => name.type === 'dns' || name.type === 'url');
  if (requestedNames && requestedNames.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(requestedNames));
  // A certificate outliving its CA would be refused by the service anyway; end it with the CA.
  const notAfter = Math.min(input.now + input.days * DAY_MS, ca.notAfter.getTime());
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: csr.subjectName,
    issuer: ca.subjectName,
    notBefore: new Date(input.now - BACKDATE_MS),
    notAfter: new Date(notAfter),
    publicKey: csr.publicKey,
    signingKey,
    signingAlgorithm,
    extensions,
  });
  return `${certificate.toString('pem')}\n`;
}

function readCsr(x509: X509, pem: string): InstanceType<X509['Pkcs10CertificateRequest']> {
  try {
    return new x509.Pkcs10CertificateRequest(pem);
  } catch (error) {
    throw new RolecallError('CSR_INVALID', 'it cannot be read', { cause: error });
  }
}
