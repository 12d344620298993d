// The app's own UI preferences (where the window was), kept by electron-store in the data folder.
// Everything the agent needs (profiles, settings) lives in the core's store, not here.
import Store from 'electron-store';
import type { Bounds } from './window-options';

export interface UiPreferences {
  windowBounds?: Bounds;
}

export function openUiPreferences(dataDir: string): Store<UiPreferences> {
  return new Store<UiPreferences>({ cwd: dataDir, name: 'ui-preferences', clearInvalidConfig: true });
}
