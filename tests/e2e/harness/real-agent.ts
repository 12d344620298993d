// The real service behind a browser test, wired the way the Electron main process wires it: the
// composition root with the keychain, the node transport, a temp data folder and temp AWS files; the
// app-only operations from main's appHandlers; and main's own IPC loop (registerIpcHandlers) in front,
// so every call from the page is checked against the contract before a handler runs. Only what cannot
// exist here is stood in for: the OS clipboard (an in-memory one that records writes) and the open-file
// dialog (it "returns" the paths the test chose). Everything sent to the page is recorded, so a test can
// prove the page never received a secret.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMemoryLogger, type MemoryLogger } from '../../../src/core/log';
import { systemClock } from '../../../src/core/platform/clock';
import { createNodeTransport } from '../../../src/core/platform/node-transport';
import { createRolecall } from '../../../src/core/rolecall';
import { KeytarSecretStore } from '../../../src/core/secrets';
import type { OperationHandlers } from '../../../src/main/agent-host';
import { appHandlers } from '../../../src/main/app-handlers';
import { createClipboardCopier, type ClipboardLike } from '../../../src/main/clipboard';
import { registerIpcHandlers, type IpcInvokeEvent, type IpcMainLike } from '../../../src/main/ipc';
import { hostDemoSandbox } from '../../../src/sandbox/host-demo';
import type { Sandbox, SandboxOptions } from '../../../src/sandbox/server';
import type { CallResult, OperationInput, OperationName, OperationOutput } from '../../../src/shared/contract';
import { ipcChannel } from '../../../src/shared/ipc';
import { startFixtureSandbox } from '../../helpers/fixture-sandbox';
import type { BridgeCall, BridgeSubscribe } from './install-bridge';

const ROOT = resolve(fileURLToPath(new URL('../../../', import.meta.url)));

/** What crossed from the agent to the page: a call's answer or an event. */
export type PageMessage =
  | { readonly kind: 'result'; readonly operation: string; readonly result: CallResult<unknown> }
  | { readonly kind: 'event'; readonly event: string; readonly payload: unknown };

export interface MemoryClipboard extends ClipboardLike {
  /** Every text written, in order (the copier's clearing writes '' ). */
  readonly writes: readonly string[];
}

export interface RealAgent {
  /** For installRolecallBridge: runs a page's call through main's IPC loop and records the answer. */
  readonly call: BridgeCall;
  /** For installRolecallBridge: the agent's events, recorded as they go to the page. */
  readonly subscribe: BridgeSubscribe;
  readonly home: string;
  readonly dataDir: string;
  readonly credentialsFile: string;
  readonly configFile: string;
  /** The stand-in for AWS, trusting tests/fixtures/pki/root-ca.cert.pem. */
  readonly sandbox: Sandbox;
  readonly clipboard: MemoryClipboard;
  readonly logger: MemoryLogger;
  /** Every answer and event the page was sent. */
  readonly sentToPage: readonly PageMessage[];
  /** What "the default browser" was asked to open (shell.openExternal), in order. */
  readonly openedUrls: readonly string[];
  /** The next "Choose files…" dialog returns these paths, the CA dialog the first (none: cancelled). */
  setChosenFiles(paths: readonly string[]): void;
  /** The next save dialog "chooses" the suggested file name in this folder (none: cancelled). */
  setSaveFolder(folder: string | undefined): void;
  /**
   * Calls an operation as the test (not the page), through the same checks; throws the failure. For
   * setting a scene before the window opens.
   */
  run<N extends OperationName>(operation: N, input: OperationInput<N>): Promise<OperationOutput<N>>;
  close(): Promise<void>;
}

export interface RealAgentOptions {
  readonly sandbox?: Partial<SandboxOptions>;
}

function memoryClipboard(): MemoryClipboard {
  const writes: string[] = [];
  return {
    writes,
    readText: () => writes.at(-1) ?? '',
    writeText: (text) => void writes.push(text),
  };
}

/** main's ipcMain, kept in a map: the page's binding plays Electron's invoke. */
function memoryIpcMain(): IpcMainLike & { invoke(channel: string, input: unknown): Promise<CallResult<unknown>> | undefined } {
  const listeners = new Map<string, (event: IpcInvokeEvent, input: unknown) => Promise<CallResult<unknown>>>();
  return {
    handle: (channel, listener) => void listeners.set(channel, listener),
    removeHandler: (channel) => void listeners.delete(channel),
    // Playwright's binding carries no Electron frame; the sender check has its own unit tests.
    invoke: (channel, input) => listeners.get(channel)?.({ senderFrame: null }, input),
  };
}

