import type { ReactNode } from 'react';

export const LOCKED_NOTE = 'Set by your administrator';

/** What a control needs to be labelled and described by its field. */
export interface ControlProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

export interface FieldProps {
  id: string;
  label: string;
  error?: string | undefined;
  locked?: boolean;
  /** A checkbox comes before its label. */
  inline?: boolean;
  children: (control: ControlProps) => ReactNode;
}

/** Turns an error key such as `community.corp.connection.proxy.port` into an element id. */
export function fieldId(key: string): string {
  return `field-${key.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

/** A labelled control with its administrator note and its error, both tied to it by aria-describedby. */
export function Field({ id, label, error, locked = false, inline = false, children }: FieldProps) {
  const lockedId = `${id}-locked`;
  const errorId = `${id}-error`;
  const describedBy = [locked && lockedId, error && errorId].filter(Boolean).join(' ');
  const labelElement = <label htmlFor={id}>{label}</label>;
  return (
    <div className={inline ? 'field field-inline' : 'field'}>
      {!inline && labelElement}
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy || undefined })}
      {inline && labelElement}
      {locked && (
        <p id={lockedId} className="field-note field-locked">
          {LOCKED_NOTE}
        </p>
      )}
      {error && (
        <p id={errorId} className="field-error">
          {label} {error}
        </p>
      )}
    </div>
  );
}
