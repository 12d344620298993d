// The PIN of a profile whose key is on a hardware token, asked when the agent needs one (none was given,
// or the token refused the one it had). The agent holds it in memory and tries it once, with a refresh.
// The same prompt asks for the PIN when a token profile is added (TokenKeySource).
import { useState } from 'react';
import type { ProfileView } from '../../shared/model';
import { useAction } from '../hooks/useAction';
import { Dialog } from './Dialog';
import { TextField } from './Fields';

/** Failures a PIN from the user ends. */
export function needsTokenPin(profile: ProfileView): boolean {
  const code = profile.lastError?.code;
  return profile.token !== undefined && (code === 'PKCS11_PIN_REQUIRED' || code === 'PKCS11_PIN_WRONG');
}

export function TokenPinDialog({ profile, onClose, onUpdated }: { profile: ProfileView; onClose: () => void; onUpdated: (profile: ProfileView) => void }) {
  const submit = useAction(profile.name);
  const refused = profile.lastError?.code === 'PKCS11_PIN_WRONG';
  const send = async (pin: string) => {
    const view = await submit.run(async (api) => {
      await api.sessions.givePin({ name: profile.name, pin });
      return api.sessions.refresh({ name: profile.name });
    });
    if (view) {
      onUpdated(view);
      onClose();
    }
  };
  return (
    <TokenPinPrompt
      title={`PIN for ${profile.name}`}
      description={`${refused ? 'The token refused the PIN it had. ' : ''}The key of ${profile.name} is on a hardware token (${profile.token?.uri ?? ''}). Rolecall keeps the PIN in memory until it quits and tries it once.`}
      submitLabel="Unlock and refresh"
      busy={submit.busy}
      onSubmit={(pin) => void send(pin)}
      onClose={onClose}
    />
  );
}

interface TokenPinPromptProps {
  readonly title: string;
  readonly description: string;
  readonly submitLabel: string;
  readonly busy: boolean;
  /** Why the last PIN was not taken, shown under the field. */
  readonly error?: string;
  readonly onSubmit: (pin: string) => void;
  readonly onClose: () => void;
}

export function TokenPinPrompt({ title, description, submitLabel, busy, error, onSubmit, onClose }: TokenPinPromptProps) {
  const [pin, setPin] = useState('');
  const send = () => {
    if (pin === '' || busy) return;
    onSubmit(pin);
    // A refused PIN is typed again from scratch rather than edited.
    setPin('');
  };
  return (
    <Dialog
      title={title}
      onClose={onClose}
      description={description}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button primary" disabled={pin === ''} aria-busy={busy || undefined} onClick={send}>
            {submitLabel}
          </button>
        </>
      }
    >
      <TextField label="Token PIN" type="password" autoComplete="off" value={pin} onValue={setPin} error={error} data-autofocus onKeyDown={(event) => event.key === 'Enter' && send()} />
    </Dialog>
  );
}
