/**
 * Searchable single-select combobox (ARIA 1.2 pattern): type to filter, arrows to move,
 * Enter to pick, Escape to close. Shows `emptyText` when nothing matches or no options exist.
 */
import { useId, useMemo, useRef, useState, type ReactNode } from "react";

export interface ComboOption {
  value: string;
  label: string;
  detail?: string;
}

export function Combobox(props: {
  label: string;
  options: ComboOption[];
  value: string | null;
  onChange: (value: string) => void;
  placeholder?: string;
  emptyText?: ReactNode;
  loading?: boolean;
  testId?: string;
  disabled?: boolean;
}) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const selected = props.options.find((o) => o.value === props.value) ?? null;

  const filtered = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (!q) return props.options;
    return props.options.filter(
      (o) => o.label.toLowerCase().includes(q) || (o.detail ?? "").toLowerCase().includes(q),
    );
  }, [props.options, query]);

  const pick = (o: ComboOption) => {
    props.onChange(o.value);
    setOpen(false);
    setQuery("");
  };

  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === "ArrowDown") {
      setOpen(true);
      setActive((a) => Math.min(a + 1, filtered.length - 1));
    } else if (e.key === "ArrowUp") setActive((a) => Math.max(a - 1, 0));
    else if (e.key === "Enter" && open && filtered[active]) pick(filtered[active]);
    else if (e.key === "Escape" && open) {
      e.stopPropagation();
      setOpen(false);
    } else return;
    e.preventDefault();
  };

  return (
    <div className="field combobox">
      <label className="field__label" htmlFor={id}>
        {props.label}
      </label>
      <input
        ref={input}
        id={id}
        className="input combobox__input"
        role="combobox"
        aria-expanded={open}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={open && filtered[active] ? `${id}-opt-${active}` : undefined}
        autoComplete="off"
        disabled={props.disabled}
        data-testid={props.testId}
        placeholder={selected ? selected.label : (props.placeholder ?? "Search…")}
        value={open ? query : (selected?.label ?? "")}
        onFocus={() => {
          setOpen(true);
          setQuery("");
          setActive(0);
        }}
        onBlur={() => setTimeout(() => setOpen(false), 120)}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onKeyDown={onKey}
      />
      {open && (
        <ul className="combobox__list" role="listbox" id={`${id}-list`} aria-label={props.label}>
          {props.loading && <li className="combobox__empty">Loading…</li>}
          {!props.loading && filtered.length === 0 && (
            <li className="combobox__empty" data-testid={props.testId ? `${props.testId}-empty` : undefined}>
              {props.options.length === 0 ? props.emptyText : "No match"}
            </li>
          )}
          {!props.loading &&
            filtered.map((o, i) => (
              <li
                key={o.value}
                id={`${id}-opt-${i}`}
                role="option"
                aria-selected={o.value === props.value}
                className={`combobox__option${i === active ? " is-active" : ""}`}
                onMouseDown={(e) => {
                  e.preventDefault();
                  pick(o);
                }}
                onMouseEnter={() => setActive(i)}
              >
                <span>{o.label}</span>
                {o.detail && <span className="combobox__detail">{o.detail}</span>}
              </li>
            ))}
        </ul>
      )}
    </div>
  );
}
