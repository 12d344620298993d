// The principal tags a session carries, from fixture certificates and certificates made for one rule
// each, under the default attribute mapping and custom ones; and the source identity.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ATTRIBUTE_MAPPINGS,
  deleteAttributeMapping,
  principalTagsOf,
  putAttributeMapping,
  readAttributeMapping,
  sourceIdentityOf,
} from '../../../src/sandbox/policy';
import { certificateWith, fixtureCertificate } from './tag-certificates';

const INTERMEDIATE_ISSUER = {
  'x509Issuer/C': 'US',
  'x509Issuer/O': 'Rolecall Tests',
  'x509Issuer/OU': 'PKI',
  'x509Issuer/CN': 'Rolecall Test Intermediate CA',
};

describe('principal tags under the default attribute mapping', () => {
  it('maps every supported subject and issuer RDN, the first DNS and URI SAN and the first directoryName', () => {
    const { tags } = principalTagsOf(fixtureCertificate('leaf-rsa2048'));
    expect(tags).toEqual({
      ...INTERMEDIATE_ISSUER,
      'x509SAN/DNS': 'leaf-rsa2048.rolecall.test',
      'x509SAN/URI': 'spiffe://rolecall.test/workload/leaf-rsa2048',
      'x509SAN/Name/C': 'DE',
      'x509SAN/Name/O': 'Rolecall SAN Org',
      'x509SAN/Name/CN': 'san-directory-name',
      'x509Subject/C': 'US',
      'x509Subject/ST': 'Washington',
      'x509Subject/L': 'Seattle',
      'x509Subject/O': 'Rolecall Tests',
      'x509Subject/OU': 'devops/platform',
      'x509Subject/CN': 'leaf-rsa2048',
    });
  });

  it('lists tags in the order of the default mapping: issuer, SAN, subject', () => {
    const keys = Object.keys(principalTagsOf(fixtureCertificate('leaf-ec-p256')).tags);
    expect(keys).toEqual([...Object.keys(INTERMEDIATE_ISSUER), 'x509SAN/DNS', 'x509SAN/URI', 'x509Subject/C', 'x509Subject/ST', 'x509Subject/L', 'x509Subject/O', 'x509Subject/OU', 'x509Subject/CN']);
  });

  it('takes the issuer tags from the issuer name of the leaf itself', () => {
    const { tags } = principalTagsOf(fixtureCertificate('leaf-by-root'));
    expect(tags['x509Issuer/CN']).toBe('Rolecall Test Root CA');
  });

  it('says which mapped attributes a certificate does not have', () => {
    const { dropped } = principalTagsOf(fixtureCertificate('leaf-ec-p256'));
    expect(dropped.map(({ key }) => key)).toEqual(['x509SAN/Name/*']);
  });

  it('joins several values of one RDN with "/" in certificate order, multi-valued RDNs included', async () => {
    const certificate = await certificateWith({ subject: [{ CN: ['alice'] }, { OU: ['Security'] }, { OU: ['Engineering', 'Research'] }] });
    expect(principalTagsOf(certificate).tags['x509Subject/OU']).toBe('Security/Engineering/Research');
  });

  it('maps UID and leaves unsupported RDNs such as DC and emailAddress out', async () => {
    const certificate = await certificateWith({ subject: [{ DC: ['example'] }, { '0.9.2342.19200300.100.1.1': ['alice-uid'] }, { E: ['alice@example.com'] }, { CN: ['alice'] }] });
    const subject = Object.entries(principalTagsOf(certificate).tags).filter(([key]) => key.startsWith('x509Subject/'));
    expect(subject).toEqual([
      ['x509Subject/UID', 'alice-uid'],
      ['x509Subject/CN', 'alice'],
    ]);
  });

  it('maps the first DNS and URI names even after other SAN types, and never email or IP addresses', async () => {
    const certificate = await certificateWith({
      subject: [{ CN: ['alice'] }],
      san: [
        { type: 'email', value: 'alice@example.com' },
        { type: 'ip', value: '192.0.2.1' },
        { type: 'url', value: 'spiffe://example.com/alice' },
        { type: 'dns', value: 'first.example.com' },
        { type: 'dns', value: 'second.example.com' },
        { type: 'url', value: 'spiffe://example.com/second' },
      ],
    });
    const san = Object.entries(principalTagsOf(certificate).tags).filter(([key]) => key.startsWith('x509SAN/'));
    expect(san).toEqual([
      ['x509SAN/DNS', 'first.example.com'],
      ['x509SAN/URI', 'spiffe://example.com/alice'],
    ]);
  });

  it('ignores values a session tag cannot hold: characters outside STS rules, or over 256 characters', async () => {
    const certificate = await certificateWith({
      subject: [{ CN: ['Müller, Jürgen'] }, { O: ['Ünïcode Örg 2'] }, { OU: ['x'.repeat(257)] }, { L: ['y'.repeat(256)] }],
      san: [{ type: 'url', value: 'https://example.com/path?query=1' }],
    });
    const { tags, dropped } = principalTagsOf(certificate);
    expect(tags['x509Subject/O']).toBe('Ünïcode Örg 2');
    expect(tags['x509Subject/L']).toHaveLength(256);
    expect(tags).not.toHaveProperty('x509Subject/CN');
    expect(tags).not.toHaveProperty('x509Subject/OU');
    expect(tags).not.toHaveProperty('x509SAN/URI');
    expect(dropped).toEqual(
      expect.arrayContaining([
        { key: 'x509Subject/CN', reason: expect.stringContaining('characters a session tag cannot hold') },
        { key: 'x509Subject/OU', reason: 'the value is longer than 256 characters' },
        { key: 'x509SAN/URI', reason: expect.stringContaining('characters a session tag cannot hold') },
      ]),
    );
  });
});

