/**
 * Date range and date field of a card: presets (all time, last N days, this/last calendar
 * unit) or custom from–to dates, validated per end; the date field that places a response in
 * time (recorded date by default, as Qualtrics reports do).
 */
import type { DateField } from "../ipc";
import { DATE_FIELD_LABELS, RANGE_OPTIONS, rangeFromKey, rangeKey } from "../lib/ranges";
import type { Draft } from "./draft";
import { FieldError, InlineInput } from "./fields";

export function RangeSection(props: {
  draft: Draft;
  set: (patch: Partial<Draft>) => void;
  errors: { rangeFrom?: string; rangeTo?: string };
}) {
  const { draft, set } = props;
  const r = draft.range;
  const setDateField = (dateField: DateField) =>
    // A time series places responses with the same date field as the range.
    set({ dateField, groupBy: draft.groupBy.kind === "time" ? { ...draft.groupBy, dateField } : draft.groupBy });
  return (
    <fieldset className="field subpanel" data-testid="metric-range-section">
      <legend className="field__label">Date range</legend>
      <div className="form-row">
        <select
          className="input"
          aria-label="Date range"
          data-testid="metric-range"
          value={rangeKey(r)}
          onChange={(e) => set({ range: rangeFromKey(e.target.value, r) })}
        >
          {RANGE_OPTIONS.map((o) => (
            <option key={o.key} value={o.key}>
              {o.label}
            </option>
          ))}
        </select>
        <select
          className="input"
          aria-label="Date field"
          data-testid="metric-date-field"
          value={draft.dateField}
          onChange={(e) => setDateField(e.target.value as DateField)}
        >
          {(Object.keys(DATE_FIELD_LABELS) as DateField[]).map((f) => (
            <option key={f} value={f}>
              {DATE_FIELD_LABELS[f]}
              {f === "recordedDate" ? " (default)" : ""}
            </option>
          ))}
        </select>
      </div>
      {r.kind === "custom" && (
        <div className="form-row">
          <InlineInput
            label="From"
            type="date"
            error={props.errors.rangeFrom}
            data-testid="metric-range-from"
            value={r.from}
            onChange={(e) => set({ range: { ...r, from: e.target.value } })}
          />
          <InlineInput
            label="To"
            type="date"
            error={props.errors.rangeTo}
            data-testid="metric-range-to"
            value={r.to}
            onChange={(e) => set({ range: { ...r, to: e.target.value } })}
          />
        </div>
      )}
      <FieldError error={props.errors.rangeFrom} testId="metric-range-from-error" />
      <FieldError error={props.errors.rangeTo} testId="metric-range-to-error" />
      <p className="field__hint">
        {r.kind === "all"
          ? "Every finished response."
          : r.kind === "custom"
            ? "Both days included, in your time zone."
            : "Counted back from today in your time zone; the card shows the exact dates."}
      </p>
    </fieldset>
  );
}
