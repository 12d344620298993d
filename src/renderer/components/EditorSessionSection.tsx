// The profile editor's "Session" section: how long a session lasts and what it is called, the region
// tools use, how the session is delivered, and whether it is refreshed before it expires.
import type { DiscoveredProfile } from '../../shared/model';
import { MAX_DURATION_SECONDS, MIN_DURATION_SECONDS, type ProfileForm } from '../format/profile-form';
import { formatDuration } from '../format/time';
import type { ProfileFormState } from '../hooks/useProfileForm';
import { ChoiceGroup, TextField, type Choice } from './Fields';

const DELIVERY: readonly Choice<ProfileForm['delivery']>[] = [
  { value: 'file', label: 'Credentials file', explanation: 'Writes the session to [NAME] in ~/.aws/credentials and rewrites it on refresh; every AWS tool reads it.' },
  { value: 'process', label: 'Credential process', explanation: 'Adds credential_process to [profile NAME] in ~/.aws/config; tools ask Rolecall for keys, nothing secret on disk.' },
];

const DURATION_PRESETS = [900, 3600, 14_400, 28_800, 43_200];

const explain = (choices: readonly Choice<ProfileForm['delivery']>[], name: string) =>
  choices.map((choice) => ({ ...choice, explanation: choice.explanation.replace('NAME', name || 'NAME') }));

interface EditorSessionSectionProps {
  readonly fields: ProfileFormState;
  /** The discovered profile the form names, whose limits the fields are checked against. */
  readonly discoveredProfile: DiscoveredProfile | undefined;
  /** Unique in the page: the duration presets' list is named after it. */
  readonly idPrefix: string;
}

export function EditorSessionSection({ fields, discoveredProfile, idPrefix }: EditorSessionSectionProps) {
  const { form, set } = fields;
  const durationSeconds = Number(form.durationSeconds);
  const durationHint =
    discoveredProfile?.durationSeconds !== undefined && durationSeconds > discoveredProfile.durationSeconds
      ? `This profile allows at most ${formatDuration(discoveredProfile.durationSeconds)}.`
      : undefined;
  const sessionNameHint =
    discoveredProfile && !discoveredProfile.acceptRoleSessionName && form.roleSessionName.trim() !== ''
      ? 'This profile does not accept a role session name; Roles Anywhere will refuse it.'
      : undefined;
  const presets = `${idPrefix}-durations`;
  return (
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
          list={presets}
          {...fields.field('durationSeconds')}
          hint={durationHint}
          suffix={Number.isInteger(durationSeconds) && durationSeconds > 0 ? formatDuration(durationSeconds) : undefined}
        />
        <TextField label="Role session name" {...fields.field('roleSessionName')} hint={sessionNameHint} placeholder="the certificate serial" spellCheck={false} />
        <TextField label="Region for tools" {...fields.field('toolRegion')} placeholder="not set" note="The region AWS tools use with this profile; none is set when empty." spellCheck={false} />
      </div>
      <datalist id={presets}>
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
  );
}
