import { useCallback, useDeferredValue, useMemo, useRef, useState } from 'react';
import type { ProfileView, SandboxTrustedCa, Settings, Shell } from '../shared/model';
import { REQUEST_TIMEOUT_SECONDS } from '../shared/model';
import { filterProfiles } from './format/filter';
import { isSwitchedOn } from './format/status';
import { BannerProvider, useBanners } from './hooks/banners';
import { useAction } from './hooks/useAction';
import { useAppState } from './hooks/useAppState';
import { Banner, BannerStack } from './components/Banner';
import { ConfirmDialog } from './components/Dialog';
import { ExplainRequests } from './components/ExplainDialog';
import { EmptyState } from './components/EmptyState';
import { GearIcon, PlusIcon, SearchIcon } from './components/Icons';
import { ImportDialog } from './components/ImportDialog';
import { ProfileDetails } from './components/ProfileDetails';
import { ProfileEditor } from './components/ProfileEditor';
import { ProfileList, type FocusRequest } from './components/ProfileList';
import { SettingsView } from './components/SettingsView';
import { SetupWizard } from './components/SetupWizard';

/** From this many profiles on, a filter box earns its place in the toolbar. */
const FILTER_THRESHOLD = 8;

type Overlay =
  | { readonly kind: 'add'; readonly sandboxCa?: SandboxTrustedCa }
  | { readonly kind: 'edit'; readonly profile: ProfileView }
  | { readonly kind: 'remove'; readonly profile: ProfileView }
  | { readonly kind: 'import' }
  | { readonly kind: 'details'; readonly name: string }
  | { readonly kind: 'setup' }
  | { readonly kind: 'settings' };

const DEFAULT_SETTINGS: Settings = { startAtLogin: false, notifications: true, defaultShell: 'bash', requestTimeoutSeconds: REQUEST_TIMEOUT_SECONDS.default };

function removeMessage(profile: ProfileView): string {
  const key = profile.keyStorage === 'keychain' ? 'its private key in the keychain, ' : '';
  return `Rolecall deletes the profile, ${key}and what it wrote for it in ${profile.deliveredTo}. Your certificate and key files stay where they are.`;
}

