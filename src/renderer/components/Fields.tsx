// Labelled form controls with their error or note wired to aria-describedby.
import { useId, type InputHTMLAttributes, type ReactNode } from 'react';

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value'> {
  readonly label: string;
  readonly value: string;
  readonly onValue: (value: string) => void;
  readonly error?: string;
  /** A warning that does not stop saving. */
  readonly hint?: string;
  /** Quiet help under the field. */
  readonly note?: ReactNode;
  readonly suffix?: ReactNode;
  readonly inputRef?: (element: HTMLInputElement | null) => void;
}

export function TextField({ label, value, onValue, error, hint, note, suffix, inputRef, className, ...input }: TextFieldProps) {
  const id = useId();
  const noteId = useId();
  const message = error ?? hint;
  return (
    <div className={['field', className].filter(Boolean).join(' ')}>
      <label htmlFor={id}>{label}</label>
      <div className="field-control">
        <input
          ref={inputRef}
          id={id}
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={message || note ? noteId : undefined}
          onChange={(event) => onValue(event.target.value)}
          {...input}
        />
        {suffix && <span className="field-suffix">{suffix}</span>}
      </div>
      {message ? (
        <p id={noteId} className={error ? 'field-error' : 'field-hint'}>
          {message}
        </p>
      ) : (
        note && (
          <p id={noteId} className="field-note">
            {note}
          </p>
        )
      )}
    </div>
  );
}

export interface Choice<T extends string> {
  readonly value: T;
  readonly label: string;
  readonly explanation: string;
}

interface ChoiceGroupProps<T extends string> {
  readonly legend: string;
  readonly name: string;
  readonly value: T;
  readonly choices: readonly Choice<T>[];
  readonly onValue: (value: T) => void;
}

/** Radio buttons, each with a one-line explanation. */
export function ChoiceGroup<T extends string>({ legend, name, value, choices, onValue }: ChoiceGroupProps<T>) {
  return (
    <fieldset className="choices">
      <legend>{legend}</legend>
      {choices.map((choice) => (
        <label key={choice.value} className="choice">
          <input type="radio" name={name} value={choice.value} checked={value === choice.value} onChange={() => onValue(choice.value)} />
          <span className="choice-text">
            <span className="choice-label">{choice.label}</span>
            <span className="choice-explanation">{choice.explanation}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
