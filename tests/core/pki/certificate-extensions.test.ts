import forge from 'node-forge';
import { describe, expect, test } from 'vitest';
import { Certificate } from '../../../src/core/pki';
import { buildCertificate, context, extension, name, oid, sequence, text } from './build-certificate';
import { codeOf } from './helpers';

const BASIC_CONSTRAINTS = '2.5.29.19';
const KEY_USAGE = '2.5.29.15';
const SUBJECT_ALT_NAME = '2.5.29.17';
const AUTHORITY_KEY_IDENTIFIER = '2.5.29.35';

function withExtensions(...extensions: forge.asn1.Asn1[]): Certificate {
  return Certificate.fromDer(buildCertificate({ extensions }));
}

function bytes(...values: number[]): string {
  return Buffer.from(values).toString('binary');
}

function keyUsageBits(...content: number[]): forge.asn1.Asn1 {
  return forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.BITSTRING, false, bytes(...content));
}

function ipAddresses(...addresses: number[][]): string[] {
  const san = sequence(addresses.map((address) => context(7, bytes(...address))));
  return withExtensions(extension(SUBJECT_ALT_NAME, san)).subjectAlternativeNames.ip as string[];
}

describe('certificate extensions', () => {
  test('reads keyUsage bits across both bytes and ignores the unused bits', () => {
    // 7 unused bits: only bit 8 (decipherOnly) of the second byte counts.
    expect([...(withExtensions(extension(KEY_USAGE, keyUsageBits(7, 0x80, 0x80))).keyUsage ?? [])]).toEqual(['digitalSignature', 'decipherOnly']);
    // Bit 7 (encipherOnly) is set but declared unused.
    expect([...(withExtensions(extension(KEY_USAGE, keyUsageBits(1, 0x81))).keyUsage ?? [])]).toEqual(['digitalSignature']);
    expect(withExtensions(extension(KEY_USAGE, keyUsageBits(0))).keyUsage?.size).toBe(0);
  });

  test('reads cA from basicConstraints, false when absent from the extension', () => {
    const boolean = (value: number) => forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.BOOLEAN, false, bytes(value));
    const pathLength = forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.INTEGER, false, bytes(0));
    expect(withExtensions(extension(BASIC_CONSTRAINTS, sequence([boolean(0xff), pathLength]), true)).isCa).toBe(true);
    expect(withExtensions(extension(BASIC_CONSTRAINTS, sequence([]), true)).isCa).toBe(false);
    expect(withExtensions(extension(BASIC_CONSTRAINTS, sequence([pathLength]))).isCa).toBe(false);
  });

  test('uses the first of two extensions with the same identifier', () => {
    const first = extension(KEY_USAGE, keyUsageBits(7, 0x80));
    const second = extension(KEY_USAGE, keyUsageBits(5, 0x20));
    expect([...(withExtensions(first, second).keyUsage ?? [])]).toEqual(['digitalSignature']);
  });

  test('shows IPv4 dotted and IPv6 compressed, lowercase, at the longest run of zero groups', () => {
    expect(ipAddresses(
      [10, 0, 0, 1],
      [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
      [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1],
      [0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1],
      [0xfe, 0x80, 0, 0, 0, 0, 0, 0xab, 0, 0, 0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    )).toEqual(['10.0.0.1', '2001:db8::1', '2001:db8:0:1::1', '2001:db8:1:0:1:1:1:1', 'fe80:0:0:ab::', '::']);
  });

  test('keeps each kind of SAN in order and skips the forms it does not show', () => {
    const upn = context(0, [oid('1.3.6.1.4.1.311.20.2.3'), context(0, [text.utf8('user@corp.test')])]);
    const san = sequence([
      upn,
      context(2, 'a.example.test'),
      context(8, forge.asn1.oidToDer('1.2.3.4').getBytes()),
      context(6, 'spiffe://example.test/a'),
      context(2, 'b.example.test'),
      context(1, 'a@example.test'),
      context(4, [name([[['2.5.4.6', text.printable('DE')]], [['2.5.4.3', text.utf8('dir, name')]]])]),
    ]);
    const certificate = withExtensions(extension(SUBJECT_ALT_NAME, san));
    expect(certificate.subjectAlternativeNames).toEqual({
      dns: ['a.example.test', 'b.example.test'],
      uri: ['spiffe://example.test/a'],
      email: ['a@example.test'],
      ip: [],
      directoryName: ['C=DE, CN=dir\\, name'],
    });
    expect(certificate.sanDirectoryNames).toEqual([[{ type: 'C', value: 'DE' }, { type: 'CN', value: 'dir, name' }]]);
  });

  test('says CERT_UNREADABLE for a damaged keyUsage, basicConstraints or subjectAltName', () => {
    const damaged = [
      extension(KEY_USAGE, sequence([])),
      extension(KEY_USAGE, keyUsageBits(8, 0x80)),
      extension(BASIC_CONSTRAINTS, forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.INTEGER, false, bytes(1))),
      extension(SUBJECT_ALT_NAME, Buffer.from([0x30, 0x03, 0x82, 0x01, 0x61, 0x00])),
      extension(SUBJECT_ALT_NAME, sequence([context(2, [text.ia5('nested')])])),
    ];
    for (const [index, value] of damaged.entries()) {
      expect(codeOf(() => withExtensions(value)), `case ${index}`).toBe('CERT_UNREADABLE');
    }
  });

  test('loads a certificate whose damaged extension is one Rolecall does not read', () => {
    const certificate = withExtensions(extension(AUTHORITY_KEY_IDENTIFIER, Buffer.from([0x30, 0x05, 0x80])), extension(KEY_USAGE, keyUsageBits(7, 0x80)));
    expect([...(certificate.keyUsage ?? [])]).toEqual(['digitalSignature']);
  });
});
