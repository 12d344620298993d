// Fuzz targets for what users type or paste: ARNs and names, credential_process command lines (split,
// quoted, read as aws_signing_helper flags, and whole config files previewed for import), and the
// CLI's argument parsing down to the CreateSession request it would send.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseCommandArgs } from '../../src/cli/args';
import { dropInRequest } from '../../src/cli/drop-in';
import { DROP_IN_OPTIONS } from '../../src/cli/drop-in-options';
import { quoteCommandLine } from '../../src/core/awsfiles';
import { prepareImport, readSigningHelperCommand, splitCommandLine } from '../../src/core/profiles/import';
import { parseRoleArn, parseRolesAnywhereArn, prepareCreateSession } from '../../src/core/rolesanywhere';
import { PROFILE_NAME_PATTERN, REGION_PATTERN, SESSION_NAME_PATTERN } from '../../src/shared/patterns';
import { ERRORS } from '../../src/shared/errors';
import { codes, defineTarget, expectReturns, expectTyped, expectTypedAsync, FuzzViolation, type AnyFuzzTarget } from './harness';

const TRUST_ANCHOR = 'arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/0b1e5a3c-0000-4000-8000-000000000001';
const PROFILE = 'arn:aws:rolesanywhere:eu-west-1:111122223333:profile/0b1e5a3c-0000-4000-8000-000000000002';
const ROLE = 'arn:aws-us-gov:iam::111122223333:role/team/a.b/Dev+Ops@x';

/** Character-level damage of a valid text: replaced, inserted, deleted, repeated characters. */
function damaged(valid: readonly string[], alphabet: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const edit = fc.tuple(fc.nat(), fc.integer({ min: 0, max: 3 }), alphabet, fc.integer({ min: 1, max: 200 }));
  return fc.tuple(fc.constantFrom(...valid), fc.array(edit, { minLength: 1, maxLength: 4 })).map(([text, edits]) =>
    edits.reduce((current, [position, kind, char, count]) => {
      const at = position % (current.length + 1);
      if (kind === 0) return current.slice(0, at) + char + current.slice(at + 1);
      if (kind === 1) return current.slice(0, at) + char + current.slice(at);
      if (kind === 2) return current.slice(0, at) + current.slice(at + 1);
      // A long run: where a backtracking pattern would blow up.
      return current.slice(0, at) + char.repeat(count) + current.slice(at);
    }, text),
  );
}

const arnAlphabet = fc.oneof(fc.constantFrom(':', '/', '-', 'a', '1', ' ', '\n', '.', '+', '=', '@', '_', 'é', '\u0000', 'aws-', 'arn:'), fc.string({ maxLength: 1 }));
const arnText = fc.oneof(damaged([TRUST_ANCHOR, PROFILE, ROLE, 'arn:aws:iam::111122223333:role/Dev'], arnAlphabet), fc.string({ maxLength: 200 }));

const commandAlphabet = fc.constantFrom('"', "'", '\\', ' ', '\t', '\n', '\r', '#', ';', '=', '--', 'a', 'é', '\u0000', '$', '`', '%');
const rawCommandLine = fc.oneof(
  fc.array(commandAlphabet, { maxLength: 40 }).map((parts) => parts.join('')),
  damaged([
    `aws_signing_helper credential-process --certificate "/home/me/cert.pem" --private-key '/home/me/key.pem' --trust-anchor-arn ${TRUST_ANCHOR} --profile-arn ${PROFILE} --role-arn ${ROLE}`,
    `"C:\\Program Files\\aws_signing_helper.exe" credential-process --certificate C:\\certs\\me.pem --trust-anchor-arn=${TRUST_ANCHOR} --profile-arn=${PROFILE} --role-arn=${ROLE} --session-duration 900`,
    'node /opt/rolecall/bin/rolecall.mjs credential-process --profile dev',
  ], commandAlphabet),
  fc.string({ maxLength: 120 }),
);

