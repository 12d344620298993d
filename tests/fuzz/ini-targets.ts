// Fuzz of the AWS files' line model with the edits delivery makes: any bytes at all (random, and
// generated AWS files with byte damage), a sequence of deliveries and withdrawals for a few names,
// then the write check's independent second reading. Nothing may throw, every byte outside the owned
// keys must stay, and withdrawing what was added to keys that were absent restores the file exactly.
// tests/core/awsfiles/ini.test.ts holds the property tests of single edits on tidy files; this adds
// damaged bytes and whole delivery sequences.
import fc from 'fast-check';
import {
  assertKeepsForeignLines,
  credentialProcessCommand,
  IniDocument,
  profileSection,
  removeOwned,
  writeCredentialKeys,
  writeCredentialProcess,
  writeToolRegion,
  type OwnedEntries,
} from '../../src/core/awsfiles';
import { file, tidyLines, toBytes, wildLines } from '../core/awsfiles/ini-files';
import { defineTarget, expectReturns, FuzzViolation, type AnyFuzzTarget } from './harness';
import { mutated } from './mutations';

const NAMES = ['dev', 'default', 'prod', 'a.b+c@d', 'x_1-2'];

type Step =
  | { readonly kind: 'file'; readonly name: string; readonly keys: readonly [string, string, string] }
  | { readonly kind: 'process'; readonly name: string; readonly launcher: readonly string[] }
  | { readonly kind: 'region'; readonly name: string; readonly region: string | undefined }
  | { readonly kind: 'withdraw'; readonly name: string };

const token = fc.stringMatching(/^[A-Za-z0-9/+=]{1,60}$/);
const launcherPath = fc.stringMatching(/^\/[^\r\n\0]{0,30}$/).filter((path) => path.trim() === path);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('file' as const), name: fc.constantFrom(...NAMES), keys: fc.tuple(token, token, token) }),
  fc.record({ kind: fc.constant('process' as const), name: fc.constantFrom(...NAMES), launcher: fc.array(launcherPath, { minLength: 1, maxLength: 2 }) }),
  fc.record({ kind: fc.constant('region' as const), name: fc.constantFrom(...NAMES), region: fc.option(fc.constantFrom('eu-west-1', 'us-gov-west-1'), { nil: undefined }) }),
  fc.record({ kind: fc.constant('withdraw' as const), name: fc.constantFrom(...NAMES) }),
);

const realistic = fc.oneof(file(tidyLines), file(wildLines)).map(toBytes);
const bytes = fc.oneof(
  { weight: 2, arbitrary: realistic },
  { weight: 2, arbitrary: realistic.chain((seed) => (seed.length === 0 ? fc.constant(seed) : mutated([seed]))) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 400 }).map((array) => Buffer.from(array)) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('[', ']', '=', ':', ' ', '\t', '\r', '\n', '#', ';', 'a', 'profile ', 'dev', 'é', '\ufeff'), maxLength: 80 }).map((text) => Buffer.from(text, 'utf8')) },
);

interface Owned {
  credentials?: OwnedEntries;
  config?: OwnedEntries;
}

/** Runs the steps on both files the way delivery does: each edit from a fresh parse of the bytes before it. */
function deliver(credentialsBefore: Buffer, configBefore: Buffer, steps: readonly Step[], owned = new Map<string, Owned>()) {
  let credentials = credentialsBefore;
  let config = configBefore;
  const edit = (kind: 'credentials' | 'config', change: (doc: IniDocument) => void) => {
    const before = kind === 'credentials' ? credentials : config;
    const doc = IniDocument.parse(before);
    change(doc);
    const after = doc.serialize();
    // The write check: every line outside what this edit was allowed to touch is still there.
    assertKeepsForeignLines(before, after, doc.edits);
    if (kind === 'credentials') credentials = after;
    else config = after;
  };
  for (const current of steps) {
    const mine = owned.get(current.name) ?? {};
    owned.set(current.name, mine);
    switch (current.kind) {
      case 'file':
        edit('credentials', (doc) => {
          mine.credentials = writeCredentialKeys(doc, current.name, { accessKeyId: current.keys[0], secretAccessKey: current.keys[1], sessionToken: current.keys[2] }, mine.credentials);
        });
        break;
      case 'process':
        edit('config', (doc) => {
          mine.config = writeCredentialProcess(doc, current.name, credentialProcessCommand(current.launcher, current.name, 'linux'), mine.config);
        });
        break;
      case 'region':
        edit('config', (doc) => {
          const next = writeToolRegion(doc, current.name, current.region, mine.config);
          if (next === undefined) delete mine.config;
          else mine.config = next;
        });
        break;
      case 'withdraw':
        for (const kind of ['credentials', 'config'] as const) {
          const entries = mine[kind];
          if (entries === undefined) continue;
          edit(kind, (doc) => {
            const left = removeOwned(doc, kind, current.name, entries);
            if (left === undefined) delete mine[kind];
            else mine[kind] = left;
          });
        }
        break;
    }
  }
  return { credentials, config, owned };
}

export function iniTargets(): AnyFuzzTarget[] {
  return [
    defineTarget({
      name: 'AWS files: parse, deliver, withdraw, serialise',
      arbitrary: fc.record({ credentials: bytes, config: bytes, steps: fc.array(step, { minLength: 1, maxLength: 6 }) }),
      check(input) {
        const result = expectReturns(() => {
          // Parse and serialise alone keep every byte.
          for (const original of [input.credentials, input.config]) {
            if (!IniDocument.parse(original).serialize().equals(original)) throw new FuzzViolation('parse → serialise changed the bytes');
          }
          const delivered = deliver(input.credentials, input.config, input.steps);
          // What Rolecall wrote reads back as written.
          for (const current of input.steps) {
            if (current.kind !== 'file' || delivered.owned.get(current.name)?.credentials === undefined) continue;
            const read = IniDocument.parse(delivered.credentials).get(profileSection('credentials', current.name), 'aws_access_key_id');
            if (read === undefined) throw new FuzzViolation(`[${current.name}] lost its access key`);
          }
          return deliver(delivered.credentials, delivered.config, [...delivered.owned.keys()].map((name) => ({ kind: 'withdraw' as const, name })), delivered.owned);
        });
        // Keys that were absent before and are all gone again: the files are exactly as they were,
        // unless a key the user already had was taken over (its old value cannot come back).
        const untouched = (before: Buffer, kind: 'credentials' | 'config') => {
          const doc = IniDocument.parse(before);
          return NAMES.every((name) => !['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token', 'credential_process', 'region'].some((key) => doc.get(profileSection(kind, name), key) !== undefined));
        };
        if (untouched(input.credentials, 'credentials') && !result.credentials.equals(input.credentials)) {
          throw new FuzzViolation('withdrawing every delivery did not restore the credentials file');
        }
        if (untouched(input.config, 'config') && !result.config.equals(input.config)) {
          throw new FuzzViolation('withdrawing every delivery did not restore the config file');
        }
      },
    }),
  ];
}
