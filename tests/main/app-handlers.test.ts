import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../src/core/log';
import { loadCredentialFiles } from '../../src/core/pki';
import type { OperationHandlers } from '../../src/main/agent-host';
import { appHandlers } from '../../src/main/app-handlers';
import { describeChosenFile, draftPathsFromChoice } from '../../src/main/certificate-choice';
import { createClipboardCopier } from '../../src/main/clipboard';
import type { DraftView } from '../../src/shared/model';
import { isRolecallError } from '../../src/shared/errors';
import { FIXTURE_PASSWORD, pkiPath } from '../helpers/fixtures';
import { VirtualClock } from '../helpers/virtual-clock';
import { NOW } from './views';

const choose = (...names: string[]) => draftPathsFromChoice(names.map((name) => describeChosenFile(pkiPath(name), readFileSync(pkiPath(name)))));

/** drafts.open as the agent does it, reduced to loading the files, so the chosen roles are proven to load. */
const openedDrafts: unknown[] = [];
const trustedCaPaths: string[] = [];
const agent: OperationHandlers = {
  'drafts.open': async (input) => {
    openedDrafts.push(input);
    const credentials = await loadCredentialFiles({
      certificate: input.certificatePath,
      ...(input.privateKeyPath ? { privateKey: input.privateKeyPath } : {}),
      ...(input.intermediatesPath ? { intermediates: input.intermediatesPath } : {}),
      passphrase: FIXTURE_PASSWORD,
    });
    const draft: DraftView = { draftId: 'd1', unlocked: true, sourceFiles: [input.certificatePath], chain: [], keyAlgorithm: credentials.keyAlgorithm, problems: [], warnings: [] };
    return draft;
  },
  'env.render': async ({ name, shell }) => ({ script: `# ${shell}\nexport AWS_PROFILE_NAME=${name}\n` }),
  'sandbox.trustCa': async ({ caPath }) => {
    trustedCaPaths.push(caPath);
    return { endpoint: 'http://127.0.0.1:1', region: 'us-east-1', trustAnchorArn: 'arn:ta', trustAnchorName: 'My CA', subject: 'CN=My CA', created: true, profileArn: 'arn:p', roleArn: 'arn:r' };
  },
};

function handlers(overrides: { chosen?: readonly string[]; chosenCa?: string; savePath?: string; openPath?: (path: string) => Promise<string>; logsFolder?: string } = {}) {
  let clipboardText = '';
  const clock = new VirtualClock({ start: NOW });
  const logger = createMemoryLogger();
  const copier = createClipboardCopier({ readText: () => clipboardText, writeText: (text) => (clipboardText = text) }, clock);
  const built = appHandlers({
    agent,
    copier,
    chooseFiles: async () => overrides.chosen ?? [],
    chooseCaFile: async () => overrides.chosenCa,
    writeClipboard: (text) => (clipboardText = text),
    chooseSavePath: async () => overrides.savePath,
    openPath: overrides.openPath ?? (async () => ''),
    openExternal: async () => undefined,
    logsFolder: overrides.logsFolder ?? '/nonexistent',
    logger,
  });
  return { built, clock, logger, clipboard: () => clipboardText };
}