const FLAG_NAMES = ['certificate', 'private-key', 'intermediates', 'pkcs8-password', 'trust-anchor-arn', 'profile-arn', 'role-arn', 'region', 'endpoint', 'session-duration', 'role-session-name', 'no-verify-ssl', 'with-proxy', 'debug', 'cert-selector', 'pkcs11-lib', 'reuse-pin', 'profile', 'help', 'unknown-flag'];
const flagValue = fc.oneof(fc.constantFrom(TRUST_ANCHOR, PROFILE, ROLE, '/tmp/cert.pem', 'pkcs11:token=x', 'handle:0x81000001', 'eu-west-1', 'EU-WEST-1', '900', '43200', '43201', '-5', '1e3', '', 'https://127.0.0.1:1', 'http://example.com', 'x'.repeat(300)), fc.string({ maxLength: 30 }), arnText);
const argument = fc.oneof(
  fc.tuple(fc.constantFrom(...FLAG_NAMES), flagValue).map(([name, value]) => [`--${name}`, value]),
  fc.tuple(fc.constantFrom(...FLAG_NAMES), flagValue).map(([name, value]) => [`--${name}=${value}`]),
  fc.constantFrom(['-h'], ['--'], ['-'], ['-x'], ['--=x'], ['---a']),
  fc.string({ maxLength: 20 }).map((text) => [text]),
);
const argv = fc.array(argument, { maxLength: 12 }).map((parts) => parts.flat());

const CLI_CODES = codes('USAGE', 'NOT_SUPPORTED_YET', 'PKCS11_URI_INVALID', 'DURATION_INVALID', 'ARN_INVALID', 'REGION_MISMATCH', 'REGION_INVALID', 'SESSION_NAME_INVALID', 'ENDPOINT_INVALID', 'CHAIN_TOO_LONG');
const IMPORT_CODES = codes('IMPORT_LINE_INVALID', 'NOT_SUPPORTED_YET', 'IMPORT_OPTION_UNSUPPORTED');

function assertKnownProblems(problems: readonly { code: string }[], allowed?: ReadonlySet<string>): void {
  for (const problem of problems) {
    if (!Object.hasOwn(ERRORS, problem.code) || problem.code === 'INTERNAL' || (allowed !== undefined && !allowed.has(problem.code))) {
      throw new FuzzViolation(`a problem with code ${problem.code}`);
    }
  }
}

