/**
 * A name that turns into a text field for editing: Enter or blur saves, Escape cancels.
 * Empty names are refused (the original is kept). `warning` may flag a draft without refusing
 * it (e.g. a duplicate name); the shown name carries its full text as a tooltip, for when it is
 * truncated.
 */
import { useLayoutEffect, useRef, useState } from "react";

export function InlineEdit(props: {
  value: string;
  editing: boolean;
  onSave: (value: string) => void;
  onCancel: () => void;
  ariaLabel: string;
  testId?: string;
  className?: string;
  warning?: (draft: string) => string | null;
  /** The element showing the name when not editing (a heading for stage and lane names). */
  as?: "span" | "h2";
}) {
  const [draft, setDraft] = useState(props.value);
  const input = useRef<HTMLInputElement>(null);
  // Reset and select the text when editing starts (synchronously, so typing is never selected over).
  useLayoutEffect(() => {
    if (props.editing) {
      setDraft(props.value);
      input.current?.focus();
      input.current?.select();
    }
  }, [props.editing, props.value]);
  if (!props.editing) {
    const Shown = props.as ?? "span";
    return (
      <Shown className={props.className} title={props.value}>
        {props.value}
      </Shown>
    );
  }
  const warning = props.warning?.(draft.trim()) ?? null;
  const commit = () => {
    const v = draft.trim();
    if (v && v !== props.value) props.onSave(v);
    else props.onCancel();
  };
  return (
    <>
    <input
      ref={input}
      className="inline-edit"
      aria-label={props.ariaLabel}
      data-testid={props.testId}
      value={draft}
      autoFocus
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === "Enter") commit();
        else if (e.key === "Escape") props.onCancel();
      }}
      aria-describedby={warning ? `${props.testId ?? "inline-edit"}-warning` : undefined}
    />
    {warning && (
      <span className="axis-warning" id={`${props.testId ?? "inline-edit"}-warning`} role="status" data-testid="name-warning">
        {warning}
      </span>
    )}
    </>
  );
}
