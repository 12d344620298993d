// Subjects as Go's pkix.Name.String() prints them (the reference client's read-certificate-data listing);
// the expectations follow Go's crypto/x509/pkix rules, written out by hand.
import { describe, expect, test } from 'vitest';
import { goSubjectString } from '../../../src/core/pki/go-name';
import { buildCertificate, name, text } from './build-certificate';

const CN = '2.5.4.3';
const O = '2.5.4.10';
const OU = '2.5.4.11';
const C = '2.5.4.6';
const SERIAL_NUMBER = '2.5.4.5';
const EMAIL = '1.2.840.113549.1.9.1';
const DC = '0.9.2342.19200300.100.1.25';

const subjectOf = (rdns: Parameters<typeof name>[0]): string => goSubjectString(buildCertificate({ subject: name(rdns) }));

describe('subjects as Go prints them', () => {
  test('known attributes in Go\'s field order, reversed, comma-joined without spaces', () => {
    expect(subjectOf([[[CN, text.utf8('alice')]], [[C, text.printable('US')]], [[O, text.utf8('Example')]]])).toBe('CN=alice,O=Example,C=US');
  });

  test('several values of one field share an RDN; only the last common name and serial number stay', () => {
    expect(subjectOf([
      [[OU, text.utf8('devops')]],
      [[CN, text.utf8('first')]],
      [[OU, text.utf8('platform')]],
      [[CN, text.utf8('second')]],
      [[SERIAL_NUMBER, text.printable('1234')]],
    ])).toBe('SERIALNUMBER=1234,CN=second,OU=devops+OU=platform');
  });

  test('other attributes come last, as OID=# and the hex of the value re-encoded (PrintableString, else UTF8String)', () => {
    expect(subjectOf([[[DC, text.ia5('example')]], [[CN, text.utf8('bob')]], [[EMAIL, text.ia5('a@example.com')]]])).toBe(
      `CN=bob,${EMAIL}=#0c0d${Buffer.from('a@example.com').toString('hex')},${DC}=#1307${Buffer.from('example').toString('hex')}`,
    );
  });

  test('escapes as Go does: , + " \\ < > ; anywhere, a space at either end, # at the start', () => {
    expect(subjectOf([[[O, text.utf8('Acme, Inc.')]], [[CN, text.utf8(' #1 <x>; "q"+ ')]], [[OU, text.utf8('#a#')]]])).toBe('CN=\\ #1 \\<x\\>\\; \\"q\\"\\+\\ ,OU=\\#a#,O=Acme\\, Inc.');
  });
});
