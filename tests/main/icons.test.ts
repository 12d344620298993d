// The committed icons: every file the tray asks for exists, has the right size, and is what
// scripts/make-icons.mjs draws; macOS template images are black with alpha only.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { trayIconPath } from '../../src/main/tray';
import { PROJECT_ROOT } from '../helpers/cli';

const ICONS = join(PROJECT_ROOT, 'build', 'icons');

/** Width, height and RGBA rows of a non-interlaced 8-bit RGBA PNG whose scanlines use filter 0. */
function readPng(path: string) {
  const bytes = readFileSync(path);
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let width = 0;
  let height = 0;
  const data: Buffer[] = [];
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.subarray(offset + 4, offset + 8).toString('latin1');
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    expect(bytes.readUInt32BE(offset + 8 + length)).toBe(crc32(bytes.subarray(offset + 4, offset + 8 + length)));
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect([...body.subarray(8)]).toEqual([8, 6, 0, 0, 0]);
    }
    if (type === 'IDAT') data.push(body);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const rows = Array.from({ length: height }, (_, y) => raw.subarray(y * (width * 4 + 1), (y + 1) * (width * 4 + 1)));
  expect(rows.every((row) => row[0] === 0)).toBe(true);
  return { width, height, pixels: rows.map((row) => row.subarray(1)) };
}

describe('icons', () => {
  it('has every tray icon the app asks for, at 32 px (16 px and @2x on macOS)', () => {
    for (const variant of ['idle', 'active', 'problem'] as const) {
      for (const platform of ['linux', 'win32'] as const) {
        expect(readPng(trayIconPath(ICONS, platform, variant))).toMatchObject({ width: 32, height: 32 });
      }
      const template = trayIconPath(ICONS, 'darwin', variant);
      expect(readPng(template)).toMatchObject({ width: 16, height: 16 });
      expect(readPng(template.replace(/\.png$/, '@2x.png'))).toMatchObject({ width: 32, height: 32 });
    }
  });

  it('has a 512 px app icon', () => {
    expect(readPng(join(ICONS, 'icon.png'))).toMatchObject({ width: 512, height: 512 });
  });

  it('draws macOS template images in black and alpha only, with something visible', () => {
    for (const name of readdirSync(ICONS).filter((file) => file.includes('Template'))) {
      const { pixels } = readPng(join(ICONS, name));
      let opaque = 0;
      for (const row of pixels) {
        for (let x = 0; x < row.length; x += 4) {
          expect([row[x], row[x + 1], row[x + 2]]).toEqual([0, 0, 0]);
          if ((row[x + 3] ?? 0) > 200) opaque += 1;
        }
      }
      expect(opaque).toBeGreaterThan(20);
    }
  });

  it('are exactly what scripts/make-icons.mjs draws', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rolecall-icons-'));
    try {
      const run = spawnSync(process.execPath, [join(PROJECT_ROOT, 'scripts', 'make-icons.mjs'), dir], { encoding: 'utf8' });
      expect(run.status).toBe(0);
      const drawn = readdirSync(dir).sort();
      expect(readdirSync(ICONS).sort()).toEqual(drawn);
      for (const name of drawn) expect(readFileSync(join(ICONS, name)).equals(readFileSync(join(dir, name))), name).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(existsSync(dir)).toBe(false);
  });
});
