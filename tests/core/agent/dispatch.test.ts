// dispatch(): the one way the socket and the app window run an operation. Real contract schemas, a real
// redacting logger; the handlers are the host's, written here to succeed, refuse or break.
import { describe, expect, it } from 'vitest';
import { dispatch, type DispatchOptions, type OperationHandlers } from '../../../src/core/agent/dispatch';
import { createMemoryLogger } from '../../../src/core/log';
import { ERRORS, RolecallError } from '../../../src/shared/errors';

function options(): DispatchOptions & { logger: ReturnType<typeof createMemoryLogger> } {
  return { logger: createMemoryLogger(), caller: 'test', notOffered: (name) => new RolecallError('AGENT_INCOMPATIBLE', `no ${name} here`) };
}

const unlock = { draftId: 'draft-1', passphrase: 'hunter2-secret' };

describe('dispatch', () => {
  it('calls the handler with the input as the schema parsed it and answers with its value', async () => {
    const calls: unknown[] = [];
    const handlers: OperationHandlers = {
      'sessions.activate': async (input) => {
        calls.push(input);
        return { name: 'dev' };
      },
    };
    await expect(dispatch(handlers, 'sessions.activate', { name: 'dev' }, options())).resolves.toEqual({ ok: true, value: { name: 'dev' } });
    expect(calls).toEqual([{ name: 'dev' }]);
  });

  it('answers an operation without a handler with the caller\'s refusal', async () => {
    await expect(dispatch({}, 'settings.get', {}, options())).resolves.toEqual({
      ok: false,
      error: new RolecallError('AGENT_INCOMPATIBLE', 'no settings.get here').toInfo(),
    });
  });

  it('refuses input that breaks the schema with USAGE naming the field, not its value, without calling the handler', async () => {
    let called = false;
    const handlers: OperationHandlers = {
      'drafts.unlock': async () => {
        called = true;
        return {};
      },
    };
    const result = await dispatch(handlers, 'drafts.unlock', { ...unlock, draftId: 42 }, options());
    expect(called).toBe(false);
    expect(result).toMatchObject({ ok: false, error: { code: 'USAGE', detail: expect.stringMatching(/^drafts\.unlock: draftId: /) } });
    expect(JSON.stringify(result)).not.toContain('42');
    expect(JSON.stringify(result)).not.toContain('hunter2-secret');
  });

  it('answers a RolecallError as itself, and logs nothing for it', async () => {
    const opts = options();
    const handlers: OperationHandlers = {
      'sessions.refresh': async () => {
        throw new RolecallError('THROTTLED', 'rate exceeded');
      },
    };
    await expect(dispatch(handlers, 'sessions.refresh', { name: 'dev' }, opts)).resolves.toEqual({
      ok: false,
      error: new RolecallError('THROTTLED', 'rate exceeded').toInfo(),
    });
    expect(opts.logger.entries).toEqual([]);
  });

  it('answers an unexpected error as INTERNAL without its text, and logs its stack and cause redacted, never the input', async () => {
    const opts = options();
    const handlers: OperationHandlers = {
      'drafts.unlock': async () => {
        const cause = new Error('read sessionToken=FQoGZXIvYXdzEXAMPLETOKEN from the cache');
        throw new TypeError('cannot read properties of undefined (reading "arn")', { cause });
      },
    };
    const result = await dispatch(handlers, 'drafts.unlock', unlock, opts);
    expect(result).toEqual({ ok: false, error: { code: 'INTERNAL', message: ERRORS.INTERNAL.message, next: ERRORS.INTERNAL.next } });

    expect(opts.logger.entries).toHaveLength(1);
    const [entry] = opts.logger.entries;
    expect(entry).toMatchObject({ level: 'error', message: 'operation failed unexpectedly', fields: { op: 'drafts.unlock', caller: 'test' } });
    const error = entry?.fields.error as { name: string; stack: string; cause: { message: string; stack: string } };
    expect(error.name).toBe('TypeError');
    // The frame that threw: this file, so a reader of the log finds the bug.
    expect(error.stack).toMatch(/^TypeError: cannot read properties of undefined \(reading "arn"\)\n\s+at .*dispatch\.test\.ts/);
    expect(error.cause.message).toBe('read sessionToken=[REDACTED] from the cache');
    expect(error.cause.stack).toContain('dispatch.test.ts');
    const text = opts.logger.text();
    expect(text).not.toContain('FQoGZXIvYXdzEXAMPLETOKEN');
    expect(text).not.toContain('hunter2-secret');
    expect(JSON.stringify(result)).not.toContain('cannot read properties');
  });
});
