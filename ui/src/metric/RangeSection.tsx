/**
 * Date range and date field of a card: presets (all time, last N days, this/last calendar
 * unit) or custom from–to dates, validated per end; the date field that places a response in
 * time (recorded date by default, as Qualtrics reports do).
 */
import type { DateField } from "../ipc";
import { DATE_FIELD_LABELS, RANGE_OPTIONS, rangeFromKey, rangeKey } from "../lib/ranges";
import type { Draft } from "./draft";

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
          <label className="inline-field">
            <span>From</span>
            <input
              type="date"
              className={`input${props.errors.rangeFrom ? " input--invalid" : ""}`}
              data-testid="metric-range-from"
              value={r.from}
              aria-invalid={!!props.errors.rangeFrom}
              onChange={(e) => set({ range: { ...r, from: e.target.value } })}
            />
          </label>
          <label className="inline-field">
            <span>To</span>
            <input
              type="date"
              className={`input${props.errors.rangeTo ? " input--invalid" : ""}`}
              data-testid="metric-range-to"
              value={r.to}
              aria-invalid={!!props.errors.rangeTo}
              onChange={(e) => set({ range: { ...r, to: e.target.value } })}
            />
          </label>
        </div>
      )}
      {props.errors.rangeFrom && (
        <p className="field__error" role="alert" data-testid="metric-range-from-error">
          {props.errors.rangeFrom}
        </p>
      )}
      {props.errors.rangeTo && (
        <p className="field__error" role="alert" data-testid="metric-range-to-error">
          {props.errors.rangeTo}
        </p>
      )}
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
