// The profile editor's "Certificate and key" section: where the key comes from (files or a hardware
// token), the files picked and their certificate, the passphrase of an encrypted key, and where the key
// is kept.
import type { RefObject } from 'react';
import type { CertificateSummary, ProfileView } from '../../shared/model';
import type { ProfileForm } from '../format/profile-form';
import { nextStep } from '../format/errors';
import { fileName } from '../format/path';
import type { CertificateDraft } from '../hooks/useCertificateDraft';
import { DraftSummary } from './DraftSummary';
import { ChoiceGroup, TextField, type Choice } from './Fields';
import { TokenKeySource, type TokenChoice } from './TokenKeySource';

export type KeySource = 'files' | 'token';

const KEY_STORAGE: readonly Choice<ProfileForm['keyStorage']>[] = [
  { value: 'keychain', label: 'OS keychain', explanation: 'Moves the private key into the keychain (recommended); the key file is no longer needed.' },
  { value: 'file', label: 'Keep in my file', explanation: 'Reads your key file at each signing and never copies it; for machines without a keychain.' },
];

const KEY_SOURCE: readonly Choice<KeySource>[] = [
  { value: 'files', label: 'Files', explanation: 'A certificate and private key file, or a PKCS#12 file.' },
  { value: 'token', label: 'Hardware token', explanation: 'A smart card, YubiKey or HSM: the key never leaves it; the agent signs through its PKCS#11 module.' },
];

interface EditorCertificateSectionProps {
  readonly headingId: string;
  /** Absent: a new profile. */
  readonly profile: ProfileView | undefined;
  readonly keySource: KeySource;
  readonly onKeySource: (source: KeySource) => void;
  readonly tokenChoice: TokenChoice;
  readonly onTokenChoice: (choice: TokenChoice) => void;
  readonly files: CertificateDraft;
  /** The certificate shown: the picked files', else the saved profile's. */
  readonly certificate: CertificateSummary | undefined;
  readonly chain: readonly CertificateSummary[];
  readonly keyStorage: ProfileForm['keyStorage'];
  readonly onKeyStorage: (storage: ProfileForm['keyStorage']) => void;
  readonly submitted: boolean;
  readonly needsCertificate: boolean;
  readonly locked: boolean;
  readonly problemsRef: RefObject<HTMLUListElement | null>;
}

export function EditorCertificateSection(props: EditorCertificateSectionProps) {
  const { headingId, profile, keySource, files, certificate, submitted, needsCertificate, locked } = props;
  const { draft } = files;
  const editing = profile !== undefined;
  const onToken = !editing && keySource === 'token';
  return (
    <section className="editor-section" aria-labelledby={headingId}>
      <div className="section-heading">
        <h3 id={headingId}>Certificate and key</h3>
        {!onToken && (
          <button type="button" className="button small" onClick={() => void files.choose()} aria-busy={files.choosing || undefined} aria-disabled={files.choosing || undefined}>
            {certificate || draft ? 'Choose another…' : 'Choose files…'}
          </button>
        )}
      </div>
      {!editing && <ChoiceGroup legend="Key source" name="keySource" value={keySource} choices={KEY_SOURCE} onValue={props.onKeySource} />}
      {onToken && <TokenKeySource choice={props.tokenChoice} onChoice={props.onTokenChoice} missing={submitted} />}
      {!onToken && !certificate && !draft && (
        <p className={submitted && needsCertificate ? 'field-error' : 'muted'}>Pick the certificate and its private key (PEM or DER), or one PKCS#12 file (.p12, .pfx).</p>
      )}
      {!onToken && locked && draft && <KeyUnlock files={files} sourceFiles={draft.sourceFiles} submitted={submitted} />}
      {!onToken && certificate && (
        <DraftSummary certificate={certificate} chain={props.chain} sourceFiles={draft?.sourceFiles} problems={draft?.problems} warnings={draft?.warnings} problemsRef={props.problemsRef} />
      )}
      {!onToken && draft?.unlocked && <ChoiceGroup legend="Private key" name="keyStorage" value={props.keyStorage} choices={KEY_STORAGE} onValue={props.onKeyStorage} />}
      {editing && !draft && <p className="muted">Private key: {savedKeyPlace(profile)}</p>}
    </section>
  );
}

/** The passphrase of the picked key, which is encrypted. */
function KeyUnlock({ files, sourceFiles, submitted }: { readonly files: CertificateDraft; readonly sourceFiles: readonly string[]; readonly submitted: boolean }) {
  const { unlockProblem, unlocking } = files;
  return (
    <div className="unlock">
      <TextField
        label={`Passphrase for ${sourceFiles.map(fileName).join(', ')}`}
        type="password"
        value={files.passphrase}
        onValue={files.setPassphrase}
        autoFocus
        autoComplete="off"
        error={unlockProblem ? `${unlockProblem.message} ${nextStep(unlockProblem)}` : submitted ? 'The key is encrypted: give its passphrase to continue.' : undefined}
        onKeyDown={(event) => {
          // Enter unlocks the key rather than submitting the whole profile.
          if (event.key !== 'Enter') return;
          event.preventDefault();
          void files.unlock();
        }}
      />
      <button type="button" className="button" onClick={() => void files.unlock()} aria-busy={unlocking || undefined} aria-disabled={unlocking || undefined}>
        Unlock
      </button>
    </div>
  );
}

function savedKeyPlace(profile: ProfileView): string {
  if (profile.keyStorage === 'keychain') return 'in the OS keychain.';
  if (profile.keyStorage === 'token') return `on the hardware token (${profile.token?.uri ?? ''}); it never leaves it.`;
  return `read from ${profile.keyPath ?? 'your file'} at each signing.`;
}
