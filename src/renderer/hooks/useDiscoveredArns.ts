// What discovery found, for the profile editor's ARN fields: trust anchors, profiles and roles offered
// by name, and the only choice filled in where there is one.
import { useMemo, useState, type Dispatch, type SetStateAction } from 'react';
import type { CertificateSummary, Discovery, DiscoveredProfile } from '../../shared/model';
import { anchorOptions, preselectedAnchor, profileOptions, roleOptions, type PickerOption } from '../format/discovery-picks';
import type { ProfileForm } from '../format/profile-form';

export interface DiscoveredArns {
  readonly discovery: Discovery | undefined;
  /** The discovered profile the form's profile ARN names. */
  readonly discoveredProfile: DiscoveredProfile | undefined;
  readonly anchorSuggestions: readonly PickerOption[];
  readonly profileSuggestions: readonly PickerOption[];
  readonly roleSuggestions: readonly PickerOption[];
  /** Sets the profile ARN; one picked by name brings its one role along. */
  readonly pickProfile: (arn: string) => void;
  /** Takes what discovery found (through `endpoint` when not the public one) into the form. */
  readonly takeFound: (found: Discovery, endpoint?: string) => void;
}

export function useDiscoveredArns(
  form: ProfileForm,
  setForm: Dispatch<SetStateAction<ProfileForm>>,
  certificate: CertificateSummary | undefined,
  chain: readonly CertificateSummary[],
): DiscoveredArns {
  const [discovery, setDiscovery] = useState<Discovery>();
  const discoveredProfile = discovery?.profiles.find((candidate) => candidate.arn === form.profileArn.trim());
  const anchorSuggestions = useMemo(() => anchorOptions(discovery, certificate, chain), [discovery, certificate, chain]);
  const profileSuggestions = useMemo(() => profileOptions(discovery), [discovery]);
  const roleSuggestions = useMemo(() => roleOptions(discovery, form.profileArn), [discovery, form.profileArn]);

  // Picking a profile by name brings its one role along, as discovery does for a region's one profile.
  const pickProfile = (arn: string) =>
    setForm((current) => {
      const roles = discovery?.profiles.find((candidate) => candidate.arn === arn)?.roleArns ?? [];
      const roleArn = roles.length === 1 && !roles.includes(current.roleArn.trim()) ? (roles[0] ?? current.roleArn) : current.roleArn;
      return { ...current, profileArn: arn, roleArn };
    });

  const takeFound = (found: Discovery, endpoint?: string) => {
    setDiscovery(found);
    // One choice is no choice: fill it in, but never overwrite what the user typed.
    setForm((current) => {
      // The anchor the certificate chains to (or the only one) is preselected.
      const anchor = current.trustAnchorArn.trim() === '' ? preselectedAnchor(anchorOptions(found, certificate, chain)) : undefined;
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

  return { discovery, discoveredProfile, anchorSuggestions, profileSuggestions, roleSuggestions, pickProfile, takeFound };
}
