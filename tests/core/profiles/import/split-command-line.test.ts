import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quoteCommandLine } from '../../../../src/core/awsfiles';
import { splitCommandLine } from '../../../../src/core/profiles/import';

/** botocore's own splitting (Debian's python3-boto3): a list per line, or null where it raises. */
function botocoreSplit(lines: readonly string[], platform: 'linux' | 'win32'): (string[] | null)[] {
  const script = [
    'import json, sys',
    'from botocore.compat import compat_shell_split',
    'out = []',
    'for line in json.load(sys.stdin):',
    '    try: out.append(compat_shell_split(line, sys.argv[1]))',
    '    except ValueError: out.append(None)',
    'print(json.dumps(out))',
  ].join('\n');
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, platform], { input: JSON.stringify(lines), encoding: 'utf8' })) as (string[] | null)[];
}

function ours(line: string, platform: 'linux' | 'win32'): string[] | null {
  try {
    return splitCommandLine(line, platform);
  } catch {
    return null;
  }
}

// Mostly words and spaces, so most samples split into several arguments; quotes and backslashes often enough to
// hit every rule (and unclosed quotes, which both must refuse).
const commandText = (extra: readonly string[]) =>
  fc.string({
    unit: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...'ab/C:.-') },
      { weight: 3, arbitrary: fc.constantFrom(' ', ' ', '\t', ...extra) },
      { weight: 2, arbitrary: fc.constantFrom("'", '"', '\\') },
    ),
    minLength: 6,
    maxLength: 32,
  });

describe('splitCommandLine', () => {
  it('splits POSIX lines exactly as botocore (shlex) does, including the ones it refuses', () => {
    const lines = fc.sample(commandText(['\n']), { numRuns: 400, seed: 3 });
    expect(lines.map((line) => ours(line, 'linux'))).toEqual(botocoreSplit(lines, 'linux'));
  });

  it('splits Windows lines exactly as botocore does', () => {
    const lines = fc.sample(commandText([]), { numRuns: 400, seed: 5 });
    expect(lines.map((line) => ours(line, 'win32'))).toEqual(botocoreSplit(lines, 'win32'));
  });

  it('reads back what Rolecall writes as a credential_process line', () => {
    const argument = fc.string({ unit: fc.constantFrom(...'aZ09-_./:@%+,', ' ', "'", '\\', '$', '#', ';', '~', 'é'), minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(fc.array(argument, { minLength: 1, maxLength: 5 }), fc.constantFrom('linux', 'darwin', 'win32') as fc.Arbitrary<NodeJS.Platform>, (argv, platform) => {
        expect(splitCommandLine(quoteCommandLine(argv, platform), platform)).toEqual(argv);
      }),
    );
  });

  it('keeps Windows paths whole and takes quoted paths with spaces as one argument', () => {
    expect(splitCommandLine('"C:\\Program Files\\AWS\\aws_signing_helper.exe" credential-process --certificate C:\\certs\\me.pem --intermediates \\\\files\\pki\\chain.pem', 'win32')).toEqual([
      'C:\\Program Files\\AWS\\aws_signing_helper.exe',
      'credential-process',
      '--certificate',
      'C:\\certs\\me.pem',
      '--intermediates',
      '\\\\files\\pki\\chain.pem',
    ]);
    expect(splitCommandLine("'/opt/IAM Roles Anywhere/aws_signing_helper' --certificate \"/home/al/My Certs/a.pem\" --private-key /home/al/My\\ Keys/a.key", 'linux')).toEqual([
      '/opt/IAM Roles Anywhere/aws_signing_helper',
      '--certificate',
      '/home/al/My Certs/a.pem',
      '--private-key',
      '/home/al/My Keys/a.key',
    ]);
  });

  it('treats the line breaks of a value continued over several lines as spaces, on Windows too', () => {
    const value = 'aws_signing_helper.exe credential-process\n--certificate C:\\c.pem\n--role-arn x';
    const expected = ['aws_signing_helper.exe', 'credential-process', '--certificate', 'C:\\c.pem', '--role-arn', 'x'];
    expect(splitCommandLine(value, 'win32')).toEqual(expected);
    expect(splitCommandLine(value.replace('C:\\c.pem', '/c.pem'), 'linux')).toEqual(expected.map((arg) => arg.replace('C:\\c.pem', '/c.pem')));
  });

  it('refuses an unclosed quote with a line error', () => {
    expect(() => splitCommandLine('aws_signing_helper --certificate "/a b', 'linux')).toThrow(expect.objectContaining({ code: 'IMPORT_LINE_INVALID' }));
    expect(() => splitCommandLine('aws_signing_helper --certificate "C:\\a b', 'win32')).toThrow(expect.objectContaining({ code: 'IMPORT_LINE_INVALID' }));
  });
});
