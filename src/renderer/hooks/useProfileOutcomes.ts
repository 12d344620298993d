// What the window does once a profile was added, saved, removed, imported or set up: the list takes the
// change at once (without waiting for the agent's event), a notice says what happened, and focus goes to
// the row the user will want next.
import type { ImportResult, ProfileView } from '../../shared/model';
import { isSwitchedOn } from '../format/status';
import { useBanners } from './banners';
import { useAction } from './useAction';
import type { AppStateView } from './useAppState';
import type { WindowOverlay } from './useWindowOverlay';

export interface ProfileOutcomes {
  readonly startSandbox: () => Promise<void>;
  readonly sandboxBusy: boolean;
  readonly confirmRemove: (profile: ProfileView) => Promise<void>;
  readonly removing: boolean;
  /** `previousName`: the profile was edited (and maybe renamed), not added. */
  readonly onSaved: (profile: ProfileView, previousName?: string) => void;
  readonly onImported: (result: ImportResult) => void;
  readonly onSetUp: (profile: ProfileView) => void;
}

/** `visible`: the rows the list shows, in its order. */
export function useProfileOutcomes(state: AppStateView, visible: readonly ProfileView[], overlays: WindowOverlay, clearFilter: () => void): ProfileOutcomes {
  const { showNotice } = useBanners();
  const { upsert, remove, reload } = state;
  const { overlay, close, requestFocus } = overlays;
  const sandbox = useAction('Sandbox');
  const removal = useAction(overlay?.kind === 'remove' ? overlay.profile.name : undefined);

  const startSandbox = async () => {
    const demo = await sandbox.run((api) => api.sandbox.startDemo({}));
    if (!demo) return;
    upsert(demo);
    clearFilter();
    requestFocus({ name: demo.name, column: 'switch' });
    // The agent switches the demo on at once; say where its session went, not to switch it on.
    showNotice(
      isSwitchedOn(demo.status)
        ? `Added the demo profile ${demo.name} with a session from the local sandbox, written to ${demo.deliveredTo} (not your own AWS files).`
        : `Added the demo profile ${demo.name}. Switch it on to get a session from the local sandbox.`,
    );
  };

  const confirmRemove = async (profile: ProfileView) => {
    const done = await removal.run((api) => api.profiles.remove({ name: profile.name }));
    // Close either way: a failure's banner sits behind the modal.
    close();
    if (!done) return;
    // Stay in the same column of the list: the row that takes its place, or the one above the last.
    const index = visible.findIndex((candidate) => candidate.name === profile.name);
    const neighbour = visible[index + 1] ?? visible[index - 1];
    if (neighbour) requestFocus({ name: neighbour.name, column: 'more' });
    remove(profile.name);
    showNotice(`Removed ${profile.name}.`);
  };

  const onSaved = (profile: ProfileView, previousName?: string) => {
    if (previousName && previousName !== profile.name) remove(previousName);
    upsert(profile);
    close();
    // A new row is focused on its switch (the notice says to switch it on); a renamed one where it was left.
    if (!previousName) requestFocus({ name: profile.name, column: 'switch' });
    else if (previousName !== profile.name) requestFocus({ name: profile.name, column: 'more' });
    showNotice(previousName ? `Saved ${profile.name}.` : `Added ${profile.name}. Switch it on to get a session.`);
  };

  const onImported = (result: ImportResult) => {
    const first = result.imported[0];
    if (first) requestFocus({ name: first, column: 'switch' });
    reload();
  };

  const onSetUp = (profile: ProfileView) => {
    upsert(profile);
    close();
    requestFocus({ name: profile.name, column: 'switch' });
    showNotice(`Set up ${profile.name}: its session is in ${profile.deliveredTo}.`);
  };

  return { startSandbox, sandboxBusy: sandbox.busy, confirmRemove, removing: removal.busy, onSaved, onImported, onSetUp };
}
