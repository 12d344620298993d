// Keys and certificates for sandbox tests, made once per test file (RSA key generation is the slow part).
import { generateKey, issueCertificate, type GeneratedKey, type IssuedCertificate } from '../../src/sandbox/certificate-factory';

export interface TestPki {
  root: IssuedCertificate;
  intermediate: IssuedCertificate;
  rsaLeaf: IssuedCertificate;
  ecLeaf: IssuedCertificate;
  ec384Leaf: IssuedCertificate;
  /** Spare keys for leaves a test shapes itself. */
  ecKey: GeneratedKey;
  rsaKey: GeneratedKey;
}

export async function makeTestPki(): Promise<TestPki> {
  const rootKey = await generateKey('ec-p256');
  const root = await issueCertificate({ subject: 'CN=Sandbox Test Root, O=Rolecall Tests', key: rootKey, ca: true });
  const intermediateKey = await generateKey('ec-p256');
  const intermediate = await issueCertificate({ subject: 'CN=Sandbox Test Issuing CA, O=Rolecall Tests', key: intermediateKey, issuer: root, ca: true, pathLength: 0 });
  const rsaKey = await generateKey('rsa-2048');
  const ecKey = await generateKey('ec-p256');
  const ec384Key = await generateKey('ec-p384');
  const leaf = (key: GeneratedKey, cn: string) =>
    issueCertificate({ subject: `CN=${cn}, OU=devops, O=Rolecall Tests`, key, issuer: intermediate, dnsNames: [`${cn}.test`] });
  return {
    root,
    intermediate,
    rsaLeaf: await leaf(rsaKey, 'rsa-client'),
    ecLeaf: await leaf(ecKey, 'ec-client'),
    ec384Leaf: await leaf(ec384Key, 'ec384-client'),
    ecKey,
    rsaKey,
  };
}