describe('draftPathsFromChoice', () => {
  it('takes a single file as the certificate, whatever it holds', () => {
    expect(choose('leaf-rsa2048.no-password.p12')).toEqual({ certificatePath: pkiPath('leaf-rsa2048.no-password.p12') });
    expect(choose('leaf-rsa2048.combined.pem')).toEqual({ certificatePath: pkiPath('leaf-rsa2048.combined.pem') });
  });

  it('tells certificate and key apart in either order, in PEM and in DER', () => {
    const expected = { certificatePath: pkiPath('leaf-rsa2048.cert.pem'), privateKeyPath: pkiPath('leaf-rsa2048.key.pkcs8.pem') };
    expect(choose('leaf-rsa2048.key.pkcs8.pem', 'leaf-rsa2048.cert.pem')).toEqual(expected);
    expect(choose('leaf-rsa2048.cert.pem', 'leaf-rsa2048.key.pkcs8.pem')).toEqual(expected);
    expect(choose('leaf-rsa2048.key.pkcs1.der', 'leaf-rsa2048.cert.der')).toEqual({ certificatePath: pkiPath('leaf-rsa2048.cert.der'), privateKeyPath: pkiPath('leaf-rsa2048.key.pkcs1.der') });
    expect(choose('leaf-ec-p256.key.sec1.pem', 'leaf-ec-p256.cert.pem').privateKeyPath).toBe(pkiPath('leaf-ec-p256.key.sec1.pem'));
  });

  it('takes the file with more certificates as the chain', () => {
    expect(choose('chain.bundle.pem', 'leaf-rsa2048.key.pkcs8.pem', 'leaf-rsa2048.cert.pem')).toEqual({
      certificatePath: pkiPath('leaf-rsa2048.cert.pem'),
      privateKeyPath: pkiPath('leaf-rsa2048.key.pkcs8.pem'),
      intermediatesPath: pkiPath('chain.bundle.pem'),
    });
  });

  it('prefers the file that carries the key as the leaf\'s file', () => {
    expect(choose('chain.bundle.pem', 'leaf-rsa2048.combined.pem')).toEqual({ certificatePath: pkiPath('leaf-rsa2048.combined.pem'), intermediatesPath: pkiPath('chain.bundle.pem') });
    expect(choose('chain.bundle.pem', 'leaf-rsa2048.no-password.p12')).toEqual({ certificatePath: pkiPath('leaf-rsa2048.no-password.p12'), intermediatesPath: pkiPath('chain.bundle.pem') });
  });

  it('refuses a choice it cannot read unambiguously', () => {
    const unclear = (...names: string[]) => {
      try {
        choose(...names);
        return undefined;
      } catch (error) {
        return isRolecallError(error) ? error.code : error;
      }
    };
    expect(unclear('leaf-rsa2048.key.pkcs8.pem', 'leaf-ec-p256.key.pkcs8.pem', 'leaf-rsa2048.cert.pem')).toBe('FILE_CHOICE_UNCLEAR');
    expect(unclear('leaf-rsa2048.key.pkcs8.pem', 'leaf-rsa2048.key.pkcs8.der')).toBe('FILE_CHOICE_UNCLEAR');
    expect(unclear('leaf-rsa2048.cert.pem', 'chain.bundle.pem', 'leaf-rsa2048.fullchain.pem')).toBe('FILE_CHOICE_UNCLEAR');
  });
});

