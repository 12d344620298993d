// Command-line flags of the app. Electron's argv also holds its own path, the app path and Chromium
// switches, so flags are looked up rather than parsed positionally.
import { START_HIDDEN_FLAG } from './autostart';

export interface LaunchFlags {
  /** Boot, build tray and window, make one IPC round trip, exit 0 (for machines that have Electron). */
  readonly smoke: boolean;
  /** Start in the tray without opening the window (start at login). */
  readonly hidden: boolean;
}

export function launchFlags(argv: readonly string[]): LaunchFlags {
  return { smoke: argv.includes('--smoke'), hidden: argv.includes(START_HIDDEN_FLAG) };
}
