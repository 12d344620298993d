// SigV4 wants RFC 3986 strict encoding: only unreserved characters stay. encodeURIComponent also
// leaves ! ' ( ) * alone, and IAM role paths may hold those, so they are escaped here too.

const UNRESERVED = /[A-Za-z0-9\-_.~]/;

/** Percent-encodes the UTF-8 bytes of `value`, leaving only A-Z a-z 0-9 - _ . ~ (uppercase hex). */
export function percentEncode(value: string): string {
  let out = '';
  for (const char of value) {
    if (UNRESERVED.test(char)) {
      out += char;
      continue;
    }
    for (const byte of Buffer.from(char, 'utf8')) {
      out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}
