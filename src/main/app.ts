// The tray app's lifecycle: one instance per user, the data folder set before anything touches it, the
// agent host started with Electron's network stack, the IPC bridge, tray, window, notifications and
// power events wired to it. Behaviour lives in the pure modules beside this file; this is the wiring.
import { app, clipboard, dialog, ipcMain, Menu, net, powerMonitor, shell, Tray, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createFileLogger, logsDir, type Logger } from '../core/log';
import { systemClock } from '../core/platform/clock';
import { ensureDataDir, resolveDataDir } from '../core/store';
import { formatError, RolecallError, toErrorInfo } from '../shared/errors';
import { EVENT_CHANNEL } from '../shared/ipc';
import { applyEvent, eventOf } from '../shared/apply-event';
import type { AppState } from '../shared/model';
import type { AgentHost, HostContext, OperationHandlers } from './agent-host';
import { appHandlers } from './app-handlers';
import { createClipboardCopier } from './clipboard';
import { registerIpcHandlers } from './ipc';
import { launchFlags, type LaunchFlags } from './launch-flags';
import { createMainWindow, type MainWindow } from './main-window';
import { createFetchTransport } from './net-transport';
import { createNotifier } from './notifier';
import { notificationsFor, renewalNotification, type Observation } from './notifications';
import { trustedSenderCheck } from './sender-check';
import { SMOKE_SCRIPT, smokeOutcome } from './smoke';
import { applyStartAtLogin, startedHidden } from './start-at-login';
import { createTrayService, trayIconPath } from './tray';
import { trayCommand } from './tray-actions';
import type { TrayAction } from './tray-menu';
import { openUiPreferences } from './ui-preferences';

export interface RunAppOptions {
  createHost(context: HostContext): Promise<AgentHost>;
}

/** Labels say "N min left": redraw the tray often enough for that, and for certificate warnings. */
const TRAY_TICK_MS = 30_000;
const SMOKE_TIMEOUT_MS = 60_000;

export function runApp({ createHost }: RunAppOptions): void {
  const flags = launchFlags(process.argv);
  const dataDir = resolveDataDir({ env: process.env, platform: process.platform, homedir: homedir() });
  // Before ready, so Chromium, electron-store, the core and the CLI all use the same folder; Chromium's
  // own caches go to a subfolder so they do not mix with Rolecall's files.
  app.setPath('userData', dataDir);
  app.setPath('sessionData', join(dataDir, 'electron'));
  if (!app.requestSingleInstanceLock()) {
    if (flags.smoke) console.error('rolecall smoke: another Rolecall app is running for this user');
    app.exit(flags.smoke ? 1 : 0);
    return;
  }
  // A tray app lives on without windows.
  app.on('window-all-closed', () => undefined);
  app
    .whenReady()
    .then(() => start(createHost, flags, dataDir))
    .catch((error: unknown) => {
      const text = formatError(toErrorInfo(error));
      if (flags.smoke) console.error(`rolecall smoke: start-up failed: ${text} ${String(error)}`);
      else dialog.showErrorBox('Rolecall could not start', text);
      app.exit(1);
    });
}

