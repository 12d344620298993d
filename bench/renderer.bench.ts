// The window's weight and speed: the renderer's JavaScript and CSS as shipped (raw and gzipped, from a
// fresh `electron-vite build`), and, for lists of 10 and of 1,000 profiles in Debian's Chromium (median
// of 5 fresh pages each), the window's own first render as it measures it with the Performance API
// (src/renderer/first-render.ts: the state in hand to the first frame painted with the rows), beside
// the time from navigation to the list, which also holds loading the page and the test bridge's
// transfer; then, in the list of 1,000, a profile's details opened by a click (to the dialog open, and to
// its timeline of 50 events listed). The bridge answers from in-process view models
// (tests/e2e/harness/fake-views.ts): this measures the window, not the agent.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { CHROMIUM_LAUNCH_OPTIONS } from '../tests/e2e/harness/chromium';
import { activeProfile, fakeProfile, fakeState, handlerBridge } from '../tests/e2e/harness/fake-views';
import { installRolecallBridge } from '../tests/e2e/harness/install-bridge';
import { serveRenderer } from '../tests/e2e/harness/serve-renderer';
import { reportFigure } from './report';
import { FIRST_RENDER } from '../src/shared/first-render';
import { ms, percentile, table } from './stats';

const root = process.env.ROLECALL_ROOT ?? '.';
const RUNS = 5;

const built = spawnSync(join(root, 'node_modules', '.bin', 'electron-vite'), ['build'], { cwd: root, encoding: 'utf8' });
if (built.status !== 0) throw new Error(`electron-vite build failed:\n${built.stderr}`);
const rendererDir = join(root, 'out', 'renderer');
const assets = join(rendererDir, 'assets');
const sizeRows = readdirSync(assets)
  .filter((file) => /\.(js|css)$/.test(file))
  .sort()
  .map((file) => {
    const bytes = readFileSync(join(assets, file));
    return [file, `${(bytes.length / 1024).toFixed(1)} KiB`, `${(gzipSync(bytes, { level: 9 }).length / 1024).toFixed(1)} KiB`];
  });
console.log(table(['renderer asset', 'raw', 'gzip -9'], sizeRows));
const shipped = readdirSync(assets).filter((file) => /\.(js|css)$/.test(file)).map((file) => readFileSync(join(assets, file)));
reportFigure({ name: 'renderer JavaScript + CSS, raw', value: Number((shipped.reduce((sum, bytes) => sum + bytes.length, 0) / 1024).toFixed(1)), unit: 'KiB' });
reportFigure({ name: 'renderer JavaScript + CSS, gzip -9', value: Number((shipped.reduce((sum, bytes) => sum + gzipSync(bytes, { level: 9 }).length, 0) / 1024).toFixed(1)), unit: 'KiB' });
const scripts = readdirSync(assets).filter((file) => file.endsWith('.js')).map((file) => readFileSync(join(assets, file)));
const scriptsGzipKiB = Number((scripts.reduce((sum, bytes) => sum + gzipSync(bytes, { level: 9 }).length, 0) / 1024).toFixed(1));
reportFigure({ name: 'renderer JavaScript, gzip -9', value: scriptsGzipKiB, unit: 'KiB', goal: '≤ 150 KiB', holds: scriptsGzipKiB <= 150 });

/** A mix like a large team's: mostly active, some off, one failed, one with an expiring certificate. */
function profiles(count: number) {
  return Array.from({ length: count }, (_, index) => {
    const name = `team-${String(index).padStart(4, '0')}`;
    if (index % 7 === 0) return fakeProfile(name);
    if (index === 3) return fakeProfile(name, { status: 'failed', lastError: { code: 'ACCESS_DENIED', message: 'Roles Anywhere denied the request.', next: 'Check the trust policy.' } });
    if (index === 5) return activeProfile(name, 200, { certificateState: 'expiring', certificateDaysLeft: 9 });
    return activeProfile(name, 600 + index * 37, { delivery: index % 3 === 0 ? 'process' : 'file' });
  });
}

/** The little of the DOM the page-side timings use (the benchmarks' TypeScript has no DOM library). */
interface PageGlobals {
  __listRenderedAt?: number;
  readonly document: { readonly body: unknown; querySelector(selector: string): unknown; querySelectorAll(selector: string): Iterable<{ textContent: string | null; click(): void }> };
  readonly MutationObserver: new (callback: (records: unknown, observer: { disconnect(): void }) => void) => { observe(target: unknown, options: object): void; disconnect(): void };
}

/** Records, in page time, when the first row with the expected set size appears. */
function watchForList(expectedSize: string) {
  const page = globalThis as unknown as PageGlobals;
  new page.MutationObserver((_, observer) => {
    if (page.document.querySelector(`[role="listitem"][aria-setsize="${expectedSize}"]`)) {
      page.__listRenderedAt = performance.now();
      observer.disconnect();
    }
  }).observe(page.document, { childList: true, subtree: true });
}

/**
 * The window's own first render (its Performance API measure), navigation to list, and one more state.get
 * from the page alone (what the test bridge's transfer costs).
 */
