// Where a console sign-in goes for each AWS partition, and which destinations a sign-in link may open.
import { describe, expect, it } from 'vitest';
import { consoleDestination, federationEndpoints } from '../../../src/core/console';

describe('console sign-in endpoints', () => {
  it('uses the region\'s own sign-in endpoint and console, and the single hosts of China and GovCloud', () => {
    expect(federationEndpoints('eu-west-1')).toEqual({ federation: 'https://eu-west-1.signin.aws.amazon.com/federation', console: 'https://eu-west-1.console.aws.amazon.com' });
    expect(federationEndpoints('cn-north-1').federation).toBe('https://signin.amazonaws.cn/federation');
    expect(federationEndpoints('us-gov-west-1').federation).toBe('https://signin.amazonaws-us-gov.com/federation');
  });

  it('sends a profile whose endpoint is the local sandbox to the sandbox, and an https endpoint (a VPC endpoint) to AWS', () => {
    expect(federationEndpoints('us-east-1', 'http://127.0.0.1:4567').federation).toBe('http://127.0.0.1:4567/federation');
    expect(federationEndpoints('us-east-1', 'https://vpce-1.rolesanywhere.us-east-1.vpce.amazonaws.com').federation).toBe('https://us-east-1.signin.aws.amazon.com/federation');
  });

  it('opens the region\'s console home by default, takes console paths and console URLs, and refuses any other site', () => {
    expect(consoleDestination('eu-west-1', undefined)).toBe('https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1');
    expect(consoleDestination('eu-west-1', '/s3/home')).toBe('https://eu-west-1.console.aws.amazon.com/s3/home');
    expect(consoleDestination('eu-west-1', 'https://console.aws.amazon.com/iam/home')).toBe('https://console.aws.amazon.com/iam/home');
    for (const elsewhere of ['https://attacker.example/', '//attacker.example/x', 'http://console.aws.amazon.com/', 'https://console.aws.amazon.com.attacker.example/', 'javascript:alert(1)']) {
      expect(() => consoleDestination('eu-west-1', elsewhere)).toThrow(expect.objectContaining({ code: 'CONSOLE_DESTINATION_INVALID' }));
    }
  });
});