async function start(createHost: RunAppOptions['createHost'], flags: LaunchFlags, dataDir: string): Promise<void> {
  await ensureDataDir(dataDir);
  const logger = createFileLogger({ dir: logsDir(dataDir) });
  const host = await createHost({ dataDir, transport: createFetchTransport((url, init) => net.fetch(url, init)), logger, clock: systemClock });
  const iconsDir = app.isPackaged ? join(process.resourcesPath, 'icons') : join(app.getAppPath(), 'build', 'icons');
  const rendererFile = join(import.meta.dirname, '../renderer/index.html');
  const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
  let quitting = false;
  let exitCode = 0;

  const window = createMainWindow({
    preloadPath: join(import.meta.dirname, '../preload/index.cjs'),
    rendererFile,
    ...(devServerUrl ? { devServerUrl } : {}),
    ...(process.platform === 'darwin' ? {} : { iconPath: join(iconsDir, 'icon.png') }),
    preferences: openUiPreferences(dataDir),
    logger,
    isQuitting: () => quitting,
  });
  const copier = createClipboardCopier(clipboard, systemClock);
  // A failure's notification opens the window on why it failed (the renderer asks profiles.explain).
  const notify = createNotifier((notification) => {
    window.show();
    if (notification.explain !== undefined) window.send(EVENT_CHANNEL, { event: 'window.explain', payload: { name: notification.explain } });
  });
  const handlers: OperationHandlers = {
    ...host.handlers,
    ...appHandlers({
      agent: host.handlers,
      copier,
      chooseFiles: () => chooseCertificateFiles(window),
      chooseCaFile: () => chooseCaFile(window),
      writeClipboard: (text) => clipboard.writeText(text),
      chooseSavePath: (fileName) => chooseSavePath(window, fileName),
      openPath: (path) => shell.openPath(path),
      openExternal: (url) => shell.openExternal(url),
      logsFolder: logsDir(dataDir),
      logger,
    }),
  };
  const unregisterIpc = registerIpcHandlers({ ipcMain, handlers, isTrustedSender: trustedSenderCheck({ rendererFile, ...(devServerUrl ? { devServerUrl } : {}) }), logger });

  let state = await call<AppState>(handlers, 'state.get', {});
  let seen: Observation | undefined;
  const tray = createTrayService({
    createTray: (icon) => new Tray(icon),
    buildMenu: (template) => Menu.buildFromTemplate(template),
    iconPath: (variant) => trayIconPath(iconsDir, process.platform, variant),
    onAction: (action) => void runTrayAction(action),
  });
  const refreshShell = () => {
    const now = Date.now();
    tray.update(state, now);
    // A smoke run on a build machine has nobody to tell.
    if (!flags.smoke) notificationsFor(seen, state, now).forEach(notify);
    seen = { state, at: now };
  };
  const unsubscribe = host.subscribe((event, payload) => {
    const previousSettings = state.settings;
    state = applyEvent(state, event, payload);
    window.send(EVENT_CHANNEL, { event, payload });
    const message = eventOf(event, payload);
    const renewal = message.event === 'certificate.renewal' && !flags.smoke ? renewalNotification(message.payload, state.settings) : undefined;
    if (renewal) notify(renewal);
    if (state.settings.startAtLogin !== previousSettings.startAtLogin) void applyStartAtLogin(state.settings.startAtLogin, logger);
    refreshShell();
  });
  refreshShell();
  const ticker = setInterval(refreshShell, TRAY_TICK_MS);
  void applyStartAtLogin(state.settings.startAtLogin, logger);

  const quit = (code = 0) => {
    quitting = true;
    exitCode = code;
    app.quit();
  };
  async function runTrayAction(action: TrayAction): Promise<void> {
    const command = trayCommand(action);
    if (command.kind === 'open') return window.show();
    if (command.kind === 'quit') return quit();
    try {
      await call(handlers, command.operation, command.input);
    } catch (error) {
      // A click has no other place to answer: say what went wrong where the user is looking.
      const info = toErrorInfo(error);
      notify({ id: `action:${command.operation}`, title: info.message, body: info.next });
    }
  }

  app.on('second-instance', () => window.show());
  app.on('activate', () => window.show());
  powerMonitor.on('resume', () => {
    logger.info('Resumed from sleep: re-checking every profile');
    host.recheck();
  });
  app.on('before-quit', () => {
    quitting = true;
  });
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    clearInterval(ticker);
    copier.clearNow();
    unsubscribe();
    unregisterIpc();
    tray.destroy();
    void host
      .close()
      .catch((error: unknown) => logger.error('The agent did not close cleanly', { error: String(error) }))
      .finally(() => {
        closed = true;
        // app.quit() always exits 0; the smoke test's failure must reach its caller.
        if (exitCode === 0) app.quit();
        else app.exit(exitCode);
      });
  });

  if (flags.smoke) return smokeTest(window, logger, quit);
  if (!startedHidden(flags.hidden)) window.show();
}

async function call<T>(handlers: OperationHandlers, operation: keyof OperationHandlers, input: unknown): Promise<T> {
  const handler = handlers[operation] as ((input: unknown) => Promise<unknown>) | undefined;
  if (handler === undefined) throw new RolecallError('INTERNAL', `${operation} is not available`);
  return (await handler(input)) as T;
}

async function chooseCertificateFiles(window: MainWindow): Promise<readonly string[]> {
  const options: OpenDialogOptions = {
    title: 'Choose a certificate and its key',
    buttonLabel: 'Choose',
    properties: ['openFile', 'multiSelections'],
    filters: [
      { name: 'Certificates, keys and PKCS#12', extensions: ['pem', 'crt', 'cer', 'der', 'key', 'p12', 'pfx'] },
      { name: 'All files', extensions: ['*'] },
    ],
  };
  const parent = window.current();
  const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  return result.canceled ? [] : result.filePaths;
}

async function chooseCaFile(window: MainWindow): Promise<string | undefined> {
  const options: OpenDialogOptions = {
    title: 'Choose the certificate of your CA',
    buttonLabel: 'Trust',
    properties: ['openFile'],
    filters: [
      { name: 'CA certificates', extensions: ['pem', 'crt', 'cer', 'der'] },
      { name: 'All files', extensions: ['*'] },
    ],
  };
  const parent = window.current();
  const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  return result.canceled ? undefined : result.filePaths[0];
}

async function chooseSavePath(window: MainWindow, fileName: string): Promise<string | undefined> {
  const options: SaveDialogOptions = { title: `Save ${fileName}`, defaultPath: join(app.getPath('documents'), fileName), buttonLabel: 'Save' };
  const parent = window.current();
  const result = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
  return result.canceled || result.filePath === undefined || result.filePath === '' ? undefined : result.filePath;
}

async function smokeTest(window: MainWindow, logger: Logger, quit: (code: number) => void): Promise<void> {
  const timeout = setTimeout(() => {
    console.error('rolecall smoke: no answer within 60 s');
    app.exit(1);
  }, SMOKE_TIMEOUT_MS);
  let code = 1;
  try {
    const loaded = await window.loaded();
    const outcome = smokeOutcome(await loaded.webContents.executeJavaScript(SMOKE_SCRIPT));
    logger.info('Smoke test finished', { exitCode: outcome.exitCode });
    (outcome.exitCode === 0 ? console.log : console.error)(outcome.message);
    code = outcome.exitCode;
  } catch (error) {
    console.error(`rolecall smoke: ${String(error)}`);
  } finally {
    clearTimeout(timeout);
    quit(code);
  }
}
