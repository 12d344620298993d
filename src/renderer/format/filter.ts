// The filter box: every word must match somewhere in the row (name, status, region, short names...).
import type { ProfileView } from '../../shared/model';
import { arnShortName } from './arn';
import { STATUS_LABEL } from './status';

function haystack(profile: ProfileView): string {
  return [
    profile.name,
    profile.status,
    STATUS_LABEL[profile.status],
    profile.signingRegion,
    profile.toolRegion ?? '',
    profile.delivery,
    profile.trustAnchorArn,
    profile.profileArn,
    profile.roleArn,
    arnShortName(profile.roleArn),
  ]
    .join('\n')
    .toLowerCase();
}

export function filterProfiles(profiles: readonly ProfileView[], query: string): readonly ProfileView[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return profiles;
  return profiles.filter((profile) => {
    const text = haystack(profile);
    return words.every((word) => text.includes(word));
  });
}
