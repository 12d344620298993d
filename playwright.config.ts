import { defineConfig } from '@playwright/test';
import { CHROMIUM_LAUNCH_OPTIONS } from './tests/e2e/harness/chromium';

// Two projects. "browser": the renderer in Debian's Chromium against a real agent or in-test handlers
// (Electron cannot run on these machines; never `playwright install`). "electron": the real app through
// Playwright's _electron, on machines with the Electron binary and a display (the desktop workflow);
// elsewhere its test reports itself skipped, with the reason.
export default defineConfig({
  outputDir: 'test-results',
  workers: 1,
  fullyParallel: false,
  timeout: 30_000,
  reporter: process.env.CI ? 'line' : 'list',
  projects: [
    {
      name: 'browser',
      testDir: 'tests/e2e',
      use: {
        browserName: 'chromium',
        viewport: { width: 900, height: 640 },
        launchOptions: CHROMIUM_LAUNCH_OPTIONS,
      },
    },
    {
      name: 'electron',
      testDir: 'tests/electron',
      // Start-up of the app and its agent, then a real CreateSession: slower than a page.
      timeout: 120_000,
    },
  ],
});
