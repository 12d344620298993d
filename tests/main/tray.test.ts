import type { MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTrayService, menuTemplate, trayIconPath } from '../../src/main/tray';
import type { TrayAction } from '../../src/main/tray-menu';
import { appState, minutesFromNow, NOW, profileView } from './views';

function fakeTray() {
  const calls: string[] = [];
  let clickListener: (() => void) | undefined;
  const menus: MenuItemConstructorOptions[][] = [];
  const actions: TrayAction[] = [];
  const service = createTrayService({
    createTray: (icon) => {
      calls.push(`create ${icon}`);
      return {
        setContextMenu: (menu) => {
          calls.push('menu');
          menus.push(menu as MenuItemConstructorOptions[]);
        },
        setToolTip: (text) => calls.push(`tooltip ${text}`),
        setImage: (path) => calls.push(`image ${path}`),
        on: (_event, listener) => (clickListener = listener),
        destroy: () => calls.push('destroy'),
      };
    },
    buildMenu: (template) => template,
    iconPath: (variant) => `/icons/${variant}.png`,
    onAction: (action) => actions.push(action),
  });
  return { service, calls, menus, actions, click: () => clickListener?.() };
}

const click = (item: MenuItemConstructorOptions | undefined) => (item?.click as (() => void) | undefined)?.();

describe('createTrayService', () => {
  it('creates the tray with the icon for the state, then sets tooltip and menu', () => {
    const { service, calls } = fakeTray();
    service.update(appState([profileView('dev', { status: 'active', expiresAt: minutesFromNow(10) })]), NOW);
    expect(calls).toEqual(['create /icons/active.png', 'tooltip Rolecall — 1 active, dev expires in 10 min', 'menu']);
  });

  it('runs the action of a clicked item, in submenus too', () => {
    const { service, menus, actions } = fakeTray();
    service.update(appState([profileView('dev', { status: 'active', expiresAt: minutesFromNow(10) })]), NOW);
    const menu = menus[0] ?? [];
    click(menu[0]);
    const profileActions = menu.find((item) => item.label === 'Profile actions')?.submenu as MenuItemConstructorOptions[];
    const dev = profileActions[0]?.submenu as MenuItemConstructorOptions[];
    click(dev.find((item) => item.label === 'Copy env for zsh'));
    click(menu.find((item) => item.label === 'Quit Rolecall'));
    expect(actions).toEqual([{ kind: 'deactivate', name: 'dev' }, { kind: 'copyEnv', name: 'dev', shell: 'zsh' }, { kind: 'quit' }]);
    expect(menu.find((item) => item.type === 'separator')?.click).toBeUndefined();
  });

  it('opens the window when the icon itself is clicked', () => {
    const { service, actions, click: clickIcon } = fakeTray();
    service.update(appState([]), NOW);
    clickIcon();
    expect(actions).toEqual([{ kind: 'open' }]);
  });

  it('changes only what changed: same state sets nothing, a new status swaps icon, tooltip and menu', () => {
    const { service, calls } = fakeTray();
    const idle = appState([profileView('dev')]);
    service.update(idle, NOW);
    calls.length = 0;
    service.update(idle, NOW + 1000);
    expect(calls).toEqual([]);
    service.update(appState([profileView('dev', { status: 'failed', lastError: { code: 'NETWORK', message: 'm', next: 'n' } })]), NOW);
    expect(calls).toEqual(['image /icons/problem.png', 'tooltip Rolecall — 1 needs attention (dev)', 'menu']);
  });

  it('creates a new tray after destroy', () => {
    const { service, calls } = fakeTray();
    service.update(appState([]), NOW);
    service.destroy();
    service.update(appState([]), NOW);
    expect(calls.filter((call) => call.startsWith('create') || call === 'destroy')).toEqual(['create /icons/idle.png', 'destroy', 'create /icons/idle.png']);
  });
});

describe('menuTemplate', () => {
  it('keeps labels, types and states, and drops the action data', () => {
    const template = menuTemplate([{ label: 'A', type: 'checkbox', checked: true, enabled: false, action: { kind: 'open' } }], () => undefined);
    expect(template[0]).toMatchObject({ label: 'A', type: 'checkbox', checked: true, enabled: false });
    expect(template[0]).not.toHaveProperty('action');
  });
});

describe('trayIconPath', () => {
  it('uses template images on macOS and coloured icons elsewhere', () => {
    expect(trayIconPath('/i', 'darwin', 'idle')).toBe(join('/i', 'trayTemplate.png'));
    expect(trayIconPath('/i', 'darwin', 'problem')).toBe(join('/i', 'trayProblemTemplate.png'));
    expect(trayIconPath('/i', 'linux', 'active')).toBe(join('/i', 'tray-active.png'));
    expect(trayIconPath('/i', 'win32', 'idle')).toBe(join('/i', 'tray-idle.png'));
  });
});
