/**
 * Create / edit a metric card: name, type, survey (searchable), question (with its type),
 * matrix row, group by, calculation (only compatible ones), comparison, chart options, live
 * preview and validation messages.
 */
import { useEffect, useMemo, useState } from "react";
import { useAppState } from "../AppState";
import { Banner } from "../components/Banner";
import { Combobox } from "../components/Combobox";
import { Spinner } from "../components/Feedback";
import { Modal } from "../components/Modal";
import {
  api,
  toIpcError,
  type CardType,
  type IpcError,
  type MetricCardConfig,
  type QuestionInfo,
  type SurveySummaryDto,
} from "../ipc";
import { calculationId, calculationOptions, defaultCalculation, questionTypeLabel } from "../lib/calculations";
import { formatCount } from "../lib/format";
import { isEmbeddedField } from "../lib/model";
import { EMPTY_DRAFT, defaultTimeGroup, fromConfig, toConfig, unitOf, validateDraft, type Draft } from "./draft";
import { useNavigate } from "../navigation";
import { GroupBySection, ComparisonSection, ChartSection, HeadingSection, SplitSection } from "./sections";
import { MetricPreview } from "./MetricPreview";
import { RangeSection } from "./RangeSection";
import { FilterEditor } from "./FilterEditor";
import { TargetSection } from "./TargetSection";

/**
 * A field's error shows once the user tried to save or touched that field; a few errors are
 * also caused by another field (e.g. Group by = the measured question), so touching that one
 * shows them too.
 */
const CAUSED_BY: Record<string, string[]> = {
  calculation: ["questionId"],
  groupBy: ["questionId", "cardType"],
  comparison: ["groupBy", "cardType", "range", "target", "filters"],
  subQuestionId: ["questionId"],
  rangeFrom: ["range"],
  rangeTo: ["range"],
  targetValue: ["target"],
  targetAmber: ["target"],
  minN: ["target"],
  splitBy: ["questionId", "cardType"],
};

/** Errors that do not change the value: the preview still runs while they are shown. */
const COSMETIC = new Set(["name", "heading", "subheading"]);

const TYPES: { value: CardType; label: string; hint: string }[] = [
  { value: "number", label: "Number", hint: "One value" },
  { value: "series", label: "Series", hint: "Over time" },
  { value: "comparison", label: "Comparison", hint: "Period or groups" },
];

