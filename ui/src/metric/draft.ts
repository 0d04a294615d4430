/**
 * The metric card form's draft and its validation.
 *
 * Contract: `validateDraft` returns field → message for every problem (empty = valid);
 * `toConfig` builds the wire MetricCardConfig from a valid draft; `fromConfig` the reverse.
 * Number inputs the user types (target, amber margin, minimum n) are kept as typed text, so
 * "abc" or an empty box is reported instead of silently becoming 0.
 */
import type {
  Better,
  CardType,
  ChartKind,
  ChartView,
  ComparisonSpec,
  DateField,
  DateRange,
  GroupBy,
  MetricCardConfig,
  MetricUnit,
  QuestionInfo,
  SegmentFilter,
  SplitBy,
  TimeBucket,
  Calculation,
} from "../ipc";
import { calculationId, calculationOptions } from "../lib/calculations";
import { customRangeErrors } from "../lib/ranges";

/** The target as typed: `enabled` off means the card has no target. */
export interface TargetDraft {
  enabled: boolean;
  value: string;
  better: Better;
  /** Empty: the default margin. */
  amber: string;
}

export const DEFAULT_MIN_N = 30;
/** Most lines a split series draws (the rest are folded into "Other" by the core). */
export const MAX_SPLIT_LINES = 8;

export interface Draft {
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
  startAtZero: boolean;
  view: ChartView;
  range: DateRange;
  dateField: DateField;
  filters: SegmentFilter[];
  target: TargetDraft;
  minN: string;
  heading: string;
  subheading: string;
  splitBy: SplitBy | null;
}

const NO_TARGET: TargetDraft = { enabled: false, value: "", better: "higher", amber: "" };

export const EMPTY_DRAFT: Draft = {
  name: "",
  cardType: "number",
  surveyId: null,
  questionId: null,
  subQuestionId: null,
  groupBy: { kind: "none" },
  calculation: null,
  comparison: { kind: "previousRange" },
  chartKind: "bar",
  showN: true,
  decimals: 1,
  startAtZero: false,
  view: "chart",
  range: { kind: "all" },
  dateField: "recordedDate",
  filters: [],
  target: NO_TARGET,
  minN: String(DEFAULT_MIN_N),
  heading: "",
  subheading: "",
  splitBy: null,
};

export function fromConfig(c: MetricCardConfig): Draft {
  return {
    name: c.name,
    cardType: c.cardType,
    surveyId: c.surveyId,
    questionId: c.questionId,
    subQuestionId: c.subQuestionId,
    groupBy: c.groupBy,
    calculation: c.calculation,
    comparison: c.comparison ?? EMPTY_DRAFT.comparison,
    chartKind: c.chart.kind,
    showN: c.chart.showN,
    decimals: c.chart.decimals,
    // Cards saved before these settings existed may lack them (the core fills defaults).
    startAtZero: c.chart.startAtZero ?? false,
    view: c.chart.view ?? "chart",
    range: c.range ?? { kind: "all" },
    dateField: c.dateField ?? (c.groupBy.kind === "time" ? c.groupBy.dateField : "recordedDate"),
    filters: c.filters ?? [],
    target: c.target
      ? { enabled: true, value: String(c.target.value), better: c.target.better, amber: c.target.amberMargin === null ? "" : String(c.target.amberMargin) }
      : NO_TARGET,
    minN: String(c.minN ?? DEFAULT_MIN_N),
    heading: c.heading ?? "",
    subheading: c.subheading ?? "",
    splitBy: c.splitBy ?? null,
  };
}

export function defaultTimeGroup(bucket: TimeBucket = "month", dateField: DateField = "recordedDate"): GroupBy {
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
  const range = customRangeErrors(d.range);
  if (range.from) e.rangeFrom = range.from;
  if (range.to) e.rangeTo = range.to;
  d.filters.forEach((f, i) => {
    const empty = f.kind === "field" ? f.values.length === 0 : f.kind === "question" ? f.choices.length === 0 : !f.filterId;
    if (empty) e[`filter${i}`] = "Pick at least one value for this filter, or remove it.";
  });
  Object.assign(e, targetErrors(d.target, d.calculation ? unitOf(d.calculation) : "number"));
  const minN = Number(d.minN);
  if (d.minN.trim() === "" || !Number.isInteger(minN) || minN < 1 || minN > 100000)
    e.minN = "Minimum n must be a whole number from 1 to 100,000.";
  if (d.heading.length > 80) e.heading = "Keep the heading under 80 characters.";
  if (d.subheading.length > 120) e.subheading = "Keep the subheading under 120 characters.";
  if (d.splitBy && d.cardType !== "series") e.splitBy = "Only a series can be split into lines.";
  else if (d.splitBy?.kind === "question" && d.splitBy.questionId === d.questionId)
    e.splitBy = "Split by a different question than the one measured.";
  if (d.cardType === "comparison") {
    const c = d.comparison;
    if ((c.kind === "previousRange" || c.kind === "yearEarlier") && d.range.kind === "all")
      e.comparison = "Pick a date range above: all time has no earlier period to compare with.";
    if (c.kind === "target" && !d.target.enabled) e.comparison = "Set a target below to compare against it.";
    if (c.kind === "segments") {
      if (c.a.length === 0 || c.b.length === 0) e.comparison = "Give each segment at least one filter.";
      else if (!c.aLabel.trim() || !c.bLabel.trim()) e.comparison = "Name both segments.";
    }
  }
  return e;
}

/** The unit a calculation's value has (as the core reports it), for target bounds and text. */
export function unitOf(c: Calculation): MetricUnit {
  if (c.kind === "nps") return "score";
  if (["csatTop2", "cesPercentEasy", "topBox", "bottomBox", "distribution"].includes(c.kind)) return "percent";
  return "number";
}

function targetErrors(t: TargetDraft, unit: MetricUnit): Record<string, string> {
  if (!t.enabled) return {};
  const e: Record<string, string> = {};
  const v = Number(t.value);
  if (t.value.trim() === "" || !Number.isFinite(v)) e.targetValue = "Enter the target as a number.";
  else if (unit === "score" && (v < -100 || v > 100)) e.targetValue = "An NPS target lies between −100 and +100.";
  else if (unit === "percent" && (v < 0 || v > 100)) e.targetValue = "A percentage target lies between 0 and 100.";
  if (t.amber.trim() !== "") {
    const m = Number(t.amber);
    if (!Number.isFinite(m) || m < 0) e.targetAmber = "The amber margin is a number of 0 or more (empty: the default).";
  }
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
    chart: { kind: d.chartKind, showN: d.showN, decimals: d.decimals, startAtZero: d.startAtZero, view: d.view },
    range: d.range,
    dateField: d.dateField,
    filters: d.filters,
    target: d.target.enabled
      ? { value: Number(d.target.value), better: d.target.better, amberMargin: d.target.amber.trim() === "" ? null : Number(d.target.amber) }
      : null,
    minN: Number(d.minN),
    heading: d.heading.trim() || null,
    subheading: d.subheading.trim() || null,
    splitBy: d.cardType === "series" ? d.splitBy : null,
  };
}
