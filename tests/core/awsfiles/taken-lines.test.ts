// `--force` takes over a name whose section holds the user's own credentials. The lines Rolecall
// replaces leave the file only as a value handed to the caller (who keeps it in the keychain), and come
// back byte for byte, in their place, when Rolecall withdraws, unless the user edited the section since.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  FILE_DELIVERY_KEYS,
  IniDocument,
  assertKeepsForeignLines,
  awsFilePaths,
  decodeTakenLines,
  deliverAsCredentialProcess,
  deliverToCredentialsFile,
  encodeTakenLines,
  foreignCredentials,
  giveBackLines,
  takeOver,
  withdrawAndGiveBack,
  writeCredentialKeys,
  writeCredentialProcess,
  type AwsFileKind,
  type AwsFilePaths,
  type TakenLines,
} from '../../../src/core/awsfiles';
import { file, tidyLines, toBytes, wildLines } from './ini-files';

const CREDS = { accessKeyId: 'ASIAROLECALLEXAMPLE1', secretAccessKey: 'rolecall/secret+EXAMPLE', sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE==' };
const USER_SECRET = 'userOwnSecret/K7MDENG+bPxRfiCY';
const USER_P1 = `# my own keys for p1\r\n[p1]\r\n; rotated 2024-01\r\naws_access_key_id   =   AKIAUSEROWNKEY000001\r\naws_secret_access_key=${USER_SECRET}\r\nregion = eu-west-1\r\n\r\n[other]\r\naws_access_key_id = AKIAOTHER\r\naws_secret_access_key = otherSecret`;

/** What the write check would say about going from `before` to `doc`. */
function checked(before: Buffer, doc: IniDocument): Buffer {
  const after = doc.serialize();
  assertKeepsForeignLines(before, after, doc.edits);
  return after;
}

describe('taking lines over and giving them back, in the line model', () => {
  test('any takeover of any file is given back byte for byte once Rolecall withdraws', () => {
    fc.assert(fc.property(fc.oneof(file(tidyLines), file(wildLines)), fc.constantFrom('dev', 'prod', 'default'), fc.boolean(), (generated, name, processMode) => {
      const original = toBytes(generated);
      const kind: AwsFileKind = processMode ? 'config' : 'credentials';
      const doc = IniDocument.parse(original);
      const foreign = foreignCredentials(doc, kind, name);
      fc.pre(foreign.length > 0);
      const overwriting = processMode ? ['credential_process'] : [...FILE_DELIVERY_KEYS];
      const taken = takeOver(doc, kind, name, foreign, [], overwriting);
      const entries = processMode
        ? writeCredentialProcess(doc, name, 'rolecall credential-process --profile x').keys
        : writeCredentialKeys(doc, name, CREDS).keys;
      const delivered = checked(original, doc);
      // Through the keychain and back.
      const kept = decodeTakenLines(encodeTakenLines(taken));
      const later = IniDocument.parse(delivered);
      expect(giveBackLines(later, kept, entries)).toBe('given-back');
      expect(checked(delivered, later).toString('latin1')).toBe(original.toString('latin1'));
    }), { numRuns: 500 });
  });

  test('a takeover that never reached the file is recognised as already there', () => {
    const doc = IniDocument.parse(Buffer.from(USER_P1));
    const taken = takeOver(IniDocument.parse(Buffer.from(USER_P1)), 'credentials', 'p1', ['aws_access_key_id', 'aws_secret_access_key'], [], []);
    expect(giveBackLines(doc, taken, [])).toBe('already-there');
    expect(doc.serialize().toString()).toBe(USER_P1);
  });

  test('refuses to give back into a section the user edited meanwhile, and changes nothing', () => {
    const doc = IniDocument.parse(Buffer.from(USER_P1));
    const taken = takeOver(doc, 'credentials', 'p1', ['aws_access_key_id', 'aws_secret_access_key'], [], FILE_DELIVERY_KEYS);
    const owned = writeCredentialKeys(doc, 'p1', CREDS);
    const edited = IniDocument.parse(Buffer.from(doc.serialize().toString().replace('region = eu-west-1', 'region = us-east-2')));
    const before = edited.serialize();
    expect(giveBackLines(edited, taken, owned.keys)).toBe('edited');
    expect(edited.serialize().equals(before)).toBe(true);
  });

  test('keeps bytes that are not UTF-8 through the keychain text', () => {
    const bytes = Buffer.concat([Buffer.from('[p1]\naws_secret_access_key = '), Buffer.from([0xff, 0xfe, 0x80]), Buffer.from('\n')]);
    const taken = takeOver(IniDocument.parse(bytes), 'credentials', 'p1', ['aws_secret_access_key'], [], []);
    expect(decodeTakenLines(encodeTakenLines(taken))).toEqual(taken);
  });

  test('refuses a damaged keychain item with a typed error', () => {
    for (const text of ['', '{', '{"v":2}', JSON.stringify({ v: 1, kind: 'credentials', name: 'p1', keys: [], sections: [[['x', '\t', 1]]] })]) {
      expect(() => decodeTakenLines(text)).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
    }
  });
});

describe('taking over through the files', () => {
  let home: string;
  let paths: AwsFilePaths;

  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'rolecall-taken-'));
    paths = awsFilePaths({}, home);
    await mkdir(join(home, '.aws'));
    await writeFile(paths.credentials, USER_P1);
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  const keepInMemory = () => {
    const kept = new Map<AwsFileKind, TakenLines>();
    return { kept, beforeWrite: async (kind: AwsFileKind, taken: TakenLines | undefined) => void (taken && kept.set(kind, taken)) };
  };

  test('force hands the user\'s lines over before the file changes, and withdrawing puts them back byte for byte', async () => {
    const config = '[profile p1]\nrole_arn = arn:aws:iam::111122223333:role/Mine\nsource_profile = base\noutput = json\n';
    await writeFile(paths.config, config);
    const { kept, beforeWrite } = keepInMemory();
    const owned = await deliverToCredentialsFile(paths, 'p1', CREDS, { force: true, beforeWrite });
    const active = await readFile(paths.credentials, 'utf8');
    expect(active).not.toContain(USER_SECRET);
    expect(active).toContain(`aws_access_key_id   =   ${CREDS.accessKeyId}`);
    expect(await readFile(paths.config, 'utf8')).toBe('[profile p1]\noutput = json\n');
    expect([...kept.keys()].sort()).toEqual(['config', 'credentials']);

    const { owned: remaining, givenBack } = await withdrawAndGiveBack(paths, 'p1', owned, { taken: Object.fromEntries(kept) });
    expect(remaining).toEqual({});
    expect(givenBack).toEqual({ credentials: 'given-back', config: 'given-back' });
    expect(await readFile(paths.credentials, 'utf8')).toBe(USER_P1);
    expect(await readFile(paths.config, 'utf8')).toBe(config);
  });

  test('process delivery over the user\'s own credential_process gives it back too', async () => {
    const config = '[profile p1]\ncredential_process = /opt/bin/my-helper --flag\n';
    await writeFile(paths.config, config);
    const { kept, beforeWrite } = keepInMemory();
    const owned = await deliverAsCredentialProcess(paths, 'p1', 'rolecall credential-process --profile p1', { force: true, beforeWrite });
    expect(await readFile(paths.credentials, 'utf8')).not.toContain(USER_SECRET);
    await withdrawAndGiveBack(paths, 'p1', owned, { taken: Object.fromEntries(kept) });
    expect(await readFile(paths.config, 'utf8')).toBe(config);
    expect(await readFile(paths.credentials, 'utf8')).toBe(USER_P1);
  });

  test('an edited section keeps the lines out and still removes Rolecall\'s keys', async () => {
    const { kept, beforeWrite } = keepInMemory();
    const owned = await deliverToCredentialsFile(paths, 'p1', CREDS, { force: true, beforeWrite });
    await writeFile(paths.credentials, (await readFile(paths.credentials, 'utf8')).replace('region = eu-west-1', 'region = us-east-2'));
    const { owned: remaining, givenBack } = await withdrawAndGiveBack(paths, 'p1', owned, { taken: Object.fromEntries(kept) });
    expect(givenBack).toEqual({ credentials: 'edited' });
    expect(remaining).toEqual({});
    const text = await readFile(paths.credentials, 'utf8');
    expect(text).not.toContain(CREDS.secretAccessKey);
    expect(text).toContain('region = us-east-2');
    // Once the user undoes their edit, the lines go back where they were.
    await writeFile(paths.credentials, text.replace('region = us-east-2', 'region = eu-west-1'));
    expect((await withdrawAndGiveBack(paths, 'p1', {}, { taken: Object.fromEntries(kept) })).givenBack).toEqual({ credentials: 'given-back' });
    expect(await readFile(paths.credentials, 'utf8')).toBe(USER_P1);
  });

  test('refuses a takeover with nowhere to keep the lines, and leaves the file as it was', async () => {
    await expect(deliverToCredentialsFile(paths, 'p1', CREDS, { force: true })).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(await readFile(paths.credentials, 'utf8')).toBe(USER_P1);
  });

  test('a place to keep them that fails leaves the file as it was', async () => {
    const beforeWrite = async () => {
      throw Object.assign(new Error('keychain down'), { code: 'KEYCHAIN_UNAVAILABLE' });
    };
    await expect(deliverToCredentialsFile(paths, 'p1', CREDS, { force: true, beforeWrite })).rejects.toThrow('keychain down');
    expect(await readFile(paths.credentials, 'utf8')).toBe(USER_P1);
  });
});
