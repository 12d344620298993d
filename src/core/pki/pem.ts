// PEM blocks (RFC 7468, with RFC 1421 headers for OpenSSL's legacy key encryption). Text around and
// between blocks is ignored, as OpenSSL does: bundles often carry "subject=" lines or comments.

import { RolecallError, type ErrorCode } from '../../shared/errors';

export interface PemBlock {
  /** The label between BEGIN and the dashes, e.g. "CERTIFICATE" or "ENCRYPTED PRIVATE KEY". */
  readonly label: string;
  /** RFC 1421 headers such as Proc-Type and DEK-Info; empty for modern PEM. */
  readonly headers: ReadonlyMap<string, string>;
  readonly der: Buffer;
}

const MARKER = /-----(BEGIN|END) ([A-Z0-9][A-Z0-9 #._-]*?)-----/g;
const HEADER_LINE = /^([A-Za-z][A-Za-z0-9-]*):\s*(.*)$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Bytes read from a file as text without ever failing on non-UTF-8 content. */
export function asText(input: Buffer | string): string {
  return typeof input === 'string' ? input : input.toString('latin1');
}

export function hasPemMarkers(input: Buffer | string): boolean {
  return asText(input).includes('-----BEGIN ');
}

/**
 * Splits text into its PEM blocks. A BEGIN without its END (a cut copy-paste) is PEM_TRUNCATED; a
 * body that is not base64 throws `malformedCode`, so the caller decides whether that is a
 * certificate or a key problem.
 */
export function splitPem(input: Buffer | string, malformedCode: ErrorCode): PemBlock[] {
  const text = asText(input);
  const blocks: PemBlock[] = [];
  let open: { label: string; bodyStart: number } | undefined;
  for (const match of text.matchAll(MARKER)) {
    const label = match[2] ?? '';
    const at = match.index ?? 0;
    if (match[1] === 'BEGIN') {
      if (open) throw truncated(open.label);
      open = { label, bodyStart: at + match[0].length };
      continue;
    }
    if (!open) continue;
    if (label !== open.label) throw new RolecallError('PEM_TRUNCATED', `BEGIN ${open.label} is closed by END ${label}`);
    blocks.push(decodeBody(open.label, text.slice(open.bodyStart, at), malformedCode));
    open = undefined;
  }
  if (open) throw truncated(open.label);
  return blocks;
}

export function toPem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function truncated(label: string): RolecallError {
  return new RolecallError('PEM_TRUNCATED', `-----BEGIN ${label}----- has no matching END line`);
}

function decodeBody(label: string, body: string, malformedCode: ErrorCode): PemBlock {
  const lines = body.split(/\r?\n|\r/);
  let index = lines.findIndex((line) => line.trim() !== '');
  if (index < 0) index = lines.length;
  const headers = new Map<string, string>();
  // RFC 1421 headers run to the first blank line; a line starting with whitespace continues one.
  if (HEADER_LINE.test(lines[index]?.trim() ?? '')) {
    let last: string | undefined;
    for (let line = lines[index]; line !== undefined && line.trim() !== ''; line = lines[(index += 1)]) {
      const header = /^\s/.test(line) ? null : HEADER_LINE.exec(line.trim());
      if (header?.[1] !== undefined) {
        last = header[1];
        headers.set(last, (header[2] ?? '').trim());
      } else if (last !== undefined) {
        headers.set(last, `${headers.get(last) ?? ''}${line.trim()}`);
      }
    }
  }
  const base64 = lines.slice(index).join('').replace(/\s+/g, '');
  if (base64 === '' || base64.length % 4 !== 0 || !BASE64.test(base64)) {
    throw new RolecallError(malformedCode, `the ${label} PEM block is not valid base64`);
  }
  return { label, headers, der: Buffer.from(base64, 'base64') };
}
