import { useId } from 'react';
import { abbreviateId, parseArn, type ArnKind } from '../format/arn';

export interface ArnSuggestion {
  readonly arn: string;
  readonly name: string;
  readonly enabled: boolean;
}

interface ArnFieldProps {
  readonly kind: ArnKind;
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly onBlur?: () => void;
  /** Shown only once the field was left or the form submitted. */
  readonly error?: string;
  readonly suggestions?: readonly ArnSuggestion[];
  readonly inputRef?: (element: HTMLInputElement | null) => void;
}

const PLACEHOLDER: Record<ArnKind, string> = {
  'trust-anchor': 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/…',
  profile: 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/…',
  role: 'arn:aws:iam::123456789012:role/…',
};

function describe(value: string): string | undefined {
  const parsed = parseArn(value);
  if (!parsed) return undefined;
  const parts = [parsed.region, `account ${parsed.account}`, parsed.kind === 'role' ? parsed.name : `ID ${abbreviateId(parsed.name)}`];
  return parts.filter(Boolean).join(' · ');
}

/** An ARN typed or picked from what discovery found (a native datalist), checked as it is typed. */
export function ArnField({ kind, label, value, onChange, onBlur, error, suggestions = [], inputRef }: ArnFieldProps) {
  const id = useId();
  const listId = useId();
  const noteId = useId();
  const summary = error ? undefined : describe(value);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        ref={inputRef}
        id={id}
        className="mono"
        type="text"
        value={value}
        spellCheck={false}
        autoComplete="off"
        placeholder={PLACEHOLDER[kind]}
        list={suggestions.length > 0 ? listId : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={error || summary ? noteId : undefined}
        onChange={(event) => onChange(event.target.value)}
        onBlur={onBlur}
      />
      {suggestions.length > 0 && (
        <datalist id={listId}>
          {suggestions.map((suggestion) => (
            <option key={suggestion.arn} value={suggestion.arn} label={suggestion.enabled ? suggestion.name : `${suggestion.name} (disabled)`} />
          ))}
        </datalist>
      )}
      {error ? (
        <p id={noteId} className="field-error">
          {error}
        </p>
      ) : (
        summary && (
          <p id={noteId} className="field-note">
            {summary}
          </p>
        )
      )}
    </div>
  );
}
