// Windows Credential Manager holds at most 2,560 bytes per item, less than an RSA-4096 private key.
// A value over the cap is stored as numbered part items plus a small manifest under the account itself.
// Parts live in one of two slots, a and b: a new value is written into the slot the manifest does not
// name and the manifest is switched last, so a crash or failure mid-write leaves the old value readable
// and a retry simply writes the same slot again.

/** A stored value starting with this is a manifest; user values starting with it are always split. */
export const PARTS_MARKER = 'rolecall-parts:';

export type PartSlot = 'a' | 'b';

export interface PartsManifest {
  readonly slot: PartSlot;
  readonly count: number;
  /** Length of the joined value in UTF-16 code units, to detect parts from another write. */
  readonly length: number;
}

export function otherSlot(slot: PartSlot): PartSlot {
  return slot === 'a' ? 'b' : 'a';
}

/** Part accounts use "#", which account names may not contain, so they cannot collide with one. */
export function partAccount(account: string, slot: PartSlot, index: number): string {
  return `${account}#${slot}${index}`;
}

export function encodeManifest(manifest: PartsManifest): string {
  return `${PARTS_MARKER}${JSON.stringify({ v: 1, slot: manifest.slot, count: manifest.count, length: manifest.length })}`;
}

/** The manifest in a stored value, null for a plain value, undefined when the manifest is damaged. */
export function decodeManifest(stored: string): PartsManifest | null | undefined {
  if (!stored.startsWith(PARTS_MARKER)) return null;
  try {
    const raw = JSON.parse(stored.slice(PARTS_MARKER.length)) as Record<string, unknown>;
    const { v, slot, count, length } = raw;
    const valid = v === 1 && (slot === 'a' || slot === 'b') && isCount(count) && isCount(length);
    return valid ? { slot, count: count as number, length: length as number } : undefined;
  } catch {
    return undefined;
  }
}

function isCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** Splits into pieces of at most `maxBytes` UTF-8 bytes each, never inside a character. */
export function splitUtf8(value: string, maxBytes: number): string[] {
  const parts: string[] = [];
  let current = '';
  let currentBytes = 0;
  for (const char of value) {
    const bytes = Buffer.byteLength(char);
    if (currentBytes + bytes > maxBytes) {
      parts.push(current);
      current = '';
      currentBytes = 0;
    }
    current += char;
    currentBytes += bytes;
  }
  if (current !== '') parts.push(current);
  return parts;
}
