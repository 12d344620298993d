import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalHeaders,
  canonicalQuery,
  createSessionHeaders,
  credentialScope,
  formatAmzDate,
  hashedPayload,
  percentEncode,
  signedHeaderList,
} from '../../../src/core/signing';
import { readVector, vectorCa, vectorLeaf } from './test-keys';

// RFC 3986 §2.3 by its own definition: encodeURIComponent plus the five sub-delims it spares.
function referenceEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

describe('percentEncode', () => {
  it('escapes ! \' ( ) * which encodeURIComponent leaves alone', () => {
    expect(percentEncode("!'()*")).toBe('%21%27%28%29%2A');
  });

  it('keeps only unreserved characters and encodes UTF-8 bytes in uppercase hex', () => {
    expect(percentEncode('AZaz09-_.~')).toBe('AZaz09-_.~');
    expect(percentEncode(' +/:=@,é😀')).toBe('%20%2B%2F%3A%3D%40%2C%C3%A9%F0%9F%98%80');
  });

  it('matches the RFC 3986 reference for any Unicode string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const encoded = percentEncode(value);
        expect(encoded).toBe(referenceEncode(value));
        expect(encoded).toMatch(/^(?:[A-Za-z0-9\-_.~]|%[0-9A-F]{2})*$/);
        expect(decodeURIComponent(encoded)).toBe(value);
      }),
      { numRuns: 500 },
    );
  });
});

describe('canonicalQuery', () => {
  it('sorts keys and encodes values strictly, as on the wire in the vectors', () => {
    const query = {
      trustAnchorArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/66666666-7777-8888-9999-000000000000',
      roleArn: 'arn:aws:iam::123456789012:role/team!/Example+Role@x=1,2',
      profileArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/11111111-2222-3333-4444-555555555555',
    };
    expect(canonicalQuery(query)).toBe(readVector('v1-minimal.query.txt'));
  });

  it('sorts by code unit, so uppercase keys come before lowercase ones', () => {
    expect(canonicalQuery({ b: '1', a: '2', B: '3' })).toBe('B=3&a=2&b=1');
  });
});

describe('canonical headers', () => {
  it('lowercases and sorts names, trims values and collapses inner runs of spaces', () => {
    const headers = { 'X-Amz-Date': '20240102T030405Z', Host: '  example.com ', 'amz-sdk-request': 'attempt=1;   max=3' };
    expect(canonicalHeaders(headers)).toBe('amz-sdk-request:attempt=1; max=3\nhost:example.com\nx-amz-date:20240102T030405Z\n');
    expect(signedHeaderList(headers)).toBe('amz-sdk-request;host;x-amz-date');
  });

  it('joins values of headers that differ only in case with a comma', () => {
    expect(canonicalHeaders({ 'X-Thing': 'a', 'x-thing': 'b' })).toBe('x-thing:a,b\n');
  });
});

describe('dates, scope and payload', () => {
  it('formats X-Amz-Date as YYYYMMDDTHHMMSSZ in UTC', () => {
    expect(formatAmzDate(Date.UTC(2024, 0, 2, 3, 4, 5, 678))).toBe('20240102T030405Z');
  });

  it('scopes the credential to the date, region and rolesanywhere', () => {
    expect(credentialScope('20240102T030405Z', 'eu-west-2')).toBe('20240102/eu-west-2/rolesanywhere/aws4_request');
  });

  it('refuses an X-Amz-Date that is not in the SigV4 form', () => {
    expect(() => credentialScope('2024-01-02T03:04:05Z', 'us-east-1')).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
  });

  it('hashes the body bytes as lowercase hex SHA-256', () => {
    expect(hashedPayload('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('createSessionHeaders', () => {
  it('sends the leaf as padded base64 DER and leaves the chain out when there is none', () => {
    const leaf = vectorLeaf();
    const headers = createSessionHeaders({ host: 'h', amzDate: '20240102T030405Z', certificateDer: leaf.der, chainDer: [] });
    expect(Object.keys(headers).sort()).toEqual(['Content-Type', 'Host', 'X-Amz-Date', 'X-Amz-X509']);
    expect(headers['X-Amz-X509']).toBe(leaf.certificate.raw.toString('base64'));
    expect(headers['Content-Type']).toBe('application/json');
  });

  it('joins intermediates with commas in order and never repeats the leaf', () => {
    const leaf = vectorLeaf();
    const ca = vectorCa();
    const headers = createSessionHeaders({ host: 'h:8443', amzDate: '20240102T030405Z', certificateDer: leaf.der, chainDer: [leaf.der, ca.der, leaf.der, ca.der] });
    const base64Ca = ca.der.toString('base64');
    expect(headers['X-Amz-X509-Chain']).toBe(`${base64Ca},${base64Ca}`);
    expect(headers.Host).toBe('h:8443');
  });

  it('pads base64 when the DER length is not a multiple of three', () => {
    const der = Buffer.from([0x30, 0x01, 0x00, 0x30]);
    expect(createSessionHeaders({ host: 'h', amzDate: '20240102T030405Z', certificateDer: der })['X-Amz-X509']).toBe('MAEAMA==');
  });
});
