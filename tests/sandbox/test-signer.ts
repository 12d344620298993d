// A deliberately naive signer for sandbox tests, written apart from both src/core/signing and the
// sandbox's verifier: if either drifts from SigV4, these requests stop agreeing with it.
import { createHash, createHmac, sign, type KeyObject } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { RawRequest } from '../../src/sandbox/canonical';

const hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** Percent-encodes every UTF-8 byte outside A-Z a-z 0-9 - _ . ~ */
export function strictEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) => {
      const c = String.fromCharCode(byte);
      return /[A-Za-z0-9_.~-]/.test(c) ? c : '%' + byte.toString(16).toUpperCase().padStart(2, '0');
    })
    .join('');
}

function amzDate(date: Date): string {
  const iso = date.toISOString(); // 2024-01-02T03:04:05.000Z
  return iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10) + 'T' + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19) + 'Z';
}

interface Signable {
  method: string;
  path: string;
  query: string;
  headers: Array<[string, string]>;
  body: Buffer;
}

function canonicalOf(req: Signable, signed: string[], payloadHash = hex(req.body)): string {
  const lines = signed.map((name) => {
    const values = req.headers.filter(([k]) => k.toLowerCase() === name).map(([, v]) => v.trim().replace(/\s+/g, ' '));
    return `${name}:${values.join(',')}\n`;
  });
  return `${req.method}\n${req.path}\n${req.query}\n${lines.join('')}\n${signed.join(';')}\n${payloadHash}`;
}

export interface X509SignInput {
  host: string;
  params: Record<string, string>;
  body?: string;
  certificateDer: Buffer;
  chainDer?: Buffer[];
  privateKey: KeyObject;
  date: Date;
  region?: string;
  /** Defaults from the key type. */
  algorithm?: string;
  /** The serial written into the credential scope; default the certificate's, in decimal. */
  scopeSerial: string;
  /** Extra headers that are signed. */
  signedExtras?: Record<string, string>;
  /** Extra headers sent but not signed. */
  unsignedExtras?: Record<string, string>;
  /** Names to leave out of SignedHeaders although they are sent. */
  leaveUnsigned?: string[];
  /** WebCrypto-style raw r||s instead of DER, the classic ECDSA mistake. */
  ecdsaRaw?: boolean;
  /** Override the query exactly as it goes on the wire and into the canonical request. */
  rawQuery?: string;
  /** Override the scope date (YYYYMMDD). */
  scopeDate?: string;
}

/** Builds a signed CreateSession request the way the docs describe it, in its own simple words. */
export function signCreateSession(input: X509SignInput): RawRequest & { headers: Array<[string, string]> } {
  const region = input.region ?? 'us-east-1';
  const date = amzDate(input.date);
  const query =
    input.rawQuery ??
    Object.keys(input.params)
      .sort()
      .map((k) => `${strictEncode(k)}=${strictEncode(input.params[k] as string)}`)
      .join('&');
  const body = Buffer.from(input.body ?? '{"durationSeconds":3600}', 'utf8');
  const headers: Array<[string, string]> = [
    ['Host', input.host],
    ['Content-Type', 'application/json'],
    ['X-Amz-Date', date],
    ['X-Amz-X509', input.certificateDer.toString('base64')],
  ];
  if (input.chainDer && input.chainDer.length > 0) headers.push(['X-Amz-X509-Chain', input.chainDer.map((d) => d.toString('base64')).join(',')]);
  for (const [k, v] of Object.entries(input.signedExtras ?? {})) headers.push([k, v]);
  const leaveOut = new Set((input.leaveUnsigned ?? []).map((n) => n.toLowerCase()));
  const signed = [...new Set(headers.map(([k]) => k.toLowerCase()))].filter((n) => !leaveOut.has(n)).sort();
  for (const [k, v] of Object.entries(input.unsignedExtras ?? {})) headers.push([k, v]);

  const req: Signable = { method: 'POST', path: '/sessions', query, headers, body };
  const isRsa = input.privateKey.asymmetricKeyType === 'rsa';
  const algorithm = input.algorithm ?? (isRsa ? 'AWS4-X509-RSA-SHA256' : 'AWS4-X509-ECDSA-SHA256');
  const scope = `${input.scopeDate ?? date.slice(0, 8)}/${region}/rolesanywhere/aws4_request`;
  const stringToSign = `${algorithm}\n${date}\n${scope}\n${hex(canonicalOf(req, signed))}`;
  const signature = isRsa
    ? sign('sha256', Buffer.from(stringToSign), input.privateKey)
    : sign('sha256', Buffer.from(stringToSign), { key: input.privateKey, dsaEncoding: input.ecdsaRaw ? 'ieee-p1363' : 'der' });
  headers.push(['Authorization', `${algorithm} Credential=${input.scopeSerial}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${signature.toString('hex')}`]);
  return { method: 'POST', path: '/sessions', query, headers, body };
}

export interface HmacSignInput {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  host: string;
  path: string;
  query?: string;
  body?: string;
  headers?: Record<string, string>;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
  service: string;
  date: Date;
}

/** Standard SigV4 with an access key, every sent header signed. */
export function signHmac(input: HmacSignInput): RawRequest & { headers: Array<[string, string]> } {
  const date = amzDate(input.date);
  const body = Buffer.from(input.body ?? '', 'utf8');
  const headers: Array<[string, string]> = [
    ['Host', input.host],
    ['X-Amz-Date', date],
    ...Object.entries(input.headers ?? {}),
  ];
  if (input.sessionToken !== undefined) headers.push(['X-Amz-Security-Token', input.sessionToken]);
  const signed = headers.map(([k]) => k.toLowerCase()).sort();
  const query = input.query ?? '';
  const canonical = canonicalOf({ method: input.method, path: input.path, query, headers, body }, signed);
  const scope = `${date.slice(0, 8)}/${input.region}/${input.service}/aws4_request`;
  const stringToSign = `AWS4-HMAC-SHA256\n${date}\n${scope}\n${hex(canonical)}`;
  let key: Buffer = createHmac('sha256', `AWS4${input.secretAccessKey}`).update(date.slice(0, 8)).digest();
  for (const part of [input.region, input.service, 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  headers.push(['Authorization', `AWS4-HMAC-SHA256 Credential=${input.accessKeyId}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${signature}`]);
  return { method: input.method, path: input.path, query, headers, body };
}

export interface SentResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

/** Sends exactly these headers (Host included) to the sandbox at `baseUrl`. */
export function send(baseUrl: string, req: RawRequest): Promise<SentResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { host: url.hostname, port: url.port, method: req.method, path: req.query ? `${req.path}?${req.query}` : req.path, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: <T>() => JSON.parse(body) as T });
        });
      },
    );
    outgoing.on('error', reject);
    for (const [name, value] of req.headers) outgoing.setHeader(name, value);
    outgoing.setHeader('Content-Length', String(req.body.length));
    outgoing.end(Buffer.from(req.body));
  });
}
