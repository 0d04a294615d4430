/** Password field with a show/hide toggle; the value never leaves React state except on save. */
import { useId, useState } from "react";

export function SecretInput(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  placeholder?: string;
  testId?: string;
  hint?: string;
}) {
  const id = useId();
  const [shown, setShown] = useState(false);
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {props.label}
      </label>
      <div className="secret">
        <input
          id={id}
          className="input secret__input"
          type={shown ? "text" : "password"}
          autoComplete="off"
          spellCheck={false}
          value={props.value}
          placeholder={props.placeholder}
          data-testid={props.testId}
          onChange={(e) => props.onChange(e.target.value)}
        />
        <button
          type="button"
          className="button button--ghost button--small secret__toggle"
          aria-pressed={shown}
          aria-label={shown ? `Hide ${props.label}` : `Show ${props.label}`}
          onClick={() => setShown((s) => !s)}
        >
          {shown ? "Hide" : "Show"}
        </button>
      </div>
      {props.hint && <p className="field__hint">{props.hint}</p>}
    </div>
  );
}
