import type { ReactNode } from "react";

type FormFieldProps = {
  label: string;
  name: string;
  error?: string;
  hint?: string;
  /** Which of several alike forms this is (e.g. the broker account's label): heard after the label, not shown */
  context?: string;
  /** Makes the id unique when the same form repeats on a page (e.g. a broker account's id) */
  idScope?: string;
  children: (props: { id: string; "aria-invalid": boolean; "aria-describedby"?: string }) => ReactNode;
};

// Label, control and its error message wired together for screen readers.
export function FormField({ label, name, error, hint, context, idScope, children }: FormFieldProps) {
  const id = idScope ? `field-${idScope}-${name}` : `field-${name}`;
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label htmlFor={id}>
        {label}
        {context ? <span className="visually-hidden"> ({context})</span> : null}
      </label>
      {children({ id, "aria-invalid": Boolean(error), "aria-describedby": describedBy })}
      {hint && !error ? (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={errorId} role="alert" data-field-error={name}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
