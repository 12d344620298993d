#!/usr/bin/env node
// Draws Rolecall's icons into build/icons (or the folder given as the first argument): the app icon,
// coloured tray icons for Windows and Linux, and black-and-alpha template images for the macOS menu bar,
// which macOS tints itself. Plain shapes drawn with anti-aliased distance fields, written as PNG with
// zlib, so the icons are reproducible from this file alone. Run: node scripts/make-icons.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = process.argv[2] ?? join(root, 'build', 'icons');

const COLOURS = {
  idle: [138, 143, 152],
  active: [46, 164, 79],
  problem: [217, 119, 6],
  brand: [31, 79, 209],
  white: [255, 255, 255],
  black: [0, 0, 0],
};

// Signed distances in pixels, negative inside: shapes are combined with min/max.
const circle = (cx, cy, r) => (x, y) => Math.hypot(x - cx, y - cy) - r;
const ring = (cx, cy, r, width) => (x, y) => Math.abs(Math.hypot(x - cx, y - cy) - r) - width / 2;
const box = (cx, cy, halfW, halfH, radius = 0) => (x, y) => {
  const dx = Math.abs(x - cx) - (halfW - radius);
  const dy = Math.abs(y - cy) - (halfH - radius);
  return Math.hypot(Math.max(dx, 0), Math.max(dy, 0)) + Math.min(Math.max(dx, dy), 0) - radius;
};
const union = (...shapes) => (x, y) => Math.min(...shapes.map((shape) => shape(x, y)));

/** Layers of [shape, colour]; a colour of null cuts the layer's shape out of what is below. */
function draw(size, layers) {
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      let [r, g, b, a] = [0, 0, 0, 0];
      for (const [shape, colour] of layers) {
        const coverage = Math.min(1, Math.max(0, 0.5 - shape(px + 0.5, py + 0.5)));
        if (coverage === 0) continue;
        if (colour === null) {
          a *= 1 - coverage;
          continue;
        }
        const outA = coverage + a * (1 - coverage);
        [r, g, b] = [0, 1, 2].map((i) => (colour[i] * coverage + [r, g, b][i] * a * (1 - coverage)) / outA);
        a = outA;
      }
      pixels.set([Math.round(r), Math.round(g), Math.round(b), Math.round(a * 255)], (py * size + px) * 4);
    }
  }
  return png(size, pixels);
}

function png(size, rgba) {
  const rows = [];
  for (let y = 0; y < size; y += 1) rows.push(Buffer.from([0]), rgba.subarray(y * size * 4, (y + 1) * size * 4));
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits per channel, RGBA, deflate, no filter method, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An exclamation mark centred in a square of `size`. */
function exclamation(size) {
  const c = size / 2;
  return union(box(c, c - size * 0.1, size * 0.06, size * 0.15, size * 0.05), circle(c, c + size * 0.22, size * 0.07));
}

// The tray states: idle is an outline, active a filled disc, problem a disc with an exclamation mark.
function trayLayers(size, variant, colour) {
  const c = size / 2;
  const r = size * 0.4;
  if (variant === 'idle') return [[ring(c, c, r - size * 0.05, size * 0.1), colour]];
  if (variant === 'active') return [[circle(c, c, r), colour]];
  return [[circle(c, c, r), colour], [exclamation(size), variant === 'template-problem' ? null : COLOURS.white]];
}

function appIcon(size) {
  const c = size / 2;
  return [
    [box(c, c, size * 0.45, size * 0.45, size * 0.1), COLOURS.brand],
    [ring(c, c, size * 0.27, size * 0.075), COLOURS.white],
    [circle(c, c, size * 0.1), COLOURS.white],
  ];
}

const files = {
  'icon.png': draw(512, appIcon(512)),
  'tray-idle.png': draw(32, trayLayers(32, 'idle', COLOURS.idle)),
  'tray-active.png': draw(32, trayLayers(32, 'active', COLOURS.active)),
  'tray-problem.png': draw(32, trayLayers(32, 'problem', COLOURS.problem)),
};
for (const [name, variant] of [['trayTemplate', 'idle'], ['trayActiveTemplate', 'active'], ['trayProblemTemplate', 'template-problem']]) {
  files[`${name}.png`] = draw(16, trayLayers(16, variant, COLOURS.black));
  files[`${name}@2x.png`] = draw(32, trayLayers(32, variant, COLOURS.black));
}

mkdirSync(outDir, { recursive: true });
for (const [name, bytes] of Object.entries(files)) writeFileSync(join(outDir, name), bytes);
console.log(`Wrote ${Object.keys(files).length} icons to ${outDir}`);
