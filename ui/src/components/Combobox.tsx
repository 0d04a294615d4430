/**
 * Searchable single-select combobox on react-aria-components' ComboBox (ARIA 1.2 pattern):
 * opens on focus with every option, type to filter (by name or detail), arrows move, Enter
 * picks, Escape closes. Shows `emptyText` when no option exists, "No match" when the filter
 * leaves none, "Loading…" while options load. The list is a popover rendered into the
 * enclosing dialog (or `<main>`), so it is not clipped by a scrolling dialog body and stays
 * inside a landmark for assistive tech.
 */
import { useLayoutEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { ComboBox, Input, Label, ListBox, ListBoxItem, Popover } from "react-aria-components";

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
  const selected = props.options.find((o) => o.value === props.value) ?? null;
  // What the user typed since the list opened; while null the field shows the selection.
  const [query, setQuery] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const [container, setContainer] = useState<Element | undefined>(undefined);
  useLayoutEffect(() => {
    setContainer(input.current?.closest("[role=dialog], main") ?? undefined);
  }, []);

  const filtered = useMemo(() => {
    const q = (query ?? "").trim().toLowerCase();
    if (!q) return props.options;
    return props.options.filter((o) => o.label.toLowerCase().includes(q) || (o.detail ?? "").toLowerCase().includes(q));
  }, [props.options, query]);

  return (
    <ComboBox
      className="field combobox"
      menuTrigger="focus"
      allowsEmptyCollection
      isDisabled={props.disabled}
      items={filtered}
      selectedKey={props.value}
      inputValue={query ?? selected?.label ?? ""}
      onInputChange={(v) => setQuery(v)}
      onOpenChange={(open) => {
        // Opening shows every option; closing shows the selection again.
        setQuery(open ? "" : null);
      }}
      onSelectionChange={(key) => {
        setQuery(null);
        // Leaving the field (Tab) re-commits the selection: only a different pick is a change,
        // so tabbing through the survey field keeps the question chosen after it.
        if (key !== null && String(key) !== props.value) props.onChange(String(key));
      }}
    >
      <Label className="field__label">{props.label}</Label>
      <Input
        ref={input}
        className="input combobox__input"
        data-testid={props.testId}
        placeholder={selected ? selected.label : (props.placeholder ?? "Search…")}
      />
      <Popover className="combobox__list" placement="bottom start" offset={4} UNSTABLE_portalContainer={container}>
        <ListBox
          className="combobox__options"
          renderEmptyState={() => (
            <div
              className="combobox__empty"
              data-testid={props.loading ? undefined : props.testId ? `${props.testId}-empty` : undefined}
            >
              {props.loading ? "Loading…" : props.options.length === 0 ? props.emptyText : "No match"}
            </div>
          )}
        >
          {(o: ComboOption) => (
            <ListBoxItem id={o.value} textValue={o.label} className="combobox__option">
              <span>{o.label}</span>
              {o.detail && <span className="combobox__detail">{o.detail}</span>}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </ComboBox>
  );
}