function Window() {
  const state = useAppState();
  const { showNotice } = useBanners();
  const [overlay, setOverlay] = useState<Overlay | null>(null);
  // Where focus goes once the overlay is gone and the opener went with the change (a removed row).
  const [focusRequest, setFocusRequest] = useState<FocusRequest | null>(null);
  const [filter, setFilter] = useState('');
  const deferredFilter = useDeferredValue(filter);
  const filterInput = useRef<HTMLInputElement>(null);
  const sandbox = useAction('Sandbox');
  const removal = useAction(overlay?.kind === 'remove' ? overlay.profile.name : undefined);
  const shellChange = useAction('Settings');

  const { profiles, upsert, remove, setSettings, reload } = state;
  const settings = state.settings ?? DEFAULT_SETTINGS;
  const visible = useMemo(() => filterProfiles(profiles, deferredFilter), [profiles, deferredFilter]);
  const activeCount = useMemo(() => profiles.filter((profile) => isSwitchedOn(profile.status)).length, [profiles]);
  const close = useCallback(() => setOverlay(null), []);
  const openOverlay = useCallback((next: Overlay) => {
    setFocusRequest(null);
    setOverlay(next);
  }, []);
  const focusDone = useCallback(() => setFocusRequest(null), []);

  const settingsRef = useRef(settings);
  settingsRef.current = settings;
  const runShellChange = shellChange.run;
  const onShellChange = useCallback(
    (shell: Shell) => {
      const before = settingsRef.current;
      if (before.defaultShell === shell) return;
      setSettings({ ...before, defaultShell: shell });
      void runShellChange((api) => api.settings.set({ defaultShell: shell })).then((saved) => setSettings(saved ?? before));
    },
    [setSettings, runShellChange],
  );
  const onEdit = useCallback((profile: ProfileView) => openOverlay({ kind: 'edit', profile }), [openOverlay]);
  const onRemove = useCallback((profile: ProfileView) => openOverlay({ kind: 'remove', profile }), [openOverlay]);
  const onOpen = useCallback((profile: ProfileView) => openOverlay({ kind: 'details', name: profile.name }), [openOverlay]);
  const consoleSignIn = useAction('AWS console');
  const runConsole = consoleSignIn.run;
  // The sign-in URL goes from the agent to the browser; the window only hears that it was opened.
  const onOpenConsole = useCallback(
    (profile: ProfileView) => {
      void runConsole((api) => api.console.open({ name: profile.name })).then((opened) => {
        if (opened) showNotice(`Opened the AWS console for ${profile.name} in your browser.`);
      });
    },
    [runConsole, showNotice],
  );
  const detailsOf = overlay?.kind === 'details' ? profiles.find((profile) => profile.name === overlay.name) : undefined;

  const startSandbox = async () => {
    const demo = await sandbox.run((api) => api.sandbox.startDemo({}));
    if (!demo) return;
    upsert(demo);
    setFilter('');
    setFocusRequest({ name: demo.name, column: 'switch' });
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
    setOverlay(null);
    if (!done) return;
    // Stay in the same column of the list: the row that takes its place, or the one above the last.
    const index = visible.findIndex((candidate) => candidate.name === profile.name);
    const neighbour = visible[index + 1] ?? visible[index - 1];
    if (neighbour) setFocusRequest({ name: neighbour.name, column: 'more' });
    remove(profile.name);
    showNotice(`Removed ${profile.name}.`);
  };

  const onSaved = (profile: ProfileView, previousName?: string) => {
    if (previousName && previousName !== profile.name) remove(previousName);
    upsert(profile);
    setOverlay(null);
    // A new row is focused on its switch (the notice says to switch it on); a renamed one where it was left.
    if (!previousName) setFocusRequest({ name: profile.name, column: 'switch' });
    else if (previousName !== profile.name) setFocusRequest({ name: profile.name, column: 'more' });
    showNotice(previousName ? `Saved ${profile.name}.` : `Added ${profile.name}. Switch it on to get a session.`);
  };

  const empty = state.phase === 'ready' && profiles.length === 0;
  // Focus cannot move to a row behind a modal: the request waits until the overlay is gone.
  const focusAfterOverlay = overlay ? null : focusRequest;
  const showFilter = profiles.length >= FILTER_THRESHOLD;

  return (
    <div className="window">
      <header className="toolbar">
        <div className="toolbar-title">
          <span className="app-name">Rolecall</span>
          {profiles.length > 0 && (
            <span className="muted">
              {profiles.length} {profiles.length === 1 ? 'profile' : 'profiles'} · {activeCount} on
            </span>
          )}
        </div>
        {showFilter && (
          <div className="search" role="search">
            <SearchIcon />
            <input
              ref={filterInput}
              type="search"
              placeholder="Filter profiles"
              aria-label="Filter profiles"
              value={filter}
              onChange={(event) => setFilter(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === 'Escape' && filter) {
                  event.preventDefault();
                  setFilter('');
                }
              }}
            />
          </div>
        )}
        <div className="toolbar-actions">
          {!empty && state.phase === 'ready' && (
            <>
              <button type="button" className="button" onClick={() => openOverlay({ kind: 'import' })}>
                Import…
              </button>
              <button type="button" className="button primary" onClick={() => openOverlay({ kind: 'add' })}>
                <PlusIcon />
                Add profile
              </button>
            </>
          )}
          <button type="button" className="icon-button" aria-label="Settings" title="Settings" onClick={() => openOverlay({ kind: 'settings' })} disabled={!state.settings}>
            <GearIcon />
          </button>
        </div>
      </header>

      <BannerStack />

      <main className="content">
        {state.phase === 'loading' && (
          <p className="placeholder" role="status">
            Connecting to the Rolecall agent…
          </p>
        )}
        {state.phase === 'failed' && state.problem && (
          <div className="placeholder">
            <Banner
              kind="error"
              problem={state.problem}
              actions={
                <button type="button" className="button small" onClick={reload}>
                  Try again
                </button>
              }
            />
          </div>
        )}
        {empty && (
          <EmptyState onImport={() => openOverlay({ kind: 'import' })} onSandbox={() => void startSandbox()} onAdd={() => openOverlay({ kind: 'add' })} onSetup={() => openOverlay({ kind: 'setup' })} sandboxBusy={sandbox.busy} />
        )}
        {state.phase === 'ready' && profiles.length > 0 && visible.length > 0 && (
          <ProfileList
            profiles={visible}
            focusRequest={focusAfterOverlay}
            onFocusDone={focusDone}
            shell={settings.defaultShell}
            onUpdated={upsert}
            onEdit={onEdit}
            onOpen={onOpen}
            onOpenConsole={onOpenConsole}
            onRemove={onRemove}
            onShellChange={onShellChange}
          />
        )}
        {state.phase === 'ready' && profiles.length > 0 && visible.length === 0 && (
          <div className="placeholder">
            <p>No profile matches “{deferredFilter}”.</p>
            <button
              type="button"
              className="button"
              onClick={() => {
                setFilter('');
                filterInput.current?.focus();
              }}
            >
              Clear filter
            </button>
          </div>
        )}
      </main>

      {(overlay?.kind === 'add' || overlay?.kind === 'edit') && (
        <ProfileEditor
          profile={overlay.kind === 'edit' ? overlay.profile : undefined}
          prefill={overlay.kind === 'add' ? overlay.sandboxCa : undefined}
          profiles={profiles}
          onClose={close}
          onSaved={onSaved}
        />
      )}
      {detailsOf && <ProfileDetails profile={detailsOf} onClose={close} onEdit={onEdit} onOpenConsole={onOpenConsole} />}
      <ExplainRequests />
      {overlay?.kind === 'remove' && (
        <ConfirmDialog
          title={`Remove ${overlay.profile.name}?`}
          message={removeMessage(overlay.profile)}
          confirmLabel="Remove"
          busy={removal.busy}
          onConfirm={() => void confirmRemove(overlay.profile)}
          onCancel={close}
        />
      )}
      {overlay?.kind === 'import' && (
        <ImportDialog
          onClose={close}
          onImported={(result) => {
            const first = result.imported[0];
            if (first) setFocusRequest({ name: first, column: 'switch' });
            reload();
          }}
        />
      )}
      {overlay?.kind === 'setup' && (
        <SetupWizard
          onClose={close}
          onDone={(profile) => {
            upsert(profile);
            setOverlay(null);
            setFocusRequest({ name: profile.name, column: 'switch' });
            showNotice(`Set up ${profile.name}: its session is in ${profile.deliveredTo}.`);
          }}
        />
      )}
      {overlay?.kind === 'settings' && (
        <SettingsView settings={settings} agent={state.agent} onChange={setSettings} onClose={close} onAddSandboxProfile={(sandboxCa) => openOverlay({ kind: 'add', sandboxCa })} />
      )}
    </div>
  );
}

export function App() {
  return (
    <BannerProvider>
      <Window />
    </BannerProvider>
  );
}
