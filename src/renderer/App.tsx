import { useDeferredValue, useMemo, useRef, useState } from 'react';
import type { ProfileView, Settings } from '../shared/model';
import { REQUEST_TIMEOUT_SECONDS } from '../shared/model';
import { filterProfiles } from './format/filter';
import { isSwitchedOn } from './format/status';
import { BannerProvider } from './hooks/banners';
import { useAppState } from './hooks/useAppState';
import { useListActions } from './hooks/useListActions';
import { useProfileOutcomes } from './hooks/useProfileOutcomes';
import { useWindowOverlay } from './hooks/useWindowOverlay';
import { BannerStack } from './components/Banner';
import { ConfirmDialog } from './components/Dialog';
import { ExplainRequests } from './components/ExplainDialog';
import { EmptyState } from './components/EmptyState';
import { ImportDialog } from './components/ImportDialog';
import { LoadStatus, NoMatch } from './components/ListPlaceholders';
import { ProfileDetails } from './components/ProfileDetails';
import { ProfileEditor } from './components/ProfileEditor';
import { ProfileList } from './components/ProfileList';
import { SettingsView } from './components/SettingsView';
import { SetupWizard } from './components/SetupWizard';
import { WindowToolbar } from './components/WindowToolbar';

/** From this many profiles on, a filter box earns its place in the toolbar. */
const FILTER_THRESHOLD = 8;

const DEFAULT_SETTINGS: Settings = { startAtLogin: false, notifications: true, defaultShell: 'bash', requestTimeoutSeconds: REQUEST_TIMEOUT_SECONDS.default };

function removeMessage(profile: ProfileView): string {
  const key = profile.keyStorage === 'keychain' ? 'its private key in the keychain, ' : '';
  return `Rolecall deletes the profile, ${key}and what it wrote for it in ${profile.deliveredTo}. Your certificate and key files stay where they are.`;
}

function Window() {
  const state = useAppState();
  const { profiles, upsert, setSettings, reload } = state;
  const settings = state.settings ?? DEFAULT_SETTINGS;
  const overlays = useWindowOverlay();
  const { overlay, open, close } = overlays;
  const [filter, setFilter] = useState('');
  const deferredFilter = useDeferredValue(filter);
  const filterInput = useRef<HTMLInputElement>(null);
  const visible = useMemo(() => filterProfiles(profiles, deferredFilter), [profiles, deferredFilter]);
  const activeCount = useMemo(() => profiles.filter((profile) => isSwitchedOn(profile.status)).length, [profiles]);
  const actions = useListActions(open, settings, setSettings);
  const outcomes = useProfileOutcomes(state, visible, overlays, () => setFilter(''));

  const detailsOf = overlay?.kind === 'details' ? profiles.find((profile) => profile.name === overlay.name) : undefined;
  const ready = state.phase === 'ready';
  const empty = ready && profiles.length === 0;

  return (
    <div className="window">
      <WindowToolbar
        profileCount={profiles.length}
        activeCount={activeCount}
        filter={profiles.length >= FILTER_THRESHOLD ? { text: filter, onText: setFilter, inputRef: filterInput } : undefined}
        offerAdding={ready && !empty}
        settingsReady={state.settings !== undefined}
        onImport={() => open({ kind: 'import' })}
        onAdd={() => open({ kind: 'add' })}
        onSettings={() => open({ kind: 'settings' })}
      />

      <BannerStack />

      <main className="content">
        <LoadStatus phase={state.phase} problem={state.problem} onRetry={reload} />
        {empty && (
          <EmptyState onImport={() => open({ kind: 'import' })} onSandbox={() => void outcomes.startSandbox()} onAdd={() => open({ kind: 'add' })} onSetup={() => open({ kind: 'setup' })} sandboxBusy={outcomes.sandboxBusy} />
        )}
        {ready && profiles.length > 0 && visible.length > 0 && (
          <ProfileList profiles={visible} focusRequest={overlays.listFocus} onFocusDone={overlays.focusDone} shell={settings.defaultShell} onUpdated={upsert} {...actions} />
        )}
        {ready && profiles.length > 0 && visible.length === 0 && (
          <NoMatch
            filter={deferredFilter}
            onClear={() => {
              setFilter('');
              filterInput.current?.focus();
            }}
          />
        )}
      </main>

      {(overlay?.kind === 'add' || overlay?.kind === 'edit') && (
        <ProfileEditor profile={overlay.kind === 'edit' ? overlay.profile : undefined} prefill={overlay.kind === 'add' ? overlay.sandboxCa : undefined} profiles={profiles} onClose={close} onSaved={outcomes.onSaved} />
      )}
      {detailsOf && <ProfileDetails profile={detailsOf} onClose={close} onEdit={actions.onEdit} onOpenConsole={actions.onOpenConsole} />}
      <ExplainRequests />
      {overlay?.kind === 'remove' && (
        <ConfirmDialog
          title={`Remove ${overlay.profile.name}?`}
          message={removeMessage(overlay.profile)}
          confirmLabel="Remove"
          busy={outcomes.removing}
          onConfirm={() => void outcomes.confirmRemove(overlay.profile)}
          onCancel={close}
        />
      )}
      {overlay?.kind === 'import' && <ImportDialog onClose={close} onImported={outcomes.onImported} />}
      {overlay?.kind === 'setup' && <SetupWizard onClose={close} onDone={outcomes.onSetUp} />}
      {overlay?.kind === 'settings' && <SettingsView settings={settings} agent={state.agent} onChange={setSettings} onClose={close} onAddSandboxProfile={(sandboxCa) => open({ kind: 'add', sandboxCa })} />}
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
