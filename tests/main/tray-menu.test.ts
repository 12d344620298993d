import { describe, expect, it } from 'vitest';
import { trayCommand } from '../../src/main/tray-actions';
import { trayIconVariant, trayMenu, trayTooltip, type TrayMenuItem } from '../../src/main/tray-menu';
import { ERRORS } from '../../src/shared/errors';
import { appState, minutesFromNow, NOW, profileView } from './views';

const throttled = { code: 'THROTTLED' as const, message: ERRORS.THROTTLED.message, next: ERRORS.THROTTLED.next };

const labels = (items: readonly TrayMenuItem[]) => items.map((item) => item.label ?? '---');
const find = (items: readonly TrayMenuItem[], label: string) => {
  const item = items.find((candidate) => candidate.label === label);
  if (!item) throw new Error(`no item ${label} in ${labels(items).join(' | ')}`);
  return item;
};

describe('trayMenu', () => {
  const state = appState([
    profileView('dev', { status: 'active', expiresAt: minutesFromNow(42.5) }),
    profileView('prod', { status: 'failed', lastError: throttled }),
    profileView('ci'),
    profileView('stage', { status: 'refreshing', expiresAt: minutesFromNow(125) }),
    profileView('old', { status: 'expired', expiresAt: minutesFromNow(-5) }),
    profileView('late', { status: 'failed', lastError: { ...throttled, code: 'ACCESS_DENIED' }, expiresAt: minutesFromNow(12) }),
    profileView('new', { status: 'activating' }),
  ]);
  const menu = trayMenu(state, NOW);

  it('shows one line per profile with its status and time left', () => {
    expect(labels(menu).slice(0, 7)).toEqual([
      'dev — active, 42 min left',
      'prod — failed: throttled',
      'ci — inactive',
      'stage — refreshing, 2 h 5 min left',
      'old — expired',
      'late — failed: access denied, 12 min left',
      'new — activating…',
    ]);
  });

  it('toggles a profile with a click: off when it is on, on when it is off or expired', () => {
    const actions = menu.slice(0, 7).map((item) => [item.checked, item.action]);
    expect(actions).toEqual([
      [true, { kind: 'deactivate', name: 'dev' }],
      [true, { kind: 'deactivate', name: 'prod' }],
      [false, { kind: 'activate', name: 'ci' }],
      [true, { kind: 'deactivate', name: 'stage' }],
      [false, { kind: 'activate', name: 'old' }],
      [true, { kind: 'deactivate', name: 'late' }],
      [true, { kind: 'deactivate', name: 'new' }],
    ]);
  });

  it('offers refresh and env copies per profile, with the default shell first', () => {
    const fishState = appState([profileView('dev', { status: 'active', expiresAt: minutesFromNow(30) }), profileView('ci')], { defaultShell: 'fish' });
    const actions = find(trayMenu(fishState, NOW), 'Profile actions');
    expect(labels(actions.submenu ?? [])).toEqual(['dev', 'ci']);
    const dev = find(actions.submenu ?? [], 'dev').submenu ?? [];
    expect(labels(dev)).toEqual(['Refresh now', 'Open AWS console', '---', 'Copy env for fish', 'Copy env for bash', 'Copy env for zsh', 'Copy env for powershell', 'Copy env for cmd']);
    expect(find(dev, 'Refresh now')).toMatchObject({ enabled: true, action: { kind: 'refresh', name: 'dev' } });
    expect(find(dev, 'Copy env for powershell').action).toEqual({ kind: 'copyEnv', name: 'dev', shell: 'powershell' });
    const ci = find(actions.submenu ?? [], 'ci').submenu ?? [];
    expect(find(ci, 'Refresh now').enabled).toBe(false);
  });

  it('offers the AWS console for a profile whose session still works, and not for one without', () => {
    const state = appState([
      profileView('dev', { status: 'active', expiresAt: minutesFromNow(30) }),
      profileView('stale', { status: 'failed', expiresAt: minutesFromNow(5) }),
      profileView('gone', { status: 'expired', expiresAt: minutesFromNow(-5) }),
      profileView('ci'),
    ]);
    const actions = find(trayMenu(state, NOW), 'Profile actions').submenu ?? [];
    const consoleItem = (name: string) => find(find(actions, name).submenu ?? [], 'Open AWS console');
    expect(consoleItem('dev')).toMatchObject({ enabled: true, action: { kind: 'console', name: 'dev' } });
    expect(consoleItem('stale').enabled).toBe(true);
    expect(consoleItem('gone').enabled).toBe(false);
    expect(consoleItem('ci').enabled).toBe(false);
    expect(trayCommand({ kind: 'console', name: 'dev' })).toEqual({ kind: 'operation', operation: 'console.open', input: { name: 'dev' } });
  });

  it('notes an expiring or expired certificate inside the profile\'s submenu', () => {
    const certState = appState([
      profileView('soon', { certificateState: 'expiring', certificateDaysLeft: 1 }),
      profileView('gone', { certificateState: 'expired', certificateDaysLeft: -3 }),
    ]);
    const actions = find(trayMenu(certState, NOW), 'Profile actions').submenu ?? [];
    expect(find(find(actions, 'soon').submenu ?? [], 'Certificate expires in 1 day').enabled).toBe(false);
    expect(labels(find(actions, 'gone').submenu ?? [])).toContain('Certificate expired');
  });

  it('ends with Refresh all, Open Rolecall and Quit', () => {
    expect(labels(menu).slice(-5)).toEqual(['Profile actions', 'Refresh all', 'Open Rolecall', '---', 'Quit Rolecall']);
    expect(find(menu, 'Refresh all')).toMatchObject({ enabled: true, action: { kind: 'refreshAll' } });
    expect(find(menu, 'Open Rolecall').action).toEqual({ kind: 'open' });
    expect(find(menu, 'Quit Rolecall').action).toEqual({ kind: 'quit' });
  });

  it('without profiles, says so and offers to open the window', () => {
    const empty = trayMenu(appState([]), NOW);
    expect(labels(empty)).toEqual(['No profiles yet', '---', 'Refresh all', 'Open Rolecall to add a profile', '---', 'Quit Rolecall']);
    expect(find(empty, 'No profiles yet').enabled).toBe(false);
    expect(find(empty, 'Refresh all').enabled).toBe(false);
  });

  it('disables Refresh all when no profile has a session', () => {
    expect(find(trayMenu(appState([profileView('ci')]), NOW), 'Refresh all').enabled).toBe(false);
  });

  it('is plain data that survives a JSON round trip', () => {
    expect(JSON.parse(JSON.stringify(menu))).toEqual(menu);
  });
});

