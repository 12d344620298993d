import { describe, expect, it } from 'vitest';
import { isExpiryWarning } from '../../src/shared/certificate-expiry';
import { certificateWarning, expiryPhrase, validityLine } from '../../src/renderer/format/certificate-expiry';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const DAY = 86_400_000;
const at = (ms: number) => new Date(ms).toISOString();
const day = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
/** A certificate valid for a year that ends `msLeft` from now. */
const ending = (msLeft: number) => ({ notBefore: at(NOW + msLeft - 365 * DAY), notAfter: at(NOW + msLeft) });

describe('a certificate\'s expiry in the window', () => {
  it('counts whole days left, then says today', () => {
    expect(expiryPhrase(ending(20 * DAY + 5000), NOW)).toBe('expires in 20 days');
    expect(expiryPhrase(ending(DAY), NOW)).toBe('expires in 1 day');
    expect(expiryPhrase(ending(3 * 3600_000), NOW)).toBe('expires today');
    expect(expiryPhrase({ notBefore: at(NOW - DAY), notAfter: at(NOW + 98 * 365 * DAY + 30 * DAY) }, NOW)).toBe('expires in 98 years');
  });

  it('counts the days since it ended, and names the day a certificate starts', () => {
    expect(expiryPhrase(ending(-3 * DAY - 1000), NOW)).toBe('expired 3 days ago');
    expect(expiryPhrase(ending(-60_000), NOW)).toBe('expired today');
    const future = { notBefore: '2030-01-01T00:00:00.000Z', notAfter: '2031-01-01T00:00:00.000Z' };
    expect(expiryPhrase(future, NOW)).toBe(`not valid until ${day.format(Date.parse(future.notBefore))}`);
  });

  it('says the same words in the validity line and in the warning for the same certificate', () => {
    const certificate = ending(20 * DAY + 5000);
    expect(validityLine(certificate, NOW)).toBe(`${day.format(Date.parse(certificate.notBefore))} – ${day.format(Date.parse(certificate.notAfter))} (expires in 20 days)`);
    expect(certificateWarning('expiring', certificate, NOW)).toBe('Certificate expires in 20 days');
    expect(certificateWarning('expired', ending(-3 * DAY - 1000), NOW)).toBe('Certificate expired 3 days ago');
  });

  it('warns only about a certificate the agent judged expiring, expired or not yet valid', () => {
    expect(certificateWarning('ok', ending(200 * DAY), NOW)).toBeUndefined();
  });

  it('recognises the agent\'s own expiry warning, and only that one', () => {
    expect(isExpiryWarning('The certificate expires in 10 days (2124-12-31T00:00:00.000Z); ask your CA for a new one soon.')).toBe(true);
    expect(isExpiryWarning('The key file is encrypted, so the key can only be kept in the keychain.')).toBe(false);
  });
});
