// The real app in Electron, driven by Playwright's _electron: the built main process, preload and
// window with a temp data folder and temp AWS files, against the fixture sandbox on 127.0.0.1. The
// window opens, one call crosses the IPC bridge, a profile added through the agent socket (as the CLI
// adds one) is switched on in the window and its session lands in the credentials file, and the tray's
// menu is the one tray-menu.ts builds for that state. It needs the Electron binary (the desktop
// workflow installs it) and, on Linux, a display (xvfb-run); without either it is skipped, saying why.
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { agentSocketPathFor, connectAgent } from '../../src/core/agent';
import { trayMenu, type TrayMenuItem } from '../../src/main/tray-menu';
import type { Sandbox } from '../../src/sandbox/server';
import type { AppState } from '../../src/shared/model';
import { PROFILE_ARN, ROLE_ARN, startFixtureSandbox, TRUST_ANCHOR_ARN } from '../helpers/fixture-sandbox';
import { pkiPath } from '../helpers/fixtures';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const MAIN = join(ROOT, 'out', 'main', 'index.js');

/** The Electron binary's path, or why there is none (`require('electron')` throws without one). */
function electronBinary(): { path?: string; missing?: string } {
  try {
    const path = createRequire(join(ROOT, 'package.json'))('electron') as unknown as string;
    return existsSync(path) ? { path } : { missing: `no Electron binary at ${path}` };
  } catch {
    return { missing: 'no Electron binary in node_modules/electron (install it with `node node_modules/electron/install.js`)' };
  }
}

const binary = electronBinary();
// scripts/test.mjs keeps the caller's display here (it clears DISPLAY for every other test).
const display = process.env.ROLECALL_ELECTRON_DISPLAY ?? process.env.DISPLAY;
const noDisplay = process.platform === 'linux' && !display && !process.env.WAYLAND_DISPLAY;

test.skip(binary.missing !== undefined, `Electron app test skipped: ${binary.missing ?? ''}`);
test.skip(binary.missing === undefined && noDisplay, 'Electron app test skipped: no display on this Linux machine (run under xvfb-run)');

/** A menu item as the test compares it: times in labels ("42 min left") vary by the second. */
function shape(items: readonly TrayMenuItem[]): unknown[] {
  return items.map((item) => ({
    label: item.label?.replace(/\d+/g, '#') ?? '',
    type: item.type ?? 'normal',
    checked: item.checked ?? false,
    enabled: item.enabled ?? true,
    submenu: item.submenu ? shape(item.submenu) : [],
  }));
}

interface World {
  readonly home: string;
  readonly env: Record<string, string>;
  readonly sandbox: Sandbox;
  readonly app: ElectronApplication;
  readonly window: Page;
}

let world: World;

test.beforeAll(async () => {
  expect(existsSync(MAIN), 'the app is built (npm run build)').toBe(true);
  const home = await mkdtemp(join(tmpdir(), 'rolecall-electron-'));
  for (const folder of ['.aws', 'data', 'run']) await mkdir(join(home, folder), { recursive: true, mode: 0o700 });
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !key.startsWith('AWS_') && key !== 'ELECTRON_RUN_AS_NODE') env[key] = value;
  Object.assign(env, {
    HOME: home,
    USERPROFILE: home,
    ROLECALL_HOME: join(home, 'data'),
    XDG_RUNTIME_DIR: join(home, 'run'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
    AWS_CONFIG_FILE: join(home, '.aws', 'config'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...(display ? { DISPLAY: display } : {}),
  });
  const sandbox = await startFixtureSandbox();
  // The checkout is the app (package.json's main is the built out/main/index.js), as `electron .` runs it.
  // Electron will not start as root with Chromium's sandbox on (a CI container runs as root), and a
  // container's small /dev/shm crashes Chromium's renderers.
  const args = [ROOT, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), ...(process.platform === 'linux' ? ['--disable-dev-shm-usage'] : [])];
  const app = await electron.launch({ executablePath: binary.path, args, env, cwd: ROOT, timeout: 60_000 });
  // The tray's menu as main last set it: Electron's Tray has no getter for it.
  await app.evaluate(({ Tray }) => {
    const original = Tray.prototype.setContextMenu;
    Tray.prototype.setContextMenu = function setContextMenu(this: Electron.Tray, menu: Electron.Menu | null) {
      (globalThis as { rolecallTrayMenu?: Electron.Menu | null }).rolecallTrayMenu = menu;
      return original.call(this, menu);
    };
  });
  const window = await app.firstWindow({ timeout: 60_000 });
  world = { home, env, sandbox, app, window };
});

