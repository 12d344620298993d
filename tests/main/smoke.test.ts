// The --smoke round trip without Electron: the page script runs in its own V8 context against the
// preload's window.rolecall, whose invoke goes through main's IPC bridge (sender check, validation,
// handler) and back, as in the app.
import { pathToFileURL } from 'node:url';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../src/core/log';
import type { OperationHandlers } from '../../src/main/agent-host';
import { registerIpcHandlers, type IpcMainLike } from '../../src/main/ipc';
import { trustedSenderCheck } from '../../src/main/sender-check';
import { SMOKE_SCRIPT, smokeOutcome } from '../../src/main/smoke';
import { createRendererApi } from '../../src/preload/renderer-api';
import { RolecallError } from '../../src/shared/errors';
import { appState, profileView } from './views';

const RENDERER_FILE = '/app/out/renderer/index.html';

async function runSmoke(handlers: OperationHandlers, pageUrl = pathToFileURL(RENDERER_FILE).href) {
  const registered = new Map<string, Parameters<IpcMainLike['handle']>[1]>();
  registerIpcHandlers({
    ipcMain: { handle: (channel, listener) => registered.set(channel, listener), removeHandler: (channel) => registered.delete(channel) },
    handlers,
    isTrustedSender: trustedSenderCheck({ rendererFile: RENDERER_FILE }),
    logger: createMemoryLogger(),
  });
  const rolecall = createRendererApi({
    invoke: async (channel, input) => {
      const listener = registered.get(channel);
      if (!listener) throw new Error(`No handler registered for '${channel}'`);
      // Electron clones arguments and answers between processes.
      return structuredClone(await listener({ senderFrame: { url: pageUrl, parent: null } }, structuredClone(input)));
    },
    on: () => undefined,
    removeListener: () => undefined,
  });
  return smokeOutcome(await runInNewContext(SMOKE_SCRIPT, { window: { rolecall } }));
}

describe('the --smoke round trip', () => {
  it('exits 0 when state.get answers through the bridge', async () => {
    const outcome = await runSmoke({ 'state.get': async () => appState([profileView('dev'), profileView('ci')]) });
    expect(outcome).toEqual({ exitCode: 0, message: 'rolecall smoke: ok (state.get over IPC: 2 profiles, agent host app)' });
  });

  it('exits 1 with the code when the agent fails', async () => {
    const outcome = await runSmoke({
      'state.get': async () => {
        throw new RolecallError('KEYCHAIN_LOCKED');
      },
    });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.message).toContain('KEYCHAIN_LOCKED');
  });

  it('exits 1 when the page is not one main trusts', async () => {
    const outcome = await runSmoke({ 'state.get': async () => appState([]) }, 'https://example.com/');
    expect(outcome).toMatchObject({ exitCode: 1 });
    expect(outcome.message).toContain('UNTRUSTED_SENDER');
  });

  it('exits 1 for an answer that is not a state', () => {
    expect(smokeOutcome(undefined).exitCode).toBe(1);
    expect(smokeOutcome({ ok: true }).exitCode).toBe(1);
  });
});
