// The profile editor's "Roles Anywhere" section: the trust anchor, profile and role ARNs, typed or
// picked from what discovery found.
import type { Discovery, ProblemView, ProfileView } from '../../shared/model';
import { regionOfArn } from '../format/arn';
import type { DiscoveredArns } from '../hooks/useDiscoveredArns';
import type { ProfileFormState } from '../hooks/useProfileForm';
import { ArnField } from './ArnField';
import { DiscoveryPanel } from './DiscoveryPanel';

interface EditorArnsSectionProps {
  readonly fields: ProfileFormState;
  readonly discovered: DiscoveredArns;
  /** Profiles whose session discovery can list with. */
  readonly activeProfiles: readonly ProfileView[];
  readonly onFound: (found: Discovery, endpoint?: string) => void;
  readonly onProblem: (problem: ProblemView) => void;
}

export function EditorArnsSection({ fields, discovered, activeProfiles, onFound, onProblem }: EditorArnsSectionProps) {
  const trustAnchor = fields.field('trustAnchorArn');
  const profile = fields.field('profileArn');
  const role = fields.field('roleArn');
  const { profileSuggestions } = discovered;
  return (
    <section className="editor-section">
      <div className="section-heading">
        <h3>Roles Anywhere</h3>
      </div>
      <DiscoveryPanel activeProfiles={activeProfiles} region={regionOfArn(fields.form.trustAnchorArn) ?? ''} onFound={onFound} onProblem={onProblem} />
      <ArnField kind="trust-anchor" label="Trust anchor ARN" pickerLabel="Trust anchor" value={trustAnchor.value} onChange={trustAnchor.onValue} onBlur={trustAnchor.onBlur} error={trustAnchor.error} suggestions={discovered.anchorSuggestions} inputRef={trustAnchor.inputRef} />
      <ArnField
        kind="profile"
        label="Profile ARN"
        pickerLabel="Profile"
        value={profile.value}
        onChange={(arn) => (profileSuggestions.some((option) => option.arn === arn) ? discovered.pickProfile(arn) : profile.onValue(arn))}
        onBlur={profile.onBlur}
        error={profile.error}
        suggestions={profileSuggestions}
        inputRef={profile.inputRef}
      />
      <ArnField kind="role" label="Role ARN" pickerLabel="Role" value={role.value} onChange={role.onValue} onBlur={role.onBlur} error={role.error} suggestions={discovered.roleSuggestions} inputRef={role.inputRef} />
    </section>
  );
}
