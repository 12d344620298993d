import { describe, expect, it } from 'vitest';
import { parsePkcs11Uri } from '../../../src/core/pkcs11';

describe('RFC 7512 pkcs11: URIs', () => {
  it('reads path attributes as bytes, the id in binary, and the query\'s PIN and module', () => {
    const uri = parsePkcs11Uri('pkcs11:token=My%20Token;manufacturer=piv_II;serial=0123;slot-id=7;object=Cert%20for%20Signing;id=%01%ff?pin-source=file:/run/pin&module-path=/usr/lib/opensc-pkcs11.so');
    expect(Object.fromEntries([...uri.path].map(([name, value]) => [name, name === 'id' ? value.toString('hex') : value.toString('utf8')]))).toEqual({
      token: 'My Token', manufacturer: 'piv_II', serial: '0123', 'slot-id': '7', object: 'Cert for Signing', id: '01ff',
    });
    expect(uri.pinSource).toBe('file:/run/pin');
    expect(uri.modulePath).toBe('/usr/lib/opensc-pkcs11.so');
    expect(uri.pinValue).toBeUndefined();
  });

  it('takes pin-value and UTF-8 labels', () => {
    const uri = parsePkcs11Uri('pkcs11:object=cl%C3%A9?pin-value=123456');
    expect(uri.path.get('object')?.toString('utf8')).toBe('clé');
    expect(uri.pinValue).toBe('123456');
  });

  it.each([
    ['not a pkcs11 URI', 'file:/tmp/key.pem'],
    ['an unknown attribute', 'pkcs11:colour=red'],
    ['an attribute twice', 'pkcs11:token=a;token=b'],
    ['a slot-id that is not a number', 'pkcs11:slot-id=first'],
    // The reference's parser (go-pkcs11uri's Validate) reads slot-id with Atoi: decimal only.
    ['a slot-id in hex', 'pkcs11:slot-id=0x1A'],
    ['pin-value together with pin-source', 'pkcs11:token=a?pin-source=file:/run/pin'],
    ['a broken percent-encoding', 'pkcs11:object=50%'],
    ['an attribute without a value', 'pkcs11:token'],
  ])('refuses %s without quoting the URI (it may hold a PIN)', (_what, text) => {
    expect(() => parsePkcs11Uri(`${text}${text.includes('?') ? '&' : '?'}pin-value=SECRET-PIN`)).toThrow(expect.objectContaining({ code: 'PKCS11_URI_INVALID', detail: expect.not.stringContaining('SECRET-PIN') }));
  });

  it('takes pin-source alone, and says why pin-value beside it is refused', () => {
    expect(parsePkcs11Uri('pkcs11:token=a?pin-source=file:/run/pin').pinSource).toBe('file:/run/pin');
    expect(() => parsePkcs11Uri('pkcs11:token=a?pin-value=1234&pin-source=file:/run/pin')).toThrow(expect.objectContaining({ detail: 'pin-value and pin-source are both given: keep one' }));
  });

  it('reads slot-id in decimal', () => {
    expect(parsePkcs11Uri('pkcs11:slot-id=1234567890').path.get('slot-id')?.toString()).toBe('1234567890');
    expect(() => parsePkcs11Uri('pkcs11:slot-id=0x1A')).toThrow(expect.objectContaining({ detail: 'slot-id must be a decimal number' }));
  });

  it('ignores vendor attributes (x-)', () => {
    expect(parsePkcs11Uri('pkcs11:token=a;x-vendor=1').path.get('token')?.toString()).toBe('a');
  });
});
