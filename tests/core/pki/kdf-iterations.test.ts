import forge from 'node-forge';
import { describe, expect, test } from 'vitest';
import { parsePkcs12, parsePrivateKey, splitPem, toPem } from '../../../src/core/pki';
import { codeOf, PASSWORD, pki } from './helpers';

type Node = forge.asn1.Asn1;
/** A positive DER INTEGER of any size (forge's integerToDer stops at 32 bits). */
function integer(value: number): Node {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (Number.parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  return forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.INTEGER, false, Buffer.from(hex, 'hex').toString('binary'));
}
const read = (der: Buffer): Node => forge.asn1.fromDer(der.toString('binary'));
const write = (node: Node): Buffer => Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
const at = (node: Node | undefined, ...path: number[]): Node => path.reduce((current, index) => (current.value as Node[])[index] as Node, node as Node);

/** The encrypted PKCS#8 fixture with its PBKDF2 iteration count replaced. */
function pkcs8WithIterations(iterations: number): string {
  const [block] = splitPem(pki('leaf-rsa2048.key.pkcs8-encrypted.pem'), 'KEY_UNREADABLE');
  const root = read(block!.der);
  // EncryptedPrivateKeyInfo { { PBES2, { { PBKDF2, { salt, iterationCount, … } }, enc } }, data }
  const pbkdf2Params = at(root, 0, 1, 0, 1);
  (pbkdf2Params.value as Node[])[1] = integer(iterations);
  return toPem('ENCRYPTED PRIVATE KEY', write(root));
}

/** A PKCS#12 fixture with its MAC iteration count replaced. */
function pkcs12WithMacIterations(file: string, iterations: number): Buffer {
  const root = read(pki(file));
  (at(root, 2).value as Node[])[2] = integer(iterations);
  return write(root);
}

function timed<T>(action: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = action();
  return { value, ms: performance.now() - started };
}

// Key derivation runs in JavaScript on the agent's one thread: a file asking for billions of
// iterations froze it (about 1.3 µs each), so such files are refused before any work is done.
describe('key derivation iteration counts', () => {
  test('refuses an encrypted PKCS#8 key asking for more than a million PBKDF2 iterations, at once', () => {
    const { value, ms } = timed(() => codeOf(() => parsePrivateKey(pkcs8WithIterations(5_000_000), { passphrase: PASSWORD })));
    expect(value).toBe('KEY_UNREADABLE');
    expect(ms).toBeLessThan(1000);
  });

  test('refuses a PKCS#12 file whose MAC asks for more than a million iterations, modern or legacy', () => {
    for (const file of ['leaf-rsa2048.p12', 'leaf-rsa2048.legacy.p12']) {
      for (const iterations of [5_000_000, 0xffffffff]) {
        const { value, ms } = timed(() => codeOf(() => parsePkcs12(pkcs12WithMacIterations(file, iterations), PASSWORD)));
        expect(value, `${file} ${iterations}`).toBe('PKCS12_UNREADABLE');
        expect(ms).toBeLessThan(1000);
      }
    }
  });

  test('still derives the key for ordinary counts', () => {
    expect(parsePrivateKey(pkcs8WithIterations(2048), { passphrase: PASSWORD }).algorithm).toBe('RSA-2048');
    // Another count derives another key, so the passphrase no longer fits: proof the derivation ran rather than being refused.
    expect(codeOf(() => parsePrivateKey(pkcs8WithIterations(100_000), { passphrase: PASSWORD }))).toBe('KEY_PASSPHRASE_WRONG');
    expect(parsePkcs12(pkcs12WithMacIterations('leaf-rsa2048.p12', 2048), PASSWORD).privateKey.algorithm).toBe('RSA-2048');
  });
});
