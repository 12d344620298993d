// The one dialog or sheet the window shows over the list, and where focus goes once it is gone: a row
// that the change added, renamed, or moved into the place of a removed one.
import { useCallback, useState } from 'react';
import type { ProfileView, SandboxTrustedCa } from '../../shared/model';
import type { FocusRequest } from '../components/ProfileList';

export type Overlay =
  | { readonly kind: 'add'; readonly sandboxCa?: SandboxTrustedCa }
  | { readonly kind: 'edit'; readonly profile: ProfileView }
  | { readonly kind: 'remove'; readonly profile: ProfileView }
  | { readonly kind: 'import' }
  | { readonly kind: 'details'; readonly name: string }
  | { readonly kind: 'setup' }
  | { readonly kind: 'settings' };

export interface WindowOverlay {
  readonly overlay: Overlay | null;
  readonly open: (next: Overlay) => void;
  readonly close: () => void;
  /** Moves focus to a row's control once no overlay is in the way. */
  readonly requestFocus: (request: FocusRequest) => void;
  /** The focus request for the list: none while an overlay is open, since focus cannot move behind a modal. */
  readonly listFocus: FocusRequest | null;
  readonly focusDone: () => void;
}

export function useWindowOverlay(): WindowOverlay {
  const [overlay, setOverlay] = useState<Overlay | null>(null);
  // Where focus goes once the overlay is gone and the opener went with the change (a removed row).
  const [focusRequest, setFocusRequest] = useState<FocusRequest | null>(null);
  const open = useCallback((next: Overlay) => {
    setFocusRequest(null);
    setOverlay(next);
  }, []);
  const close = useCallback(() => setOverlay(null), []);
  const focusDone = useCallback(() => setFocusRequest(null), []);
  return { overlay, open, close, requestFocus: setFocusRequest, listFocus: overlay ? null : focusRequest, focusDone };
}
