import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DRAFT_TTL_MS, DraftRegistry } from '../../../src/core/profiles';
import { FIXTURE_PASSWORD, pkiPath, readPki } from '../../helpers/fixtures';
import type { VirtualClock } from '../../helpers/virtual-clock';
import { pemBodyLines, profilesClock } from './helpers';

const LEAF_SUBJECT_CN = 'CN=leaf-rsa2048';

describe('DraftRegistry', () => {
  let clock: VirtualClock;
  let drafts: DraftRegistry;

  beforeEach(() => {
    clock = profilesClock();
    drafts = new DraftRegistry({ clock });
  });

  it('reads a PEM certificate, its key and the intermediates into an unlocked draft', async () => {
    const view = await drafts.open({
      certificatePath: pkiPath('leaf-rsa2048.cert.pem'),
      privateKeyPath: pkiPath('leaf-rsa2048.key.pkcs8.pem'),
      intermediatesPath: pkiPath('intermediate-ca.cert.pem'),
    });
    expect(view.unlocked).toBe(true);
    expect(view.certificate?.subject).toContain(LEAF_SUBJECT_CN);
    expect(view.chain.map((certificate) => certificate.subject)).toEqual([expect.stringContaining('CN=Rolecall Test Intermediate CA')]);
    expect(view.keyAlgorithm).toBe('RSA-2048');
    expect(view.problems).toEqual([]);
    expect(view.warnings).toEqual([]);
    expect(view.sourceFiles).toEqual([pkiPath('leaf-rsa2048.cert.pem'), pkiPath('leaf-rsa2048.key.pkcs8.pem'), pkiPath('intermediate-ca.cert.pem')]);
    const material = drafts.material(view.draftId);
    expect(material).toMatchObject({ keyPath: pkiPath('leaf-rsa2048.key.pkcs8.pem'), encrypted: false });
  });

  it('never puts key bytes in a view', async () => {
    const view = await drafts.open({ certificatePath: pkiPath('leaf-rsa2048.combined.pem') });
    const text = JSON.stringify(view);
    expect(text).not.toContain('PRIVATE KEY');
    for (const line of pemBodyLines(readPki('leaf-rsa2048.key.pkcs8.pem'))) expect(text).not.toContain(line);
    expect(drafts.material(view.draftId).keyPath).toBe(pkiPath('leaf-rsa2048.combined.pem'));
  });

  it('holds an encrypted key as a locked draft that the right passphrase completes', async () => {
    const locked = await drafts.open({ certificatePath: pkiPath('leaf-rsa2048.cert.pem'), privateKeyPath: pkiPath('leaf-rsa2048.key.pkcs8-encrypted.pem') });
    expect(locked.unlocked).toBe(false);
    expect(locked.keyAlgorithm).toBeUndefined();
    // The certificate can be shown while the key waits.
    expect(locked.certificate?.subject).toContain(LEAF_SUBJECT_CN);
    expect(locked.warnings).toEqual([expect.stringContaining('encrypted, so the key can only be kept in the keychain')]);
    expect(() => drafts.material(locked.draftId)).toThrow(expect.objectContaining({ code: 'DRAFT_LOCKED' }));

    expect(() => drafts.unlock(locked.draftId, 'not the passphrase')).toThrow(expect.objectContaining({ code: 'KEY_PASSPHRASE_WRONG' }));
    const unlocked = drafts.unlock(locked.draftId, FIXTURE_PASSWORD);
    expect(unlocked).toMatchObject({ draftId: locked.draftId, unlocked: true, keyAlgorithm: 'RSA-2048', problems: [] });
    expect(drafts.material(locked.draftId).encrypted).toBe(true);
  });

  it('opens an encrypted key at once when the passphrase comes with the files', async () => {
    const view = await drafts.open({ certificatePath: pkiPath('leaf-ec-p256.cert.pem'), privateKeyPath: pkiPath('leaf-ec-p256.key.sec1-encrypted.pem'), passphrase: FIXTURE_PASSWORD });
    expect(view).toMatchObject({ unlocked: true, keyAlgorithm: 'EC P-256' });
    await expect(drafts.open({ certificatePath: pkiPath('leaf-ec-p256.cert.pem'), privateKeyPath: pkiPath('leaf-ec-p256.key.sec1-encrypted.pem'), passphrase: 'wrong' }))
      .rejects.toMatchObject({ code: 'KEY_PASSPHRASE_WRONG' });
  });

  it('reads a PKCS#12 file after its password, with the chain it carries', async () => {
    const locked = await drafts.open({ certificatePath: pkiPath('leaf-ec-p256.p12') });
    expect(locked).toMatchObject({ unlocked: false, chain: [], problems: [] });
    expect(locked.certificate).toBeUndefined();
    expect(() => drafts.unlock(locked.draftId, 'wrong')).toThrow(expect.objectContaining({ code: 'PKCS12_PASSWORD_WRONG' }));
    const view = drafts.unlock(locked.draftId, FIXTURE_PASSWORD);
    expect(view.certificate?.subject).toContain('CN=leaf-ec-p256');
    expect(view.chain.map((certificate) => certificate.subject)).toEqual([expect.stringContaining('Intermediate CA')]);
    expect(drafts.material(view.draftId)).toMatchObject({ keyPath: pkiPath('leaf-ec-p256.p12'), encrypted: true });
  });

  it('treats a PKCS#12 file without a password as unencrypted', async () => {
    const view = await drafts.open({ certificatePath: pkiPath('leaf-rsa2048.no-password.p12') });
    expect(view.unlocked).toBe(true);
    expect(drafts.material(view.draftId).encrypted).toBe(false);
  });

  it('lists what Roles Anywhere would refuse as problems, not errors', async () => {
    const view = await drafts.open({ certificatePath: pkiPath('expired.cert.pem'), privateKeyPath: pkiPath('expired.key.pkcs8.pem') });
    expect(view.unlocked).toBe(true);
    expect(view.problems.map((problem) => problem.code)).toEqual(['CERT_EXPIRED']);
  });

  it('warns when the certificate expires within 14 days', async () => {
    clock.jumpWall(Date.UTC(2124, 11, 21) - clock.now()); // ten days before the fixtures' notAfter
    const view = await drafts.open({ certificatePath: pkiPath('leaf-ec-p256.cert.pem'), privateKeyPath: pkiPath('leaf-ec-p256.key.pkcs8.pem') });
    expect(view.problems).toEqual([]);
    expect(view.warnings).toEqual([expect.stringMatching(/^The certificate expires in 10 days \(2124-12-31T00:00:00.000Z\)/)]);
  });

  it('forgets a draft ten minutes after it was last used', async () => {
    const view = await drafts.open({ certificatePath: pkiPath('leaf-rsa2048.cert.pem'), privateKeyPath: pkiPath('leaf-rsa2048.key.pkcs8-encrypted.pem') });
    await clock.advance(DRAFT_TTL_MS - 1000);
    drafts.unlock(view.draftId, FIXTURE_PASSWORD);
    await clock.advance(DRAFT_TTL_MS - 1000);
    expect(drafts.describe(view.draftId).unlocked).toBe(true);
    await clock.advance(1000);
    expect(() => drafts.material(view.draftId)).toThrow(expect.objectContaining({ code: 'DRAFT_NOT_FOUND' }));
    expect(drafts.size).toBe(0);
  });

  it('keeps at most maxDrafts, dropping the oldest', async () => {
    const small = new DraftRegistry({ clock, maxDrafts: 2 });
    const open = () => small.open({ certificatePath: pkiPath('leaf-ec-p256.cert.pem'), privateKeyPath: pkiPath('leaf-ec-p256.key.pkcs8.pem') });
    const first = await open();
    const second = await open();
    const third = await open();
    expect(small.size).toBe(2);
    expect(() => small.describe(first.draftId)).toThrow(expect.objectContaining({ code: 'DRAFT_NOT_FOUND' }));
    expect(small.describe(second.draftId).unlocked).toBe(true);
    expect(small.describe(third.draftId).unlocked).toBe(true);
  });

  describe('with files of its own', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'rolecall-drafts-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('resolves relative paths to absolute ones, since the agent runs in another folder', async () => {
      await writeFile(join(dir, 'cert.pem'), readPki('leaf-ec-p256.cert.pem'));
      await writeFile(join(dir, 'key.pem'), readPki('leaf-ec-p256.key.pkcs8.pem'));
      const view = await drafts.open({ certificatePath: relative(process.cwd(), join(dir, 'cert.pem')), privateKeyPath: relative(process.cwd(), join(dir, 'key.pem')) });
      expect(view.sourceFiles).toEqual([join(dir, 'cert.pem'), join(dir, 'key.pem')]);
      expect(drafts.material(view.draftId).keyPath).toBe(join(dir, 'key.pem'));
    });

    it('names the file it cannot read', async () => {
      await expect(drafts.open({ certificatePath: join(dir, 'missing.pem') })).rejects.toMatchObject({ code: 'FILE_UNREADABLE', detail: expect.stringContaining('missing.pem') });
    });
  });
});
