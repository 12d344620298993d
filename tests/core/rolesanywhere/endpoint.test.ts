import { describe, expect, it } from 'vitest';
import { isLoopbackHost, resolveEndpoint } from '../../../src/core/rolesanywhere';

describe('resolveEndpoint', () => {
  it.each([
    [{ region: 'us-east-1' }, 'https://rolesanywhere.us-east-1.amazonaws.com/sessions', 'rolesanywhere.us-east-1.amazonaws.com'],
    [{ region: 'cn-north-1' }, 'https://rolesanywhere.cn-north-1.amazonaws.com.cn/sessions', 'rolesanywhere.cn-north-1.amazonaws.com.cn'],
    [{ region: 'us-gov-west-1' }, 'https://rolesanywhere.us-gov-west-1.amazonaws.com/sessions', 'rolesanywhere.us-gov-west-1.amazonaws.com'],
    [{ region: 'us-east-2', fips: true }, 'https://rolesanywhere-fips.us-east-2.amazonaws.com/sessions', 'rolesanywhere-fips.us-east-2.amazonaws.com'],
    [{ region: 'us-gov-east-1', fips: true }, 'https://rolesanywhere-fips.us-gov-east-1.amazonaws.com/sessions', 'rolesanywhere-fips.us-gov-east-1.amazonaws.com'],
  ])('derives the service endpoint from %o', (options, url, host) => {
    expect(resolveEndpoint(options)).toEqual({ url, host, path: '/sessions' });
  });

  it.each([
    ['https://vpce-1.rolesanywhere.us-east-1.vpce.amazonaws.com', 'https://vpce-1.rolesanywhere.us-east-1.vpce.amazonaws.com/sessions', 'vpce-1.rolesanywhere.us-east-1.vpce.amazonaws.com', '/sessions'],
    ['https://proxy.example.com:8443/', 'https://proxy.example.com:8443/sessions', 'proxy.example.com:8443', '/sessions'],
    ['https://proxy.example.com:443', 'https://proxy.example.com/sessions', 'proxy.example.com', '/sessions'],
    ['https://gw.example.com/ra/v1//', 'https://gw.example.com/ra/v1/sessions', 'gw.example.com', '/ra/v1/sessions'],
    ['rolesanywhere.eu-west-1.amazonaws.com', 'https://rolesanywhere.eu-west-1.amazonaws.com/sessions', 'rolesanywhere.eu-west-1.amazonaws.com', '/sessions'],
    ['http://127.0.0.1:9000', 'http://127.0.0.1:9000/sessions', '127.0.0.1:9000', '/sessions'],
    ['http://localhost:9000', 'http://localhost:9000/sessions', 'localhost:9000', '/sessions'],
    ['http://[::1]:9000', 'http://[::1]:9000/sessions', '[::1]:9000', '/sessions'],
    ['http://127.8.9.10', 'http://127.8.9.10/sessions', '127.8.9.10', '/sessions'],
  ])('appends /sessions to the explicit endpoint %s', (endpoint, url, host, path) => {
    expect(resolveEndpoint({ region: 'us-east-1', fips: true, endpoint })).toEqual({ url, host, path });
  });

  it('treats an empty endpoint as none, as the reference client does', () => {
    expect(resolveEndpoint({ region: 'us-west-2', endpoint: ' ' }).host).toBe('rolesanywhere.us-west-2.amazonaws.com');
  });

  it.each([
    ['http://rolesanywhere.us-east-1.amazonaws.com', 'plain http'],
    ['http://128.0.0.1', 'plain http'],
    ['http://localhost.example.com', 'plain http'],
    ['ftp://127.0.0.1', 'only https'],
    ['https://', 'not a URL'],
    ['https://host/path?x=1', 'query'],
    ['https://host/a b', 'path'],
    ['https://host/a%2Fb', 'path'],
    ['https://host/(x)', 'path'],
  ])('refuses %s', (endpoint, why) => {
    expect(() => resolveEndpoint({ region: 'us-east-1', endpoint })).toThrow(expect.objectContaining({ code: 'ENDPOINT_INVALID', detail: expect.stringContaining(why) }));
  });

  it('does not repeat a password given in the endpoint URL', () => {
    const call = () => resolveEndpoint({ region: 'us-east-1', endpoint: 'https://user:hunter2@host.example.com' });
    expect(call).toThrow(expect.objectContaining({ code: 'ENDPOINT_INVALID' }));
    try {
      call();
    } catch (error) {
      expect((error as { detail: string }).detail).not.toContain('hunter2');
    }
  });
});

describe('isLoopbackHost', () => {
  it('knows 127.0.0.0/8, ::1 and localhost, nothing else', () => {
    expect(['127.0.0.1', '127.255.0.3', '[::1]', 'localhost', 'LOCALHOST'].every(isLoopbackHost)).toBe(true);
    expect(['10.0.0.1', '0.0.0.0', '[::2]', 'localhost.', 'example.com'].some(isLoopbackHost)).toBe(false);
  });
});
