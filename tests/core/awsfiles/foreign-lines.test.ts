import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { IniDocument, assertKeepsForeignLines, exactSection, type EditScope } from '../../../src/core/awsfiles';
import { KEYS, SECTION_NAMES, file, tidyLines, toBytes, value, wildLines } from './ini-files';

const bytes = (text: string) => Buffer.from(text, 'utf8');
const scope = (header: string, keys: string[]): EditScope[] => [{ section: exactSection(header), keys }];
const check = (before: string, after: string, edits: EditScope[]) => () => assertKeepsForeignLines(bytes(before), bytes(after), edits);
const unsafe = expect.objectContaining({ code: 'AWS_FILE_UNSAFE' });

describe('the check before a write', () => {
  const original = '# top\n[dev]\naws_access_key_id = OLD\noutput = json\n\n[prod]\nregion = x\n';

  test('accepts changed, added and removed keys in the edited section', () => {
    const edited = '# top\n[dev]\naws_access_key_id = NEW\noutput = json\naws_session_token = T\n\n[prod]\nregion = x\n';
    expect(check(original, edited, scope('dev', ['aws_access_key_id', 'aws_session_token']))).not.toThrow();
    expect(check(edited, original, scope('dev', ['aws_access_key_id', 'aws_session_token']))).not.toThrow();
  });

  test('accepts a created or removed section that holds only edited keys', () => {
    const edited = `${original}\n[new]\nk = v\n`;
    expect(check(original, edited, scope('new', ['k']))).not.toThrow();
    expect(check(edited, original, scope('new', ['k']))).not.toThrow();
  });

  test('refuses a lost foreign line, section or comment', () => {
    const edits = scope('dev', ['aws_access_key_id']);
    expect(check(original, original.replace('output = json\n', ''), edits)).toThrow(unsafe);
    expect(check(original, original.replace('[prod]\nregion = x\n', ''), edits)).toThrow(unsafe);
    expect(check(original, original.replace('# top\n', ''), edits)).toThrow(unsafe);
    expect(check(original, '', edits)).toThrow(unsafe);
  });

  test('refuses a changed foreign value, or an edited key in another section', () => {
    expect(check(original, original.replace('region = x', 'region = y'), scope('dev', ['region']))).toThrow(unsafe);
    expect(check(original, original.replace('json', 'text'), scope('dev', ['aws_access_key_id']))).toThrow(unsafe);
  });

  test('refuses a foreign key that moved to another section', () => {
    const moved = '# top\n[dev]\naws_access_key_id = OLD\n\n[prod]\noutput = json\nregion = x\n';
    expect(check(original, moved, scope('dev', ['aws_access_key_id']))).toThrow(unsafe);
  });

  test('refuses a foreign line that botocore would now read differently', () => {
    // Indented under a key, "region" becomes part of that key's value.
    const swallowed = original.replace('output = json', '  output = json');
    expect(check(original, swallowed, scope('dev', ['aws_access_key_id']))).toThrow(unsafe);
  });

  test('refuses a changed byte order mark, lost blank lines and lines added outside the edit', () => {
    expect(check(original, `\ufeff${original}`, [])).toThrow(unsafe);
    expect(check(original, original.replace('\n\n', '\n'), [])).toThrow(unsafe);
    expect(check(original, `${original}extra = 1\n`, scope('dev', ['extra']))).toThrow(unsafe);
  });

  test('in a 1,000-profile file, catches one lost, changed or re-indented line wherever it is', () => {
    const before = bytes(Array.from({ length: 1000 }, (_, i) => `# profile ${i}\n[p${i}]\naws_access_key_id = AKIA${i}\nregion = us-east-1\n\n`).join(''));
    const doc = IniDocument.parse(before);
    doc.set(exactSection('p500'), { aws_access_key_id: 'NEW' });
    const edited = doc.serialize().toString('utf8').split('\n');
    expect(() => assertKeepsForeignLines(before, bytes(edited.join('\n')), doc.edits)).not.toThrow();
    // The first and last lines, those around the edited key and one far from it (blank lines are only
    // counted: one may go with a section Rolecall removes).
    for (const index of [0, 2498, 2501, 2503, 2505, 4000, edited.length - 3]) {
      for (const damage of [() => [], (line: string) => [`${line} `], (line: string) => [`  ${line}`]]) {
        const damaged = [...edited];
        damaged.splice(index, 1, ...damage(edited[index] ?? ''));
        expect(() => assertKeepsForeignLines(before, bytes(damaged.join('\n')), doc.edits), `line ${index}`).toThrow(unsafe);
      }
    }
  });

  test('accepts every edit the line model makes, on any file', () => {
    const keys = fc.subarray(KEYS.filter((key) => key === key.toLowerCase()), { minLength: 1 });
    fc.assert(fc.property(fc.oneof(file(tidyLines), file(wildLines)), fc.constantFrom(...SECTION_NAMES), keys, value.filter((v) => v === v.trim()), fc.boolean(), (generated, name, chosen, text, removing) => {
      const before = toBytes(generated);
      const doc = IniDocument.parse(before);
      if (removing) {
        doc.remove(exactSection(name), chosen);
        doc.removeSectionIfEmpty(exactSection(name));
      } else {
        doc.set(exactSection(name), Object.fromEntries(chosen.map((key) => [key, text])));
      }
      expect(() => assertKeepsForeignLines(before, doc.serialize(), doc.edits)).not.toThrow();
    }), { numRuns: 1000 });
  });
});
