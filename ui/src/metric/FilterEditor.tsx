/**
 * Segment filters of a card (or of one side of a segment comparison): each filter is an
 * embedded data field equal to one of some values (offered from the cache with their n), a
 * choice question answered with one of some choices, or a saved Qualtrics filter of the
 * survey. Filters combine with AND, which the list says in words.
 */
import { useEffect, useState } from "react";
import { api, toIpcError, type FieldValueCount, type QuestionInfo, type SavedFilter, type SegmentFilter } from "../ipc";
import { formatCount } from "../lib/format";
import { dataAsOfText, filterText, filtersText } from "../lib/cardFacts";
import { isEmbeddedField } from "../lib/model";

interface Props {
  surveyId: string | null;
  questions: QuestionInfo[];
  filters: SegmentFilter[];
  onChange: (filters: SegmentFilter[]) => void;
  /** data-testid prefix, e.g. "metric-filter" or "segment-a-filter". */
  testId: string;
  /** Field → message of the form's validation (`filter<i>`), shown under each filter. */
  errors?: Record<string, string>;
  /** The questions the card measures: not offered (filtering on the measured answer skews it). */
  excludeQuestionId?: string | null;
}

/** Choice questions (and matrix rows, as `QIDn.row`) a filter can test. */
export function filterQuestions(questions: QuestionInfo[], exclude?: string | null) {
  return questions
    .filter((q) => !isEmbeddedField(q) && !q.deleted && q.choices.length > 0 && q.qid !== exclude)
    .flatMap((q) =>
      q.subQuestions.length === 0
        ? [{ id: q.qid, label: `${q.exportTag ?? q.qid} — ${q.text.slice(0, 50)}`, question: q }]
        : q.subQuestions.map((s) => ({ id: `${q.qid}.${s.id}`, label: `${q.exportTag ?? q.qid} — ${s.label}`, question: q })),
    );
}

export function FilterEditor(props: Props) {
  const { filters, onChange, testId, questions } = props;
  const [saved, setSaved] = useState<SavedFilter[] | null>(null);
  const [savedError, setSavedError] = useState<string | null>(null);
  const fields = questions.filter(isEmbeddedField);
  const choiceQuestions = filterQuestions(questions, props.excludeQuestionId);
  const wantsSaved = filters.some((f) => f.kind === "saved");

  useEffect(() => {
    setSaved(null);
    setSavedError(null);
  }, [props.surveyId]);
  useEffect(() => {
    if (!wantsSaved || saved || savedError || !props.surveyId) return;
    let cancelled = false;
    api
      .listSurveyFilters(props.surveyId)
      .then((s) => !cancelled && setSaved(s))
      .catch((e) => !cancelled && setSavedError(toIpcError(e).message));
    return () => {
      cancelled = true;
    };
  }, [wantsSaved, saved, savedError, props.surveyId]);

  const add = (key: string) => {
    if (key.startsWith("f:")) onChange([...filters, { kind: "field", name: key.slice(2), values: [] }]);
    else if (key.startsWith("q:")) onChange([...filters, { kind: "question", questionId: key.slice(2), choices: [] }]);
    else if (key === "saved") onChange([...filters, { kind: "saved", filterId: "", name: "" }]);
  };
  const replace = (i: number, f: SegmentFilter) => onChange(filters.map((x, j) => (j === i ? f : x)));
  const remove = (i: number) => onChange(filters.filter((_, j) => j !== i));

  return (
    <div className="filters" data-testid={testId}>
      {filters.length === 0 ? (
        <p className="field__hint">No filter: every response counts.</p>
      ) : (
        <p className="filters__summary" data-testid={`${testId}-summary`}>
          {filtersText(filters, questions)}
        </p>
      )}
      <ol className="filters__list">
        {filters.map((f, i) => (
          <li key={i} className="filters__item" data-testid={`${testId}-item`}>
            {i > 0 && <span className="filters__and">and</span>}
            <div className="filters__head">
              <span className="filters__title">{filterText(f, questions)}</span>
              <button
                type="button"
                className="button button--ghost button--small"
                aria-label={`Remove filter ${i + 1}: ${filterText(f, questions)}`}
                data-testid={`${testId}-remove`}
                onClick={() => remove(i)}
              >
                Remove
              </button>
            </div>
            {f.kind === "field" && <FieldValues surveyId={props.surveyId} filter={f} testId={`${testId}-value`} onChange={(g) => replace(i, g)} />}
            {f.kind === "question" && (
              <ChoicePicker
                filter={f}
                question={choiceQuestions.find((q) => q.id === f.questionId)?.question}
                testId={`${testId}-value`}
                onChange={(g) => replace(i, g)}
              />
            )}
            {f.kind === "saved" && (
              <select
                className="input"
                aria-label="Saved Qualtrics filter"
                data-testid={`${testId}-saved`}
                value={f.filterId}
                onChange={(e) => {
                  const s = saved?.find((x) => x.id === e.target.value);
                  replace(i, { kind: "saved", filterId: s?.id ?? "", name: s?.name ?? "" });
                }}
              >
                <option value="">{saved === null && !savedError ? "Loading saved filters…" : "Choose a saved filter"}</option>
                {(saved ?? []).map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            )}
            {f.kind === "saved" && savedError && <p className="field__error">Saved filters could not be loaded: {savedError}</p>}
            {f.kind === "saved" && f.filterId && saved && <SavedMembers filter={saved.find((x) => x.id === f.filterId)} />}
            {f.kind === "saved" && saved !== null && saved.length === 0 && (
              <p className="field__hint">This survey has no saved filters in Qualtrics.</p>
            )}
            {props.errors?.[`filter${i}`] && (
              <p className="field__error" role="alert">
                {props.errors[`filter${i}`]}
              </p>
            )}
          </li>
        ))}
      </ol>
      <select
        className="input filters__add"
        aria-label="Add a filter"
        data-testid={`${testId}-add`}
        value=""
        disabled={!props.surveyId}
        onChange={(e) => add(e.target.value)}
      >
        <option value="">{props.surveyId ? "Add a filter…" : "Pick a survey to add filters"}</option>
        {fields.length > 0 && (
          <optgroup label="Embedded data field equals">
            {fields.map((f) => (
              <option key={f.qid} value={`f:${f.qid}`}>
                {f.text || f.qid}
              </option>
            ))}
          </optgroup>
        )}
        {choiceQuestions.length > 0 && (
          <optgroup label="Question answered with">
            {choiceQuestions.map((q) => (
              <option key={q.id} value={`q:${q.id}`}>
                {q.label}
              </option>
            ))}
          </optgroup>
        )}
        <optgroup label="Qualtrics">
          <option value="saved">Saved filter of the survey…</option>
        </optgroup>
      </select>
    </div>
  );
}

/** The values of an embedded data field in the cache, most frequent first, as checkboxes. */
function FieldValues(props: {
  surveyId: string | null;
  filter: Extract<SegmentFilter, { kind: "field" }>;
  testId: string;
  onChange: (f: SegmentFilter) => void;
}) {
  const { filter } = props;
  const [values, setValues] = useState<FieldValueCount[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!props.surveyId) return;
    let cancelled = false;
    setValues(null);
    api
      .fieldValues(props.surveyId, filter.name)
      .then((v) => !cancelled && setValues(v))
      .catch((e) => !cancelled && setError(toIpcError(e).message));
    return () => {
      cancelled = true;
    };
  }, [props.surveyId, filter.name]);
  if (error) return <p className="field__error">Values of {filter.name} could not be loaded: {error}</p>;
  if (values === null) return <p className="field__hint">Loading the values of {filter.name}…</p>;
  if (values.length === 0) return <p className="field__hint">No response in the cache has a value for {filter.name} yet.</p>;
  // Values the card already uses stay listed even if no cached response has them any more.
  const listed = [...values, ...filter.values.filter((v) => !values.some((x) => x.value === v)).map((value) => ({ value, n: 0 }))];
  return (
    <div className="filters__choices" role="group" aria-label={`Values of ${filter.name}`}>
      {listed.map((v) => (
        <Check
          key={v.value}
          testId={props.testId}
          value={v.value}
          label={v.value}
          detail={`n = ${formatCount(v.n)}`}
          checked={filter.values.includes(v.value)}
          onChange={(on) => props.onChange({ ...filter, values: toggle(filter.values, v.value, on) })}
        />
      ))}
    </div>
  );
}

