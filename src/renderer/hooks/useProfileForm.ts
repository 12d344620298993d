// The profile editor's form: its values, the fields the user has left (touched), and which of their
// problems to show. A field's problem shows once it was left or the sheet was submitted, not while the
// user is still typing it for the first time.
import { useMemo, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import { formHints, formProblems, type FieldMessages, type FormField, type ProfileForm } from '../format/profile-form';

/** The fields typed as text (not the choices and the switch). */
export type TextFormField = { readonly [F in FormField]: ProfileForm[F] extends string ? (string extends ProfileForm[F] ? F : never) : never }[FormField];

/** What a text field of the form takes: its value, problem, and where its changes and blur go. */
export interface FieldBinding {
  readonly value: string;
  readonly onValue: (value: string) => void;
  readonly onBlur: () => void;
  readonly error: string | undefined;
  readonly inputRef: (element: HTMLInputElement | HTMLTextAreaElement | null) => void;
}

export interface ProfileFormState {
  readonly form: ProfileForm;
  readonly setForm: Dispatch<SetStateAction<ProfileForm>>;
  readonly problems: FieldMessages;
  readonly hints: FieldMessages;
  readonly submitted: boolean;
  /** From now on every field's problem shows. */
  readonly markSubmitted: () => void;
  /** The field's problem, once it is to be shown. */
  readonly visible: (field: FormField) => string | undefined;
  readonly set: <F extends FormField>(field: F) => (value: ProfileForm[F]) => void;
  readonly touch: (field: FormField) => () => void;
  readonly bind: (field: FormField) => (element: HTMLInputElement | HTMLTextAreaElement | null) => void;
  readonly field: (field: TextFormField) => FieldBinding;
  /** The input of the first field with a problem, in the order the checks list them. */
  readonly firstInvalidInput: () => HTMLInputElement | HTMLTextAreaElement | undefined;
}

export function useProfileForm(initial: () => ProfileForm): ProfileFormState {
  const [form, setForm] = useState<ProfileForm>(initial);
  const [touched, setTouched] = useState<ReadonlySet<FormField>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const inputs = useRef<Partial<Record<FormField, HTMLInputElement | HTMLTextAreaElement | null>>>({});

  const problems = useMemo(() => formProblems(form), [form]);
  const hints = useMemo(() => formHints(form), [form]);
  const visible = (field: FormField) => (submitted || touched.has(field) ? problems[field] : undefined);
  const set = <F extends FormField>(field: F) => (value: ProfileForm[F]) => setForm((current) => ({ ...current, [field]: value }));
  const touch = (field: FormField) => () => setTouched((current) => new Set(current).add(field));
  const bind = (field: FormField) => (element: HTMLInputElement | HTMLTextAreaElement | null) => {
    inputs.current[field] = element;
  };
  const field = (name: TextFormField): FieldBinding => ({ value: form[name], onValue: set(name), onBlur: touch(name), error: visible(name), inputRef: bind(name) });
  const firstInvalidInput = () => (Object.keys(problems) as FormField[]).map((name) => inputs.current[name]).find((input): input is HTMLInputElement | HTMLTextAreaElement => Boolean(input));

  return { form, setForm, problems, hints, submitted, markSubmitted: () => setSubmitted(true), visible, set, touch, bind, field, firstInvalidInput };
}
