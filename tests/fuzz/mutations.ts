// Damaged versions of real inputs. Fully random bytes rarely get past a parser's first check, so most
// fuzz cases start from a real file and change a few things the way damage and hostile edits do: bit
// flips, truncation, bytes inserted or dropped, and ASN.1 length fields set to lies (too short, too
// long, indefinite, absurdly large), which is where DER readers break.
import fc from 'fast-check';

/** Offsets of every TLV header in a DER blob (nested ones too), found once per seed file. */
export function tlvOffsets(der: Uint8Array): number[] {
  const offsets: number[] = [];
  const walk = (start: number, end: number, depth: number) => {
    let at = start;
    while (at < end && depth < 32) {
      const header = readHeader(der, at, end);
      if (header === undefined) return;
      offsets.push(at);
      const contentStart = at + header.headerLength;
      const contentEnd = contentStart + header.length;
      // Constructed elements, and BIT/OCTET STRINGs that often wrap DER of their own (keys, extensions).
      const tag = der[at] ?? 0;
      if ((tag & 0x20) !== 0) walk(contentStart, contentEnd, depth + 1);
      else if (tag === 0x04) walk(contentStart, contentEnd, depth + 1);
      else if (tag === 0x03) walk(contentStart + 1, contentEnd, depth + 1);
      at = contentEnd;
    }
  };
  walk(0, der.length, 0);
  return offsets;
}

function readHeader(der: Uint8Array, at: number, end: number): { headerLength: number; length: number } | undefined {
  const first = der[at + 1];
  if (first === undefined || at + 2 > end) return undefined;
  if (first < 0x80) return at + 2 + first <= end ? { headerLength: 2, length: first } : undefined;
  const count = first & 0x7f;
  if (count === 0 || count > 3 || at + 2 + count > end) return undefined;
  let length = 0;
  for (let index = 0; index < count; index += 1) length = length * 256 + (der[at + 2 + index] ?? 0);
  return at + 2 + count + length <= end ? { headerLength: 2 + count, length } : undefined;
}

export type Mutation =
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'set'; readonly at: number; readonly value: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly kind: 'delete'; readonly at: number; readonly count: number }
  | { readonly kind: 'length'; readonly tlv: number; readonly lengthBytes: Uint8Array };

// Length encodings a liar would pick: zero, short forms, indefinite (BER), long forms with too many
// or too few bytes, and a 4 GiB claim.
const lengthBytes = fc.oneof(
  fc.integer({ min: 0, max: 0x7f }).map((n) => Uint8Array.of(n)),
  fc.constantFrom(Uint8Array.of(0x80), Uint8Array.of(0x81, 0x00), Uint8Array.of(0x81, 0xff), Uint8Array.of(0x82, 0xff, 0xff), Uint8Array.of(0x84, 0xff, 0xff, 0xff, 0xff), Uint8Array.of(0x89), Uint8Array.of(0xff)),
  fc.tuple(fc.integer({ min: 1, max: 3 }), fc.uint8Array({ minLength: 3, maxLength: 3 })).map(([count, bytes]) => Uint8Array.of(0x80 | count, ...bytes.subarray(0, count))),
);

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 16 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('length' as const), tlv: fc.nat(), lengthBytes }) },
);

/** Applies mutations in order; positions wrap around the current length, so every one lands. */
export function mutate(seed: Uint8Array, mutations: readonly Mutation[]): Buffer {
  let bytes = Buffer.from(seed);
  for (const change of mutations) {
    if (bytes.length === 0) break;
    switch (change.kind) {
      case 'flip': {
        const at = change.at % bytes.length;
        bytes[at] = (bytes[at] ?? 0) ^ (1 << change.bit);
        break;
      }
      case 'set':
        bytes[change.at % bytes.length] = change.value;
        break;
      case 'truncate':
        bytes = bytes.subarray(0, change.at % bytes.length);
        break;
      case 'insert': {
        const at = change.at % (bytes.length + 1);
        bytes = Buffer.concat([bytes.subarray(0, at), change.bytes, bytes.subarray(at)]);
        break;
      }
      case 'delete': {
        const at = change.at % bytes.length;
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + change.count)]);
        break;
      }
      case 'length': {
        const offsets = tlvOffsets(bytes);
        const at = offsets[change.tlv % Math.max(offsets.length, 1)];
        if (at === undefined) break;
        const first = bytes[at + 1] ?? 0;
        const oldLength = first < 0x80 ? 1 : 1 + (first & 0x7f);
        bytes = Buffer.concat([bytes.subarray(0, at + 1), change.lengthBytes, bytes.subarray(at + 1 + oldLength)]);
        break;
      }
    }
  }
  return bytes;
}

/** One to four mutations of one of the seeds. */
export function mutated(seeds: readonly Uint8Array[]): fc.Arbitrary<Buffer> {
  return fc.tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([seed, changes]) => mutate(seed, changes));
}
