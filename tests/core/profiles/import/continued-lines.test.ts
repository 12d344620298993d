// The tutorials' credential_process command pasted with its shell continuations (a backslash at each
// line end): AWS tools keep the backslash-newline in the next argument (see
// tests/interop/backslash-continued-line.test.ts), so the line never worked. The preview says so once
// per profile, with the fix, instead of once per argument it misreads; nothing is imported or rewritten.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyImport, prepareImport } from '../../../../src/core/profiles/import';
import { ERRORS } from '../../../../src/shared/errors';
import { PKI_DIR } from '../../../helpers/fixtures';

const FIXTURE = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'aws-config', 'backslash-continued.config');

let work: string | undefined;

afterEach(async () => {
  if (work) await rm(work, { recursive: true, force: true });
  work = undefined;
});

async function configWith(text: string): Promise<string> {
  work = await mkdtemp(join(tmpdir(), 'rolecall-continued-'));
  const configPath = join(work, 'config');
  await writeFile(configPath, text);
  return configPath;
}

const options = (configPath: string, platform: NodeJS.Platform) => ({ configPath, launcher: ['/opt/Rolecall/rolecall'], platform, homedir: work ?? '/' });

describe('a credential_process line continued with backslashes', () => {
  it.each(['linux', 'win32'] as const)('gets one IMPORT_LINE_CONTINUED per profile on %s, and the import changes nothing', async (platform) => {
    const text = (await readFile(FIXTURE, 'utf8')).replaceAll('{{PKI}}', PKI_DIR);
    const configPath = await configWith(text);
    const prepared = await prepareImport(options(configPath, platform));
    expect(prepared.plan.candidates.map((candidate) => [candidate.awsProfile, candidate.tool, candidate.multiLine, candidate.problems])).toEqual([
      ['developer', 'aws_signing_helper', true, [{ code: 'IMPORT_LINE_CONTINUED', message: ERRORS.IMPORT_LINE_CONTINUED.message, next: ERRORS.IMPORT_LINE_CONTINUED.next, detail: 'developer' }]],
      ['admin', 'aws_signing_helper', true, [{ code: 'IMPORT_LINE_CONTINUED', message: ERRORS.IMPORT_LINE_CONTINUED.message, next: ERRORS.IMPORT_LINE_CONTINUED.next, detail: 'admin' }]],
    ]);
    expect(prepared.plan.configDiff).toBe('');
    const result = await applyImport(prepared, { awsProfiles: ['developer', 'admin'] }, { addProfile: () => { throw new Error('nothing may be added'); } });
    expect(result.imported).toEqual([]);
    expect(result.failed.map((failure) => failure.problem.code)).toEqual(['IMPORT_LINE_CONTINUED', 'IMPORT_LINE_CONTINUED']);
    expect(await readFile(configPath, 'utf8')).toBe(text);
  });

  it('is imported once written on one line', async () => {
    const text = (await readFile(FIXTURE, 'utf8')).replaceAll('{{PKI}}', PKI_DIR).replace(/ \\\n {4}/g, ' ');
    const prepared = await prepareImport(options(await configWith(text), 'linux'));
    expect(prepared.plan.candidates.map((candidate) => [candidate.awsProfile, candidate.multiLine, candidate.problems])).toEqual([
      ['developer', false, []],
      ['admin', false, []],
    ]);
  });

  it('leaves a continued line of another tool alone', async () => {
    const prepared = await prepareImport(options(await configWith('[profile other]\ncredential_process = /opt/vault-creds \\\n    --role dev\n'), 'linux'));
    expect(prepared.plan.candidates).toEqual([]);
  });
});
