/** Group by, comparison and chart option sections of the metric card form. */
import type { ChartKind, ComparisonPeriod, ComparisonSpec, QuestionInfo, SegmentFilter, TimeBucket } from "../ipc";
import { isEmbeddedField } from "../lib/model";
import { defaultTimeGroup, MAX_SPLIT_LINES, type Draft } from "./draft";
import { FilterEditor } from "./FilterEditor";
import { FieldError } from "./fields";

interface SectionProps {
  draft: Draft;
  set: (patch: Partial<Draft>) => void;
  error?: string;
}

const BUCKETS: TimeBucket[] = ["day", "week", "month", "quarter"];

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

/** The "Choice question" group of a group-by or split-by select (`q:<qid>` values). */
function ChoiceQuestionOptions({ questions }: { questions: QuestionInfo[] }) {
  if (questions.length === 0) return null;
  return (
    <optgroup label="Choice question">
      {questions.map((q) => (
        <option key={q.qid} value={`q:${q.qid}`}>
          {(q.exportTag ?? q.qid) + " — " + q.text.slice(0, 60)}
        </option>
      ))}
    </optgroup>
  );
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
    else if (v === "time") set({ groupBy: defaultTimeGroup("month", draft.dateField) });
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
          <ChoiceQuestionOptions questions={choiceQuestions} />
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
          </>
        )}
      </div>
      <FieldError error={props.error} />
    </div>
  );
}

const COMPARISONS: { kind: ComparisonSpec["kind"]; label: string; hint: string }[] = [
  { kind: "previousRange", label: "Previous period of the same length", hint: "The card's date range against the same number of days just before it." },
  { kind: "yearEarlier", label: "Same period a year earlier", hint: "The card's date range against the same dates one year earlier." },
  { kind: "segments", label: "Two segments", hint: "Two sets of filters side by side, over the card's date range." },
  { kind: "groups", label: "Two groups of Group by", hint: "Choose Group by a question or field above, then the two groups." },
  { kind: "target", label: "The target", hint: "The value against the card's target (set it below)." },
];

function emptyComparison(kind: string): ComparisonSpec {
  switch (kind) {
    case "groups":
      return { kind: "groups", a: "", b: "" };
    case "segments":
      return { kind: "segments", a: [], aLabel: "Segment A", b: [], bLabel: "Segment B" };
    case "yearEarlier":
      return { kind: "yearEarlier" };
    case "target":
      return { kind: "target" };
    case "previousPeriod":
      return { kind: "previousPeriod", period: "month" };
    default:
      return { kind: "previousRange" };
  }
}

export function ComparisonSection(props: SectionProps & { questions: QuestionInfo[]; filterErrors?: Record<string, string> }) {
  const { draft, set } = props;
  const c = draft.comparison;
  const g = draft.groupBy;
  const groupQuestion = g.kind === "question" ? props.questions.find((q) => q.qid === g.questionId) : undefined;
  const hint = c.kind === "previousPeriod" ? "Calendar periods, anchored at the latest response date (older cards)." : COMPARISONS.find((x) => x.kind === c.kind)?.hint;
  return (
    <fieldset className="field subpanel" data-testid="metric-comparison">
      <legend className="field__label">Compare</legend>
      <div className="form-row">
        <select
          className="input"
          aria-label="Comparison"
          data-testid="metric-comparison-kind"
          value={c.kind}
          onChange={(e) => set({ comparison: emptyComparison(e.target.value) })}
        >
          {COMPARISONS.map((x) => (
            <option key={x.kind} value={x.kind}>
              {x.label}
            </option>
          ))}
          {/* Cards made before date ranges keep their calendar comparison. */}
          {c.kind === "previousPeriod" && <option value="previousPeriod">This calendar period vs the previous one</option>}
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
      {c.kind === "segments" && (
        <div className="segments">
          {(["a", "b"] as const).map((side) => {
            const labelKey = side === "a" ? "aLabel" : "bLabel";
            return (
              <div key={side} className="segments__side" data-testid={`segment-${side}`}>
                <label className="inline-field">
                  <span>Name</span>
                  <input
                    className="input"
                    data-testid={`segment-${side}-label`}
                    value={c[labelKey]}
                    onChange={(e) => set({ comparison: { ...c, [labelKey]: e.target.value } })}
                  />
                </label>
                <FilterEditor
                  surveyId={draft.surveyId}
                  questions={props.questions}
                  filters={c[side]}
                  excludeQuestionId={draft.questionId}
                  testId={`segment-${side}-filter`}
                  onChange={(filters: SegmentFilter[]) => set({ comparison: { ...c, [side]: filters } })}
                />
              </div>
            );
          })}
        </div>
      )}
      {hint && <p className="field__hint">{hint}</p>}
      <FieldError error={props.error} />
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
        <div className="segmented segmented--small" role="radiogroup" aria-label="Show as">
          {(["chart", "table"] as const).map((v) => (
            <label key={v} className={`segmented__item${draft.view === v ? " is-checked" : ""}`}>
              <input type="radio" name="card-view" value={v} checked={draft.view === v} data-testid={`metric-view-${v}`} onChange={() => set({ view: v })} />
              <span>{v === "chart" ? "Chart" : "Table"}</span>
            </label>
          ))}
        </div>
      </div>
      <div className="form-row form-row--center">
        <label className="checkbox checkbox--inline">
          <input type="checkbox" checked={draft.showN} onChange={(e) => set({ showN: e.target.checked })} />
          <span>Show n</span>
        </label>
        <label className="checkbox checkbox--inline">
          <input type="checkbox" checked={draft.startAtZero} data-testid="metric-start-at-zero" onChange={(e) => set({ startAtZero: e.target.checked })} />
          <span>Start the axis at zero</span>
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
      {draft.chartKind === "none" && draft.groupBy.kind !== "none" && draft.groupBy.kind !== "time" && (
        <p className="field__hint">Without a chart the card lists its groups as a table.</p>
      )}
      <FieldError error={props.error} />
    </fieldset>
  );
}

