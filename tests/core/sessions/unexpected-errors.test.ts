// A bug inside a refresh (a TypeError, not a RolecallError) shows as INTERNAL in the state, and must
// leave its stack in the log: a timer-driven refresh has no caller to report it to. The rig's real
// sandbox minter, wrapped to break on cue; a redacting logger, as a log file gets it.
import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../src/core/log';
import type { SessionMinter } from '../../../src/core/sessions/ports';
import { useRig } from './session-rig';

const setUp = useRig();

describe('SessionManager: unexpected errors', () => {
  it('logs a TypeError thrown in a timer-driven refresh with its stack and cause, redacted, and shows INTERNAL', async () => {
    const r = await setUp({ shortLivedSeconds: 900 });
    let broken = false;
    const minter: SessionMinter = {
      regionOf: () => r.minter.regionOf(),
      mint: (name, options) => {
        if (!broken) return r.minter.mint(name, options);
        const cause = new Error('parsing sessionToken=FQoGZXIvYXdzEXAMPLETOKENVALUE failed');
        return Promise.reject(new TypeError('cannot read properties of undefined (reading "expiration")', { cause }));
      },
    };
    const logger = createMemoryLogger();
    const manager = r.restart({ minter, logger });
    await r.drive(manager.activate('dev'));
    broken = true;

    const failed = () => logger.entries.find((entry) => entry.message === 'session refresh failed');
    await r.clock.advanceUntil(() => failed() !== undefined, { maxMs: 900_000 });
    expect(manager.state('dev').lastError).toMatchObject({ code: 'INTERNAL' });
    expect(JSON.stringify(manager.state('dev'))).not.toContain('cannot read properties');

    const entry = failed();
    expect(entry?.fields).toMatchObject({ profile: 'dev', code: 'INTERNAL', error: { name: 'TypeError', message: 'cannot read properties of undefined (reading "expiration")' } });
    const error = entry?.fields.error as { stack: string; cause: { message: string; stack: string } };
    expect(error.stack).toMatch(/^TypeError: cannot read properties[^\n]*\n\s+at .*unexpected-errors\.test\.ts/);
    expect(error.cause.message).toBe('parsing sessionToken=[REDACTED] failed');
    expect(logger.text()).not.toContain('FQoGZXIvYXdzEXAMPLETOKENVALUE');
  });

  it('logs a RolecallError\'s code alone, as before', async () => {
    const r = await setUp();
    r.sandbox.config.profiles[0]!.enabled = false;
    await expect(r.manager.activate('dev')).rejects.toMatchObject({ code: 'RA_PROFILE_DISABLED' });
    const entry = r.logger.entries.find((each) => each.message === 'session refresh failed');
    expect(entry?.fields).toMatchObject({ profile: 'dev', code: 'RA_PROFILE_DISABLED' });
    expect(entry?.fields).not.toHaveProperty('error');
  });
});
