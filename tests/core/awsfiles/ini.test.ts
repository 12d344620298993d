import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { IniDocument, exactSection, profileSection } from '../../../src/core/awsfiles';
import { KEYS, SECTION_NAMES, file, tidyLines, toBytes, value, wildLines } from './ini-files';

const parse = (text: string) => IniDocument.parse(Buffer.from(text, 'utf8'));
const text = (doc: IniDocument) => doc.serialize().toString('utf8');

describe('parse and serialise', () => {
  test('an unmodified parse serialises to the identical bytes, for any file', () => {
    fc.assert(fc.property(fc.oneof(file(tidyLines), file(wildLines)), (generated) => {
      const bytes = toBytes(generated);
      expect(IniDocument.parse(bytes).serialize().equals(bytes)).toBe(true);
    }), { numRuns: 500 });
  });

  test('keeps arbitrary bytes, including invalid UTF-8, lone CRs and NULs', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      expect(IniDocument.parse(bytes).serialize().equals(Buffer.from(bytes))).toBe(true);
    }), { numRuns: 500 });
  });

  test('keeps a byte order mark and an empty file', () => {
    expect(text(parse('\ufeff[default]\r\nregion = x'))).toBe('\ufeff[default]\r\nregion = x');
    expect(IniDocument.parse(new Uint8Array()).serialize().length).toBe(0);
  });
});

describe('reading values as botocore does', () => {
  test('reads keys case-insensitively, with = or :, odd spacing and a BOM', () => {
    const doc = parse('\ufeff[default]\r\nAWS_Access_Key_ID=AKIA\r\nregion :  eu-west-1  \r\n');
    const section = exactSection('default');
    expect(doc.get(section, 'aws_access_key_id')).toBe('AKIA');
    expect(doc.get(section, 'region')).toBe('eu-west-1');
  });

  test('a nested block belongs to its key: its lines are not keys of the profile', () => {
    const doc = parse('[profile dev]\ns3 =\n    region = us-west-2\n    max_concurrent_requests = 10\noutput = json\n');
    const dev = profileSection('config', 'dev');
    expect(doc.keys(dev)).toEqual(['s3', 'output']);
    expect(doc.get(dev, 'region')).toBeUndefined();
    expect(doc.get(dev, 's3')).toBe('\nregion = us-west-2\nmax_concurrent_requests = 10');
  });

  test('comments are whole lines only: ";" and "#" inside a value are part of it', () => {
    const doc = parse('[a]\n# k = commented\nk = v ; not a comment\n  ; indented comment\n');
    expect(doc.get(exactSection('a'), 'k')).toBe('v ; not a comment');
  });

  test('the last definition wins across duplicate sections', () => {
    const doc = parse('[a]\nk = 1\nj = 2\n[b]\n[a]\nk = 3\n');
    expect(doc.get(exactSection('a'), 'k')).toBe('3');
    expect(doc.keys(exactSection('a'))).toEqual(['k', 'j']);
    expect(doc.headers()).toEqual(['a', 'b', 'a']);
  });

  test('config sections are found under every spelling readers accept', () => {
    const doc = parse('[profile  "dev"]\nregion = a\n[default]\nregion = b\n[profile prod]\nregion = c\n');
    expect(doc.get(profileSection('config', 'dev'), 'region')).toBe('a');
    expect(doc.get(profileSection('config', 'default'), 'region')).toBe('b');
    expect(doc.get(profileSection('config', 'prod'), 'region')).toBe('c');
    expect(doc.get(profileSection('credentials', 'prod'), 'region')).toBeUndefined();
  });

  describe('agrees with Python configparser (botocore\'s parser) on generated files', () => {
    const folder = mkdtempSync(join(tmpdir(), 'rolecall-ini-'));
    afterAll(() => rmSync(folder, { recursive: true, force: true }));

    test('same sections, keys and values', () => {
      // Python strips Unicode whitespace and lowercases Unicode keys; the model follows ASCII rules
      // only (real AWS files are ASCII where it matters), so such files are left out of the comparison.
      const pythonSpace = (char: string) => /\s/u.test(char) || (char >= '\x1c' && char <= '\x1f') || char === '\x85';
      const comparable = (bytes: Buffer) => ![...bytes.toString('utf8')].some((char) =>
        (!' \t\r\n'.includes(char) && pythonSpace(char)) || (char > '\x7f' && char.toLowerCase() !== char));
      const samples = fc.sample(fc.oneof(file(tidyLines, { bom: false }), file(wildLines, { bom: false })), { numRuns: 400, seed: 42 })
        .map(toBytes)
        .filter(comparable);
      samples.forEach((bytes, index) => writeFileSync(join(folder, `${index}.ini`), bytes));
      const script = [
        'import configparser, json, sys, os',
        'out = []',
        'for i in range(int(sys.argv[2])):',
        '    cp = configparser.RawConfigParser(strict=False)',
        '    try:',
        '        cp.read_string(open(os.path.join(sys.argv[1], f"{i}.ini"), "rb").read().decode("utf-8"))',
        '    except configparser.MissingSectionHeaderError:',
        '        out.append(None); continue',
        '    except configparser.ParsingError:',
        '        pass',
        // configparser keeps a key named "" (from a line like "= v") although it reports the line as an error.
        '    out.append({s: {k: v for k, v in cp.items(s) if k} for s in cp.sections()})',
        'print(json.dumps(out))',
      ].join('\n');
      const python = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, folder, String(samples.length)], { encoding: 'utf8' })) as (Record<string, Record<string, string>> | null)[];
      let compared = 0;
      samples.forEach((bytes, index) => {
        const expected = python[index];
        if (expected === null || expected === undefined) return;
        const doc = IniDocument.parse(bytes);
        expect([...new Set(doc.headers())].sort(), `file ${index}`).toEqual(Object.keys(expected).sort());
        for (const [section, values] of Object.entries(expected)) {
          expect(doc.keys(exactSection(section)).sort(), `file ${index} [${section}]`).toEqual(Object.keys(values).sort());
          for (const [key, expectedValue] of Object.entries(values)) {
            expect(doc.get(exactSection(section), key), `file ${index} [${section}] ${key}`).toBe(expectedValue);
          }
        }
        compared += 1;
      });
      expect(compared).toBeGreaterThan(100);
    });
  });
});

