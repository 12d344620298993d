// @peculiar/x509 for CSRs and the local CA, loaded on first use: `credential-process` imports the
// core on every SDK refresh and must not pay for it. The library needs reflect-metadata first and a
// WebCrypto provider set once.
import { webcrypto, type KeyObject } from 'node:crypto';

export type X509 = typeof import('@peculiar/x509');

let loading: Promise<X509> | undefined;

export function loadX509(): Promise<X509> {
  loading ??= (async () => {
    await import('reflect-metadata');
    // Bundled, the CommonJS build arrives as the namespace's default export.
    const module: X509 & { default?: X509 } = await import('@peculiar/x509');
    const x509 = module.default ?? module;
    x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
    return x509;
  })();
  return loading;
}

export type SigningAlgorithm = { readonly name: 'RSASSA-PKCS1-v1_5'; readonly hash: string } | { readonly name: 'ECDSA'; readonly namedCurve: string; readonly hash: string };

/**
 * The WebCrypto algorithm that signs with this key: RSA PKCS#1 v1.5 with SHA-256, ECDSA with SHA-256 on
 * P-256 and SHA-384 on P-384 (each curve with its matching hash, all SHA-256 or stronger).
 */
export function signingAlgorithmFor(key: KeyObject): SigningAlgorithm {
  if (key.asymmetricKeyType === 'rsa') return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const curve = key.asymmetricKeyDetails?.namedCurve === 'secp384r1' ? 'P-384' : 'P-256';
  return { name: 'ECDSA', namedCurve: curve, hash: curve === 'P-384' ? 'SHA-384' : 'SHA-256' };
}

/** The node KeyObjects as a WebCrypto pair, which is what the library signs with. */
export async function toCryptoKeyPair(privateKey: KeyObject, publicKey: KeyObject): Promise<webcrypto.CryptoKeyPair> {
  const algorithm = signingAlgorithmFor(privateKey);
  const [privateCrypto, publicCrypto] = await Promise.all([
    webcrypto.subtle.importKey('pkcs8', privateKey.export({ type: 'pkcs8', format: 'der' }), algorithm, false, ['sign']),
    webcrypto.subtle.importKey('spki', publicKey.export({ type: 'spki', format: 'der' }), algorithm, true, ['verify']),
  ]);
  return { privateKey: privateCrypto, publicKey: publicCrypto };
}
