// What a profile's status means for the controls of its row.
import type { ProfileStatus } from '../../shared/model';

export const STATUS_LABEL: Record<ProfileStatus, string> = {
  inactive: 'Off',
  activating: 'Activating',
  active: 'Active',
  refreshing: 'Refreshing',
  failed: 'Failed',
  expired: 'Expired',
};

/**
 * The switch shows what the user asked for: a failed or expired profile is still switched on (the agent
 * keeps retrying), and switching it off withdraws what was delivered.
 */
export function isSwitchedOn(status: ProfileStatus): boolean {
  return status !== 'inactive';
}

/** Statuses during which the agent is working on the profile. */
export function isWorking(status: ProfileStatus): boolean {
  return status === 'activating' || status === 'refreshing';
}
