// The profile list, virtualised so a thousand profiles scroll as smoothly as ten. Up/Down (and
// Home/End) move focus to the same control in the next row, scrolling rows into existence first.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef, type KeyboardEvent } from 'react';
import type { ProfileView } from '../../shared/model';
import { markListRendered } from '../first-render';
import { ProfileRow, type ProfileRowProps } from './ProfileRow';

/** Fixed (styles.css .row): equal rows let the virtualiser skip measuring. */
const ROW_HEIGHT = 48;

/** A control to focus once its row is in the list: after an add, a rename or a removal. */
export interface FocusRequest {
  readonly name: string;
  /** A row control's data-col ("switch", "more"). */
  readonly column: string;
}

/** What the list hands each row unchanged: the shell and the rows' actions. */
type RowShared = Pick<ProfileRowProps, 'shell' | 'onUpdated' | 'onEdit' | 'onOpen' | 'onOpenConsole' | 'onRemove' | 'onShellChange'>;

interface ProfileListProps extends RowShared {
  readonly profiles: readonly ProfileView[];
  readonly focusRequest?: FocusRequest | null;
  readonly onFocusDone?: () => void;
}

const NAVIGATION_KEYS: Record<string, (index: number, count: number) => number> = {
  ArrowDown: (index, count) => Math.min(count - 1, index + 1),
  ArrowUp: (index) => Math.max(0, index - 1),
  Home: () => 0,
  End: (_index, count) => count - 1,
};

export function ProfileList({ profiles, focusRequest, onFocusDone, shell, onUpdated, onEdit, onOpen, onOpenConsole, onRemove, onShellChange }: ProfileListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: profiles.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    // The window's height until the list is measured: the first commit already holds the rows that
    // show, instead of a few that a second render replaces (the first render's cost with 1,000 profiles).
    initialRect: { width: 0, height: window.innerHeight },
    overscan: 4,
    getItemKey: (index) => profiles[index]?.name ?? index,
  });

  // Once, when the first rows are committed (a no-op after that, or before the first state arrived).
  useLayoutEffect(() => {
    if (profiles.length > 0) markListRendered();
  }, [profiles.length]);

  const focusRow = useCallback(
    (index: number, column: string) => {
      virtualizer.scrollToIndex(index, { align: 'auto' });
      const tryFocus = (attemptsLeft: number) => {
        const row = scroller.current?.querySelector<HTMLElement>(`[data-index="${index}"]`);
        if (!row) {
          if (attemptsLeft > 0) requestAnimationFrame(() => tryFocus(attemptsLeft - 1));
          return;
        }
        const target = row.querySelector<HTMLElement>(`[data-col="${column}"]:not(:disabled)`) ?? row.querySelector<HTMLElement>('[data-col="switch"]');
        target?.focus();
      };
      requestAnimationFrame(() => tryFocus(3));
    },
    [virtualizer],
  );

  useEffect(() => {
    if (!focusRequest) return;
    // The row may arrive later (an import reloads the list): wait for it.
    const index = profiles.findIndex((profile) => profile.name === focusRequest.name);
    if (index < 0) return;
    focusRow(index, focusRequest.column);
    onFocusDone?.();
  }, [focusRequest, profiles, focusRow, onFocusDone]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const move = NAVIGATION_KEYS[event.key];
    const target = event.target as HTMLElement;
    const column = target.dataset.col;
    if (!move || !column || event.altKey || event.ctrlKey || event.metaKey) return;
    const row = target.closest<HTMLElement>('[data-index]');
    if (!row) return;
    event.preventDefault();
    focusRow(move(Number(row.dataset.index), profiles.length), column);
  };

  return (
    <div className="list">
      <h1 className="sr-only">Profiles</h1>
      <div className="list-header" aria-hidden="true">
        <span className="cell cell-switch" />
        <span className="cell cell-main">Profile</span>
        <span className="cell cell-region">Region</span>
        <span className="cell cell-delivery">Delivery</span>
        <span className="cell cell-time">Time left</span>
        <span className="cell cell-actions" />
      </div>
      <div ref={scroller} className="list-scroll">
        <div role="list" aria-label="Profiles" className="list-body" style={{ height: virtualizer.getTotalSize() }} onKeyDown={onKeyDown}>
          {virtualizer.getVirtualItems().map((item) => {
            const profile = profiles[item.index];
            if (!profile) return null;
            return (
              <ProfileRow
                key={profile.name}
                profile={profile}
                shell={shell}
                index={item.index}
                count={profiles.length}
                top={item.start}
                onUpdated={onUpdated}
                onEdit={onEdit}
                onOpen={onOpen}
                onOpenConsole={onOpenConsole}
                onRemove={onRemove}
                onShellChange={onShellChange}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
