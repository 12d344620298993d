// Preferences every host shares (the CLI's default shell, the app's start-at-login and notifications),
// in Rolecall's data folder. The app's window-only preferences live in electron-store instead.
import { join } from 'node:path';
import { z } from 'zod';
import type { Settings, Shell } from '../../shared/model';
import { SHELLS } from '../../shared/model';
import { JsonDocument } from './json-document';

export const SETTINGS_FILE_NAME = 'settings.json';

const settingsSchema = z.object({
  startAtLogin: z.boolean(),
  notifications: z.boolean(),
  defaultShell: z.enum(SHELLS as [Shell, ...Shell[]]),
});

export function createSettingsDocument(dataDir: string, defaultShell: Shell): JsonDocument<Settings> {
  return new JsonDocument<Settings>({
    path: join(dataDir, SETTINGS_FILE_NAME),
    schema: settingsSchema,
    defaultValue: () => ({ startAtLogin: false, notifications: true, defaultShell }),
  });
}
