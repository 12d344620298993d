// Every private key form is turned into plain PKCS#8 DER before Node sees it: BoringSSL (Electron) and
// OpenSSL (Node) both accept PKCS#8 RSA and EC keys, while their support for the older forms and for
// encryption schemes differs.

import { RolecallError } from '../../shared/errors';
import { Asn1Type, create, oid, oidValue, parseDer, sequenceChildren, toDer, binary, children, Asn1Class, type Asn1 } from './der';
import { kindOf } from './der-kind';
import { EC_PUBLIC_KEY_OID, RSA_ENCRYPTION_OID } from './key-type';
import { pbeDecrypt } from './pbe';

/** PKCS#1 RSAPrivateKey -> PrivateKeyInfo { 0, rsaEncryption NULL, OCTET STRING }. */
export function wrapPkcs1(pkcs1: Buffer): Buffer {
  return privateKeyInfo(create(Asn1Type.SEQUENCE, true, [oid(RSA_ENCRYPTION_OID), create(Asn1Type.NULL, false, '')]), pkcs1);
}

/**
 * SEC1 ECPrivateKey -> PrivateKeyInfo { 0, id-ecPublicKey namedCurve, OCTET STRING }. The curve comes
 * from the key's own parameters, else from an "EC PARAMETERS" PEM block next to it.
 */
export function wrapSec1(sec1: Buffer, curveFromParameters?: string): Buffer {
  const fields = sequenceChildren(parseDer(sec1)) ?? [];
  const parameters = fields.find((field) => field.tagClass === Asn1Class.CONTEXT_SPECIFIC && field.type === 0);
  const curve = oidValue(children(parameters)[0]) ?? curveFromParameters;
  if (curve === undefined) {
    if (parameters !== undefined) throw new RolecallError('KEY_UNSUPPORTED', 'EC key with explicit curve parameters');
    throw new RolecallError('KEY_UNREADABLE', 'the EC key does not name its curve');
  }
  return privateKeyInfo(create(Asn1Type.SEQUENCE, true, [oid(EC_PUBLIC_KEY_OID), oid(curve)]), sec1);
}

/** The curve OID of an "EC PARAMETERS" block, when it names one. */
export function namedCurveOf(ecParameters: Buffer): string | undefined {
  return oidValue(parseDer(ecParameters));
}

/** EncryptedPrivateKeyInfo -> PrivateKeyInfo DER, with the passphrase. */
export function decryptPkcs8(encrypted: Buffer, passphrase: string | undefined): Buffer {
  const [algorithm, data] = sequenceChildren(parseDer(encrypted)) ?? [];
  const ciphertext = typeof data?.value === 'string' ? data.value : undefined;
  if (ciphertext === undefined) throw new RolecallError('KEY_UNREADABLE', 'the encrypted PKCS#8 structure is damaged');
  if (passphrase === undefined) throw new RolecallError('KEY_PASSPHRASE_REQUIRED');
  const plaintext = pbeDecrypt(algorithm, ciphertext, passphrase, 'KEY_UNREADABLE');
  const der = plaintext === undefined ? undefined : binary(plaintext);
  // A wrong passphrase passes the padding check about once in 256 tries; the result is then noise.
  if (der === undefined || !isPrivateKeyInfo(der)) throw new RolecallError('KEY_PASSPHRASE_WRONG');
  return der;
}

export function isPrivateKeyInfo(der: Buffer): boolean {
  const root = parseDer(der);
  return root !== undefined && kindOf(root) === 'private-key-info';
}

function privateKeyInfo(algorithm: Asn1, key: Buffer): Buffer {
  return toDer(create(Asn1Type.SEQUENCE, true, [
    create(Asn1Type.INTEGER, false, '\x00'),
    algorithm,
    create(Asn1Type.OCTETSTRING, false, key.toString('binary')),
  ]));
}
