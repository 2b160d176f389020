/** The form controls of Preferences, each inside its Field. */
import { useState } from 'react';
import { Field, type FieldProps } from './Field.js';

type CommonProps = Omit<FieldProps, 'children' | 'inline'> & { disabled?: boolean };

export function TextField({
  value,
  onChange,
  disabled = false,
  autoComplete = 'off',
  ...field
}: CommonProps & { value: string; onChange: (value: string) => void; autoComplete?: string }) {
  return (
    <Field {...field}>
      {(control) => (
        <input {...control} type="text" value={value} disabled={disabled} autoComplete={autoComplete} spellCheck={false} onChange={(event) => onChange(event.target.value)} />
      )}
    </Field>
  );
}

function formatNumber(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? '' : String(value);
}

/**
 * A whole-number field. It keeps the text as typed, so that "80a" stays on screen with its
 * error instead of being replaced by what it parses to. An empty field means `empty`: unset
 * for an optional field, NaN (and so an error) for a required one.
 */
export function NumberField<T extends number | undefined>({
  value,
  empty,
  onChange,
  disabled = false,
  ...field
}: CommonProps & { value: T; empty: NoInfer<T>; onChange: (value: number | T) => void }) {
  const [text, setText] = useState(formatNumber(value));
  const [shownValue, setShownValue] = useState<number | T>(value);
  if (!Object.is(value, shownValue)) {
    setShownValue(value);
    setText(formatNumber(value));
  }
  const change = (typed: string) => {
    const parsed = typed.trim() === '' ? empty : Number(typed);
    setText(typed);
    setShownValue(parsed);
    onChange(parsed);
  };
  return (
    <Field {...field}>
      {(control) => (
        <input {...control} className="number-input" type="text" inputMode="numeric" value={text} disabled={disabled} autoComplete="off" onChange={(event) => change(event.target.value)} />
      )}
    </Field>
  );
}

/** Never shows a stored password: "(saved)" stands in for it until the user types a new one. */
export function PasswordField({
  value,
  saved,
  onChange,
  disabled = false,
  ...field
}: CommonProps & { value: string; saved: boolean; onChange: (value: string) => void }) {
  return (
    <Field {...field}>
      {(control) => (
        <input
          {...control}
          type="password"
          value={value}
          placeholder={saved ? '(saved)' : ''}
          disabled={disabled}
          autoComplete="new-password"
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

export function CheckboxField({ checked, onChange, disabled = false, ...field }: CommonProps & { checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <Field {...field} inline>
      {(control) => <input {...control} type="checkbox" checked={checked} disabled={disabled} onChange={(event) => onChange(event.target.checked)} />}
    </Field>
  );
}

export function SelectField<T extends string>({
  value,
  options,
  onChange,
  disabled = false,
  ...field
}: CommonProps & { value: T; options: Record<T, string>; onChange: (value: T) => void }) {
  return (
    <Field {...field}>
      {(control) => (
        <select {...control} value={value} disabled={disabled} onChange={(event) => onChange(event.target.value as T)}>
          {(Object.entries(options) as [T, string][]).map(([option, label]) => (
            <option key={option} value={option}>
              {label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function TextAreaField({ value, onChange, disabled = false, ...field }: CommonProps & { value: string; onChange: (value: string) => void }) {
  return (
    <Field {...field}>
      {(control) => <textarea {...control} rows={4} value={value} disabled={disabled} spellCheck={false} onChange={(event) => onChange(event.target.value)} />}
    </Field>
  );
}
