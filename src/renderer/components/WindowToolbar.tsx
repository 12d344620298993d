// The window's toolbar: how many profiles and how many are on, the filter box once the list is long,
// and the buttons that open Import, Add profile and Settings.
import type { RefObject } from 'react';
import { GearIcon, PlusIcon, SearchIcon } from './Icons';

interface WindowToolbarProps {
  readonly profileCount: number;
  readonly activeCount: number;
  /** Absent: the list is short enough to read without one. */
  readonly filter?: { readonly text: string; readonly onText: (text: string) => void; readonly inputRef: RefObject<HTMLInputElement | null> };
  /** Import and Add profile are offered (the empty state offers them itself). */
  readonly offerAdding: boolean;
  readonly settingsReady: boolean;
  readonly onImport: () => void;
  readonly onAdd: () => void;
  readonly onSettings: () => void;
}

export function WindowToolbar({ profileCount, activeCount, filter, offerAdding, settingsReady, onImport, onAdd, onSettings }: WindowToolbarProps) {
  return (
    <header className="toolbar">
      <div className="toolbar-title">
        <span className="app-name">Rolecall</span>
        {profileCount > 0 && (
          <span className="muted">
            {profileCount} {profileCount === 1 ? 'profile' : 'profiles'} · {activeCount} on
          </span>
        )}
      </div>
      {filter && (
        <div className="search" role="search">
          <SearchIcon />
          <input
            ref={filter.inputRef}
            type="search"
            placeholder="Filter profiles"
            aria-label="Filter profiles"
            value={filter.text}
            onChange={(event) => filter.onText(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape' && filter.text) {
                event.preventDefault();
                filter.onText('');
              }
            }}
          />
        </div>
      )}
      <div className="toolbar-actions">
        {offerAdding && (
          <>
            <button type="button" className="button" onClick={onImport}>
              Import…
            </button>
            <button type="button" className="button primary" onClick={onAdd}>
              <PlusIcon />
              Add profile
            </button>
          </>
        )}
        <button type="button" className="icon-button" aria-label="Settings" title="Settings" onClick={onSettings} disabled={!settingsReady}>
          <GearIcon />
        </button>
      </div>
    </header>
  );
}