/** The agent the app hosts, through its socket (what the CLI talks to). */
function socketOf(env: Record<string, string>): string {
  return agentSocketPathFor(env.ROLECALL_HOME ?? '', env);
}

test.afterAll(async () => {
  // Removing the profile deletes its key from the keychain, which on macOS and Windows is the runner's own.
  const agent = world && (await connectAgent(socketOf(world.env)).catch(() => undefined));
  await agent?.call('profiles.remove', { name: 'dev' }).catch(() => undefined);
  await agent?.close();
  await world?.app.close();
  await world?.sandbox.stop();
  if (world) await rm(world.home, { recursive: true, force: true });
});

test('the app opens its window, answers over IPC, switches a profile on against the sandbox and shows it in the tray', async () => {
  const { app, window, env, sandbox } = world;
  await expect(window).toHaveTitle('Rolecall');
  await expect(window.getByRole('heading', { name: 'Sign in to AWS with your certificate' })).toBeVisible();

  // One round trip through preload, IPC, sender check and validation to the agent the app hosts.
  const state = await window.evaluate(() => (globalThis as unknown as { rolecall: { state: { get(input: object): Promise<AppState> } } }).rolecall.state.get({}));
  expect(state.agent.host).toBe('app');
  expect(state.profiles).toEqual([]);

  // A profile added through the agent's socket, as `rolecall profiles add` does.
  const agent = await connectAgent(socketOf(env));
  try {
    expect(agent.info.host).toBe('app');
    const draft = await agent.call('drafts.open', { certificatePath: pkiPath('leaf-ec-p256.cert.pem'), privateKeyPath: pkiPath('leaf-ec-p256.key.sec1.pem'), intermediatesPath: pkiPath('intermediate-ca.cert.pem') });
    await agent.call('profiles.add', { name: 'dev', draftId: draft.draftId, trustAnchorArn: TRUST_ANCHOR_ARN, profileArn: PROFILE_ARN, roleArn: ROLE_ARN, endpoint: sandbox.url, durationSeconds: 3600 });
  } finally {
    await agent.close();
  }

  const toggle = window.getByRole('switch', { name: 'Activate dev' });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-checked', 'true');
  await expect(window.getByRole('listitem', { name: 'dev' }).getByText('Active', { exact: true })).toBeVisible();
  expect(sandbox.requests.count('CreateSession', 201)).toBe(1);
  const credentials = await readFile(env.AWS_SHARED_CREDENTIALS_FILE ?? '', 'utf8');
  expect(credentials).toMatch(/^\[dev\]\r?\naws_access_key_id = ASIA/m);

  // The tray shows what tray-menu.ts builds for the state the window shows.
  const active = await window.evaluate(() => (globalThis as unknown as { rolecall: { state: { get(input: object): Promise<AppState> } } }).rolecall.state.get({}));
  const expected = shape(trayMenu(active, Date.now()));
  await expect
    .poll(async () =>
      shape(
        await app.evaluate(() => {
          type Item = { label: string; type: string; checked: boolean; enabled: boolean; submenu?: { items: Item[] } | null };
          const toItems = (items: Item[]): TrayMenuItem[] =>
            items.map((item) => ({ label: item.label, type: item.type as TrayMenuItem['type'], checked: item.checked, enabled: item.enabled, ...(item.submenu ? { submenu: toItems(item.submenu.items) } : {}) }));
          const menu = (globalThis as { rolecallTrayMenu?: { items: Item[] } | null }).rolecallTrayMenu;
          return menu ? toItems(menu.items) : [];
        }),
      ),
    )
    .toEqual(expected);
});
