// The demo sandbox's account across starts: a fresh PKI's root replaces the kept demo trust anchor's
// bundle, and a --trust-ca bundle is one trust anchor whatever its order or PEM line breaks.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TRUST_ANCHOR_ID } from '../../src/sandbox/demo-pki';
import { startDemoSandbox } from '../../src/sandbox/demo-sandbox';
import { makeOpensslCa, type OpensslCa } from './openssl-ca';

let dir: string;
let first: OpensslCa;
let second: OpensslCa;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-demo-state-'));
  first = await makeOpensslCa(await mkdtemp(join(dir, 'a-')), 'First CA');
  second = await makeOpensslCa(await mkdtemp(join(dir, 'b-')), 'Second CA');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the demo sandbox across starts', () => {
  it('trusts the new root after --fresh-pki, keeping the same demo trust anchor', async () => {
    const sandboxDir = join(dir, 'fresh');
    const before = await startDemoSandbox({ dir: sandboxDir });
    await before.stop();
    const after = await startDemoSandbox({ dir: sandboxDir, freshPki: true });
    try {
      const anchor = after.sandbox.config.trustAnchors.find((a) => a.id === DEMO_TRUST_ANCHOR_ID);
      expect(after.trustAnchorArn).toBe(before.trustAnchorArn);
      expect(anchor?.pem).toBe(await readFile(after.pki.rootCertificatePath, 'utf8'));
      expect(anchor?.pem).not.toBe(before.sandbox.config.trustAnchors.find((a) => a.id === DEMO_TRUST_ANCHOR_ID)?.pem);
    } finally {
      await after.stop();
    }
  });

  it('makes one trust anchor per CA bundle, whatever the order of its certificates or its line breaks', async () => {
    const sandboxDir = join(dir, 'trust');
    const bundle = first.pem + second.pem;
    const demo = await startDemoSandbox({ dir: sandboxDir, trustCas: [{ source: 'bundle.pem', pem: bundle }] });
    await demo.stop();
    const reordered = (second.pem + first.pem).replace(/\n/g, '\r\n');
    const again = await startDemoSandbox({ dir: sandboxDir, trustCas: [{ source: 'reordered.pem', pem: reordered }, { source: 'only-first.pem', pem: first.pem }] });
    try {
      expect(again.trustedCas.map((ca) => [ca.trustAnchorArn === demo.trustedCas[0]?.trustAnchorArn, ca.created])).toEqual([[true, false], [false, true]]);
      expect(again.sandbox.config.trustAnchors.map((a) => a.name)).toEqual(['rolecall-demo', 'First CA', 'First CA']);
      expect(again.sandbox.config.trustAnchors.every((a) => a.enabled)).toBe(true);
    } finally {
      await again.stop();
    }
  });
  it('keeps only the certificates of a --trust-ca file that also holds the CA key: the key never reaches the state file', async () => {
    const sandboxDir = join(dir, 'with-key');
    const key = await readFile(first.keyPath, 'utf8');
    const demo = await startDemoSandbox({ dir: sandboxDir, trustCas: [{ source: 'ca-and-key.pem', pem: key + first.pem }] });
    try {
      expect(demo.trustedCas[0]?.created).toBe(true);
      const state = await readFile(demo.stateFile, 'utf8');
      expect(state).not.toContain('PRIVATE KEY');
      expect(state).not.toContain(key.split('\n')[5]);
    } finally {
      await demo.stop();
    }
  });
});
