import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../src/core/log';
import type { OperationHandlers } from '../../src/main/agent-host';
import { registerIpcHandlers, type IpcInvokeEvent, type IpcMainLike } from '../../src/main/ipc';
import { trustedSenderCheck, type SenderFrame } from '../../src/main/sender-check';
import { OPERATION_NAMES, operationsExposedTo, type CallResult } from '../../src/shared/contract';
import { ERRORS, RolecallError } from '../../src/shared/errors';

type Listener = (event: IpcInvokeEvent, input: unknown) => Promise<CallResult<unknown>>;

const RENDERER_FILE = '/opt/Rolecall/resources/app.asar/out/renderer/index.html';
const ownPage: SenderFrame = { url: pathToFileURL(RENDERER_FILE).href, parent: null };

function fakeIpcMain() {
  const handlers = new Map<string, Listener>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, listener);
    },
    removeHandler: (channel) => handlers.delete(channel),
  };
  return { ipcMain, handlers };
}

function bridge(handlers: OperationHandlers) {
  const { ipcMain, handlers: registered } = fakeIpcMain();
  const logger = createMemoryLogger();
  const unregister = registerIpcHandlers({ ipcMain, handlers, isTrustedSender: trustedSenderCheck({ rendererFile: RENDERER_FILE }), logger });
  const invoke = (channel: string, input: unknown, frame: SenderFrame | null = ownPage) => {
    const listener = registered.get(channel);
    if (!listener) throw new Error(`no handler for ${channel}`);
    return listener({ senderFrame: frame }, input);
  };
  return { registered, logger, unregister, invoke };
}

const profile = { name: 'dev', status: 'active' };

describe('registerIpcHandlers', () => {
  it('registers a channel for every renderer operation and none for agent-only ones', () => {
    const { registered, unregister } = bridge({});
    const channels = [...registered.keys()].sort();
    expect(channels).toEqual(operationsExposedTo('renderer').map((name) => `rolecall:${name}`).sort());
    for (const name of OPERATION_NAMES.filter((n) => !operationsExposedTo('renderer').includes(n))) {
      expect(registered.has(`rolecall:${name}`)).toBe(false);
    }
    expect(registered.has('rolecall:credentials.get')).toBe(false);
    unregister();
    expect(registered.size).toBe(0);
  });

  it('calls the handler with the parsed input and answers with its value', async () => {
    const calls: unknown[] = [];
    const { invoke } = bridge({
      'sessions.activate': async (input) => {
        calls.push(input);
        return profile as never;
      },
    });
    await expect(invoke('rolecall:sessions.activate', { name: 'dev' })).resolves.toEqual({ ok: true, value: profile });
    expect(calls).toEqual([{ name: 'dev' }]);
  });

  it('refuses input that does not match the schema with USAGE, naming the field but not its value', async () => {
    let called = false;
    const { invoke } = bridge({
      'profiles.add': async () => {
        called = true;
        return profile as never;
      },
    });
    const result = await invoke('rolecall:profiles.add', { name: 'bad name!', draftId: 'd', trustAnchorArn: 'a', profileArn: 'p', roleArn: 'r', passphrase: 'hunter2-secret' });
    expect(called).toBe(false);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('USAGE');
    expect(result.error.detail).toMatch(/^profiles\.add: /);
    expect(result.error.detail).toContain('name');
    expect(JSON.stringify(result)).not.toContain('hunter2-secret');
    expect(JSON.stringify(result)).not.toContain('bad name!');
  });

  it('refuses a call whose input is missing', async () => {
    const { invoke } = bridge({ 'state.get': async () => ({}) as never });
    const result = await invoke('rolecall:state.get', undefined);
    expect(result).toMatchObject({ ok: false, error: { code: 'USAGE' } });
  });

  it('refuses and logs calls from frames that are not our page', async () => {
    let calls = 0;
    const { invoke, logger } = bridge({
      'state.get': async () => {
        calls += 1;
        return {} as never;
      },
    });
    const strangers: (SenderFrame | null)[] = [
      { url: 'https://evil.example/index.html', parent: null },
      { url: pathToFileURL('/tmp/other/index.html').href, parent: null },
      { url: ownPage.url, parent: ownPage },
      null,
    ];
    for (const frame of strangers) {
      await expect(invoke('rolecall:state.get', {}, frame)).resolves.toEqual({
        ok: false,
        error: { code: 'UNTRUSTED_SENDER', message: ERRORS.UNTRUSTED_SENDER.message, next: ERRORS.UNTRUSTED_SENDER.next },
      });
    }
    expect(calls).toBe(0);
    const warnings = logger.entries.filter((entry) => entry.level === 'warn');
    expect(warnings).toHaveLength(strangers.length);
    expect(warnings[0]?.fields).toMatchObject({ operation: 'state.get', url: 'https://evil.example/index.html' });
  });

  it('answers a thrown RolecallError as an error value with its code and detail', async () => {
    const { invoke } = bridge({
      'sessions.refresh': async () => {
        throw new RolecallError('THROTTLED', 'rate exceeded');
      },
    });
    await expect(invoke('rolecall:sessions.refresh', { name: 'dev' })).resolves.toEqual({
      ok: false,
      error: { code: 'THROTTLED', message: ERRORS.THROTTLED.message, next: ERRORS.THROTTLED.next, detail: 'rate exceeded' },
    });
  });

  it('answers an unexpected error as INTERNAL without its text, and logs it with its stack', async () => {
    const { invoke, logger } = bridge({
      'settings.get': async () => {
        throw new TypeError('cannot read properties of undefined (reading "x")');
      },
    });
    const result = await invoke('rolecall:settings.get', {});
    expect(result).toEqual({ ok: false, error: { code: 'INTERNAL', message: ERRORS.INTERNAL.message, next: ERRORS.INTERNAL.next } });
    const logged = logger.entries.find((entry) => entry.level === 'error' && entry.message === 'operation failed unexpectedly');
    expect(logged?.fields).toMatchObject({ op: 'settings.get', caller: 'renderer', error: { name: 'TypeError', message: 'cannot read properties of undefined (reading "x")' } });
    expect((logged?.fields.error as { stack?: string } | undefined)?.stack).toMatch(/^TypeError: cannot read properties[^\n]*\n\s+at .*ipc\.test\.ts/);
  });

  it('answers INTERNAL when the host has no handler for a renderer operation', async () => {
    const { invoke } = bridge({});
    await expect(invoke('rolecall:agent.info', {})).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL', detail: 'agent.info is not available' } });
  });
});

