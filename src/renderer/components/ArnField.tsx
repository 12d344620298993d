import { useId } from 'react';
import { abbreviateId, parseArn, type ArnKind } from '../format/arn';
import type { PickerOption } from '../format/discovery-picks';

export type ArnSuggestion = PickerOption;

interface ArnFieldProps {
  readonly kind: ArnKind;
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly onBlur?: () => void;
  /** Shown only once the field was left or the form submitted. */
  readonly error?: string;
  /** What discovery found: offered by name in a list above the field (a typed ARN still works). */
  readonly suggestions?: readonly ArnSuggestion[];
  /** The list's label: "Trust anchor", "Profile", "Role". */
  readonly pickerLabel?: string;
  readonly inputRef?: (element: HTMLTextAreaElement | null) => void;
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

function optionText(option: ArnSuggestion): string {
  return [option.name, option.note && `— ${option.note}`, !option.enabled && '(disabled)'].filter(Boolean).join(' ');
}

/** An ARN picked by name from what discovery found, or typed; checked as it is typed. */
export function ArnField({ kind, label, value, onChange, onBlur, error, suggestions = [], pickerLabel, inputRef }: ArnFieldProps) {
  const id = useId();
  const pickerId = useId();
  const noteId = useId();
  const summary = error ? undefined : describe(value);
  const picked = suggestions.find((option) => option.arn === value.trim());
  return (
    <div className="field">
      {suggestions.length > 0 && (
        <div className="field picker">
          <label htmlFor={pickerId}>{pickerLabel ?? label}</label>
          <select id={pickerId} value={picked?.arn ?? ''} title={picked?.arn} onChange={(event) => event.target.value !== '' && onChange(event.target.value)}>
            <option value="">{value.trim() === '' || picked ? 'Choose…' : 'Typed ARN below'}</option>
            {suggestions.map((option) => (
              <option key={option.arn} value={option.arn} title={option.arn}>
                {optionText(option)}
              </option>
            ))}
          </select>
        </div>
      )}
      <label htmlFor={id}>{label}</label>
      {/* A one-line field that wraps, so a whole ARN stays readable at 900 px; Enter still submits the form. */}
      <textarea
        ref={inputRef}
        id={id}
        className="mono arn-input"
        rows={1}
        value={value}
        spellCheck={false}
        autoComplete="off"
        placeholder={PLACEHOLDER[kind]}
        aria-invalid={error ? true : undefined}
        aria-describedby={error || summary ? noteId : undefined}
        onKeyDown={(event) => {
          if (event.key !== 'Enter') return;
          event.preventDefault();
          event.currentTarget.form?.requestSubmit();
        }}
        onChange={(event) => onChange(event.target.value.replace(/\s*\n\s*/g, ''))}
        onBlur={onBlur}
      />
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
