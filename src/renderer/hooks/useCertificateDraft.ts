// The certificate and key files picked in the profile editor (a draft the agent holds), and unlocking
// its key with a passphrase when the key is encrypted.
import { useState } from 'react';
import type { DraftView, ProblemView } from '../../shared/model';
import { attempt } from '../api';
import { useAction } from './useAction';

export interface CertificateDraft {
  readonly draft: DraftView | null;
  readonly choosing: boolean;
  /** Asks for the files in the OS dialog; `onChosen` runs once a new draft is in hand. */
  readonly choose: () => Promise<void>;
  readonly passphrase: string;
  readonly setPassphrase: (passphrase: string) => void;
  readonly unlocking: boolean;
  readonly unlockProblem: ProblemView | undefined;
  readonly unlock: () => Promise<void>;
}

export function useCertificateDraft(onProblem: (problem: ProblemView) => void, onChosen: () => void): CertificateDraft {
  const [draft, setDraft] = useState<DraftView | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [unlockProblem, setUnlockProblem] = useState<ProblemView>();
  const [unlocking, setUnlocking] = useState(false);
  const chooser = useAction('Certificate', onProblem);

  const choose = async () => {
    const picked = await chooser.run((api) => api.files.chooseCertificate({}));
    if (!picked) return;
    setDraft(picked);
    setPassphrase('');
    setUnlockProblem(undefined);
    onChosen();
  };

  const unlock = async () => {
    if (!draft || unlocking) return;
    setUnlocking(true);
    const outcome = await attempt((api) => api.drafts.unlock({ draftId: draft.draftId, passphrase }));
    setUnlocking(false);
    if (outcome.ok) {
      setDraft(outcome.value);
      setPassphrase('');
      setUnlockProblem(undefined);
    } else {
      setUnlockProblem(outcome.problem);
    }
  };

  return { draft, choosing: chooser.busy, choose, passphrase, setPassphrase, unlocking, unlockProblem, unlock };
}