describe('setting keys', () => {
  test('replaces a value in place, keeping indent, delimiter style and trailing text', () => {
    const doc = parse('[a]\r\n  Key :\told  \r\nz=1\r\n');
    doc.set(exactSection('a'), { key: 'new' });
    expect(text(doc)).toBe('[a]\r\n  Key :\tnew  \r\nz=1\r\n');
  });

  test('fills an empty value keeping the spacing before the delimiter', () => {
    const doc = parse('[a]\nk =\nj=\n');
    doc.set(exactSection('a'), { k: '1', j: '2' });
    expect(text(doc)).toBe('[a]\nk = 1\nj=2\n');
  });

  test('adds missing keys after the last key, before comments and blank lines that close the section', () => {
    const doc = parse('[a]\nx=1\n\n# about b\n[b]\ny = 2\n');
    doc.set(exactSection('a'), { k: 'v' });
    expect(text(doc)).toBe('[a]\nx=1\nk=v\n\n# about b\n[b]\ny = 2\n');
  });

  test('adds keys after a nested block, not inside it', () => {
    const doc = parse('[profile dev]\ns3 =\n    max_concurrent_requests = 10\n[x]\n');
    doc.set(profileSection('config', 'dev'), { region: 'eu-west-1' });
    expect(text(doc)).toBe('[profile dev]\ns3 =\n    max_concurrent_requests = 10\nregion = eu-west-1\n[x]\n');
    expect(IniDocument.parse(doc.serialize()).get(profileSection('config', 'dev'), 's3')).toBe('\nmax_concurrent_requests = 10');
  });

  test('never copies ":" as the delimiter of a new key (the JS SDK reads only "=")', () => {
    const doc = parse('[a]\nx: 1\n');
    doc.set(exactSection('a'), { k: 'v' });
    expect(text(doc)).toBe('[a]\nx: 1\nk = v\n');
  });

  test('indents a new key so that an indented header below stays a header', () => {
    const doc = parse('[a]\n  [b]\nk = 1\n');
    doc.set(exactSection('a'), { n: 'v' });
    const after = IniDocument.parse(doc.serialize());
    expect(after.headers()).toEqual(['a', 'b']);
    expect(after.get(exactSection('a'), 'n')).toBe('v');
    expect(after.get(exactSection('b'), 'k')).toBe('1');
  });

  test('creates a missing section at the end after one blank line, in the file\'s dominant line ending', () => {
    const doc = parse('[a]\r\nx = 1\r\ny = 2\n');
    doc.set(profileSection('config', 'dev'), { region: 'eu-west-1' });
    expect(text(doc)).toBe('[a]\r\nx = 1\r\ny = 2\n\r\n[profile dev]\r\nregion = eu-west-1\r\n');
  });

  test('a file without a final newline still has none after keys are added', () => {
    const doc = parse('[a]\nx = 1');
    doc.set(exactSection('a'), { k: 'v' });
    doc.set(exactSection('b'), { k: 'v' });
    expect(text(doc)).toBe('[a]\nx = 1\nk = v\n\n[b]\nk = v');
  });

  test('a last line ending in a lone CR keeps it through adding and removing a section', () => {
    const doc = parse('[a]\nk = v\r');
    doc.set(exactSection('b'), { k: 'v' });
    const later = IniDocument.parse(doc.serialize());
    later.remove(exactSection('b'), ['k']);
    later.removeSectionIfEmpty(exactSection('b'));
    expect(text(later)).toBe('[a]\nk = v\r');
  });

  test('edits the last of duplicate sections', () => {
    const doc = parse('[a]\nk = 1\n[a]\nj = 2\n');
    doc.set(exactSection('a'), { k: 'new', n: 'v' });
    expect(text(doc)).toBe('[a]\nk = new\n[a]\nj = 2\nn = v\n');
  });

  test('rejects values that a reader would cut or trim', () => {
    const doc = parse('');
    expect(() => doc.set(exactSection('a'), { k: 'a\nb' })).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
    expect(() => doc.set(exactSection('a'), { k: ' padded' })).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
    expect(() => doc.set(exactSection('a'), { 'bad key': 'v' })).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
    expect(doc.serialize().length).toBe(0);
  });

  test('writes and reads back unicode values as UTF-8', () => {
    const doc = parse('[a]\nk = 1\n');
    doc.set(exactSection('ünï'), { k: 'é 漢字 😀' });
    const again = IniDocument.parse(doc.serialize());
    expect(again.get(exactSection('ünï'), 'k')).toBe('é 漢字 😀');
    expect(doc.serialize().toString('utf8')).toContain('[ünï]\nk = é 漢字 😀\n');
  });
});

