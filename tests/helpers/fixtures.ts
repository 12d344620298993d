// Paths of the committed test PKI (tests/fixtures/pki, made by its make.sh) and the vectors.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PKI_DIR = join(import.meta.dirname, '..', 'fixtures', 'pki');
export const VECTORS_DIR = join(import.meta.dirname, '..', 'fixtures', 'vectors');
/** The password of every encrypted fixture key and PKCS#12 file (see make.sh). */
export const FIXTURE_PASSWORD = 'rolecall-test';

export const pkiPath = (name: string): string => join(PKI_DIR, name);
export const readPki = (name: string): string => readFileSync(pkiPath(name), 'utf8');
