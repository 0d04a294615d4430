/**
 * Form parts the card dialog's sections share: a labelled input in a row of fields and a
 * field's error message, so every such field is marked invalid and announces its error the
 * same way.
 */
import type { InputHTMLAttributes } from "react";

type InlineInputProps = InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  /** The field's error, if any: marks the input invalid. */
  error?: string;
  narrow?: boolean;
  "data-testid"?: string;
};

/** A labelled input in a row of fields (`inline-field`), marked invalid when it has an error. */
export function InlineInput({ label, error, narrow, ...input }: InlineInputProps) {
  return (
    <label className="inline-field">
      <span>{label}</span>
      <input
        className={`input${narrow ? " input--narrow" : ""}${error ? " input--invalid" : ""}`}
        aria-invalid={!!error}
        {...input}
      />
    </label>
  );
}

/** A field's error message, announced when it appears; nothing when there is none. */
export function FieldError({ error, testId }: { error?: string; testId?: string }) {
  if (!error) return null;
  return (
    <p className="field__error" role="alert" data-testid={testId}>
      {error}
    </p>
  );
}
