import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../../../src/core/profiles/import';

const folder = mkdtempSync(join(tmpdir(), 'rolecall-diff-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** GNU diff -u's hunks (its two header lines carry timestamps and are dropped). */
function gnuDiffHunks(before: string, after: string): string {
  writeFileSync(join(folder, 'before'), before);
  writeFileSync(join(folder, 'after'), after);
  const result = spawnSync('/usr/bin/diff', ['-u', join(folder, 'before'), join(folder, 'after')], { encoding: 'utf8' });
  return result.stdout.split('\n').slice(2).join('\n');
}

function ourHunks(before: string, after: string): string {
  return unifiedDiff(before, after, { fromName: 'config', toName: 'config' }).split('\n').slice(2).join('\n');
}

const configText = Array.from({ length: 40 }, (_, index) => (index % 6 === 0 ? `[profile p${index}]` : `key${index} = value ${index}`)).join('\n') + '\n';

describe('unifiedDiff', () => {
  it('matches diff -u for replaced lines near and far apart', () => {
    const lines = configText.split('\n');
    lines[4] = 'credential_process = rolecall credential-process --profile p0';
    lines[9] = 'credential_process = rolecall credential-process --profile p6';
    lines[33] = 'credential_process = rolecall credential-process --profile p30';
    const after = lines.join('\n');
    expect(ourHunks(configText, after)).toBe(gnuDiffHunks(configText, after));
  });

  it('matches diff -u when a value\'s continuation lines go away', () => {
    const before = '[profile dev]\ncredential_process = aws_signing_helper credential-process\n    --certificate /c.pem\n    --private-key /k.pem\nregion = us-east-1\n';
    const after = '[profile dev]\ncredential_process = rolecall credential-process --profile dev\nregion = us-east-1\n';
    expect(ourHunks(before, after)).toBe(gnuDiffHunks(before, after));
  });

  it('is a patch GNU patch applies to get the new file back', () => {
    const base = configText.split('\n').slice(0, -1);
    const edits = fc.array(fc.tuple(fc.nat(base.length), fc.constantFrom('replace', 'delete', 'insert'), fc.string({ maxLength: 8 })), { maxLength: 6 });
    fc.assert(
      fc.property(edits, (changes) => {
        const lines = [...base];
        for (const [at, kind, text] of changes) {
          const index = Math.min(at, lines.length);
          if (kind === 'insert') lines.splice(index, 0, `new ${text}`);
          else if (index < lines.length) lines.splice(index, 1, ...(kind === 'replace' ? [`changed ${text}`] : []));
        }
        const before = `${base.join('\n')}\n`;
        const after = lines.length === 0 ? '' : `${lines.join('\n')}\n`;
        const target = join(folder, 'patched');
        writeFileSync(target, before);
        execFileSync('/usr/bin/patch', ['--quiet', '--force', target], { input: unifiedDiff(before, after, { fromName: 'a', toName: 'b' }) });
        expect(readFileSync(target, 'utf8')).toBe(after);
      }),
      { numRuns: 60, seed: 9 },
    );
  });

  it('is empty for the same lines, and shows CRLF lines without their carriage return', () => {
    expect(unifiedDiff(configText, configText, { fromName: 'a', toName: 'b' })).toBe('');
    expect(unifiedDiff('[a]\r\nx = 1\r\n', '[a]\r\nx = 2\r\n', { fromName: 'config', toName: 'config' })).toBe(
      '--- config\n+++ config\n@@ -1,2 +1,2 @@\n [a]\n-x = 1\n+x = 2\n',
    );
  });
});
