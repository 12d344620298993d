// Add or edit a profile: certificate and key (unlocked when encrypted), the ARNs (discovered or typed,
// checked as they are typed), and how the session is made and delivered.
import { useCallback, useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import type { CertificateSummary, Discovery, DraftView, ProblemView, ProfileView, SandboxTrustedCa } from '../../shared/model';
import { anchorOptions, namesFor, preselectedAnchor, profileOptions, roleOptions, sameNames } from '../format/discovery-picks';
import { regionOfArn } from '../format/arn';
import {
  addInput,
  editInput,
  emptyForm,
  formForSandboxCa,
  formFromProfile,
  formHints,
  formProblems,
  isEmptyEdit,
  MAX_DURATION_SECONDS,
  MIN_DURATION_SECONDS,
  type FormField,
  type ProfileForm,
} from '../format/profile-form';
import { nextStep } from '../format/errors';
import { fileName } from '../format/path';
import { formatDuration } from '../format/time';
import { attempt } from '../api';
import { useAction } from '../hooks/useAction';
import { ArnField, type ArnSuggestion } from './ArnField';
import { Banner } from './Banner';
import { Dialog } from './Dialog';
import { DiscoveryPanel } from './DiscoveryPanel';
import { DraftSummary } from './DraftSummary';
import { ChoiceGroup, TextField, type Choice } from './Fields';
import { TokenKeySource, useTokenAdd, type TokenChoice } from './TokenKeySource';

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

const DELIVERY: readonly Choice<'file' | 'process'>[] = [
  { value: 'file', label: 'Credentials file', explanation: 'Writes the session to [NAME] in ~/.aws/credentials and rewrites it on refresh; every AWS tool reads it.' },
  { value: 'process', label: 'Credential process', explanation: 'Adds credential_process to [profile NAME] in ~/.aws/config; tools ask Rolecall for keys, nothing secret on disk.' },
];

const KEY_STORAGE: readonly Choice<'keychain' | 'file'>[] = [
  { value: 'keychain', label: 'OS keychain', explanation: 'Moves the private key into the keychain (recommended); the key file is no longer needed.' },
  { value: 'file', label: 'Keep in my file', explanation: 'Reads your key file at each signing and never copies it; for machines without a keychain.' },
];

const KEY_SOURCE: readonly Choice<'files' | 'token'>[] = [
  { value: 'files', label: 'Files', explanation: 'A certificate and private key file, or a PKCS#12 file.' },
  { value: 'token', label: 'Hardware token', explanation: 'A smart card, YubiKey or HSM: the key never leaves it; the agent signs through its PKCS#11 module.' },
];

const DURATION_PRESETS = [900, 3600, 14_400, 28_800, 43_200];
const NO_CHAIN: readonly CertificateSummary[] = [];

const explain = (choices: readonly Choice<'file' | 'process'>[], name: string) =>
  choices.map((choice) => ({ ...choice, explanation: choice.explanation.replace('NAME', name || 'NAME') }));

export function ProfileEditor({ profile, prefill, profiles, onClose, onSaved }: ProfileEditorProps) {
  const editing = profile !== undefined;
  const [form, setForm] = useState<ProfileForm>(() => (profile ? formFromProfile(profile) : prefill ? formForSandboxCa(prefill) : emptyForm()));
  const [touched, setTouched] = useState<ReadonlySet<FormField>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [draft, setDraft] = useState<DraftView | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [unlockProblem, setUnlockProblem] = useState<ProblemView>();
  const [unlocking, setUnlocking] = useState(false);
  const [problem, setProblem] = useState<ProblemView>();
  const [discovery, setDiscovery] = useState<Discovery>();
  const [keySource, setKeySource] = useState<'files' | 'token'>('files');
  const [tokenChoice, setTokenChoice] = useState<TokenChoice>({ modulePath: '', keepPin: false });
  const inputs = useRef<Partial<Record<FormField, HTMLInputElement | null>>>({});
  const formId = useId();
  const certificateHeading = useId();
  const blockedNote = useId();
  // Opened by a click at the bottom of the sheet, the section would unfold below the fold.
  const advancedClicked = useRef(false);

  const problemBox = useRef<HTMLDivElement>(null);
  const certificateProblems = useRef<HTMLUListElement>(null);
  const showProblem = useCallback((next: ProblemView) => setProblem(next), []);
  // Save sits at the bottom of a long sheet: bring its failure into view.
  useEffect(() => {
    if (problem) problemBox.current?.scrollIntoView({ block: 'nearest' });
  }, [problem]);
  const listedProblems = draft?.problems;
  const showSaveProblem = useCallback(
    (next: ProblemView) => {
      // The certificate section already lists what Roles Anywhere refuses about this certificate: point
      // there instead of repeating it in a banner.
      if (listedProblems?.some((listed) => listed.code === next.code)) {
        certificateProblems.current?.scrollIntoView({ block: 'center', behavior: 'smooth' });
        certificateProblems.current?.focus({ preventScroll: true });
        return;
      }
      setProblem(next);
    },
    [listedProblems],
  );
  const choose = useAction('Certificate', showProblem);
  const save = useAction(undefined, showSaveProblem);
  const tokenAdd = useTokenAdd(showProblem);

  const problems = useMemo(() => formProblems(form), [form]);
  const hints = useMemo(() => formHints(form), [form]);
  const visible = (field: FormField) => (submitted || touched.has(field) ? problems[field] : undefined);
  const set = <F extends FormField>(field: F) => (value: ProfileForm[F]) => setForm((current) => ({ ...current, [field]: value }));
  const touch = (field: FormField) => () => setTouched((current) => new Set(current).add(field));
  const bind = (field: FormField) => (element: HTMLInputElement | null) => {
    inputs.current[field] = element;
  };

  const discoveredProfile = discovery?.profiles.find((candidate) => candidate.arn === form.profileArn.trim());
  const pickedCertificate = draft?.certificate ?? (draft ? undefined : profile?.certificate);
  const pickedChain = draft?.chain ?? profile?.chain ?? NO_CHAIN;
  const anchorSuggestions: readonly ArnSuggestion[] = useMemo(() => anchorOptions(discovery, pickedCertificate, pickedChain), [discovery, pickedCertificate, pickedChain]);
  const profileSuggestions: readonly ArnSuggestion[] = useMemo(() => profileOptions(discovery), [discovery]);
  const roleSuggestions: readonly ArnSuggestion[] = useMemo(() => roleOptions(discovery, form.profileArn), [discovery, form.profileArn]);
  // Picking a profile by name brings its one role along, as discovery does for a region's one profile.
  const pickProfile = (arn: string) =>
    setForm((current) => {
      const roles = discovery?.profiles.find((candidate) => candidate.arn === arn)?.roleArns ?? [];
      const roleArn = roles.length === 1 && !roles.includes(current.roleArn.trim()) ? (roles[0] ?? current.roleArn) : current.roleArn;
      return { ...current, profileArn: arn, roleArn };
    });

  const durationSeconds = Number(form.durationSeconds);
  const sessionHints = {
    durationSeconds:
      discoveredProfile?.durationSeconds !== undefined && durationSeconds > discoveredProfile.durationSeconds
        ? `This profile allows at most ${formatDuration(discoveredProfile.durationSeconds)}.`
        : undefined,
    roleSessionName:
      discoveredProfile && !discoveredProfile.acceptRoleSessionName && form.roleSessionName.trim() !== ''
        ? 'This profile does not accept a role session name; Roles Anywhere will refuse it.'
        : undefined,
  };

  const onFound = (found: Discovery, endpoint?: string) => {
    setDiscovery(found);
    setProblem(undefined);
    // One choice is no choice: fill it in, but never overwrite what the user typed.
    setForm((current) => {
      // The anchor the certificate chains to (or the only one) is preselected.
      const anchor = current.trustAnchorArn.trim() === '' ? preselectedAnchor(anchorOptions(found, pickedCertificate, pickedChain)) : undefined;
      const only = found.profiles.length === 1 ? found.profiles[0] : undefined;
      const profileArn = only && current.profileArn.trim() === '' ? only.arn : undefined;
      const roleArn = only?.roleArns.length === 1 && current.roleArn.trim() === '' ? only.roleArns[0] : undefined;
      // What was found through a private or local endpoint is reached through it too.
      const foundAt = endpoint && current.endpoint.trim() === '' ? endpoint : undefined;
      return {
        ...current,
        trustAnchorArn: anchor ?? current.trustAnchorArn,
        profileArn: profileArn ?? current.profileArn,
        roleArn: roleArn ?? current.roleArn,
        endpoint: foundAt ?? current.endpoint,
      };
    });
  };

  const chooseCertificate = async () => {
    const picked = await choose.run((api) => api.files.chooseCertificate({}));
    if (!picked) return;
    setDraft(picked);
    setPassphrase('');
    setUnlockProblem(undefined);
    setProblem(undefined);
  };

  const unlock = async () => {
    if (!draft || unlocking) return;
    setUnlocking(true);
    const outcome = await attempt((api) => api.drafts.unlock({ draftId: draft.draftId, passphrase }));
    setUnlocking(false);
    if (outcome.ok) {
      setDraft(outcome.value);
      setPassphrase('');
      setUnlockProblem(undefined);
    } else {
      setUnlockProblem(outcome.problem);
    }
  };

  const onToken = !editing && keySource === 'token';
  const needsCertificate = !editing && (onToken ? tokenChoice.uri === undefined : !draft);
  const locked = !onToken && draft !== null && !draft.unlocked;

  const submit = async (force = false) => {
    if (save.busy || tokenAdd.busy || unlocking) return;
    setSubmitted(true);
    const firstInvalid = (Object.keys(problems) as FormField[]).map((field) => inputs.current[field]).find(Boolean);
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
    const name = form.name.trim();
    const names = namesFor(form.trustAnchorArn, form.profileArn, discovery, profile);
    if (!profile && onToken) {
      const { draftId: _unused, keyStorage: _files, ...input } = addInput(form, '', force);
      const added = await tokenAdd.add({ ...input, ...(names && { names }) }, tokenChoice);
      if (added) onSaved(added);
      return;
    }
    if (!profile) {
      if (!draft) return;
      const added = await save.run((api) => api.profiles.add({ ...addInput(form, draft.draftId, force), ...(names && { names }) }));
      if (added) onSaved(added);
      return;
    }
    const changes = { ...editInput(profile, form, draft?.draftId, force), ...(!sameNames(names, profile.names) && { names: names ?? null }) };
    let saved: ProfileView | undefined = profile;
    if (!isEmptyEdit(changes)) saved = await save.run((api) => api.profiles.edit(changes));
    if (saved && name !== profile.name) saved = await save.run((api) => api.profiles.rename({ name: profile.name, newName: name, force: force || undefined }));
    if (saved) onSaved(saved, profile.name);
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit();
  };

  const activeProfiles = profiles.filter((candidate) => candidate.status === 'active' || candidate.status === 'refreshing');
  const certificate = pickedCertificate;
  const advancedOpen = form.signingRegion !== '' || form.endpoint !== '' || Boolean(visible('signingRegion') || visible('endpoint'));
  // While the sheet shows an error, saving could only fail with it again: the button waits for a fix.
  const showsError =
    (Object.keys(problems) as FormField[]).some((field) => visible(field) !== undefined) ||
    (!onToken && (draft?.problems.length ?? 0) > 0) ||
    unlockProblem !== undefined ||
    (submitted && (needsCertificate || locked));
  const title = editing ? `Edit ${profile.name}` : 'Add profile';

  return (
    <Dialog
      title={title}
      variant="sheet"
      onClose={onClose}
      footer={
        <>
          {showsError && (
            <span id={blockedNote} className="footer-note">
              Fix what is marked above first.
            </span>
          )}
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            form={formId}
            className="button primary"
            disabled={showsError}
            aria-describedby={showsError ? blockedNote : undefined}
            aria-busy={save.busy || tokenAdd.busy || undefined}
            aria-disabled={save.busy || tokenAdd.busy || unlocking || undefined}
          >
            {save.busy || tokenAdd.busy ? 'Saving…' : editing ? 'Save' : 'Add profile'}
          </button>
        </>
      }
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

        <TextField
          label="Name"
          value={form.name}
          onValue={set('name')}
          onBlur={touch('name')}
          error={visible('name')}
          note="The AWS profile name tools will use (AWS_PROFILE, --profile)."
          inputRef={bind('name')}
          spellCheck={false}
          autoComplete="off"
          data-autofocus
          className="field-name"
        />

        <section className="editor-section" aria-labelledby={certificateHeading}>
          <div className="section-heading">
            <h3 id={certificateHeading}>Certificate and key</h3>
            {!onToken && (
              <button type="button" className="button small" onClick={() => void chooseCertificate()} aria-busy={choose.busy || undefined} aria-disabled={choose.busy || undefined}>
                {certificate || draft ? 'Choose another…' : 'Choose files…'}
              </button>
            )}
          </div>
          {!editing && <ChoiceGroup legend="Key source" name="keySource" value={keySource} choices={KEY_SOURCE} onValue={setKeySource} />}
          {onToken && <TokenKeySource choice={tokenChoice} onChoice={setTokenChoice} missing={submitted} />}
          {!onToken && !certificate && !draft && (
            <p className={submitted && needsCertificate ? 'field-error' : 'muted'}>
              Pick the certificate and its private key (PEM or DER), or one PKCS#12 file (.p12, .pfx).
            </p>
          )}
          {!onToken && locked && draft && (
            <div className="unlock">
              <TextField
                label={`Passphrase for ${draft.sourceFiles.map(fileName).join(', ')}`}
                type="password"
                value={passphrase}
                onValue={setPassphrase}
                autoFocus
                autoComplete="off"
                error={unlockProblem ? `${unlockProblem.message} ${nextStep(unlockProblem)}` : submitted ? 'The key is encrypted: give its passphrase to continue.' : undefined}
                onKeyDown={(event) => {
                  // Enter unlocks the key rather than submitting the whole profile.
                  if (event.key !== 'Enter') return;
                  event.preventDefault();
                  void unlock();
                }}
              />
              <button type="button" className="button" onClick={() => void unlock()} aria-busy={unlocking || undefined} aria-disabled={unlocking || undefined}>
                Unlock
              </button>
            </div>
          )}
          {!onToken && certificate && (
            <DraftSummary
              certificate={certificate}
              chain={draft?.chain ?? profile?.chain ?? []}
              sourceFiles={draft?.sourceFiles}
              problems={draft?.problems}
              warnings={draft?.warnings}
              problemsRef={certificateProblems}
            />
          )}
          {!onToken && draft?.unlocked && <ChoiceGroup legend="Private key" name="keyStorage" value={form.keyStorage} choices={KEY_STORAGE} onValue={set('keyStorage')} />}
          {editing && !draft && (
            <p className="muted">
              Private key:{' '}
              {profile.keyStorage === 'keychain'
                ? 'in the OS keychain.'
                : profile.keyStorage === 'token'
                  ? `on the hardware token (${profile.token?.uri ?? ''}); it never leaves it.`
                  : `read from ${profile.keyPath ?? 'your file'} at each signing.`}
            </p>
          )}
        </section>

        <section className="editor-section">
          <div className="section-heading">
            <h3>Roles Anywhere</h3>
          </div>
          <DiscoveryPanel activeProfiles={activeProfiles} region={regionOfArn(form.trustAnchorArn) ?? ''} onFound={onFound} onProblem={showProblem} />
          <ArnField kind="trust-anchor" label="Trust anchor ARN" pickerLabel="Trust anchor" value={form.trustAnchorArn} onChange={set('trustAnchorArn')} onBlur={touch('trustAnchorArn')} error={visible('trustAnchorArn')} suggestions={anchorSuggestions} inputRef={bind('trustAnchorArn')} />
          <ArnField kind="profile" label="Profile ARN" pickerLabel="Profile" value={form.profileArn} onChange={(arn) => (profileSuggestions.some((option) => option.arn === arn) ? pickProfile(arn) : set('profileArn')(arn))} onBlur={touch('profileArn')} error={visible('profileArn')} suggestions={profileSuggestions} inputRef={bind('profileArn')} />
          <ArnField kind="role" label="Role ARN" pickerLabel="Role" value={form.roleArn} onChange={set('roleArn')} onBlur={touch('roleArn')} error={visible('roleArn')} suggestions={roleSuggestions} inputRef={bind('roleArn')} />
        </section>

        <section className="editor-section">
          <div className="section-heading">
            <h3>Session</h3>
          </div>
          <div className="field-grid">
            <TextField
              label="Duration (seconds)"
              type="number"
              inputMode="numeric"
              min={MIN_DURATION_SECONDS}
              max={MAX_DURATION_SECONDS}
              step={60}
              list={`${formId}-durations`}
              value={form.durationSeconds}
              onValue={set('durationSeconds')}
              onBlur={touch('durationSeconds')}
              error={visible('durationSeconds')}
              hint={sessionHints.durationSeconds}
              suffix={Number.isInteger(durationSeconds) && durationSeconds > 0 ? formatDuration(durationSeconds) : undefined}
              inputRef={bind('durationSeconds')}
            />
            <TextField
              label="Role session name"
              value={form.roleSessionName}
              onValue={set('roleSessionName')}
              onBlur={touch('roleSessionName')}
              error={visible('roleSessionName')}
              hint={sessionHints.roleSessionName}
              placeholder="the certificate serial"
              spellCheck={false}
              inputRef={bind('roleSessionName')}
            />
            <TextField
              label="Region for tools"
              value={form.toolRegion}
              onValue={set('toolRegion')}
              onBlur={touch('toolRegion')}
              error={visible('toolRegion')}
              placeholder="not set"
              note="The region AWS tools use with this profile; none is set when empty."
              spellCheck={false}
              inputRef={bind('toolRegion')}
            />
          </div>
          <datalist id={`${formId}-durations`}>
            {DURATION_PRESETS.map((seconds) => (
              <option key={seconds} value={seconds} label={formatDuration(seconds)} />
            ))}
          </datalist>
          <ChoiceGroup legend="Delivery" name="delivery" value={form.delivery} choices={explain(DELIVERY, form.name.trim())} onValue={set('delivery')} />
          <label className="checkbox">
            <input type="checkbox" checked={form.autoRefresh} onChange={(event) => set('autoRefresh')(event.target.checked)} />
            Refresh the session before it expires
          </label>
        </section>

        <details
          className="editor-section advanced"
          open={advancedOpen}
          onToggle={(event) => {
            const details = event.currentTarget;
            if (details.open && advancedClicked.current) details.scrollIntoView({ block: 'nearest' });
            advancedClicked.current = false;
          }}
        >
          <summary
            onClick={() => {
              advancedClicked.current = true;
            }}
          >
            Advanced
          </summary>
          <div className="field-grid">
            <TextField
              label="Signing region"
              value={form.signingRegion}
              onValue={set('signingRegion')}
              onBlur={touch('signingRegion')}
              error={visible('signingRegion')}
              hint={hints.signingRegion}
              placeholder={regionOfArn(form.trustAnchorArn) ?? 'from the trust anchor'}
              note="Roles Anywhere's region; taken from the trust anchor ARN unless set."
              spellCheck={false}
              inputRef={bind('signingRegion')}
            />
            <TextField
              label="Endpoint"
              value={form.endpoint}
              onValue={set('endpoint')}
              onBlur={touch('endpoint')}
              error={visible('endpoint')}
              placeholder="https://rolesanywhere.REGION.amazonaws.com"
              note="For VPC endpoints or a local sandbox."
              spellCheck={false}
              inputRef={bind('endpoint')}
              className="field-wide"
            />
          </div>
        </details>
      </form>
      {tokenAdd.prompt}
    </Dialog>
  );
}