async function firstRender(browser: Browser, url: string, count: number): Promise<{ own: number[]; rendered: number[]; transfer: number[] }> {
  const state = fakeState(profiles(count));
  const own: number[] = [];
  const rendered: number[] = [];
  const transfer: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const context = await browser.newContext({ viewport: { width: 900, height: 640 } });
    const bridge = handlerBridge({ 'state.get': () => state });
    await installRolecallBridge(context, bridge.call, bridge.subscribe);
    await context.addInitScript(watchForList, String(count));
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => (globalThis as { __listRenderedAt?: number }).__listRenderedAt !== undefined, undefined, { timeout: 30_000 });
    // performance.now() counts from the navigation's start.
    rendered.push(await page.evaluate(() => (globalThis as unknown as { __listRenderedAt: number }).__listRenderedAt));
    const measure = await page.waitForFunction((name) => performance.getEntriesByName(name, 'measure')[0]?.duration, FIRST_RENDER, { timeout: 30_000 });
    own.push((await measure.jsonValue()) as number);
    transfer.push(
      await page.evaluate(async () => {
        const api = (globalThis as unknown as { rolecall: { state: { get(input: object): Promise<unknown> } } }).rolecall;
        const started = performance.now();
        await api.state.get({});
        return performance.now() - started;
      }),
    );
    await context.close();
  }
  return { own, rendered, transfer };
}

/** The agent's timeline at its cap: 50 events, newest first. */
function fullTimeline(now: number) {
  const kinds = ['delivered', 'refreshed'] as const;
  return Array.from({ length: 50 }, (_, index) => {
    const at = now - index * 50 * 60_000;
    const kind = kinds[index % 2] ?? 'delivered';
    return { at: new Date(at).toISOString(), kind, expiresAt: new Date(at + 3_600_000).toISOString(), ...(kind === 'refreshed' && { accessKeyIdMasked: 'ASIA…WXYZ' }) };
  });
}

/** In page time, from the click on a profile's name to its dialog open, and to its timeline's last event listed. */
function timeDetailsOpen(name: string): Promise<{ open: number; timeline: number }> {
  return new Promise((resolve) => {
    const page = globalThis as unknown as PageGlobals;
    const button = [...page.document.querySelectorAll('button.profile-name')].find((each) => each.textContent === name);
    const started = performance.now();
    let open: number | undefined;
    const observer = new page.MutationObserver(() => {
      if (open === undefined && page.document.querySelector('dialog[open]')) open = performance.now() - started;
      if (open !== undefined && page.document.querySelector('dialog[open] [aria-label^="Events of"] li:nth-child(50)')) {
        observer.disconnect();
        resolve({ open, timeline: performance.now() - started });
      }
    });
    observer.observe(page.document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['open'] });
    button?.click();
  });
}

/** A profile's details opened from the list of 1,000, closed and opened again, in one page. */
async function detailsOpen(browser: Browser, url: string): Promise<{ open: number[]; timeline: number[] }> {
  const state = fakeState(profiles(1000));
  const events = fullTimeline(Date.now());
  const context = await browser.newContext({ viewport: { width: 900, height: 640 } });
  const bridge = handlerBridge({ 'state.get': () => state, 'timeline.get': () => ({ events }) });
  await installRolecallBridge(context, bridge.call, bridge.subscribe);
  const page = await context.newPage();
  await page.goto(url);
  const name = 'team-0001';
  await page.locator('button.profile-name', { hasText: name }).waitFor({ timeout: 30_000 });
  const open: number[] = [];
  const timeline: number[] = [];
  try {
    for (let run = 0; run < RUNS; run += 1) {
      const timed = await page.evaluate(timeDetailsOpen, name);
      open.push(timed.open);
      timeline.push(timed.timeline);
      await page.getByRole('dialog', { name }).getByRole('button', { name: 'Close', exact: true }).first().click();
      await page.getByRole('dialog', { name }).waitFor({ state: 'hidden' });
    }
  } finally {
    await context.close();
  }
  return { open, timeline };
}

// playwright-core stays outside the bundle; resolve it from the project, not the bundle's temp folder.
const { chromium } = createRequire(join(root, 'package.json'))('playwright-core') as typeof import('playwright-core');
const served = await serveRenderer(rendererDir);
const browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
try {
  const rows = [];
  for (const count of [10, 1000]) {
    const { own, rendered, transfer } = await firstRender(browser, served.url, count);
    const median = percentile(own, 50);
    reportFigure({ name: `first render of ${count} profiles (the window's own measure), median`, value: median, unit: 'ms', ...(count === 1000 && { goal: '≤ 200 ms', holds: median <= 200 }) });
    reportFigure({ name: `navigation to the list of ${count} profiles, median`, value: percentile(rendered, 50), unit: 'ms' });
    rows.push([`${count} profiles`, ms(median), ms(Math.min(...own)), ms(Math.max(...own)), ms(percentile(rendered, 50)), ms(percentile(transfer, 50))]);
  }
  console.log(`\nThe window's first render: state in hand to the first frame painted with the rows (${FIRST_RENDER}), ${RUNS} fresh pages each, Debian Chromium headless.`);
  console.log('Navigation to list also holds loading the page and the state.get through the test bridge (Playwright binding, JSON), whose time on its own is the last column.');
  console.log(table(['list', 'first render median', 'min', 'max', 'navigation to list median', 'state.get via bridge'], rows));

  const details = await detailsOpen(browser, served.url);
  const openMedian = percentile(details.open, 50);
  reportFigure({ name: 'a profile\'s details opened from the list of 1,000, click to dialog open, median', value: openMedian, unit: 'ms', goal: '≤ 50 ms', holds: openMedian <= 50 });
  reportFigure({ name: 'a profile\'s details opened, click to its 50 timeline events listed, median', value: percentile(details.timeline, 50), unit: 'ms' });
  console.log(`\nA profile's details from the list of 1,000, ${RUNS} opens in one page: click to the dialog open, and to its timeline of 50 events listed.`);
  console.log(table(['details', 'median', 'min', 'max'], [
    ['dialog open', ms(openMedian), ms(Math.min(...details.open)), ms(Math.max(...details.open))],
    ['timeline listed', ms(percentile(details.timeline, 50)), ms(Math.min(...details.timeline)), ms(Math.max(...details.timeline))],
  ]));
} finally {
  await browser.close();
  await served.close();
}
