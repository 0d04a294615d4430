/** Group by, comparison and chart option sections of the metric card form. */
import type { ChartKind, ComparisonPeriod, DateField, QuestionInfo, TimeBucket } from "../ipc";
import { isEmbeddedField } from "../lib/model";
import { defaultTimeGroup, type Draft } from "./draft";

interface SectionProps {
  draft: Draft;
  set: (patch: Partial<Draft>) => void;
  error?: string;
}

const BUCKETS: TimeBucket[] = ["day", "week", "month", "quarter"];
const DATE_FIELDS: { value: DateField; label: string }[] = [
  { value: "endDate", label: "End date (completed)" },
  { value: "startDate", label: "Start date" },
  { value: "recordedDate", label: "Recorded date" },
];

function groupValue(d: Draft): string {
  switch (d.groupBy.kind) {
    case "none":
      return "none";
    case "question":
      return `q:${d.groupBy.questionId}`;
    case "field":
      return `f:${d.groupBy.name}`;
    case "time":
      return "time";
  }
}

export function GroupBySection(props: SectionProps & { questions: QuestionInfo[] }) {
  const { draft, set } = props;
  const choiceQuestions = props.questions.filter(
    (q) => !isEmbeddedField(q) && !q.deleted && q.choices.length > 0 && q.qid !== draft.questionId && q.subQuestions.length === 0,
  );
  // A question answered per row groups by one of its rows (`QIDn.<row>`, which the core
  // accepts): a drill-down level (e.g. Country), or a statement of a matrix (or of a
  // side-by-side column) answered on its choices.
  const rowsOf = (keep: (q: QuestionInfo) => boolean) =>
    props.questions
      .filter((q) => !isEmbeddedField(q) && !q.deleted && q.qid !== draft.questionId && q.choices.length > 0 && keep(q))
      .flatMap((q) => q.subQuestions.map((s) => ({ id: `${q.qid}.${s.id}`, label: `${q.exportTag ?? q.qid} — ${s.label}` })));
  const drillLevels = rowsOf((q) => q.questionType === "DD");
  const matrixRows = rowsOf((q) => q.questionType !== "DD");
  const fields = props.questions.filter(isEmbeddedField);
  const onChange = (v: string) => {
    if (v === "none") set({ groupBy: { kind: "none" } });
    else if (v === "time") set({ groupBy: defaultTimeGroup() });
    else if (v.startsWith("q:")) set({ groupBy: { kind: "question", questionId: v.slice(2) } });
    else if (v.startsWith("f:")) set({ groupBy: { kind: "field", name: v.slice(2) } });
  };
  const g = draft.groupBy;
  return (
    <div className="field">
      <label className="field__label" htmlFor="metric-group">
        Group by
      </label>
      <div className="form-row">
        <select id="metric-group" className="input" data-testid="metric-group-by" value={groupValue(draft)} onChange={(e) => onChange(e.target.value)}>
          <option value="none" disabled={draft.cardType === "series"}>
            None
          </option>
          {choiceQuestions.length > 0 && (
            <optgroup label="Choice question">
              {choiceQuestions.map((q) => (
                <option key={q.qid} value={`q:${q.qid}`}>
                  {(q.exportTag ?? q.qid) + " — " + q.text.slice(0, 60)}
                </option>
              ))}
            </optgroup>
          )}
          {drillLevels.length > 0 && (
            <optgroup label="Drill-down level">
              {drillLevels.map((l) => (
                <option key={l.id} value={`q:${l.id}`}>
                  {l.label}
                </option>
              ))}
            </optgroup>
          )}
          {matrixRows.length > 0 && (
            <optgroup label="Matrix row">
              {matrixRows.map((r) => (
                <option key={r.id} value={`q:${r.id}`}>
                  {r.label}
                </option>
              ))}
            </optgroup>
          )}
          {fields.length > 0 && (
            <optgroup label="Embedded data field">
              {fields.map((f) => (
                <option key={f.qid} value={`f:${f.qid}`}>
                  {f.text || f.qid}
                </option>
              ))}
            </optgroup>
          )}
          <optgroup label="Time">
            <option value="time">Time bucket</option>
          </optgroup>
        </select>
        {g.kind === "time" && (
          <>
            <select
              className="input"
              aria-label="Time bucket"
              data-testid="metric-time-bucket"
              value={g.bucket}
              onChange={(e) => set({ groupBy: { ...g, bucket: e.target.value as TimeBucket } })}
            >
              {BUCKETS.map((b) => (
                <option key={b} value={b}>
                  {b[0].toUpperCase() + b.slice(1)}
                </option>
              ))}
            </select>
            <select
              className="input"
              aria-label="Date field"
              value={g.dateField}
              onChange={(e) => set({ groupBy: { ...g, dateField: e.target.value as DateField } })}
            >
              {DATE_FIELDS.map((f) => (
                <option key={f.value} value={f.value}>
                  {f.label}
                </option>
              ))}
            </select>
          </>
        )}
      </div>
      {props.error && (
        <p className="field__error" role="alert">
          {props.error}
        </p>
      )}
    </div>
  );
}

