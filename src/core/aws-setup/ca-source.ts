// Where the trust anchor's CA comes from: a CA certificate file (CERTIFICATE_BUNDLE), an AWS Private CA
// (AWS_ACM_PCA), or a Rolecall CA by name, whose certificate the local CA module hands over through
// `RolecallCaCertificates` (the seam that module wires; without it that source is refused).
import { RolecallError } from '../../shared/errors';
import { parseCertificates, toPem } from '../pki';

export type CaSource =
  | { readonly kind: 'pem-file'; readonly path: string; readonly contents: Buffer | string }
  | { readonly kind: 'acm-pca'; readonly arn: string }
  | { readonly kind: 'rolecall-ca'; readonly name: string };

/** The PEM certificate of a Rolecall CA by its name (from src/core/ca). */
export type RolecallCaCertificates = (name: string) => Promise<string>;

export type TrustAnchorSource =
  | { readonly sourceType: 'CERTIFICATE_BUNDLE'; readonly pem: string; readonly description: string }
  | { readonly sourceType: 'AWS_ACM_PCA'; readonly acmPcaArn: string; readonly description: string };

const ACM_PCA_ARN = /^arn:aws[a-z-]*:acm-pca:[a-z0-9-]+:\d{12}:certificate-authority\/[0-9a-f-]+$/;

export async function trustAnchorSource(source: CaSource, rolecallCa?: RolecallCaCertificates): Promise<TrustAnchorSource> {
  if (source.kind === 'acm-pca') {
    if (!ACM_PCA_ARN.test(source.arn)) throw new RolecallError('SETUP_CA_INVALID', `"${source.arn}" is not an AWS Private CA ARN`);
    return { sourceType: 'AWS_ACM_PCA', acmPcaArn: source.arn, description: `AWS Private CA ${source.arn}` };
  }
  if (source.kind === 'rolecall-ca') {
    if (!rolecallCa) throw new RolecallError('ROLECALL_CA_UNAVAILABLE', source.name);
    return caBundle(await rolecallCa(source.name), `Rolecall CA ${source.name}`);
  }
  return caBundle(source.contents, source.path);
}

/**
 * Only the certificates go into the trust anchor, re-encoded as PEM: a CA key kept in the same file
 * must never reach AWS, a template or a command line.
 */
function caBundle(text: Buffer | string, origin: string): TrustAnchorSource {
  let certificates;
  try {
    certificates = parseCertificates(text);
  } catch (error) {
    throw new RolecallError('SETUP_CA_INVALID', `${origin} holds no readable certificate`, { cause: error });
  }
  if (certificates.length === 0) throw new RolecallError('SETUP_CA_INVALID', `${origin} holds no certificate`);
  const notCa = certificates.find((certificate) => !certificate.isCa);
  if (notCa) throw new RolecallError('SETUP_CA_INVALID', `${origin}: "${notCa.subject}" is not a CA certificate`);
  const subjects = certificates.map((certificate) => certificate.subject).join('; ');
  return { sourceType: 'CERTIFICATE_BUNDLE', pem: certificates.map((certificate) => toPem('CERTIFICATE', certificate.der)).join(''), description: `${subjects} (from ${origin})` };
}
