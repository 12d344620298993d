// Fuzz targets for src/core/pki: PEM splitting, the DER reader behind certificates, names and
// extensions, every private key form (legacy Proc-Type/DEK-Info PEM included), PKCS#12, the credential
// loader and the file entry point. Seeds are the committed fixtures in tests/fixtures/pki.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  describeCertificate,
  isPkcs12,
  leafProblems,
  loadCredentialFiles,
  loadCredentials,
  parseCertificates,
  parsePkcs12,
  parsePrivateKey,
  principalTags,
  splitPem,
  toPem,
  type Certificate,
} from '../../src/core/pki';
import { derKind } from '../../src/core/pki/der-kind';
import { parseDer } from '../../src/core/pki/der';
import { codes, defineTarget, expectReturns, expectTyped, expectTypedAsync, FuzzViolation, type AnyFuzzTarget } from './harness';
import { mutated } from './mutations';
import { repoRoot } from './paths';
import { PLANTED_MARK } from '../secrets-scan/scan';

const PASSWORD = 'rolecall-test';
const PKI_CODES = codes(
  'CERT_NOT_FOUND',
  'CERT_UNREADABLE',
  'PEM_TRUNCATED',
  'KEY_NOT_FOUND',
  'KEY_UNREADABLE',
  'KEY_PASSPHRASE_REQUIRED',
  'KEY_PASSPHRASE_WRONG',
  'PKCS12_PASSWORD_WRONG',
  'PKCS12_UNREADABLE',
  'KEY_UNSUPPORTED',
  'KEY_CERT_MISMATCH',
  'NOT_SUPPORTED_YET',
);
const FILE_CODES = codes(...PKI_CODES, 'FILE_UNREADABLE');

interface Seed {
  readonly name: string;
  readonly bytes: Buffer;
}

interface PemSeed {
  readonly label: string;
  readonly headers: string;
  readonly der: Buffer;
}

function loadSeeds(): Seed[] {
  const folder = join(repoRoot(), 'tests', 'fixtures', 'pki');
  return readdirSync(folder)
    .filter((name) => /\.(pem|der|p12)$/.test(name))
    .sort()
    .map((name) => ({ name, bytes: readFileSync(join(folder, name)) }));
}

const seeds = loadSeeds();
const pick = (pattern: RegExp) => seeds.filter((seed) => pattern.test(seed.name)).map((seed) => seed.bytes);
const certificateFiles = pick(/cert\.(pem|der)$|chain|fullchain|csr/);
const keyFiles = pick(/key|combined/);
const pkcs12Files = pick(/\.p12$/);

/** Every PEM block of the fixtures with its RFC 1421 header lines, so the DER can be damaged and re-wrapped. */
function pemSeeds(files: readonly Buffer[]): PemSeed[] {
  return files.flatMap((file) => {
    const text = file.toString('latin1');
    // truncated.cert.pem is damaged on purpose; it still seeds the byte-level mutations.
    if (!text.includes('-----BEGIN ') || !text.includes('-----END ')) return [];
    return splitPem(text, 'KEY_UNREADABLE').map((block) => ({
      label: block.label,
      headers: [...block.headers].map(([name, value]) => `${name}: ${value}\n`).join(''),
      der: block.der,
    }));
  });
}

const certificatePems = pemSeeds(certificateFiles);
const keyPems = pemSeeds(keyFiles);
const derOf = (pems: readonly PemSeed[], files: readonly Buffer[]) => [...pems.map((pem) => pem.der), ...files.filter((file) => !file.includes('-----BEGIN '))];

/** A PEM block whose DER was damaged but whose armour and headers are intact: the damage reaches the DER reader. */
function rewrapped(pems: readonly PemSeed[]): fc.Arbitrary<Buffer> {
  return fc.tuple(fc.constantFrom(...pems), mutated(pems.map((pem) => pem.der))).map(([pem, der]) => {
    const body = toPem(pem.label, der);
    return Buffer.from(pem.headers === '' ? body : body.replace('-----\n', `-----\n${pem.headers}\n`), 'latin1');
  });
}

// Header edits of legacy encrypted keys: ciphers known and not, IVs of every length, stray commas.
const dekInfo = fc.oneof(
  fc.tuple(fc.constantFrom('AES-128-CBC', 'AES-256-CBC', 'DES-EDE3-CBC', 'DES-CBC', 'aes-192-cbc', 'RC2-CBC', '', 'AES-256-GCM'), fc.oneof(fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), maxLength: 40 }), fc.string({ maxLength: 12 })))
    .map(([cipher, iv]) => `${cipher},${iv}`),
  fc.string({ maxLength: 40 }),
);
const legacyKeyEdits = fc.tuple(fc.constantFrom(...keyPems.filter((pem) => pem.headers.includes('DEK-Info'))), dekInfo, fc.constantFrom('4,ENCRYPTED', '4,encrypted', 'ENCRYPTED', '4,MIC-ONLY', ''))
  .map(([pem, info, procType]) => Buffer.from(toPem(pem.label, pem.der).replace('-----\n', `-----\nProc-Type: ${procType}\nDEK-Info: ${info}\n\n`), 'latin1'));

