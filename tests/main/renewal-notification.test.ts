import { describe, expect, it } from 'vitest';
import { renewalNotification } from '../../src/main/notifications';
import { ERRORS } from '../../src/shared/errors';
import type { CertificateRenewalView } from '../../src/shared/model';
import { defaultSettings } from './views';

const renewed: CertificateRenewalView = {
  certificate: 'alice',
  ca: 'team',
  outcome: 'renewed',
  at: '2030-01-01T08:00:00.000Z',
  notAfter: '2030-04-01T08:00:00.000Z',
  newKey: true,
  profiles: ['dev', 'prod'],
};

describe('renewalNotification', () => {
  it('says a certificate was renewed, until when, and which profiles use it now', () => {
    expect(renewalNotification(renewed, defaultSettings)).toEqual({
      id: 'renewal:alice',
      title: 'alice: certificate renewed',
      body: 'Rolecall CA team issued it a new certificate with a new key, valid until 2030-04-01. dev, prod use it now.',
    });
  });

  it('says why a certificate cannot be renewed and when it ends', () => {
    const problem = { code: 'RENEWAL_CA_KEY_MISSING' as const, message: ERRORS.RENEWAL_CA_KEY_MISSING.message, next: ERRORS.RENEWAL_CA_KEY_MISSING.next };
    const failed: CertificateRenewalView = { certificate: 'alice', ca: 'team', outcome: 'failed', at: renewed.at, notAfter: '2030-01-02T08:00:00.000Z', profiles: [], problem };
    expect(renewalNotification(failed, defaultSettings)).toEqual({
      id: 'renewal:alice',
      title: 'alice: certificate cannot be renewed',
      body: `${problem.message} ${problem.next} It ends 2030-01-02.`,
    });
  });

  it('stays silent when notifications are off', () => {
    expect(renewalNotification(renewed, { ...defaultSettings, notifications: false })).toBeUndefined();
  });
});