function ChoicePicker(props: {
  filter: Extract<SegmentFilter, { kind: "question" }>;
  question: QuestionInfo | undefined;
  testId: string;
  onChange: (f: SegmentFilter) => void;
}) {
  const { filter, question } = props;
  if (!question) return <p className="field__error">Question {filter.questionId} is no longer in the survey: remove this filter.</p>;
  return (
    <div className="filters__choices" role="group" aria-label={`Choices of ${question.exportTag ?? question.qid}`}>
      {question.choices.map((c) => (
        <Check
          key={c.id}
          testId={props.testId}
          value={c.id}
          label={c.label}
          checked={filter.choices.includes(c.id)}
          onChange={(on) => props.onChange({ ...filter, choices: toggle(filter.choices, c.id, on) })}
        />
      ))}
    </div>
  );
}

/**
 * Qualtrics exports a saved filter's responses only in a separate filtered export (it will not
 * combine a filter with continuation), so its members are as fresh as that read: say so.
 */
function SavedMembers(props: { filter: SavedFilter | undefined }) {
  if (!props.filter) return null;
  const read = dataAsOfText(props.filter.membersReadAt);
  return (
    <p className="field__hint" data-testid="saved-filter-members">
      {read
        ? `Members as of ${read}; re-read from Qualtrics on every refresh.`
        : "Its members are read from Qualtrics on the next refresh; until then the card has no value."}
    </p>
  );
}

function Check(props: { testId: string; value: string; label: string; detail?: string; checked: boolean; onChange: (on: boolean) => void }) {
  return (
    <label className="checkbox checkbox--inline filters__choice">
      <input
        type="checkbox"
        data-testid={props.testId}
        data-value={props.value}
        checked={props.checked}
        onChange={(e) => props.onChange(e.target.checked)}
      />
      <span>{props.label}</span>
      {props.detail && <small className="muted">{props.detail}</small>}
    </label>
  );
}

function toggle(list: string[], v: string, on: boolean): string[] {
  return on ? (list.includes(v) ? list : [...list, v]) : list.filter((x) => x !== v);
}
