import { defineConfig } from '@playwright/test';
import { CHROMIUM_LAUNCH_OPTIONS } from './tests/e2e/harness/chromium';

// The renderer in Debian's Chromium (Electron cannot run on these machines). Never `playwright install`.
export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  workers: 1,
  fullyParallel: false,
  timeout: 30_000,
  reporter: process.env.CI ? 'line' : 'list',
  use: {
    browserName: 'chromium',
    viewport: { width: 900, height: 640 },
    launchOptions: CHROMIUM_LAUNCH_OPTIONS,
  },
});