// Armour edits: labels swapped or cut, END lines lost or mismatched, headers where none belong.
const LABELS = ['CERTIFICATE', 'X509 CERTIFICATE', 'PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'EC PARAMETERS', 'DSA PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'CERTIFICATE REQUEST', 'PKCS7', 'X'];
const armourEdits = fc.tuple(fc.constantFrom(...certificatePems, ...keyPems), fc.constantFrom(...LABELS), fc.constantFrom(...LABELS), fc.integer({ min: 0, max: 5 }), fc.string({ maxLength: 30 }))
  .map(([pem, begin, end, edit, noise]) => {
    const body = pem.der.toString('base64').match(/.{1,64}/g)?.join('\n') ?? '';
    const variants = [
      `-----BEGIN ${begin}-----\n${body}\n-----END ${end}-----\n`,
      `-----BEGIN ${begin}-----\n${body}\n`,
      `-----BEGIN ${begin}-----\n${noise}\n${body}\n-----END ${begin}-----\n`,
      `-----BEGIN ${begin}-----\n${body.slice(0, body.length >> 1)}${noise}\n-----END ${begin}-----\n`,
      `${noise}-----BEGIN ${begin}-----\n-----BEGIN ${end}-----\n${body}\n-----END ${end}-----\n`,
      `-----BEGIN ${begin}-----\n${noise}: ${noise}\n continued ${noise}\n\n${body}\n-----END ${begin}-----\n`,
    ];
    return Buffer.from(variants[edit] ?? '', 'utf8');
  });

const randomBytes = fc.uint8Array({ maxLength: 600 }).map((bytes) => Buffer.from(bytes));
const randomText = fc.string({ unit: 'binary', maxLength: 400 }).map((text) => Buffer.from(text, 'utf8'));
const pemish = fc.array(fc.constantFrom('-----BEGIN CERTIFICATE-----', '-----END CERTIFICATE-----', '-----BEGIN RSA PRIVATE KEY-----', 'Proc-Type: 4,ENCRYPTED', 'DEK-Info: AES-256-CBC,00', '\n', '\r\n', 'MIIB', '====', 'AAAA', ' ', '-----', 'BEGIN'), { maxLength: 30 })
  .map((parts) => Buffer.from(parts.join(''), 'latin1'));

function anyOf(...arbitraries: fc.Arbitrary<Buffer>[]): fc.Arbitrary<Buffer> {
  return fc.oneof(...arbitraries);
}

const certificateInputs = anyOf(
  mutated(derOf(certificatePems, certificateFiles)),
  rewrapped(certificatePems),
  mutated(certificateFiles),
  armourEdits,
  randomBytes,
  randomText,
  pemish,
);
const keyInputs = anyOf(
  mutated(derOf(keyPems, keyFiles)),
  rewrapped(keyPems),
  mutated(keyFiles),
  legacyKeyEdits,
  armourEdits,
  randomBytes,
  pemish,
);
const pkcs12Inputs = anyOf(mutated(pkcs12Files), randomBytes.map((bytes) => Buffer.concat([Buffer.from([0x30, 0x82, 0x01, 0x00, 0x02, 0x01, 0x03]), bytes])));
const passphrase = fc.oneof(fc.constant(undefined), fc.constant(PASSWORD), fc.constant(''), fc.string({ maxLength: 16 }));

/** Reads everything a host shows of a certificate: each accessor walks more of the DER. */
function readAll(certificate: Certificate): void {
  describeCertificate(certificate);
  principalTags(certificate);
  leafProblems({ leaf: certificate, at: Date.UTC(2030, 0, 1) });
  void certificate.keyAlgorithm;
  void certificate.fingerprintSha256;
}

/** A passphrase must never come back in an error: it is a secret. */
function assertNoSecretIn(error: { message: string; detail: string | undefined }, secret: string | undefined, paths: readonly string[] = []): void {
  if (secret === undefined || secret.length < 4) return;
  // File paths are named on purpose, and the temp folder's name may happen to hold the test passphrase.
  const text = paths.reduce((current, path) => current.split(path).join(''), `${error.message} ${error.detail ?? ''}`);
  if (text.includes(secret)) throw new FuzzViolation('an error repeats the passphrase');
}

