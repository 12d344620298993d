// Where the browser tests put their screenshots. A plain test run writes them under test-results/ (not
// committed), so `npm test` leaves the checkout clean; `npm run screenshots` sets ROLECALL_SCREENSHOTS_DIR
// to tests/e2e/screenshots to refresh the committed pictures on purpose.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';

const ROOT = resolve(fileURLToPath(new URL('../../../', import.meta.url)));

export const SCREENSHOTS_DIR = resolve(ROOT, process.env.ROLECALL_SCREENSHOTS_DIR ?? join('test-results', 'screenshots'));

export interface ShotOptions {
  /** Grows the window to this height to show a whole sheet at once. */
  readonly height?: number;
  /** Light and dark, as NAME-light.png and NAME-dark.png; otherwise NAME.png in the page's current scheme. */
  readonly bothSchemes?: boolean;
}

/** Screenshots with motion off, so nothing is caught mid-animation. */
export async function shoot(page: Page, name: string, { height, bothSchemes = false }: ShotOptions = {}): Promise<void> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const size = page.viewportSize();
  const resize = size !== null && height !== undefined && height !== size.height;
  if (resize) await page.setViewportSize({ width: size.width, height });
  if (bothSchemes) {
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
      await page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}-${colorScheme}.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' });
  } else {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`) });
    await page.emulateMedia({ reducedMotion: 'no-preference' });
  }
  if (resize) await page.setViewportSize(size);
}
