// A new profile's key on a hardware token (smart card, YubiKey PIV, HSM): the tokens and certificates the
// PKCS#11 module shows (tokens.list, read without a PIN), the one picked, and whether the agent keeps the
// PIN in the keychain. Adding goes through profiles.addFromToken; when the token wants its PIN the user is
// asked in the token PIN prompt, and a refused PIN is said once and never tried again on its own.
import { useEffect, useState, type ReactElement } from 'react';
import type { OperationInput } from '../../shared/contract';
import type { ProblemView, ProfileView, TokenListing } from '../../shared/model';
import { attempt } from '../api';
import { nextStep } from '../format/errors';
import { formatMoment } from '../format/time';
import { TextField } from './Fields';
import { TokenPinPrompt } from './TokenPinDialog';

export interface TokenChoice {
  readonly modulePath: string;
  /** The picked certificate's pkcs11: URI; absent until one is picked. */
  readonly uri?: string;
  readonly keepPin: boolean;
}

interface TokenKeySourceProps {
  readonly choice: TokenChoice;
  readonly onChoice: (choice: TokenChoice) => void;
  /** The sheet was submitted without a certificate picked. */
  readonly missing: boolean;
}

export function TokenKeySource({ choice, onChoice, missing }: TokenKeySourceProps) {
  const [listing, setListing] = useState<TokenListing>();
  const [problem, setProblem] = useState<ProblemView>();
  const [looking, setLooking] = useState(false);

  const look = async (modulePath?: string) => {
    setLooking(true);
    const outcome = await attempt((api) => api.tokens.list(modulePath === undefined ? {} : { modulePath }));
    setLooking(false);
    if (outcome.ok) {
      setListing(outcome.value);
      setProblem(undefined);
      // The module field starts with the default the agent used.
      if (modulePath === undefined) onChoice({ ...choice, modulePath: outcome.value.module });
    } else {
      setListing(undefined);
      setProblem(outcome.problem);
    }
  };

  useEffect(() => {
    if (choice.modulePath === '') void look();
    // Only when the section opens: later lookups are the user's.
  }, []);

  const now = Date.now();
  const certificates = listing?.tokens.flatMap((token) => token.certificates.map((certificate) => ({ token, certificate }))) ?? [];
  return (
    <div className="token-source" aria-busy={looking || undefined}>
      <div className="unlock">
        <TextField
          label="PKCS#11 module"
          value={choice.modulePath}
          onValue={(modulePath) => onChoice({ ...choice, modulePath })}
          note="The token vendor's library; p11-kit's proxy shows every module the system registered."
          spellCheck={false}
          onKeyDown={(event) => {
            if (event.key !== 'Enter') return;
            event.preventDefault();
            void look(choice.modulePath.trim());
          }}
        />
        <button type="button" className="button" onClick={() => void look(choice.modulePath.trim())} aria-busy={looking || undefined} aria-disabled={looking || undefined}>
          Look for tokens
        </button>
      </div>
      {problem && (
        <p className="field-error" role="alert">
          {problem.message} {nextStep(problem)}
          {problem.detail && <span className="muted"> ({problem.detail})</span>}
        </p>
      )}
      {listing && certificates.length === 0 && (
        <p className="muted">
          {listing.tokens.length === 0 ? 'The module shows no token: insert it, then look again.' : `No certificate is readable on ${listing.tokens.map((token) => `"${token.label}"`).join(', ')} without its PIN.`}
        </p>
      )}
      {certificates.length > 0 && (
        <fieldset className="choices">
          <legend>Certificate on the token</legend>
          {certificates.map(({ token, certificate }) => (
            <label key={certificate.uri} className="choice">
              <input type="radio" name="tokenCertificate" value={certificate.uri} checked={choice.uri === certificate.uri} onChange={() => onChoice({ ...choice, uri: certificate.uri })} />
              <span className="choice-text">
                <span className="choice-label">
                  {certificate.label || certificate.subject} · {token.label}
                </span>
                <span className="choice-explanation">
                  {certificate.subject} · valid until {formatMoment(certificate.notAfter, now)}
                </span>
              </span>
            </label>
          ))}
        </fieldset>
      )}
      {missing && choice.uri === undefined && <p className="field-error">Pick the certificate whose key is on the token.</p>}
      <label className="checkbox">
        <input type="checkbox" checked={choice.keepPin} onChange={(event) => onChoice({ ...choice, keepPin: event.target.checked })} />
        <span>
          Keep the PIN in the OS keychain
          <span className="choice-explanation">Refreshes never need you; otherwise Rolecall asks for the PIN once each time it starts.</span>
        </span>
      </label>
    </div>
  );
}

type TokenAddInput = Omit<OperationInput<'profiles.add'>, 'draftId' | 'keyStorage'>;

/**
 * Adds a token profile: tried without a PIN first (a token may need none), then with the PIN the user
 * types into the prompt. Each PIN is tried once; a refused one is shown and the user types again.
 */
export function useTokenAdd(onProblem: (problem: ProblemView) => void): {
  readonly busy: boolean;
  readonly add: (input: TokenAddInput, choice: TokenChoice) => Promise<ProfileView | undefined>;
  readonly prompt: ReactElement | null;
} {
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState<{ readonly input: TokenAddInput; readonly choice: TokenChoice; readonly error?: string; readonly resolve: (view: ProfileView | undefined) => void }>();

  const call = async (input: TokenAddInput, choice: TokenChoice, pin?: string) => {
    setBusy(true);
    const outcome = await attempt((api) =>
      api.profiles.addFromToken({
        ...input,
        certificateUri: choice.uri,
        modulePath: choice.modulePath.trim() || undefined,
        keepPin: choice.keepPin || undefined,
        ...(pin !== undefined && { pin }),
      }),
    );
    setBusy(false);
    return outcome;
  };

  const add = async (input: TokenAddInput, choice: TokenChoice) => {
    const outcome = await call(input, choice);
    if (outcome.ok) return outcome.value;
    if (outcome.problem.code !== 'PKCS11_PIN_REQUIRED') {
      onProblem(outcome.problem);
      return undefined;
    }
    return new Promise<ProfileView | undefined>((resolve) => setAsking({ input, choice, resolve }));
  };

  const submitPin = async (pin: string) => {
    if (!asking) return;
    const outcome = await call(asking.input, asking.choice, pin);
    if (outcome.ok) {
      setAsking(undefined);
      asking.resolve(outcome.value);
    } else if (outcome.problem.code === 'PKCS11_PIN_WRONG') {
      // The detail ends with what the token says of its lockout counter, when it says anything.
      const counter = outcome.problem.detail?.split('; ').find((part) => part.startsWith('the token says'));
      const said = counter ? ` ${counter.charAt(0).toUpperCase()}${counter.slice(1)}.` : '';
      setAsking({ ...asking, error: `${outcome.problem.message}${said} Type it again: Rolecall never tries a PIN twice on its own.` });
    } else {
      setAsking(undefined);
      onProblem(outcome.problem);
      asking.resolve(undefined);
    }
  };

  const prompt = asking ? (
    <TokenPinPrompt
      title="Token PIN"
      description={`The token holding the key of ${asking.input.name} asks for its PIN to find the key and prove it matches the certificate. ${asking.choice.keepPin ? 'Rolecall keeps it in the OS keychain.' : 'Rolecall keeps it in memory until it quits.'}`}
      submitLabel="Unlock and add"
      busy={busy}
      error={asking.error}
      onSubmit={(pin) => void submitPin(pin)}
      onClose={() => {
        setAsking(undefined);
        asking.resolve(undefined);
      }}
    />
  ) : null;
  return { busy, add, prompt };
}