describe('trayTooltip', () => {
  it('names the profile that expires soonest', () => {
    const state = appState([
      profileView('dev', { status: 'active', expiresAt: minutesFromNow(42) }),
      profileView('stage', { status: 'refreshing', expiresAt: minutesFromNow(7) }),
      profileView('ci'),
    ]);
    expect(trayTooltip(state, NOW)).toBe('Rolecall — 2 active, stage expires in 7 min');
  });

  it('puts problems first', () => {
    const state = appState([profileView('prod', { status: 'failed', lastError: throttled }), profileView('dev', { status: 'active', expiresAt: minutesFromNow(90) })]);
    expect(trayTooltip(state, NOW)).toBe('Rolecall — 1 needs attention (prod); 1 active, dev expires in 1 h 30 min');
  });

  it('says when nothing is active, or there is nothing at all', () => {
    expect(trayTooltip(appState([profileView('ci')]), NOW)).toBe('Rolecall — no active profile');
    expect(trayTooltip(appState([]), NOW)).toBe('Rolecall — no profiles yet');
  });

  it('stays within the 127 characters Windows shows', () => {
    const many = appState(Array.from({ length: 30 }, (_, i) => profileView(`profile-number-${i}`, { status: 'expired' })));
    const text = trayTooltip(many, NOW);
    expect(text.length).toBeLessThanOrEqual(127);
    expect(text.endsWith('…')).toBe(true);
  });
});

describe('trayIconVariant', () => {
  it('is idle with nothing on, active with a session, problem when one failed or expired', () => {
    expect(trayIconVariant(appState([profileView('ci')]))).toBe('idle');
    expect(trayIconVariant(appState([]))).toBe('idle');
    expect(trayIconVariant(appState([profileView('ci'), profileView('dev', { status: 'active' })]))).toBe('active');
    expect(trayIconVariant(appState([profileView('dev', { status: 'active' }), profileView('prod', { status: 'failed', lastError: throttled })]))).toBe('problem');
    expect(trayIconVariant(appState([profileView('old', { status: 'expired' })]))).toBe('problem');
  });

  it('flags an active profile whose certificate expired, but not an inactive one', () => {
    expect(trayIconVariant(appState([profileView('dev', { status: 'active', certificateState: 'expired' })]))).toBe('problem');
    expect(trayIconVariant(appState([profileView('ci', { certificateState: 'expired' })]))).toBe('idle');
  });
});
