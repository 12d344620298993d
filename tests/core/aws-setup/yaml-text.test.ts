// The template's YAML writer, read back by a real YAML parser (PyYAML, which Debian's AWS CLI brings):
// any JSON value, including keys and strings full of YAML's special characters, line breaks and
// control characters, must read back as the same value.
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { yamlText, type JsonValue } from '../../../src/core/aws-setup/yaml-text';

/** Parses each document with PyYAML in one process; JSON out. */
function pyyamlRead(documents: readonly string[]): unknown[] {
  const script = 'import json, sys, yaml\nfor doc in json.load(sys.stdin):\n    print(json.dumps(yaml.safe_load(doc)))';
  const result = spawnSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(documents), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as unknown);
}

const text = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.constantFrom('a', ' ', '\n', '\t', ':', '#', '-', '"', "'", '|', '>', '\\', '\r', '\u0085', '\u2028', '\u007f', '{', '[', '&', '*', '!', '%', '@', '`') }),
  fc.constantFrom('', 'true', 'no', 'null', '~', '0x1F', '1e3', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', 'a\n\n', '\nb', 'c\n\n\n'),
);
const value: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(text, tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('yamlText', () => {
  test('reads back as the same value for any JSON data', () => {
    const samples = fc.sample(fc.dictionary(text, value, { minKeys: 1, maxKeys: 5 }), { numRuns: 300, seed: 20261202 });
    const read = pyyamlRead(samples.map((sample) => yamlText(sample)));
    samples.forEach((sample, index) => expect(read[index], yamlText(sample)).toEqual(JSON.parse(JSON.stringify(sample))));
  });

  test('writes a PEM as a literal block, as it reads in its file', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    expect(yamlText({ Source: { X509CertificateData: pem } })).toBe('Source:\n  X509CertificateData: |\n    -----BEGIN CERTIFICATE-----\n    MIIB\n    -----END CERTIFICATE-----\n');
  });
});