export function pkiTargets(): AnyFuzzTarget[] {
  return [
    defineTarget({
      name: 'pki: DER reader',
      arbitrary: anyOf(mutated(derOf([...certificatePems, ...keyPems], [...certificateFiles, ...keyFiles, ...pkcs12Files])), randomBytes),
      check(bytes) {
        // parseDer and derKind answer undefined / 'unknown' for anything they cannot read: they never throw.
        expectReturns(() => [parseDer(bytes), derKind(bytes)]);
      },
    }),
    defineTarget({
      name: 'pki: certificates (PEM, DER, names, extensions)',
      arbitrary: certificateInputs,
      check(bytes) {
        expectTyped(() => parseCertificates(bytes).forEach(readAll), PKI_CODES);
        expectTyped(() => parseCertificates(bytes.toString('latin1')).length, PKI_CODES);
      },
    }),
    defineTarget({
      name: 'pki: private keys (PKCS#1, SEC1, PKCS#8, encrypted, legacy PEM)',
      arbitrary: fc.tuple(keyInputs, passphrase),
      check([bytes, secret]) {
        const options = secret === undefined ? {} : { passphrase: secret };
        const result = expectTyped(() => parsePrivateKey(bytes, options).algorithm, PKI_CODES);
        if (!result.ok) assertNoSecretIn(result.error, secret);
      },
      regressions: [
        // A legacy encrypted key whose DEK-Info IV is shorter than a cipher block: node-forge threw a plain Error (INTERNAL).
        [Buffer.from(toPem('RSA PRIVATE KEY', Buffer.alloc(64)).replace('-----\n', '-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: DES-EDE3-CBC,00\n\n'), 'latin1'), PASSWORD],
      ],
    }),
    defineTarget({
      name: 'pki: PKCS#12',
      arbitrary: fc.tuple(pkcs12Inputs, passphrase),
      check([bytes, secret]) {
        const result = expectTyped(() => {
          if (!isPkcs12(bytes)) return undefined;
          const contents = parsePkcs12(bytes, secret);
          [contents.leaf, ...contents.chain].forEach(readAll);
          return contents.privateKey.algorithm;
        }, PKI_CODES);
        if (!result.ok) assertNoSecretIn(result.error, secret);
      },
    }),
    defineTarget({
      name: 'pki: loadCredentials (certificate, key, intermediates)',
      arbitrary: fc.record({
        certificate: fc.oneof(certificateInputs, pkcs12Inputs, fc.constantFrom(...certificateFiles, ...pkcs12Files)),
        privateKey: fc.option(fc.oneof(keyInputs, fc.constantFrom(...keyFiles)), { nil: undefined }),
        intermediates: fc.option(fc.oneof(certificateInputs, fc.constantFrom(...certificateFiles)), { nil: undefined }),
        passphrase,
      }),
      check(input) {
        const result = expectTyped(() => {
          const credentials = loadCredentials({
            certificate: input.certificate,
            ...(input.privateKey === undefined ? {} : { privateKey: input.privateKey }),
            ...(input.intermediates === undefined ? {} : { intermediates: input.intermediates }),
            ...(input.passphrase === undefined ? {} : { passphrase: input.passphrase }),
          });
          readAll(credentials.leaf);
          return credentials.keyAlgorithm;
        }, PKI_CODES);
        if (!result.ok) assertNoSecretIn(result.error, input.passphrase);
      },
    }),
  ];
}

/** The CLI's entry point: real files in a temp folder, plus paths that are not files. */
export async function openPkiFileTarget(): Promise<{ target: AnyFuzzTarget; close(): Promise<void> }> {
  const folder = await mkdtemp(join(tmpdir(), 'rolecall-fuzz-pki-'));
  // Damaged copies of the fixture keys are the point here, as a user's own files: not leaks for the scan.
  await writeFile(join(folder, PLANTED_MARK), '');
  let counter = 0;
  const place = async ([bytes, special]: readonly [Buffer | undefined, string]): Promise<string> => {
    if (bytes === undefined) return special === 'folder' ? folder : join(folder, special === 'missing' ? 'missing.pem' : 'no/such/dir/file.pem');
    counter += 1;
    const path = join(folder, `input-${counter}`);
    await writeFile(path, bytes, { mode: 0o600 });
    return path;
  };
  const file = fc.oneof(
    { weight: 8, arbitrary: fc.tuple(fc.oneof(certificateInputs, keyInputs, pkcs12Inputs), fc.constant('file')) },
    { weight: 1, arbitrary: fc.tuple(fc.constant(undefined), fc.constantFrom('folder', 'missing', 'nested')) },
  );
  const target = defineTarget({
    name: 'pki: loadCredentialFiles (files on disk)',
    arbitrary: fc.record({ certificate: file, privateKey: fc.option(file, { nil: undefined }), passphrase }),
    async check(input) {
      const certificate = await place(input.certificate);
      const privateKey = input.privateKey === undefined ? undefined : await place(input.privateKey);
      const result = await expectTypedAsync(
        () => loadCredentialFiles({
          certificate,
          ...(privateKey === undefined ? {} : { privateKey }),
          ...(input.passphrase === undefined ? {} : { passphrase: input.passphrase }),
        }),
        FILE_CODES,
      );
      if (!result.ok) assertNoSecretIn(result.error, input.passphrase, [certificate, privateKey ?? certificate]);
    },
  });
  return { target, close: () => rm(folder, { recursive: true, force: true }) };
}
