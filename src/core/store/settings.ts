// Preferences every host shares (the CLI's default shell, the app's start-at-login and notifications,
// the agent's request deadline),
// in Rolecall's data folder. The app's window-only preferences live in electron-store instead.
import { join } from 'node:path';
import { z } from 'zod';
import { requestTimeoutSchema } from '../../shared/contract';
import { toErrorInfo } from '../../shared/errors';
import type { Settings, Shell } from '../../shared/model';
import { REQUEST_TIMEOUT_SECONDS, SHELLS } from '../../shared/model';
import type { Logger } from '../log/logger';
import { JsonDocument } from './json-document';

export const SETTINGS_FILE_NAME = 'settings.json';

const settingsSchema = z.object({
  startAtLogin: z.boolean(),
  notifications: z.boolean(),
  defaultShell: z.enum(SHELLS as [Shell, ...Shell[]]),
  // Files written before this setting existed read as the default.
  requestTimeoutSeconds: requestTimeoutSchema.default(REQUEST_TIMEOUT_SECONDS.default),
  // Absent until the user chooses: renewals make a new key.
  renewWithSameKey: z.boolean().optional(),
});

export function createSettingsDocument(dataDir: string, defaultShell: Shell): JsonDocument<Settings> {
  return new JsonDocument<Settings>({
    path: join(dataDir, SETTINGS_FILE_NAME),
    schema: settingsSchema,
    defaultValue: () => ({ startAtLogin: false, notifications: true, defaultShell, requestTimeoutSeconds: REQUEST_TIMEOUT_SECONDS.default }),
  });
}

/**
 * The deadline of each exchange with Roles Anywhere, read afresh for every mint so a change applies to
 * the next one. A settings file that cannot be read gives the default (and a warning in the log): a
 * damaged preference must not stop every session from refreshing.
 */
export async function requestTimeoutMs(settings: JsonDocument<Settings>, logger: Logger): Promise<number> {
  try {
    return (await settings.read()).requestTimeoutSeconds * 1000;
  } catch (error) {
    logger.warn(`settings unreadable, using the ${REQUEST_TIMEOUT_SECONDS.default} s request deadline`, { code: toErrorInfo(error).code });
    return REQUEST_TIMEOUT_SECONDS.default * 1000;
  }
}
