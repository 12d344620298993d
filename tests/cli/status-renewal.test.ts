import { describe, expect, it } from 'vitest';
import { renewalLine } from '../../src/cli/commands/status';
import { ERRORS } from '../../src/shared/errors';

describe('rolecall status --watch: certificate renewals', () => {
  it('says which certificate was renewed, by which CA, until when and which profiles switched', () => {
    expect(renewalLine({ certificate: 'alice', ca: 'team', outcome: 'renewed', at: '2030-01-01T08:00:00.000Z', notAfter: '2030-04-01T08:00:00.000Z', newKey: true, profiles: ['dev'] })).toBe(
      '2030-01-01 08:00 certificate alice renewed by Rolecall CA team with a new key, valid until 2030-04-01T08:00:00.000Z; dev switched to it',
    );
  });

  it('says why a certificate cannot be renewed, with the next step naming the commands', () => {
    const problem = { code: 'RENEWAL_CA_MISSING' as const, message: ERRORS.RENEWAL_CA_MISSING.message, next: ERRORS.RENEWAL_CA_MISSING.next, detail: 'Rolecall CA team' };
    const line = renewalLine({ certificate: 'alice', ca: 'team', outcome: 'failed', at: '2030-01-01T08:00:00.000Z', notAfter: '2030-01-02T08:00:00.000Z', profiles: ['dev'], problem });
    expect(line).toBe(`2030-01-01 08:00 certificate alice cannot be renewed (it ends 2030-01-02T08:00:00.000Z): ${problem.message} (Rolecall CA team) ${problem.next}`);
    expect(line).toContain('`rolecall ca create CA --subject …`');
  });
});
