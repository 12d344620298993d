// The request deadline setting: its default, its bounds at the contract and in the file, and how the
// agent reads it for each mint.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogFields, Logger } from '../../../src/core/log/logger';
import { createSettingsDocument, requestTimeoutMs, SETTINGS_FILE_NAME } from '../../../src/core/store/settings';
import { OPERATIONS } from '../../../src/shared/contract';

function recordingLogger(): Logger & { readonly warnings: Array<{ message: string; fields?: LogFields }> } {
  const warnings: Array<{ message: string; fields?: LogFields }> = [];
  const ignore = () => undefined;
  return { warnings, debug: ignore, info: ignore, error: ignore, warn: (message, fields) => void warnings.push({ message, ...(fields && { fields }) }) };
}

describe('the request deadline setting', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'rolecall-settings-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('defaults to 30 seconds', async () => {
    expect((await createSettingsDocument(dataDir, 'bash').read()).requestTimeoutSeconds).toBe(30);
  });

  it('reads as 30 seconds from a settings file written before the setting existed', async () => {
    await writeFile(join(dataDir, SETTINGS_FILE_NAME), JSON.stringify({ schemaVersion: 1, startAtLogin: true, notifications: false, defaultShell: 'zsh' }));
    expect(await createSettingsDocument(dataDir, 'bash').read()).toEqual({ startAtLogin: true, notifications: false, defaultShell: 'zsh', requestTimeoutSeconds: 30 });
  });

  it('is refused by settings.set at 0 and 301 seconds and when not whole, and accepted from 1 to 300', () => {
    const input = OPERATIONS['settings.set'].input;
    for (const refused of [0, 301, -5, 2.5]) expect(input.safeParse({ requestTimeoutSeconds: refused }).success).toBe(false);
    for (const accepted of [1, 30, 300]) expect(input.safeParse({ requestTimeoutSeconds: accepted }).success).toBe(true);
  });

  it('is kept once set, and a file holding 0 or 301 seconds is refused as damaged', async () => {
    const settings = createSettingsDocument(dataDir, 'bash');
    await settings.update((current) => ({ ...current, requestTimeoutSeconds: 120 }));
    expect((await createSettingsDocument(dataDir, 'bash').read()).requestTimeoutSeconds).toBe(120);
    for (const seconds of [0, 301]) {
      await writeFile(join(dataDir, SETTINGS_FILE_NAME), JSON.stringify({ schemaVersion: 1, startAtLogin: false, notifications: true, defaultShell: 'bash', requestTimeoutSeconds: seconds }));
      await expect(settings.read()).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    }
  });

  it('gives each mint the deadline in milliseconds, and the default with a warning when the file is damaged', async () => {
    const settings = createSettingsDocument(dataDir, 'bash');
    const logger = recordingLogger();
    await settings.update((current) => ({ ...current, requestTimeoutSeconds: 7 }));
    expect(await requestTimeoutMs(settings, logger)).toBe(7000);
    await writeFile(join(dataDir, SETTINGS_FILE_NAME), '{ not json');
    expect(await requestTimeoutMs(settings, logger)).toBe(30_000);
    expect(logger.warnings).toEqual([{ message: 'settings unreadable, using the 30 s request deadline', fields: { code: 'STORE_CORRUPT' } }]);
  });
});