export function ComparisonSection(props: SectionProps & { questions: QuestionInfo[] }) {
  const { draft, set } = props;
  const c = draft.comparison;
  const g = draft.groupBy;
  const groupQuestion = g.kind === "question" ? props.questions.find((q) => q.qid === g.questionId) : undefined;
  return (
    <fieldset className="field subpanel" data-testid="metric-comparison">
      <legend className="field__label">Compare</legend>
      <div className="form-row">
        <select
          className="input"
          aria-label="Comparison"
          data-testid="metric-comparison-kind"
          value={c.kind}
          onChange={(e) =>
            set({ comparison: e.target.value === "groups" ? { kind: "groups", a: "", b: "" } : { kind: "previousPeriod", period: "month" } })
          }
        >
          <option value="previousPeriod">This period vs the previous one</option>
          <option value="groups">Two groups</option>
        </select>
        {c.kind === "previousPeriod" && (
          <select
            className="input"
            aria-label="Period"
            value={c.period}
            onChange={(e) => set({ comparison: { kind: "previousPeriod", period: e.target.value as ComparisonPeriod } })}
          >
            <option value="month">Month</option>
            <option value="quarter">Quarter</option>
            <option value="year">Year</option>
          </select>
        )}
        {c.kind === "groups" &&
          (["a", "b"] as const).map((side) =>
            groupQuestion ? (
              <select
                key={side}
                className="input"
                aria-label={`Group ${side.toUpperCase()}`}
                value={c[side]}
                onChange={(e) => set({ comparison: { ...c, [side]: e.target.value } })}
              >
                <option value="">Group {side.toUpperCase()}…</option>
                {groupQuestion.choices.map((ch) => (
                  <option key={ch.id} value={ch.id}>
                    {ch.label}
                  </option>
                ))}
              </select>
            ) : (
              <input
                key={side}
                className="input"
                aria-label={`Group ${side.toUpperCase()}`}
                placeholder={`Group ${side.toUpperCase()} value`}
                value={c[side]}
                onChange={(e) => set({ comparison: { ...c, [side]: e.target.value } })}
              />
            ),
          )}
      </div>
      <p className="field__hint">
        {c.kind === "previousPeriod"
          ? "Periods are anchored at the latest response date."
          : "Choose Group by a question or field above, then the two groups."}
      </p>
      {props.error && (
        <p className="field__error" role="alert">
          {props.error}
        </p>
      )}
    </fieldset>
  );
}

const CHART_KINDS: { value: ChartKind; label: string }[] = [
  { value: "none", label: "No chart" },
  { value: "bar", label: "Bar" },
  { value: "line", label: "Line" },
  { value: "donut", label: "Donut / gauge" },
  { value: "stackedBar", label: "Stacked bar" },
];

export function ChartSection(props: SectionProps) {
  const { draft, set } = props;
  return (
    <fieldset className="field subpanel">
      <legend className="field__label">Chart</legend>
      <div className="form-row form-row--center">
        <select className="input" aria-label="Chart kind" data-testid="metric-chart-kind" value={draft.chartKind} onChange={(e) => set({ chartKind: e.target.value as ChartKind })}>
          {CHART_KINDS.map((k) => (
            <option key={k.value} value={k.value}>
              {k.label}
            </option>
          ))}
        </select>
        <label className="checkbox checkbox--inline">
          <input type="checkbox" checked={draft.showN} onChange={(e) => set({ showN: e.target.checked })} />
          <span>Show n</span>
        </label>
        <label className="inline-number">
          <span>Decimals</span>
          <input
            className="input input--narrow"
            type="number"
            min={0}
            max={4}
            data-testid="metric-decimals"
            value={Number.isNaN(draft.decimals) ? "" : draft.decimals}
            onChange={(e) => set({ decimals: e.target.value === "" ? NaN : Number(e.target.value) })}
          />
        </label>
      </div>
      {props.error && (
        <p className="field__error" role="alert">
          {props.error}
        </p>
      )}
    </fieldset>
  );
}
