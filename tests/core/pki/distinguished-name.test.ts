import { describe, expect, test } from 'vitest';
import { Certificate, principalTags } from '../../../src/core/pki';
import { buildCertificate, name, text } from './build-certificate';

const CN = '2.5.4.3';
const O = '2.5.4.10';
const OU = '2.5.4.11';
const C = '2.5.4.6';
const L = '2.5.4.7';
const ST = '2.5.4.8';
const EMAIL = '1.2.840.113549.1.9.1';
const SERIAL_NUMBER = '2.5.4.5';

function withSubject(subject: ReturnType<typeof name>): Certificate {
  return Certificate.fromDer(buildCertificate({ subject }));
}

describe('distinguished names', () => {
  test('reads every character string type a CA may use, and shows other types as # and hex', () => {
    const certificate = withSubject(name([
      [[CN, text.utf8('Zoë 日本')]],
      [[O, text.printable('Example Ltd')]],
      [[OU, text.teletex(Buffer.from([0x43, 0x61, 0x66, 0xe9]))]],
      [[EMAIL, text.ia5('ops@example.test')]],
      [[L, text.bmp('東京')]],
      [[ST, text.universal('Ünï 😀')]],
      [[SERIAL_NUMBER, text.printable('1234')]],
      [['1.2.3.4', text.visible('vis')]],
    ]));
    expect(certificate.subject).toBe('CN=Zoë 日本, O=Example Ltd, OU=Café, E=ops@example.test, L=東京, ST=Ünï 😀, 2.5.4.5=1234, 1.2.3.4=#1a03766973');
    expect(certificate.subjectAttributes).toEqual([
      { type: 'CN', value: 'Zoë 日本' },
      { type: 'O', value: 'Example Ltd' },
      { type: 'OU', value: 'Café' },
      { type: 'E', value: 'ops@example.test' },
      { type: 'L', value: '東京' },
      { type: 'ST', value: 'Ünï 😀' },
      { type: '2.5.4.5', value: '1234' },
      { type: '1.2.3.4', value: '#1a03766973' },
    ]);
  });

  test('shows Latin-1 bytes in a UTF8String byte for byte', () => {
    expect(withSubject(name([[[CN, text.utf8Bytes(Buffer.from([0x63, 0x61, 0x66, 0xe9]))]]])).subject).toBe('CN=café');
  });

  test('escapes RFC 4514 special characters in the text but not in the attribute values', () => {
    const certificate = withSubject(name([
      [[CN, text.utf8(' lead,ing+"q"\\<x>;')]],
      [[O, text.utf8('#hash')]],
      [[OU, text.utf8('trail ')]],
      [[L, text.utf8('two\nlines\tand\r\nmore')]],
    ]));
    expect(certificate.subject).toBe('CN=\\ lead\\,ing\\+\\"q\\"\\\\\\<x\\>\\;, O=\\#hash, OU=trail\\ , L=two\\0Alines\\09and\\0D\\0Amore');
    expect(certificate.subjectAttributes.map((attribute) => attribute.value)).toEqual([' lead,ing+"q"\\<x>;', '#hash', 'trail ', 'two\nlines\tand\r\nmore']);
  });

  test('joins the values of a multi-valued RDN with + and lists them type by type', () => {
    const certificate = withSubject(name([
      [[C, text.printable('US')]],
      [[CN, text.utf8('first')], [O, text.utf8('Org')], [CN, text.utf8('second')]],
    ]));
    expect(certificate.subject).toBe('C=US, CN=first+O=Org+CN=second');
    expect(certificate.subjectAttributes).toEqual([
      { type: 'C', value: 'US' },
      { type: 'CN', value: 'first' },
      { type: 'CN', value: 'second' },
      { type: 'O', value: 'Org' },
    ]);
    expect(principalTags(certificate)['x509Subject/CN']).toBe('first/second');
  });

  test('reads an empty name as an empty string', () => {
    const certificate = Certificate.fromDer(buildCertificate({ issuer: name([]) }));
    expect(certificate.issuer).toBe('');
    expect(certificate.issuerAttributes).toEqual([]);
  });
});
