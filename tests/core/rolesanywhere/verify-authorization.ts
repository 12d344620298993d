// Checks a recorded request's Authorization with its own SigV4-X509 code (not src/core/signing),
// so a canonicalisation bug in the client cannot agree with itself.

import { createHash, verify, type KeyObject } from 'node:crypto';
import type { RecordedRequest } from './fake-rolesanywhere';

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
const rfc3986 = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export interface AuthorizationCheck {
  readonly valid: boolean;
  readonly algorithm: string;
  readonly credential: string;
  readonly signedHeaders: string[];
  readonly stringToSign: string;
}

export function checkAuthorization(request: RecordedRequest, publicKey: KeyObject): AuthorizationCheck {
  const header = String(request.headers.authorization ?? '');
  const match = /^(AWS4-X509-(?:RSA|ECDSA)-SHA256) Credential=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]+)$/.exec(header);
  if (!match) throw new Error(`malformed Authorization: ${header}`);
  const [, algorithm = '', credential = '', signedHeaderText = '', signatureHex = ''] = match;
  const signedHeaders = signedHeaderText.split(';');
  const [path = '', rawQuery = ''] = request.url.split('?');
  const query = [...new URLSearchParams(rawQuery)]
    .map(([key, value]) => `${rfc3986(key)}=${rfc3986(value)}`)
    .sort()
    .join('&');
  const headerLines = signedHeaders.map((name) => `${name}:${String(request.headers[name] ?? '').trim().replace(/ +/g, ' ')}\n`).join('');
  const canonical = ['POST', path, query, headerLines, signedHeaderText, sha256(request.body)].join('\n');
  const scope = credential.split('/').slice(1).join('/');
  const stringToSign = [algorithm, String(request.headers['x-amz-date']), scope, sha256(canonical)].join('\n');
  const valid = verify('sha256', Buffer.from(stringToSign), { key: publicKey, dsaEncoding: 'der' }, Buffer.from(signatureHex, 'hex'));
  return { valid, algorithm, credential, signedHeaders, stringToSign };
}
