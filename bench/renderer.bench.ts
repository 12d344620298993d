// The window's weight and speed: the renderer's JavaScript and CSS as shipped (raw and gzipped, from a
// fresh `electron-vite build`), and the time from navigation to a rendered list of 10 and of 1,000
// profiles in Debian's Chromium (median of 5 fresh pages each). The bridge answers from in-process
// view models (tests/e2e/harness/fake-views.ts): this measures the window, not the agent.
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

/** The little of the DOM watchForList uses (the benchmarks' TypeScript has no DOM library). */
interface PageGlobals {
  __listRenderedAt?: number;
  readonly document: { querySelector(selector: string): unknown };
  readonly MutationObserver: new (callback: (records: unknown, observer: { disconnect(): void }) => void) => { observe(target: unknown, options: object): void };
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

/** Navigation to list, and one more state.get from the page alone (what the test bridge's transfer costs). */
async function firstRender(browser: Browser, url: string, count: number): Promise<{ rendered: number[]; transfer: number[] }> {
  const state = fakeState(profiles(count));
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
  return { rendered, transfer };
}

// playwright-core stays outside the bundle; resolve it from the project, not the bundle's temp folder.
const { chromium } = createRequire(join(root, 'package.json'))('playwright-core') as typeof import('playwright-core');
const served = await serveRenderer(rendererDir);
const browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
try {
  const rows = [];
  for (const count of [10, 1000]) {
    const { rendered, transfer } = await firstRender(browser, served.url, count);
    reportFigure({ name: `first render of ${count} profiles, median`, value: percentile(rendered, 50), unit: 'ms' });
    rows.push([`${count} profiles`, ms(percentile(rendered, 50)), ms(Math.min(...rendered)), ms(Math.max(...rendered)), ms(percentile(transfer, 50))]);
  }
  console.log(`\nNavigation start to the list rendered (first row in the DOM), ${RUNS} fresh pages each, Debian Chromium headless.`);
  console.log('The last column is one state.get through the test bridge (Playwright binding, JSON) on its own: part of the first figure.');
  console.log(table(['list', 'median', 'min', 'max', 'state.get via bridge'], rows));
} finally {
  await browser.close();
  await served.close();
}