describe('principal tags under custom attribute mappings', () => {
  const leaf = fixtureCertificate('leaf-rsa2048');

  it('maps only the subject RDNs a PutAttributeMapping names', () => {
    const mappings = putAttributeMapping(DEFAULT_ATTRIBUTE_MAPPINGS, { certificateField: 'x509Subject', mappingRules: [{ specifier: 'CN' }, { specifier: 'OU' }] });
    const subject = Object.entries(principalTagsOf(leaf, mappings).tags).filter(([key]) => key.startsWith('x509Subject/'));
    expect(subject).toEqual([
      ['x509Subject/CN', 'leaf-rsa2048'],
      ['x509Subject/OU', 'devops/platform'],
    ]);
  });

  it('maps one attribute of the directoryName with Name/CN', () => {
    const mappings = putAttributeMapping(DEFAULT_ATTRIBUTE_MAPPINGS, { certificateField: 'x509SAN', mappingRules: [{ specifier: 'Name/CN' }] });
    const san = Object.entries(principalTagsOf(leaf, mappings).tags).filter(([key]) => key.startsWith('x509SAN/'));
    expect(san).toEqual([['x509SAN/Name/CN', 'san-directory-name']]);
  });

  it('carries no issuer tags once the issuer mapping is deleted', () => {
    const mappings = deleteAttributeMapping(DEFAULT_ATTRIBUTE_MAPPINGS, 'x509Issuer', ['*']);
    expect(Object.keys(principalTagsOf(leaf, mappings).tags).filter((key) => key.startsWith('x509Issuer/'))).toEqual([]);
  });

  it('keeps the other SAN specifiers when one is deleted, and drops the whole field when none are named', () => {
    const withoutUri = deleteAttributeMapping(DEFAULT_ATTRIBUTE_MAPPINGS, 'x509SAN', ['URI']);
    expect(withoutUri.find((mapping) => mapping.certificateField === 'x509SAN')?.mappingRules).toEqual([{ specifier: 'DNS' }, { specifier: 'Name/*' }]);
    expect(deleteAttributeMapping(DEFAULT_ATTRIBUTE_MAPPINGS, 'x509SAN').map((mapping) => mapping.certificateField)).toEqual(['x509Issuer', 'x509Subject']);
  });

  it('says when a specifier maps nothing', () => {
    const mappings = putAttributeMapping([], { certificateField: 'x509Subject', mappingRules: [{ specifier: 'DC' }] });
    expect(principalTagsOf(leaf, mappings)).toEqual({ tags: {}, dropped: [{ key: 'x509Subject/DC', reason: expect.stringContaining('no such attribute') }] });
  });
});

describe('readAttributeMapping (the PutAttributeMapping body)', () => {
  it('accepts a field and its rules, and shows Name and Name/ as Name/*', () => {
    expect(readAttributeMapping({ certificateField: 'x509SAN', mappingRules: [{ specifier: 'DNS' }, { specifier: 'Name' }, { specifier: 'Name/' }] })).toEqual({
      ok: true,
      mapping: { certificateField: 'x509SAN', mappingRules: [{ specifier: 'DNS' }, { specifier: 'Name/*' }] },
    });
  });

  it('refuses an unknown certificate field with the service validation text', () => {
    expect(readAttributeMapping({ certificateField: 'x509Subjects', mappingRules: [] })).toEqual({
      ok: false,
      message: "1 validation error detected: Value 'x509Subjects' at 'certificateField' failed to satisfy constraint: Member must satisfy enum value set: [x509Subject, x509Issuer, x509SAN]",
    });
  });

  it('counts every problem: missing rules and a missing field', () => {
    const result = readAttributeMapping({});
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/^2 validation errors detected: Value null at 'certificateField'.*; Value null at 'mappingRules'/);
  });

  it('refuses a specifier longer than 60 characters', () => {
    const result = readAttributeMapping({ certificateField: 'x509Subject', mappingRules: [{ specifier: 'C'.repeat(61) }] });
    expect(!result.ok && result.message).toContain("at 'mappingRules.1.member.specifier' failed to satisfy constraint: Member must have length less than or equal to 60");
  });
});

describe('sourceIdentityOf', () => {
  it('is CN= and the common name for a name of up to 61 characters', async () => {
    expect(sourceIdentityOf(fixtureCertificate('leaf-ec-p256'))).toBe('CN=leaf-ec-p256');
    expect(sourceIdentityOf(await certificateWith({ subject: [{ CN: ['a'.repeat(61)] }] }))).toBe(`CN=${'a'.repeat(61)}`);
  });

  it('is the bare common name at 62 to 64 characters', async () => {
    expect(sourceIdentityOf(await certificateWith({ subject: [{ CN: ['b'.repeat(62)] }] }))).toBe('b'.repeat(62));
  });

  it('is ID= and the serial in hex, padded to an even length, without a CN', async () => {
    expect(sourceIdentityOf(await certificateWith({ subject: [{ O: ['No CN'] }], serialNumber: '0123' }))).toBe('ID=0123');
    expect(sourceIdentityOf(await certificateWith({ subject: [{ O: ['No CN'] }], serialNumber: '4567' }))).toBe('ID=4567');
  });
});