describe('removing', () => {
  test('removes a key with its continuation lines and keeps comments between them', () => {
    const doc = parse('[a]\nk =\n  nested = 1\n# note\n  nested = 2\nz = 3\n');
    doc.remove(exactSection('a'), ['k']);
    expect(text(doc)).toBe('[a]\n# note\nz = 3\n');
  });

  test('removes a section only when nothing but blank lines is left', () => {
    const kept = parse('[a]\n# mine\n');
    expect(kept.removeSectionIfEmpty(exactSection('a'))).toBe(false);
    expect(text(kept)).toBe('[a]\n# mine\n');
    const removed = parse('x = 1\n\n[a]\n\n');
    expect(removed.removeSectionIfEmpty(exactSection('a'))).toBe(true);
    expect(text(removed)).toBe('x = 1\n\n');
  });
});

describe('properties of edits', () => {
  const targetName = fc.constantFrom(...SECTION_NAMES, 'new one');
  const setKeys = fc.dictionary(fc.constantFrom(...KEYS.filter((key) => key === key.toLowerCase())), value.filter((v) => v === v.trim()), { minKeys: 1, maxKeys: 4 });

  // An oracle independent of the model: in tidy files headers are exactly the unindented [..] lines.
  const isHeader = (line: string) => /^\[.+\]/.test(line);
  const split = (bytes: Buffer) => {
    const textual = bytes.toString('latin1').replace(/^\xef\xbb\xbf/, '');
    return textual.split(/(?<=\n)/).filter((line) => line !== '');
  };
  const outside = (lines: string[], name: string) => {
    const kept: string[] = [];
    let inside = false;
    for (const line of lines) {
      if (isHeader(line.trimEnd())) inside = line.trimEnd().startsWith(`[${Buffer.from(name, 'utf8').toString('latin1')}]`);
      if (!inside) kept.push(line);
    }
    return kept;
  };
  const sameIgnoringLastEol = (a: string[], b: string[]) => {
    expect(b.length).toBe(a.length);
    a.forEach((line, index) => {
      const last = index === a.length - 1;
      expect(last ? b[index]?.replace(/\r?\n$/, '') : b[index]).toBe(last ? line.replace(/\r?\n$/, '') : line);
    });
  };

  test('setting keys in one section keeps every line outside it, in order', () => {
    fc.assert(fc.property(file(tidyLines), targetName, setKeys, (generated, name, values) => {
      const bytes = toBytes(generated);
      const doc = IniDocument.parse(bytes);
      const existed = doc.hasSection(exactSection(name));
      doc.set(exactSection(name), values);
      const before = outside(split(bytes), name);
      const after = outside(split(doc.serialize()), name);
      // A created section is preceded by the one blank line Rolecall adds.
      if (!existed && before.length > 0) expect(after.pop()?.trim()).toBe('');
      sameIgnoringLastEol(before, after);
      const reread = IniDocument.parse(doc.serialize());
      for (const [key, expected] of Object.entries(values)) expect(reread.get(exactSection(name), key)).toBe(expected);
    }), { numRuns: 400 });
  });

  test('removing keys from one section keeps every line outside it, and every other line inside it', () => {
    fc.assert(fc.property(file(tidyLines), targetName, fc.subarray(KEYS), (generated, name, keys) => {
      const bytes = toBytes(generated);
      const doc = IniDocument.parse(bytes);
      doc.remove(exactSection(name), keys);
      sameIgnoringLastEol(outside(split(bytes), name), outside(split(doc.serialize()), name));
      const lower = keys.map((key) => key.toLowerCase());
      const remainingKeys = IniDocument.parse(doc.serialize()).keys(exactSection(name));
      const removedOnce = IniDocument.parse(bytes).keys(exactSection(name)).filter((key) => !lower.includes(key));
      for (const key of removedOnce) expect(remainingKeys).toContain(key);
    }), { numRuns: 400 });
  });

  test('adding keys a section does not have and removing them again restores the bytes', () => {
    fc.assert(fc.property(fc.oneof(file(tidyLines), file(wildLines)), targetName, setKeys, (generated, name, values) => {
      const bytes = toBytes(generated);
      const doc = IniDocument.parse(bytes);
      const section = exactSection(name);
      const present = doc.keys(section);
      const fresh = Object.fromEntries(Object.entries(values).filter(([key]) => !present.includes(key)));
      fc.pre(Object.keys(fresh).length > 0);
      const created = !doc.hasSection(section);
      doc.set(section, fresh);
      // Removal happens later, in another process: from the bytes, not from this document.
      const later = IniDocument.parse(doc.serialize());
      later.remove(section, Object.keys(fresh));
      if (created) expect(later.removeSectionIfEmpty(section)).toBe(true);
      expect(later.serialize().toString('latin1')).toBe(bytes.toString('latin1'));
    }), { numRuns: 800 });
  });
});
