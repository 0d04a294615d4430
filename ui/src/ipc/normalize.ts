/**
 * Normalises `survey_questions` answers into `QuestionInfo[]`.
 *
 * Contract: accepts the core's `QuestionRow[]` (keyed by `qid`), rows keyed by `id`, rows
 * that already mark embedded fields with `kind: "field"`, or an object
 * `{ questions, embeddedFields: string[] | rows }`; embedded fields become entries with
 * `kind: "field"`, `qid` = field name, `questionType: "EmbeddedData"` and no choices.
 * A question's `calculations` (decided by the core) are passed through as sent.
 */
import type { Calculation, ChoiceInfo, QuestionInfo, SubQuestionInfo } from "./types";

type Raw = Record<string, unknown>;

function str(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}

function field(name: string): QuestionInfo {
  return {
    qid: name,
    kind: "field",
    exportTag: null,
    text: name,
    questionType: "EmbeddedData",
    selector: null,
    subSelector: null,
    choices: [],
    subQuestions: [],
    calculations: [],
    deleted: false,
  };
}

function question(r: Raw): QuestionInfo {
  const qid = str(r.qid) ?? str(r.id) ?? str(r.name) ?? "";
  const kind = r.kind === "field" || r.questionType === "EmbeddedData" ? "field" : "question";
  if (kind === "field") return { ...field(qid), text: str(r.text) ?? qid };
  return {
    qid,
    kind,
    exportTag: str(r.exportTag),
    text: str(r.text) ?? qid,
    questionType: str(r.questionType) ?? "",
    selector: str(r.selector),
    subSelector: str(r.subSelector),
    choices: Array.isArray(r.choices)
      ? (r.choices as Raw[]).map((c): ChoiceInfo => ({
          id: String(c.id ?? ""),
          label: str(c.label) ?? String(c.id ?? ""),
          recode: c.recode === null || c.recode === undefined ? String(c.id ?? "") : String(c.recode),
          analyze: c.analyze !== false,
        }))
      : [],
    subQuestions: Array.isArray(r.subQuestions) ? (r.subQuestions as SubQuestionInfo[]) : [],
    calculations: Array.isArray(r.calculations) ? (r.calculations as Calculation[]) : [],
    deleted: r.deleted === true,
  };
}

export function normalizeQuestions(raw: unknown): QuestionInfo[] {
  if (Array.isArray(raw)) return raw.map((r) => (typeof r === "string" ? field(r) : question(r as Raw)));
  if (raw && typeof raw === "object") {
    const obj = raw as Raw;
    const qs = Array.isArray(obj.questions) ? normalizeQuestions(obj.questions) : [];
    const fieldsRaw = obj.embeddedFields ?? obj.fields;
    const fields = Array.isArray(fieldsRaw)
      ? fieldsRaw.map((f) => (typeof f === "string" ? field(f) : { ...question(f as Raw), kind: "field" as const }))
      : [];
    return [...qs, ...fields];
  }
  return [];
}
