// The tray as a small service around injected Electron factories: it turns the pure template from
// tray-menu.ts into menu items whose clicks run actions, and sets the icon and tooltip.
import type { MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import type { AppState } from '../shared/model';
import { trayIconVariant, trayMenu, trayTooltip, type TrayAction, type TrayIconVariant, type TrayMenuItem } from './tray-menu';

/** The part of Electron's Tray the service uses. */
export interface TrayLike {
  setContextMenu(menu: unknown): void;
  setToolTip(text: string): void;
  setImage(path: string): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
}

export interface TrayServiceOptions {
  createTray(iconPath: string): TrayLike;
  /** Menu.buildFromTemplate. */
  buildMenu(template: MenuItemConstructorOptions[]): unknown;
  iconPath(variant: TrayIconVariant): string;
  onAction(action: TrayAction): void;
}

export interface TrayService {
  update(state: AppState, now: number): void;
  destroy(): void;
}

export function createTrayService(options: TrayServiceOptions): TrayService {
  let tray: TrayLike | undefined;
  let shown = { menu: '', tooltip: '', icon: '' };
  return {
    update(state, now) {
      const items = trayMenu(state, now);
      const next = { menu: JSON.stringify(items), tooltip: trayTooltip(state, now), icon: options.iconPath(trayIconVariant(state)) };
      if (tray === undefined) {
        tray = options.createTray(next.icon);
        // Windows and macOS report a click on the icon itself; Linux shows the menu only.
        tray.on('click', () => options.onAction({ kind: 'open' }));
      } else if (next.icon !== shown.icon) {
        tray.setImage(next.icon);
      }
      if (next.tooltip !== shown.tooltip) tray.setToolTip(next.tooltip);
      // Setting an equal menu again would close it under the user's pointer on some desktops.
      if (next.menu !== shown.menu) tray.setContextMenu(options.buildMenu(menuTemplate(items, options.onAction)));
      shown = next;
    },
    destroy() {
      tray?.destroy();
      tray = undefined;
      shown = { menu: '', tooltip: '', icon: '' };
    },
  };
}

export function menuTemplate(items: readonly TrayMenuItem[], onAction: (action: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((item) => {
    const { action, submenu, ...rest } = item;
    const options: MenuItemConstructorOptions = { ...rest };
    if (submenu) options.submenu = menuTemplate(submenu, onAction);
    if (action) options.click = () => onAction(action);
    return options;
  });
}

/** macOS gets black-and-alpha template images it tints itself; other systems coloured circles. */
export function trayIconPath(iconsDir: string, platform: NodeJS.Platform, variant: TrayIconVariant): string {
  if (platform === 'darwin') {
    const name = { idle: 'trayTemplate', active: 'trayActiveTemplate', problem: 'trayProblemTemplate' }[variant];
    return join(iconsDir, `${name}.png`);
  }
  return join(iconsDir, `tray-${variant}.png`);
}
