// Subjects as users type them: escaping, the attributes Roles Anywhere maps, and refusals with a reason.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSubject, parseSan, parseSubject } from '../../../src/core/certificates';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('parseSubject', () => {
  it('reads attributes in the order written, trimming spaces around them', () => {
    expect(parseSubject('CN=alice, OU=devops ,O=Example Corp,C=US')).toEqual([
      { type: 'CN', value: 'alice' },
      { type: 'OU', value: 'devops' },
      { type: 'O', value: 'Example Corp' },
      { type: 'C', value: 'US' },
    ]);
  });

  it('unescapes plus signs, equals signs and hex pairs inside values', () => {
    expect(parseSubject('CN=Smith John,O=A\\+B,OU=x\\3Dy')).toEqual([
      { type: 'CN', value: 'Smith John' },
      { type: 'O', value: 'A+B' },
      { type: 'OU', value: 'x=y' },
    ]);
  });

  it('refuses an empty subject, a subject without CN and attributes Roles Anywhere does not map', () => {
    expect(code(() => parseSubject(''))).toBe('SUBJECT_INVALID');
    expect(code(() => parseSubject('OU=devops'))).toBe('SUBJECT_INVALID');
    expect(code(() => parseSubject('CN=alice,emailAddress=a@example.com'))).toBe('SUBJECT_INVALID');
    expect(code(() => parseSubject('CN=alice,DC=example'))).toBe('SUBJECT_INVALID');
  });

  it('refuses empty values, a country that is not two letters, multi-valued RDNs and characters no session tag can carry', () => {
    expect(code(() => parseSubject('CN='))).toBe('SUBJECT_INVALID');
    expect(code(() => parseSubject('CN=alice,C=USA'))).toBe('SUBJECT_INVALID');
    expect(code(() => parseSubject('CN=alice+OU=devops'))).toBe('SUBJECT_INVALID');
    expect(code(() => parseSubject('CN=alice<script>'))).toBe('SUBJECT_INVALID');
    // Escaped correctly, but STS would drop the tag, so no trust policy could pin it.
    expect(code(() => parseSubject('CN=Smith\\, John'))).toBe('SUBJECT_INVALID');
    expect(code(() => parseSubject('CN=a\\qb'))).toBe('SUBJECT_INVALID');
  });

  it('names the attribute at fault in the error detail', () => {
    expect(() => parseSubject('CN=alice,SERIALNUMBER=1')).toThrow(expect.objectContaining({ detail: expect.stringContaining('SERIALNUMBER') }));
  });

  it('reads back what formatSubject writes, for any values a session tag can carry', () => {
    const value = fc.stringMatching(/^[A-Za-z0-9 _.:/=+\-@]{1,40}$/).filter((text) => text.trim() === text && text !== '');
    const attribute = fc.record({ type: fc.constantFrom('CN', 'OU', 'O', 'L', 'ST', 'UID'), value });
    fc.assert(
      fc.property(value, fc.array(attribute, { maxLength: 5 }), (cn, rest) => {
        const attributes = [{ type: 'CN', value: cn }, ...rest];
        expect(parseSubject(formatSubject(attributes))).toEqual(attributes);
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseSan', () => {
  it('takes dns: and uri: names', () => {
    expect(parseSan('dns:Host.Example.com')).toEqual({ type: 'dns', value: 'host.example.com' });
    expect(parseSan('uri:spiffe://example.com/alice')).toEqual({ type: 'uri', value: 'spiffe://example.com/alice' });
  });

  it('refuses other kinds, bad host names and relative URIs', () => {
    for (const text of ['email:a@example.com', 'host.example.com', 'dns:bad_host!', 'uri:not a uri', 'uri:/relative']) {
      expect(code(() => parseSan(text)), text).toBe('SAN_INVALID');
    }
  });
});