/** Split a series into one line per group of a question or field (the core keeps 8). */
export function SplitSection(props: SectionProps & { questions: QuestionInfo[] }) {
  const { draft, set } = props;
  const choiceQuestions = props.questions.filter(
    (q) => !isEmbeddedField(q) && !q.deleted && q.choices.length > 0 && q.qid !== draft.questionId && q.subQuestions.length === 0,
  );
  const fields = props.questions.filter(isEmbeddedField);
  const value = !draft.splitBy ? "" : draft.splitBy.kind === "question" ? `q:${draft.splitBy.questionId}` : `f:${draft.splitBy.name}`;
  return (
    <div className="field">
      <label className="field__label" htmlFor="metric-split">
        Split into lines by
      </label>
      <select
        id="metric-split"
        className="input"
        data-testid="metric-split-by"
        value={value}
        onChange={(e) => {
          const v = e.target.value;
          set({ splitBy: v.startsWith("q:") ? { kind: "question", questionId: v.slice(2) } : v.startsWith("f:") ? { kind: "field", name: v.slice(2) } : null });
        }}
      >
        <option value="">No split: one line</option>
        <ChoiceQuestionOptions questions={choiceQuestions} />
        {fields.length > 0 && (
          <optgroup label="Embedded data field">
            {fields.map((f) => (
              <option key={f.qid} value={`f:${f.qid}`}>
                {f.text || f.qid}
              </option>
            ))}
          </optgroup>
        )}
      </select>
      <p className="field__hint">One line per group, at most {MAX_SPLIT_LINES}; smaller groups are folded into “Other”.</p>
      <FieldError error={props.error} />
    </div>
  );
}

/** Heading and subheading shown on the card (the heading defaults to the name). */
export function HeadingSection(props: SectionProps & { errors: { heading?: string; subheading?: string } }) {
  const { draft, set, errors } = props;
  return (
    <div className="form-row form-row--split">
      <div className="field">
        <label className="field__label" htmlFor="metric-heading">
          Heading <small className="muted">(optional)</small>
        </label>
        <input
          id="metric-heading"
          className={`input${errors.heading ? " input--invalid" : ""}`}
          data-testid="metric-heading-input"
          value={draft.heading}
          placeholder={draft.name || "Defaults to the name"}
          onChange={(e) => set({ heading: e.target.value })}
        />
        <FieldError error={errors.heading} />
      </div>
      <div className="field">
        <label className="field__label" htmlFor="metric-subheading">
          Subheading <small className="muted">(optional)</small>
        </label>
        <input
          id="metric-subheading"
          className={`input${errors.subheading ? " input--invalid" : ""}`}
          data-testid="metric-subheading-input"
          value={draft.subheading}
          placeholder="e.g. Enterprise customers"
          onChange={(e) => set({ subheading: e.target.value })}
        />
        <FieldError error={errors.subheading} />
      </div>
    </div>
  );
}