export async function startRealAgent(options: RealAgentOptions = {}): Promise<RealAgent> {
  const home = await mkdtemp(join(tmpdir(), 'rolecall-e2e-'));
  const dataDir = join(home, 'data');
  const credentialsFile = join(home, '.aws', 'credentials');
  const configFile = join(home, '.aws', 'config');
  await mkdir(join(home, '.aws'), { recursive: true, mode: 0o700 });

  const sandbox = await startFixtureSandbox(options.sandbox);
  const demo = hostDemoSandbox(dataDir);
  const transport = createNodeTransport();
  const logger = createMemoryLogger();
  const rolecall = await createRolecall({
    dataDir,
    // Only what the service needs, never the developer's own AWS files or profile variables.
    env: { HOME: home, SHELL: '/bin/bash', PATH: process.env.PATH, AWS_SHARED_CREDENTIALS_FILE: credentialsFile, AWS_CONFIG_FILE: configFile },
    platform: process.platform,
    homedir: home,
    clock: systemClock,
    transport,
    // A service of its own per test: nothing shared with other tests or other Rolecall data.
    secrets: new KeytarSecretStore({ service: `Rolecall-e2e-${randomUUID()}` }),
    logger,
    host: 'app',
    version: '0.0.0-e2e',
    cliCommand: [process.execPath, join(ROOT, 'bin', 'rolecall.mjs')],
    startDemoSandbox: () => demo.start(),
    trustSandboxCa: (pem, source) => demo.trustCa(pem, source),
    setupSandbox: () => demo.controlPlane(),
  });

  const clipboard = memoryClipboard();
  const copier = createClipboardCopier(clipboard, systemClock);
  let chosenFiles: readonly string[] = [];
  const openedUrls: string[] = [];
  let saveFolder: string | undefined;
  const handlers: OperationHandlers = {
    ...rolecall.handlers,
    ...appHandlers({
      agent: rolecall.handlers,
      copier,
      chooseFiles: async () => chosenFiles,
      chooseCaFile: async () => chosenFiles[0],
      writeClipboard: (text) => clipboard.writeText(text),
      chooseSavePath: async (fileName) => (saveFolder === undefined ? undefined : join(saveFolder, fileName)),
      openPath: async () => '',
      openExternal: async (url) => void openedUrls.push(url),
      logsFolder: join(dataDir, 'logs'),
      logger,
    }),
  };
  const ipcMain = memoryIpcMain();
  const unregister = registerIpcHandlers({ ipcMain, handlers, isTrustedSender: () => true, logger });

  const sentToPage: PageMessage[] = [];
  const invoke = async (operation: string, input: unknown): Promise<CallResult<unknown>> =>
    (await ipcMain.invoke(ipcChannel(operation as OperationName), input)) ?? {
      ok: false,
      error: { code: 'USAGE', message: 'The command line is not valid.', next: 'Call only operations exposed to the renderer.', detail: `${operation} is not available to the window` },
    };

  return {
    home,
    dataDir,
    credentialsFile,
    configFile,
    sandbox,
    clipboard,
    logger,
    sentToPage,
    openedUrls,
    call: async (operation, input) => {
      const result = await invoke(operation, input);
      sentToPage.push({ kind: 'result', operation, result });
      return result;
    },
    subscribe: (listener) =>
      rolecall.subscribe((event, payload) => {
        sentToPage.push({ kind: 'event', event, payload });
        listener(event as never, payload);
      }),
    setChosenFiles: (paths) => {
      chosenFiles = [...paths];
    },
    setSaveFolder: (folder) => {
      saveFolder = folder;
    },
    async run(operation, input) {
      const result = await invoke(operation, input);
      if (!result.ok) throw Object.assign(new Error(`${operation}: ${result.error.code} ${result.error.message}`), { info: result.error });
      return result.value as never;
    },
    async close() {
      unregister();
      copier.clearNow();
      // Removing each profile also deletes its keychain items: the throwaway keyring stays empty.
      const state = (await rolecall.handlers['state.get']?.({})) as { profiles: readonly { name: string }[] } | undefined;
      for (const { name } of state?.profiles ?? []) await rolecall.handlers['profiles.remove']?.({ name }).catch(() => undefined);
      await rolecall.close();
      await Promise.all([demo.stop(), sandbox.stop(), transport.close()]);
      await rm(home, { recursive: true, force: true });
    },
  };
}
