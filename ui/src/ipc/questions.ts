/**
 * The card modal's list of what a survey offers: its questions, then its embedded data fields
 * (offered for Group by), built from the shell's `SurveyQuestions`.
 *
 * Contract: pure; reads exactly the generated `SurveyQuestions` shape (nothing else reaches
 * it: the browser checks' fake backend sends that shape too). A question keeps its core
 * `QuestionRow` fields (the core's `calculations` included) minus cache bookkeeping; a field
 * becomes an entry with `kind: "field"`, `qid` = the field name, `questionType:
 * "EmbeddedData"`, no choices and no calculations.
 */
import type { QuestionRow } from "./bindings/QuestionRow";
import type { SurveyQuestions } from "./bindings/SurveyQuestions";

/** A question (`kind: "question"`) or an embedded data field (`kind: "field"`). */
export type QuestionInfo = Omit<QuestionRow, "surveyId" | "position"> & { kind: "question" | "field" };

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
    numericEntry: false,
  };
}

export function questionList(sq: SurveyQuestions): QuestionInfo[] {
  const questions = sq.questions.map(({ surveyId: _s, position: _p, ...q }): QuestionInfo => ({ ...q, kind: "question" }));
  return [...questions, ...sq.embeddedFields.map(field)];
}
