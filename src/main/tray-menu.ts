// What the tray shows, as plain data: a menu template whose items carry actions instead of click
// functions, a tooltip and an icon variant. tray.ts turns it into Electron's Menu; these builders are
// pure so every label and enabled state is unit-tested.
import type { AppState, ProfileView, Shell } from '../shared/model';
import { SHELLS } from '../shared/model';
import { duration, timeLeft } from './time-left';

export type TrayAction =
  | { readonly kind: 'activate'; readonly name: string }
  | { readonly kind: 'deactivate'; readonly name: string }
  | { readonly kind: 'refresh'; readonly name: string }
  | { readonly kind: 'copyEnv'; readonly name: string; readonly shell: Shell }
  | { readonly kind: 'console'; readonly name: string }
  | { readonly kind: 'refreshAll' }
  | { readonly kind: 'open' }
  | { readonly kind: 'quit' };

export interface TrayMenuItem {
  readonly label?: string;
  readonly type?: 'normal' | 'separator' | 'submenu' | 'checkbox';
  readonly enabled?: boolean;
  readonly checked?: boolean;
  readonly submenu?: readonly TrayMenuItem[];
  readonly action?: TrayAction;
}

export type TrayIconVariant = 'idle' | 'active' | 'problem';

const SEPARATOR: TrayMenuItem = { type: 'separator' };
/** Windows cuts tray tooltips at 127 characters. */
const MAX_TOOLTIP = 127;

export function trayMenu(state: AppState, now: number): TrayMenuItem[] {
  const { profiles } = state;
  const items: TrayMenuItem[] = profiles.length === 0 ? [{ label: 'No profiles yet', enabled: false }] : profiles.map((profile) => profileLine(profile, now));
  items.push(SEPARATOR);
  if (profiles.length > 0) {
    items.push({ label: 'Profile actions', type: 'submenu', submenu: profiles.map((profile) => profileActions(profile, state.settings.defaultShell)) });
  }
  items.push(
    { label: 'Refresh all', enabled: profiles.some(hasSession), action: { kind: 'refreshAll' } },
    { label: profiles.length === 0 ? 'Open Rolecall to add a profile' : 'Open Rolecall', action: { kind: 'open' } },
    SEPARATOR,
    { label: 'Quit Rolecall', action: { kind: 'quit' } },
  );
  return items;
}

/** "dev — active, 42 min left"; a click turns the profile on or off. */
function profileLine(profile: ProfileView, now: number): TrayMenuItem {
  const on = isOn(profile);
  return {
    label: `${profile.name} — ${statusText(profile, now)}`,
    type: 'checkbox',
    checked: on,
    action: { kind: on ? 'deactivate' : 'activate', name: profile.name },
  };
}

export function statusText(profile: ProfileView, now: number): string {
  const left = profile.expiresAt === undefined ? undefined : Date.parse(profile.expiresAt) - now;
  switch (profile.status) {
    case 'active':
    case 'refreshing':
      return left === undefined ? profile.status : `${profile.status}, ${timeLeft(left)}`;
    case 'activating':
      return 'activating…';
    case 'failed': {
      const reason = `failed: ${reasonOf(profile)}`;
      // The last good credentials stay in use until they expire: say how long that is.
      return left !== undefined && left > 0 ? `${reason}, ${timeLeft(left)}` : reason;
    }
    case 'expired':
    case 'inactive':
      return profile.status;
  }
}

/** THROTTLED → "throttled", ACCESS_DENIED → "access denied". */
function reasonOf(profile: ProfileView): string {
  return profile.lastError ? profile.lastError.code.toLowerCase().replace(/_/g, ' ') : 'unknown error';
}

function profileActions(profile: ProfileView, defaultShell: Shell): TrayMenuItem {
  const shells = [defaultShell, ...SHELLS.filter((shell) => shell !== defaultShell)];
  const submenu: TrayMenuItem[] = [
    { label: 'Refresh now', enabled: hasSession(profile), action: { kind: 'refresh', name: profile.name } },
    { label: 'Open AWS console', enabled: hasLiveSession(profile), action: { kind: 'console', name: profile.name } },
    SEPARATOR,
    ...shells.map((shell): TrayMenuItem => ({ label: `Copy env for ${shell}`, action: { kind: 'copyEnv', name: profile.name, shell } })),
  ];
  const certificate = certificateNote(profile);
  if (certificate) submenu.push(SEPARATOR, { label: certificate, enabled: false });
  return { label: profile.name, type: 'submenu', submenu };
}

function certificateNote(profile: ProfileView): string | undefined {
  switch (profile.certificateState) {
    case 'expiring':
      return `Certificate expires in ${profile.certificateDaysLeft} ${profile.certificateDaysLeft === 1 ? 'day' : 'days'}`;
    case 'expired':
      return 'Certificate expired';
    case 'not-yet-valid':
      return 'Certificate not valid yet';
    case 'ok':
      return undefined;
  }
}

/** "Rolecall — 1 failed (prod); 2 active, dev expires in 42 min". */
export function trayTooltip(state: AppState, now: number): string {
  const { profiles } = state;
  if (profiles.length === 0) return 'Rolecall — no profiles yet';
  const parts: string[] = [];
  const problems = profiles.filter(hasProblem);
  if (problems.length > 0) parts.push(`${problems.length} ${problems.length === 1 ? 'needs' : 'need'} attention (${problems.map((p) => p.name).join(', ')})`);
  const active = profiles.filter((profile) => profile.status === 'active' || profile.status === 'refreshing');
  const soonest = soonestExpiry(profiles, now);
  if (active.length > 0 || soonest) {
    parts.push([`${active.length} active`, soonest && `${soonest.name} expires in ${duration(soonest.left)}`].filter(Boolean).join(', '));
  }
  if (parts.length === 0) parts.push('no active profile');
  const text = `Rolecall — ${parts.join('; ')}`;
  return text.length <= MAX_TOOLTIP ? text : `${text.slice(0, MAX_TOOLTIP - 1)}…`;
}

function soonestExpiry(profiles: readonly ProfileView[], now: number): { name: string; left: number } | undefined {
  let soonest: { name: string; left: number } | undefined;
  for (const profile of profiles) {
    if (profile.expiresAt === undefined || !hasSession(profile)) continue;
    const left = Date.parse(profile.expiresAt) - now;
    if (left > 0 && (soonest === undefined || left < soonest.left)) soonest = { name: profile.name, left };
  }
  return soonest;
}

export function trayIconVariant(state: AppState): TrayIconVariant {
  if (state.profiles.some(hasProblem)) return 'problem';
  return state.profiles.some(isOn) ? 'active' : 'idle';
}

/** Switched on from the user's point of view: a click should switch it off. */
function isOn(profile: ProfileView): boolean {
  return profile.status !== 'inactive' && profile.status !== 'expired';
}

/** Holds a session that still works now: what a console sign-in is made from. */
function hasLiveSession(profile: ProfileView): boolean {
  return profile.status === 'active' || profile.status === 'refreshing' || (profile.status === 'failed' && profile.expiresAt !== undefined);
}

/** Has (or had) a session the agent keeps refreshing. */
function hasSession(profile: ProfileView): boolean {
  return profile.status === 'active' || profile.status === 'refreshing' || profile.status === 'failed' || profile.status === 'expired';
}

function hasProblem(profile: ProfileView): boolean {
  return profile.status === 'failed' || profile.status === 'expired' || (isOn(profile) && profile.certificateState === 'expired');
}