describe('trustedSenderCheck', () => {
  const check = trustedSenderCheck({ rendererFile: RENDERER_FILE, devServerUrl: 'http://localhost:5173/' });

  it('trusts the built page with a hash or query, and the dev server in development', () => {
    expect(check({ url: `${ownPage.url}#/profiles/dev`, parent: null })).toBe(true);
    expect(check({ url: `${ownPage.url}?view=settings`, parent: null })).toBe(true);
    expect(check({ url: 'http://localhost:5173/src/index.html', parent: null })).toBe(true);
  });

  it('distrusts other origins, other files, file URLs with a host and unparseable URLs', () => {
    expect(check({ url: 'http://localhost:5174/', parent: null })).toBe(false);
    expect(check({ url: 'http://127.0.0.1:5173/', parent: null })).toBe(false);
    expect(check({ url: pathToFileURL('/opt/Rolecall/resources/app.asar/out/renderer/other.html').href, parent: null })).toBe(false);
    expect(check({ url: `file://server${new URL(ownPage.url).pathname}`, parent: null })).toBe(false);
    expect(check({ url: 'not a url', parent: null })).toBe(false);
  });

  it('matches the page\'s path however its characters are percent-encoded', () => {
    const spaced = trustedSenderCheck({ rendererFile: '/opt/My Apps/Rolé (beta)/index.html' });
    expect(spaced({ url: 'file:///opt/My%20Apps/Rol%C3%A9%20%28beta%29/index.html', parent: null })).toBe(true);
    expect(spaced({ url: 'file:///opt/My%20Apps/Rol%C3%A9%20(beta)/index.html', parent: null })).toBe(true);
    expect(spaced({ url: 'file:///opt/My%20Apps/Role%20(beta)/index.html', parent: null })).toBe(false);
    expect(spaced({ url: 'file:///opt/My%20Apps/Rol%E9%20(beta)/index.html', parent: null })).toBe(false);
  });

  it('distrusts the dev server when none was configured', () => {
    const production = trustedSenderCheck({ rendererFile: RENDERER_FILE });
    expect(production({ url: 'http://localhost:5173/', parent: null })).toBe(false);
  });
});
