// Add or edit a profile: certificate and key (unlocked when encrypted), the ARNs (discovered or typed,
// checked as they are typed), and how the session is made and delivered.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { CertificateSummary, Discovery, ProblemView, ProfileView, SandboxTrustedCa } from '../../shared/model';
import { namesFor } from '../format/discovery-picks';
import { emptyForm, formForSandboxCa, formFromProfile, type FormField } from '../format/profile-form';
import { useCertificateDraft } from '../hooks/useCertificateDraft';
import { useDiscoveredArns } from '../hooks/useDiscoveredArns';
import { useProfileForm } from '../hooks/useProfileForm';
import { useProfileSave } from '../hooks/useProfileSave';
import { Banner } from './Banner';
import { Dialog } from './Dialog';
import { EditorAdvancedSection } from './EditorAdvancedSection';
import { EditorArnsSection } from './EditorArnsSection';
import { EditorCertificateSection, type KeySource } from './EditorCertificateSection';
import { EditorFooter } from './EditorFooter';
import { EditorSessionSection } from './EditorSessionSection';
import { TextField } from './Fields';
import type { TokenChoice } from './TokenKeySource';

interface ProfileEditorProps {
  /** Absent: add a new profile. */
  readonly profile?: ProfileView;
  /** A new profile for certificates of a CA the local sandbox trusts: its endpoint and ARNs filled in. */
  readonly prefill?: SandboxTrustedCa;
  /** Every profile, to list with an active one's session. */
  readonly profiles: readonly ProfileView[];
  readonly onClose: () => void;
  readonly onSaved: (profile: ProfileView, previousName?: string) => void;
}

const NO_CHAIN: readonly CertificateSummary[] = [];

export function ProfileEditor({ profile, prefill, profiles, onClose, onSaved }: ProfileEditorProps) {
  const editing = profile !== undefined;
  const fields = useProfileForm(() => (profile ? formFromProfile(profile) : prefill ? formForSandboxCa(prefill) : emptyForm()));
  const { form, problems, submitted, visible } = fields;
  const [problem, setProblem] = useState<ProblemView>();
  const [keySource, setKeySource] = useState<KeySource>('files');
  const [tokenChoice, setTokenChoice] = useState<TokenChoice>({ modulePath: '', keepPin: false });
  const formId = useId();
  const certificateHeading = useId();

  const problemBox = useRef<HTMLDivElement>(null);
  // Save sits at the bottom of a long sheet: bring its failure into view.
  useEffect(() => {
    if (problem) problemBox.current?.scrollIntoView({ block: 'nearest' });
  }, [problem]);
  const files = useCertificateDraft(setProblem, () => setProblem(undefined));
  const { draft, unlocking } = files;
  const saving = useProfileSave({ profile, onSaved, onProblem: setProblem, listedProblems: draft?.problems });

  const pickedCertificate = draft?.certificate ?? (draft ? undefined : profile?.certificate);
  const pickedChain = draft?.chain ?? profile?.chain ?? NO_CHAIN;
  const discovered = useDiscoveredArns(form, fields.setForm, pickedCertificate, pickedChain);
  const onFound = (found: Discovery, endpoint?: string) => {
    setProblem(undefined);
    discovered.takeFound(found, endpoint);
  };

  const onToken = !editing && keySource === 'token';
  const needsCertificate = !editing && (onToken ? tokenChoice.uri === undefined : !draft);
  const locked = !onToken && draft !== null && !draft.unlocked;

  const submit = async (force = false) => {
    if (saving.busy || unlocking) return;
    fields.markSubmitted();
    const firstInvalid = fields.firstInvalidInput();
    if (firstInvalid) {
      // A field under the closed "Advanced" section cannot take focus until it is open.
      const details = firstInvalid.closest('details');
      if (details) details.open = true;
      firstInvalid.focus();
      return;
    }
    if (needsCertificate || locked) {
      document.getElementById(certificateHeading)?.scrollIntoView({ block: 'start', behavior: 'smooth' });
      return;
    }
    setProblem(undefined);
    const names = namesFor(form.trustAnchorArn, form.profileArn, discovered.discovery, profile);
    await saving.save({ form, names, force, draft, ...(onToken && { token: tokenChoice }) });
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit();
  };

  const activeProfiles = profiles.filter((candidate) => candidate.status === 'active' || candidate.status === 'refreshing');
  // While the sheet shows an error, saving could only fail with it again: the button waits for a fix.
  const showsError =
    (Object.keys(problems) as FormField[]).some((field) => visible(field) !== undefined) ||
    (!onToken && (draft?.problems.length ?? 0) > 0) ||
    files.unlockProblem !== undefined ||
    (submitted && (needsCertificate || locked));

  return (
    <Dialog
      title={editing ? `Edit ${profile.name}` : 'Add profile'}
      variant="sheet"
      onClose={onClose}
      footer={<EditorFooter formId={formId} editing={editing} showsError={showsError} saving={saving.busy} waiting={saving.busy || unlocking} onCancel={onClose} />}
    >
      <form id={formId} className="editor" onSubmit={onSubmit} noValidate>
        <div ref={problemBox}>
          {problem && (
            <Banner
              kind="error"
              problem={problem}
              onDismiss={() => setProblem(undefined)}
              actions={
                problem.code === 'AWS_PROFILE_TAKEN' && (
                  <button type="button" className="button small" onClick={() => void submit(true)}>
                    Take over
                  </button>
                )
              }
            />
          )}
        </div>

        <TextField label="Name" {...fields.field('name')} note="The AWS profile name tools will use (AWS_PROFILE, --profile)." spellCheck={false} autoComplete="off" data-autofocus className="field-name" />

        <EditorCertificateSection
          headingId={certificateHeading}
          profile={profile}
          keySource={keySource}
          onKeySource={setKeySource}
          tokenChoice={tokenChoice}
          onTokenChoice={setTokenChoice}
          files={files}
          certificate={pickedCertificate}
          chain={pickedChain}
          keyStorage={form.keyStorage}
          onKeyStorage={fields.set('keyStorage')}
          submitted={submitted}
          needsCertificate={needsCertificate}
          locked={locked}
          problemsRef={saving.certificateProblems}
        />
        <EditorArnsSection fields={fields} discovered={discovered} activeProfiles={activeProfiles} onFound={onFound} onProblem={setProblem} />
        <EditorSessionSection fields={fields} discoveredProfile={discovered.discoveredProfile} idPrefix={formId} />
        <EditorAdvancedSection fields={fields} />
      </form>
      {saving.prompt}
    </Dialog>
  );
}
