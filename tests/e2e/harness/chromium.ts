// How the browser tests and the renderer benchmark launch Chromium: Debian's own build (Electron cannot
// run on these machines, and `playwright install` must never run), quiet and without GPU.
export const CHROMIUM_LAUNCH_OPTIONS = {
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};
