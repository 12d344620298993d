// What a row of the list asks the window for: a dialog about the profile, the AWS console in the
// browser, or another shell for the copied commands (saved as the default at once).
import { useCallback, useRef } from 'react';
import type { ProfileView, Settings, Shell } from '../../shared/model';
import { useBanners } from './banners';
import { useAction } from './useAction';
import type { Overlay } from './useWindowOverlay';

export interface ListActions {
  readonly onEdit: (profile: ProfileView) => void;
  readonly onRemove: (profile: ProfileView) => void;
  readonly onOpen: (profile: ProfileView) => void;
  readonly onOpenConsole: (profile: ProfileView) => void;
  readonly onShellChange: (shell: Shell) => void;
}

export function useListActions(open: (overlay: Overlay) => void, settings: Settings, setSettings: (settings: Settings) => void): ListActions {
  const { showNotice } = useBanners();
  const settingsRef = useRef(settings);
  settingsRef.current = settings;
  const runShellChange = useAction('Settings').run;
  // Shown at once, taken back if the agent refuses it.
  const onShellChange = useCallback(
    (shell: Shell) => {
      const before = settingsRef.current;
      if (before.defaultShell === shell) return;
      setSettings({ ...before, defaultShell: shell });
      void runShellChange((api) => api.settings.set({ defaultShell: shell })).then((saved) => setSettings(saved ?? before));
    },
    [setSettings, runShellChange],
  );
  const onEdit = useCallback((profile: ProfileView) => open({ kind: 'edit', profile }), [open]);
  const onRemove = useCallback((profile: ProfileView) => open({ kind: 'remove', profile }), [open]);
  const onOpen = useCallback((profile: ProfileView) => open({ kind: 'details', name: profile.name }), [open]);
  const runConsole = useAction('AWS console').run;
  // The sign-in URL goes from the agent to the browser; the window only hears that it was opened.
  const onOpenConsole = useCallback(
    (profile: ProfileView) => {
      void runConsole((api) => api.console.open({ name: profile.name })).then((opened) => {
        if (opened) showNotice(`Opened the AWS console for ${profile.name} in your browser.`);
      });
    },
    [runConsole, showNotice],
  );
  return { onEdit, onRemove, onOpen, onOpenConsole, onShellChange };
}