export function textTargets(): AnyFuzzTarget[] {
  return [
    defineTarget({
      name: 'ARNs, regions and names',
      arbitrary: arnText,
      check(text) {
        expectTyped(() => parseRolesAnywhereArn(text, 'trust-anchor'), codes('ARN_INVALID'));
        expectTyped(() => parseRolesAnywhereArn(text, 'profile'), codes('ARN_INVALID'));
        expectTyped(() => parseRoleArn(text), codes('ARN_INVALID'));
        expectReturns(() => [REGION_PATTERN.test(text), PROFILE_NAME_PATTERN.test(text), SESSION_NAME_PATTERN.test(text)]);
      },
    }),
    defineTarget({
      name: 'credential_process lines: split and read as aws_signing_helper flags',
      arbitrary: fc.tuple(rawCommandLine, fc.constantFrom<NodeJS.Platform>('linux', 'win32')),
      check([line, platform]) {
        const split = expectTyped(() => splitCommandLine(line, platform), codes('IMPORT_LINE_INVALID'));
        if (!split.ok) return;
        const command = expectReturns(() => readSigningHelperCommand(split.value));
        if (command.kind === 'drop-in') assertKnownProblems(command.problems, IMPORT_CODES);
        const prefixed = expectReturns(() => readSigningHelperCommand(['aws_signing_helper', 'credential-process', ...split.value]));
        if (prefixed.kind === 'drop-in') assertKnownProblems(prefixed.problems, IMPORT_CODES);
      },
    }),
    defineTarget({
      name: 'credential_process quoting: split(quote(argv)) is argv',
      arbitrary: fc.tuple(fc.array(fc.string({ unit: fc.oneof(commandAlphabet, fc.string({ minLength: 1, maxLength: 1 })), minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 6 }), fc.constantFrom<NodeJS.Platform>('linux', 'win32')),
      check([args, platform]) {
        // What quoting refuses by design: empty arguments, line breaks and NUL; on Windows also a double quote.
        if (args.some((arg) => /[\r\n\0]/.test(arg) || (platform === 'win32' && arg.includes('"')))) return;
        const quoted = quoteCommandLine(args, platform);
        const back = splitCommandLine(quoted, platform);
        if (JSON.stringify(back) !== JSON.stringify(args)) throw new FuzzViolation(`${JSON.stringify(args)} quoted as ${quoted} splits into ${JSON.stringify(back)}`);
      },
    }),
    defineTarget({
      name: 'CLI arguments: drop-in flags to a CreateSession request',
      arbitrary: argv,
      check(args) {
        const parsed = expectTyped(() => parseCommandArgs(args, { ...DROP_IN_OPTIONS, profile: { type: 'string' }, help: { type: 'boolean', short: 'h' } }), CLI_CODES);
        if (!parsed.ok) return;
        const request = expectTyped(() => dropInRequest(parsed.value.values), CLI_CODES);
        if (!request.ok) return;
        expectTyped(() => prepareCreateSession({
          ...request.value,
          certificateDer: Buffer.from('30030201', 'hex'),
          serialDecimal: '1',
          signer: { algorithm: 'AWS4-X509-ECDSA-SHA256', sign: async () => Buffer.alloc(0) },
        }), CLI_CODES);
        // Every command's own option table, positionals allowed or not.
        for (const allow of [true, false]) expectTyped(() => parseCommandArgs(args, { json: { type: 'boolean' }, only: { type: 'string', multiple: true }, yes: { type: 'boolean', short: 'y' } }, allow), CLI_CODES);
      },
    }),
  ];
}

/** Whole ~/.aws/config files with credential_process lines of every shape, previewed for import from a real file. */
export async function openImportTarget(): Promise<{ target: AnyFuzzTarget; close(): Promise<void> }> {
  const folder = await mkdtemp(join(tmpdir(), 'rolecall-fuzz-import-'));
  const configPath = join(folder, 'config');
  const header = fc.oneof(fc.constantFrom('default', 'profile dev', 'profile "d v"', "profile 'x'", 'profile', 'profile  a b', 'sso-session s'), fc.string({ maxLength: 12 }).map((name) => `profile ${name}`));
  const section = fc.tuple(header, fc.oneof(rawCommandLine, argv.map((args) => `aws_signing_helper credential-process ${args.map((arg) => quoteOrRaw(arg)).join(' ')}`)), fc.constantFrom('', '  region = eu-west-1\n', 'output = json\n'))
    .map(([name, line, extra]) => `[${name}]\n${extra}credential_process = ${line.replace(/[\r\n]+/g, ' ')}\n`);
  const target = defineTarget({
    name: 'import preview of a config file',
    arbitrary: fc.tuple(fc.array(section, { maxLength: 5 }), fc.constantFrom<NodeJS.Platform>('linux', 'win32')),
    async check([sections, platform]) {
      await writeFile(configPath, sections.join('\n'));
      const prepared = await expectTypedAsync(
        () => prepareImport({ configPath, launcher: ['/usr/bin/node', '/opt/rolecall/bin/rolecall.mjs'], platform, homedir: folder, existingProfiles: ['dev'] }),
        codes('FILE_UNREADABLE', 'AWS_FILE_UNWRITABLE'),
      );
      if (prepared.ok) {
        for (const candidate of prepared.value.plan.candidates) assertKnownProblems(candidate.problems);
      }
    },
  });
  return { target, close: () => rm(folder, { recursive: true, force: true }) };
}

function quoteOrRaw(arg: string): string {
  return /^[A-Za-z0-9_./:=-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}