describe('appHandlers', () => {
  let dir: string | undefined;
  afterEach(() => {
    openedDrafts.length = 0;
    trustedCaPaths.length = 0;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('env.copy puts the rendered script on the clipboard and clears it after 60 s', async () => {
    const { built, clock, clipboard } = handlers();
    await expect(built['env.copy']({ name: 'dev', shell: 'fish' })).resolves.toEqual({ clearsAt: new Date(NOW + 60_000).toISOString() });
    expect(clipboard()).toBe('# fish\nexport AWS_PROFILE_NAME=dev\n');
    await clock.advance(60_000);
    expect(clipboard()).toBe('');
  });

  it('files.chooseCertificate opens a draft from the chosen files, which load', async () => {
    const { built } = handlers({ chosen: [pkiPath('leaf-rsa2048.key.pkcs8.pem'), pkiPath('leaf-rsa2048.cert.pem')] });
    await expect(built['files.chooseCertificate']({})).resolves.toMatchObject({ draftId: 'd1', keyAlgorithm: 'RSA-2048' });
    expect(openedDrafts).toEqual([{ certificatePath: pkiPath('leaf-rsa2048.cert.pem'), privateKeyPath: pkiPath('leaf-rsa2048.key.pkcs8.pem') }]);
  });

  it('files.chooseCertificate answers null when the dialog was cancelled', async () => {
    const { built } = handlers({ chosen: [] });
    await expect(built['files.chooseCertificate']({})).resolves.toBeNull();
    expect(openedDrafts).toEqual([]);
  });

  it('files.chooseCertificate names an unreadable file', async () => {
    const { built } = handlers({ chosen: ['/nonexistent/cert.pem'] });
    await expect(built['files.chooseCertificate']({})).rejects.toMatchObject({ code: 'FILE_UNREADABLE' });
  });

  it('sandbox.trustChosenCa has the agent trust the chosen CA file', async () => {
    const { built } = handlers({ chosenCa: '/home/me/ca.pem' });
    await expect(built['sandbox.trustChosenCa']({})).resolves.toMatchObject({ trustAnchorArn: 'arn:ta', created: true });
    expect(trustedCaPaths).toEqual(['/home/me/ca.pem']);
  });

  it('sandbox.trustChosenCa answers null and trusts nothing when the dialog was cancelled', async () => {
    const { built } = handlers({});
    await expect(built['sandbox.trustChosenCa']({})).resolves.toBeNull();
    expect(trustedCaPaths).toEqual([]);
  });

  it('text.copy leaves a text that holds no secret on the clipboard, where env.copy would clear it', async () => {
    const { built, clock, clipboard } = handlers();
    await expect(built['text.copy']({ text: '-----BEGIN CERTIFICATE REQUEST-----\n' })).resolves.toEqual({ copied: true });
    await clock.advance(120_000);
    expect(clipboard()).toBe('-----BEGIN CERTIFICATE REQUEST-----\n');
  });

  it('text.save writes the text to the file chosen in the save dialog, and nothing when it was cancelled', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rolecall-save-'));
    const path = join(dir, 'alice.csr');
    await expect(handlers({ savePath: path }).built['text.save']({ text: 'CSR\n', fileName: 'alice.csr' })).resolves.toEqual({ path });
    expect(readFileSync(path, 'utf8')).toBe('CSR\n');
    await expect(handlers().built['text.save']({ text: 'other', fileName: 'alice.csr' })).resolves.toBeNull();
    expect(readFileSync(path, 'utf8')).toBe('CSR\n');
  });

  it('text.save says which file it could not write', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rolecall-save-'));
    const path = join(dir, 'missing-folder', 'a.yaml');
    await expect(handlers({ savePath: path }).built['text.save']({ text: 'x', fileName: 'a.yaml' })).rejects.toMatchObject({ code: 'FILE_UNWRITABLE', detail: `${path} (ENOENT)` });
  });

  it('logs.openFolder creates the folder, opens it and says where it is', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rolecall-logs-'));
    const logsFolder = join(dir, 'logs');
    const opened: string[] = [];
    const { built, logger } = handlers({ logsFolder, openPath: async (path) => (opened.push(path), '') });
    await expect(built['logs.openFolder']({})).resolves.toEqual({ path: logsFolder });
    expect(existsSync(logsFolder)).toBe(true);
    expect(opened).toEqual([logsFolder]);
    expect(logger.entries).toEqual([]);
  });

  it('logs.openFolder still answers the path when the file manager cannot open it, and logs why', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rolecall-logs-'));
    const { built, logger } = handlers({ logsFolder: dir, openPath: async () => 'No application is registered' });
    await expect(built['logs.openFolder']({})).resolves.toEqual({ path: dir });
    expect(logger.entries[0]?.fields).toMatchObject({ problem: 'No application is registered' });
  });

  it('fails with INTERNAL when the agent lacks the operation it builds on', async () => {
    const built = appHandlers({
      agent: {},
      copier: createClipboardCopier({ readText: () => '', writeText: () => undefined }, new VirtualClock({ start: NOW })),
      chooseFiles: async () => [],
      chooseCaFile: async () => undefined,
      writeClipboard: () => undefined,
      chooseSavePath: async () => undefined,
      openPath: async () => '',
      openExternal: async () => undefined,
      logsFolder: '/x',
      logger: createMemoryLogger(),
    });
    await expect(built['env.copy']({ name: 'dev', shell: 'bash' })).rejects.toMatchObject({ code: 'INTERNAL', detail: 'env.render is not available' });
  });
});
