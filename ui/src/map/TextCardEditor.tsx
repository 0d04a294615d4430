/**
 * Inline editor of a text card: Ctrl/Cmd+Enter or Save stores, Escape cancels; empty text is
 * refused. The text field takes the focus when it opens, also when a menu item opened it
 * (the closing menu hands focus back to its button first, which then goes away).
 */
import { useEffect, useRef, useState } from "react";

export function TextCardEditor(props: { initial: string; onSave: (text: string) => void; onCancel: () => void }) {
  const [text, setText] = useState(props.initial);
  const field = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const frame = requestAnimationFrame(() => {
      if (document.activeElement !== field.current) field.current?.focus();
    });
    return () => cancelAnimationFrame(frame);
  }, []);
  const save = () => {
    const t = text.trim();
    if (t) props.onSave(t);
  };
  return (
    <div className="card card--text card--editing">
      <textarea
        ref={field}
        className="input textarea"
        aria-label="Card text"
        data-testid="text-card-input"
        autoFocus
        rows={3}
        value={text}
        placeholder="What happens here? e.g. “Customer receives the welcome email”"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) save();
          else if (e.key === "Escape") props.onCancel();
        }}
      />
      <div className="card__edit-actions">
        <button type="button" className="button button--ghost button--small" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="button" className="button button--primary button--small" data-testid="text-card-save" disabled={!text.trim()} onClick={save}>
          Save
        </button>
      </div>
    </div>
  );
}
