/**
 * The metric card form's draft and its validation.
 *
 * Contract: `validateDraft` returns field → message for every problem (empty = valid);
 * `toConfig` builds the wire MetricCardConfig from a valid draft; `fromConfig` the reverse.
 */
import type {
  CardType,
  ChartKind,
  ChartView,
  ComparisonSpec,
  DateField,
  GroupBy,
  MetricCardConfig,
  QuestionInfo,
  TimeBucket,
  Calculation,
} from "../ipc";
import { calculationId, calculationOptions } from "../lib/calculations";

/** Card settings the form does not edit yet, carried through unchanged (issue 13 scope). */
export type DraftScope = Pick<
  MetricCardConfig,
  "range" | "dateField" | "filters" | "target" | "minN" | "heading" | "subheading" | "splitBy"
> & { startAtZero: boolean; view: ChartView };

export const DEFAULT_SCOPE: DraftScope = {
  range: { kind: "all" },
  dateField: "recordedDate",
  filters: [],
  target: null,
  minN: 30,
  heading: null,
  subheading: null,
  splitBy: null,
  startAtZero: false,
  view: "chart",
};

export interface Draft {
  scope: DraftScope;
  name: string;
  cardType: CardType;
  surveyId: string | null;
  questionId: string | null;
  subQuestionId: string | null;
  groupBy: GroupBy;
  calculation: Calculation | null;
  comparison: ComparisonSpec;
  chartKind: ChartKind;
  showN: boolean;
  decimals: number;
}

export const EMPTY_DRAFT: Draft = {
  scope: DEFAULT_SCOPE,
  name: "",
  cardType: "number",
  surveyId: null,
  questionId: null,
  subQuestionId: null,
  groupBy: { kind: "none" },
  calculation: null,
  comparison: { kind: "previousPeriod", period: "month" },
  chartKind: "bar",
  showN: true,
  decimals: 1,
};

export function fromConfig(c: MetricCardConfig): Draft {
  return {
    scope: {
      range: c.range,
      dateField: c.dateField,
      filters: c.filters,
      target: c.target,
      minN: c.minN,
      heading: c.heading,
      subheading: c.subheading,
      splitBy: c.splitBy,
      startAtZero: c.chart.startAtZero,
      view: c.chart.view,
    },
    name: c.name,
    cardType: c.cardType,
    surveyId: c.surveyId,
    questionId: c.questionId,
    subQuestionId: c.subQuestionId,
    groupBy: c.groupBy,
    calculation: c.calculation,
    comparison: c.comparison ?? { kind: "previousPeriod", period: "month" },
    chartKind: c.chart.kind,
    showN: c.chart.showN,
    decimals: c.chart.decimals,
  };
}

export function defaultTimeGroup(bucket: TimeBucket = "month", dateField: DateField = "endDate"): GroupBy {
  return { kind: "time", bucket, dateField };
}

export function validateDraft(d: Draft, question: QuestionInfo | null): Record<string, string> {
  const e: Record<string, string> = {};
  if (!d.name.trim()) e.name = "Give the card a name.";
  else if (d.name.trim().length > 80) e.name = "Keep the name under 80 characters.";
  if (!d.surveyId) e.surveyId = "Pick a survey.";
  if (!d.questionId) e.questionId = "Pick a question.";
  else if (question && question.questionType === "Matrix" && question.subQuestions.length > 0 && !d.subQuestionId)
    e.subQuestionId = "Pick the matrix row to measure.";
  if (!d.calculation) e.calculation = "Pick a calculation.";
  else if (question && !calculationOptions(question).some((o) => o.id === calculationId(d.calculation!)))
    e.calculation = "This calculation does not fit the selected question.";
  if (d.cardType === "series" && d.groupBy.kind !== "time") e.groupBy = "A series needs a time bucket to group by.";
  if (d.groupBy.kind === "question" && d.groupBy.questionId === d.questionId)
    e.groupBy = "Group by a different question than the one measured.";
  if (d.cardType === "comparison" && d.comparison.kind === "groups") {
    if (d.groupBy.kind !== "question" && d.groupBy.kind !== "field")
      e.comparison = "Comparing groups needs Group by a question or a field.";
    else if (!d.comparison.a || !d.comparison.b) e.comparison = "Pick the two groups to compare.";
    else if (d.comparison.a === d.comparison.b) e.comparison = "Pick two different groups.";
  }
  if (!Number.isInteger(d.decimals) || d.decimals < 0 || d.decimals > 4) e.decimals = "Decimals must be 0 to 4.";
  return e;
}

export function toConfig(d: Draft): MetricCardConfig | null {
  if (!d.surveyId || !d.questionId || !d.calculation) return null;
  return {
    name: d.name.trim(),
    cardType: d.cardType,
    surveyId: d.surveyId,
    questionId: d.questionId,
    subQuestionId: d.subQuestionId,
    groupBy: d.groupBy,
    calculation: d.calculation,
    comparison: d.cardType === "comparison" ? d.comparison : null,
    chart: {
      kind: d.chartKind,
      showN: d.showN,
      decimals: d.decimals,
      startAtZero: d.scope.startAtZero,
      view: d.scope.view,
    },
    range: d.scope.range,
    dateField: d.scope.dateField,
    filters: d.scope.filters,
    target: d.scope.target,
    minN: d.scope.minN,
    heading: d.scope.heading,
    subheading: d.scope.subheading,
    splitBy: d.scope.splitBy,
  };
}
