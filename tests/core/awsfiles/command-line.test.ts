import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { credentialProcessCommand, quoteCommandLine } from '../../../src/core/awsfiles';

// Arguments real paths can hold, weighted towards the characters shells and INI parsers care about.
const argument = fc.string({
  unit: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...'abcXYZ019-_./:@%+,') },
    { weight: 3, arbitrary: fc.constantFrom(' ', '\t', "'", '"', '\\', '$', '`', '#', ';', '*', '?', '~', '!', '&', '|', '<', '>', '(', ')', '{', '}', '[', ']', '=') },
    { weight: 1, arbitrary: fc.constantFrom('é', '漢', '😀') },
  ),
  minLength: 1,
  maxLength: 16,
});
const argvs = fc.array(argument, { minLength: 1, maxLength: 5 });

/** Split each command line with Python, the way botocore does before it spawns without a shell. */
function botocoreSplit(lines: readonly string[], platform: 'posix' | 'windows'): string[][] {
  const script = [
    'import json, shlex, sys',
    'from botocore.compat import _windows_shell_split',
    'split = _windows_shell_split if sys.argv[1] == "windows" else shlex.split',
    'print(json.dumps([split(line) for line in json.load(sys.stdin)]))',
  ].join('\n');
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, platform], { input: JSON.stringify(lines), encoding: 'utf8' })) as string[][];
}

describe('credential_process quoting', () => {
  test('botocore (shlex) and sh -c both read back the same arguments on POSIX', () => {
    const samples = fc.sample(argvs, { numRuns: 150, seed: 7 });
    const lines = samples.map((argv) => quoteCommandLine(argv, 'linux'));
    expect(botocoreSplit(lines, 'posix')).toEqual(samples);
    // The JS, Go and Java SDKs run the line with sh -c; printf stands in for the program.
    samples.forEach((argv, index) => {
      const printed = execFileSync('/bin/sh', ['-c', `printf '%s\\n' ${lines[index] ?? ''}`], { encoding: 'utf8' });
      expect(printed).toBe(argv.map((arg) => `${arg}\n`).join(''));
    });
  });

  test('botocore\'s Windows splitter reads back the same arguments', () => {
    const samples = fc.sample(argvs.filter((argv) => argv.every((arg) => !arg.includes('"'))), { numRuns: 150, seed: 11 });
    expect(botocoreSplit(samples.map((argv) => quoteCommandLine(argv, 'win32')), 'windows')).toEqual(samples);
  });

  test('never lets the JS SDK\'s inline-comment rule (" #", " ;") cut the value', () => {
    fc.assert(fc.property(argvs, (argv) => {
      for (const platform of ['linux', 'darwin'] as const) expect(quoteCommandLine(argv, platform)).not.toMatch(/\s[#;]/);
      if (argv.every((arg) => !arg.includes('"') && !arg.includes(';'))) expect(quoteCommandLine(argv, 'win32')).not.toMatch(/\s#/);
    }));
  });

  test('leaves plain paths readable and quotes paths with spaces', () => {
    expect(credentialProcessCommand(['/usr/bin/node', '/opt/rolecall/bin/rolecall.mjs'], 'dev', 'linux'))
      .toBe('/usr/bin/node /opt/rolecall/bin/rolecall.mjs credential-process --profile dev');
    expect(credentialProcessCommand(['/Applications/Rolecall.app/Contents/MacOS/Rolecall Helper'], 'dev', 'darwin'))
      .toBe("'/Applications/Rolecall.app/Contents/MacOS/Rolecall Helper' credential-process --profile dev");
    expect(credentialProcessCommand(['C:\\Program Files\\nodejs\\node.exe', 'C:\\Users\\Ana Lía\\rolecall\\cli.js'], 'dev', 'win32'))
      .toBe('"C:\\Program Files\\nodejs\\node.exe" "C:\\Users\\Ana Lía\\rolecall\\cli.js" credential-process --profile dev');
  });

  test('refuses arguments no command line can carry', () => {
    expect(() => quoteCommandLine(['a\nb'], 'linux')).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
    expect(() => quoteCommandLine([''], 'linux')).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
    expect(() => quoteCommandLine(['say "hi"'], 'win32')).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
  });
});
