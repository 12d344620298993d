// files.chooseCertificate lets the user pick one to three files at once: a PKCS#12 file, a PEM holding
// certificate and key, or a certificate, its key and a chain in separate files. Which is which is read
// from the files' contents (names and extensions are unreliable), then handed to drafts.open.
import { derKind } from '../core/pki/der-kind';
import { hasPemMarkers } from '../core/pki';
import { RolecallError } from '../shared/errors';

export interface ChosenFile {
  readonly path: string;
  readonly certificates: number;
  readonly keys: number;
  readonly pkcs12: boolean;
}

export interface DraftPaths {
  readonly certificatePath: string;
  readonly privateKeyPath?: string;
  readonly intermediatesPath?: string;
}

const PEM_LABEL = /-----BEGIN ([A-Z0-9 ]+)-----/g;

/** What a file holds, judged by its PEM labels or, for DER, its ASN.1 shape. */
export function describeChosenFile(path: string, bytes: Buffer): ChosenFile {
  if (hasPemMarkers(bytes)) {
    const labels = [...bytes.toString('latin1').matchAll(PEM_LABEL)].map((match) => match[1] ?? '');
    return {
      path,
      certificates: labels.filter((label) => /(^|\s)CERTIFICATE$/.test(label)).length,
      keys: labels.filter((label) => label.endsWith('PRIVATE KEY')).length,
      pkcs12: false,
    };
  }
  const kind = derKind(bytes);
  return { path, certificates: kind === 'certificate' ? 1 : 0, keys: kind.includes('private-key') ? 1 : 0, pkcs12: kind === 'pkcs12' };
}

export function draftPathsFromChoice(files: readonly ChosenFile[]): DraftPaths {
  const [only] = files;
  if (files.length === 1 && only) return { certificatePath: only.path };
  const keyFiles = files.filter((file) => file.keys > 0 && file.certificates === 0 && !file.pkcs12);
  const certificateFiles = files.filter((file) => !keyFiles.includes(file));
  if (keyFiles.length > 1 || certificateFiles.length === 0 || certificateFiles.length > 2) throw new RolecallError('FILE_CHOICE_UNCLEAR', files.map((file) => file.path).join(', '));
  // The leaf's file: a PKCS#12, else a PEM that carries the key too, else the file with fewest certificates.
  const [leaf, chain] = [...certificateFiles].sort(
    (a, b) => Number(b.pkcs12) - Number(a.pkcs12) || Number(b.keys > 0) - Number(a.keys > 0) || a.certificates - b.certificates,
  );
  if (!leaf) throw new RolecallError('FILE_CHOICE_UNCLEAR');
  return {
    certificatePath: leaf.path,
    ...(keyFiles[0] ? { privateKeyPath: keyFiles[0].path } : {}),
    ...(chain ? { intermediatesPath: chain.path } : {}),
  };
}