export function MetricModal(props: {
  initial: MetricCardConfig | null;
  onSave: (config: MetricCardConfig) => Promise<boolean>;
  onClose: () => void;
}) {
  const { status } = useAppState();
  const navigate = useNavigate();
  const [draft, setDraft] = useState<Draft>(props.initial ? fromConfig(props.initial) : EMPTY_DRAFT);
  const [surveys, setSurveys] = useState<SurveySummaryDto[] | null>(null);
  const [surveysError, setSurveysError] = useState<IpcError | null>(null);
  const [questions, setQuestions] = useState<QuestionInfo[] | null>(null);
  const [questionsError, setQuestionsError] = useState<IpcError | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    api
      .listSurveys()
      .then((s) => setSurveys(s.filter((x) => !x.deleted || x.id === props.initial?.surveyId)))
      .catch((e) => setSurveysError(toIpcError(e)));
  }, [props.initial?.surveyId]);

  useEffect(() => {
    setQuestions(null);
    setQuestionsError(null);
    if (!draft.surveyId) return;
    let cancelled = false;
    api
      .surveyQuestions(draft.surveyId)
      .then((q) => !cancelled && setQuestions(q))
      .catch((e) => !cancelled && setQuestionsError(toIpcError(e)));
    return () => {
      cancelled = true;
    };
  }, [draft.surveyId]);

  const measurable = useMemo(() => (questions ?? []).filter((q) => !isEmbeddedField(q) && !q.deleted), [questions]);
  const question = measurable.find((q) => q.qid === draft.questionId) ?? null;
  const calcOptions = calculationOptions(question);
  const errors = validateDraft(draft, questions ? question : null);
  const config = toConfig(draft);
  const previewable = config && Object.keys(errors).every((k) => COSMETIC.has(k));

  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const touch = (field: string) => setTouched((t) => (t.has(field) ? t : new Set(t).add(field)));
  /** `set` for a form section: the change also marks `field` as touched. */
  const setTouching = (field: string) => (patch: Partial<Draft>) => {
    touch(field);
    set(patch);
  };

  const pickQuestion = (id: string) => {
    touch("questionId");
    const q = measurable.find((x) => x.qid === id) ?? null;
    const keep = draft.calculation && calculationOptions(q).some((o) => o.id === calculationId(draft.calculation!));
    set({
      questionId: id,
      subQuestionId: q && q.subQuestions.length > 0 ? q.subQuestions[0].id : null,
      calculation: keep ? draft.calculation : defaultCalculation(q),
      name: draft.name || (q ? q.text.slice(0, 60) : ""),
    });
  };

  const save = async () => {
    setSubmitted(true);
    if (Object.keys(errors).length || !config) return;
    setSaving(true);
    const ok = await props.onSave(config);
    if (!ok) setSaving(false);
  };

  /** No error before the user did anything: only after a save attempt or touching the field. */
  const show = (field: string) =>
    !!errors[field] &&
    (submitted || touched.has(field) || (CAUSED_BY[field] ?? []).some((f) => touched.has(f)) || (field.startsWith("filter") && touched.has("filters")));
  /** The shown subset of the errors whose names are listed. */
  const shown = (...fields: string[]) => Object.fromEntries(fields.filter(show).map((f) => [f, errors[f]]));
  const userName = status?.userName;
  /** Without a connection and nothing cached there is no survey to pick: say why, and where to go. */
  const unconnected =
    status?.state === "notConfigured" &&
    ((surveys !== null && surveys.length === 0) || surveysError?.kind === "notConfigured");

  return (
    <Modal
      title={props.initial ? "Edit metric card" : "New metric card"}
      onClose={props.onClose}
      wide
      testId="metric-modal"
      footer={
        <>
          {submitted && Object.keys(errors).length > 0 && (
            <span className="field__error footer__error" role="alert" data-testid="metric-form-invalid">
              Fix the highlighted fields to save.
            </span>
          )}
          <button type="button" className="button button--ghost" onClick={props.onClose}>
            Cancel
          </button>
          <button type="button" className="button button--primary" data-testid="metric-save" disabled={saving} onClick={() => void save()}>
            {saving ? <Spinner /> : null} {props.initial ? "Save card" : "Add card"}
          </button>
        </>
      }
    >
      {unconnected && (
        <Banner
          tone="info"
          title="Qualtrics is not connected"
          testId="metric-not-connected"
          compact
          actions={
            <button
              type="button"
              className="button button--small"
              data-testid="metric-open-integrations"
              onClick={() => {
                props.onClose();
                navigate({ name: "integrations" });
              }}
            >
              Open Integrations
            </button>
          }
        >
          Metric cards read survey responses from Qualtrics. Connect your account, or try the demo data, in Integrations.
        </Banner>
      )}
      <div className="metric-form">
        <div className="metric-form__fields">
          <div className="field">
            <label className="field__label" htmlFor="metric-name">
              Name
            </label>
            <input
              id="metric-name"
              className={`input${show("name") ? " input--invalid" : ""}`}
              data-testid="metric-name-input"
              value={draft.name}
              placeholder="e.g. Onboarding NPS"
              onChange={(e) => setTouching("name")({ name: e.target.value })}
            />
            {show("name") && <FieldError text={errors.name} />}
          </div>
          <HeadingSection draft={draft} set={setTouching("heading")} errors={{ ...shown("heading", "subheading") }} />
          <fieldset className="field">
            <legend className="field__label">Type</legend>
            <div className="segmented" role="radiogroup" aria-label="Type">
              {TYPES.map((t) => (
                <label key={t.value} className={`segmented__item${draft.cardType === t.value ? " is-checked" : ""}`}>
                  <input
                    type="radio"
                    name="card-type"
                    value={t.value}
                    checked={draft.cardType === t.value}
                    data-testid={`metric-type-${t.value}`}
                    onChange={() =>
                      setTouching("cardType")({
                        cardType: t.value,
                        groupBy: t.value === "series" && draft.groupBy.kind !== "time" ? defaultTimeGroup("month", draft.dateField) : draft.groupBy,
                        chartKind: t.value === "series" ? "line" : draft.chartKind === "line" ? "bar" : draft.chartKind,
                      })
                    }
                  />
                  <span>{t.label}</span>
                  <small>{t.hint}</small>
                </label>
              ))}
            </div>
          </fieldset>
          <Combobox
            label="Survey"
            testId="metric-survey"
            value={draft.surveyId}
            loading={surveys === null && !surveysError}
            placeholder="Search surveys…"
            options={(surveys ?? []).map((s) => ({
              value: s.id,
              label: s.name,
              detail: `${formatCount(s.responseCount)} responses${s.isActive ? "" : " · inactive"}`,
            }))}
            emptyText={
              unconnected ? (
                <>No surveys yet: Qualtrics is not connected. Connect it in Integrations.</>
              ) : surveysError ? (
                surveysError.message
              ) : status?.state === "notConfigured" ? (
                <>No surveys yet: Qualtrics is not connected. Connect it in Integrations.</>
              ) : (
                <>
                  No surveys visible to this token — share surveys with {userName ?? "the token's user"} in Qualtrics.
                </>
              )
            }
            onChange={(id) => setTouching("surveyId")({ surveyId: id, questionId: null, subQuestionId: null, calculation: null, groupBy: draft.cardType === "series" ? draft.groupBy : { kind: "none" } })}
          />
          {surveysError && !unconnected && <FieldError text={`Surveys could not be loaded: ${surveysError.message}`} />}
          {show("surveyId") && <FieldError text={errors.surveyId} />}
          <div className="field">
            <label className="field__label" htmlFor="metric-question">
              Question
            </label>
            <select
              id="metric-question"
              className="input"
              data-testid="metric-question"
              disabled={!draft.surveyId || questions === null}
              value={draft.questionId ?? ""}
              onChange={(e) => pickQuestion(e.target.value)}
            >
              <option value="" disabled>
                {!draft.surveyId ? "Pick a survey first" : questions === null && !questionsError ? "Loading questions…" : "Choose a question"}
              </option>
              {measurable.map((q) => (
                <option key={q.qid} value={q.qid}>
                  {(q.exportTag ?? q.qid) + " — " + q.text.slice(0, 70)} ({questionTypeLabel(q)})
                </option>
              ))}
            </select>
            {question && (
              <p className="field__hint" data-testid="metric-question-type">
                {questionTypeLabel(question)} · {question.choices.filter((c) => c.analyze).length} analysable choices
                {question.choices.some((c) => !c.analyze) ? " (“Don’t know”-style choices excluded)" : ""}
              </p>
            )}
            {draft.surveyId && questions === null && !questionsError && (
              <p className="field__hint field__hint--busy" data-testid="metric-questions-loading">
                <Spinner label="Loading questions" /> Loading the survey’s questions (the first time, they are downloaded from
                Qualtrics)…
              </p>
            )}
            {questions !== null && measurable.length === 0 && (
              <p className="field__hint" data-testid="metric-no-questions">
                No questions are available for this survey yet. They are downloaded with the survey’s first refresh.
              </p>
            )}
            {questionsError && <FieldError text={`Questions could not be loaded: ${questionsError.message}`} />}
            {show("questionId") && <FieldError text={errors.questionId} />}
          </div>
          {question && question.subQuestions.length > 0 && (
            <div className="field">
              <label className="field__label" htmlFor="metric-subq">
                {rowLabel(question.questionType)}
              </label>
              <select id="metric-subq" className="input" value={draft.subQuestionId ?? ""} onChange={(e) => setTouching("subQuestionId")({ subQuestionId: e.target.value })}>
                {question.subQuestions.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.label}
                  </option>
                ))}
              </select>
              {show("subQuestionId") && <FieldError text={errors.subQuestionId} />}
            </div>
          )}
          <div className="field">
            <label className="field__label" htmlFor="metric-calc">
              Calculation
            </label>
            <select
              id="metric-calc"
              className="input"
              data-testid="metric-calculation"
              disabled={!question}
              value={draft.calculation ? calculationId(draft.calculation) : ""}
              onChange={(e) => setTouching("calculation")({ calculation: calcOptions.find((o) => o.id === e.target.value)?.calc ?? null })}
            >
              <option value="" disabled>
                {question ? "Choose a calculation" : "Pick a question first"}
              </option>
              {calcOptions.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.label}
                </option>
              ))}
            </select>
            {show("calculation") && <FieldError text={errors.calculation} />}
          </div>
          <RangeSection draft={draft} set={setTouching("range")} errors={shown("rangeFrom", "rangeTo")} />
          <fieldset className="field subpanel" data-testid="metric-filters-section">
            <legend className="field__label">Segment</legend>
            <FilterEditor
              surveyId={draft.surveyId}
              questions={questions ?? []}
              filters={draft.filters}
              excludeQuestionId={draft.questionId}
              testId="metric-filter"
              errors={shown(...draft.filters.map((_, i) => `filter${i}`))}
              onChange={(filters) => setTouching("filters")({ filters })}
            />
          </fieldset>
          <GroupBySection draft={draft} set={setTouching("groupBy")} questions={questions ?? []} error={show("groupBy") ? errors.groupBy : undefined} />
          {draft.cardType === "series" && (
            <SplitSection draft={draft} set={setTouching("splitBy")} questions={questions ?? []} error={show("splitBy") ? errors.splitBy : undefined} />
          )}
          {draft.cardType === "comparison" && (
            <ComparisonSection draft={draft} set={setTouching("comparison")} questions={questions ?? []} error={show("comparison") ? errors.comparison : undefined} />
          )}
          <TargetSection
            draft={draft}
            set={setTouching("target")}
            unit={draft.calculation ? unitOf(draft.calculation) : "number"}
            errors={shown("targetValue", "targetAmber", "minN")}
          />
          <ChartSection draft={draft} set={setTouching("decimals")} error={show("decimals") ? errors.decimals : undefined} />
        </div>
        <MetricPreview config={previewable ? config : null} blocked={!!config && !previewable} />
      </div>
    </Modal>
  );
}

export function FieldError(props: { text?: string }) {
  if (!props.text) return null;
  return (
    <p className="field__error" role="alert">
      {props.text}
    </p>
  );
}

/** What a question's rows are called: matrix statements, slider bars, drill-down levels, ... */
function rowLabel(questionType: string): string {
  switch (questionType) {
    case "Slider":
      return "Slider bar";
    case "DD":
      return "Drill-down level";
    case "TE":
      return "Form field";
    case "CS":
    case "RO":
      return "Item";
    default:
      return "Matrix row";
  }
}
