// The command that opens a console sign-in URL in the user's default browser, on each system.
import { describe, expect, it } from 'vitest';
import { browserCommand } from '../../src/cli/open-browser';

describe('the default browser opener', () => {
  it('passes the URL as one argument: xdg-open, open, or url.dll on Windows (never through a shell)', () => {
    const url = 'https://signin.aws.amazon.com/federation?Action=login&Destination=a%26b';
    expect(browserCommand(url, 'linux')).toEqual({ command: 'xdg-open', args: [url] });
    expect(browserCommand(url, 'darwin')).toEqual({ command: 'open', args: [url] });
    expect(browserCommand(url, 'win32')).toEqual({ command: 'rundll32', args: ['url.dll,FileProtocolHandler', url] });
  });
});
