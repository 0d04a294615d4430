/**
 * Calculation labels and the options a question offers.
 *
 * Contract: which calculations apply to a question is decided once, in the core
 * (`metrics::applicable_calculations`), and arrives on the question as `calculations`, most
 * specific first; `calculationOptions(question)` only labels that list, in its order, and the
 * default calculation of a new card is its first entry. Nothing here re-derives applicability
 * from choices or recodes (the labels of question types below are descriptive only).
 */
import type { Calculation, QuestionInfo } from "../ipc";

export interface Scale {
  min: number;
  max: number;
  points: number;
}

export interface CalculationOption {
  id: string;
  calc: Calculation;
  label: string;
}

const MULTI_SELECTORS = new Set(["MAVR", "MAHR", "MACOL", "MSB"]);

export function isMultiSelect(q: QuestionInfo): boolean {
  return (q.selector !== null && MULTI_SELECTORS.has(q.selector)) || q.subSelector === "MultipleAnswer";
}

/** Numeric scale over analysable choices with numeric recodes (or ids), if any. */
export function questionScale(q: QuestionInfo): Scale | null {
  const values = q.choices
    .filter((c) => c.analyze)
    .map((c) => Number(c.recode || c.id))
    .filter((v) => Number.isFinite(v));
  if (values.length < 2) return null;
  return { min: Math.min(...values), max: Math.max(...values), points: new Set(values).size };
}

export function isNpsQuestion(q: QuestionInfo): boolean {
  return q.calculations.some((c) => c.kind === "nps");
}

export function calculationId(c: Calculation): string {
  return c.kind === "topBox" || c.kind === "bottomBox" ? `${c.kind}:${c.boxes}` : c.kind;
}

export const CALCULATION_LABELS: Record<Calculation["kind"], string> = {
  count: "Count of responses",
  average: "Average",
  sum: "Sum",
  min: "Minimum",
  max: "Maximum",
  median: "Median",
  nps: "NPS (promoters − detractors)",
  csatTop2: "CSAT (top-2-box %)",
  cesAverage: "CES (average effort)",
  cesPercentEasy: "CES (% easy, 5–7)",
  distribution: "Distribution (% per choice)",
  topBox: "Top box",
  bottomBox: "Bottom box",
};

export function calculationLabel(c: Calculation): string {
  if (c.kind === "topBox") return `Top-${c.boxes}-box %`;
  if (c.kind === "bottomBox") return `Bottom-${c.boxes}-box %`;
  return CALCULATION_LABELS[c.kind];
}

function option(calc: Calculation): CalculationOption {
  return { id: calculationId(calc), calc, label: calculationLabel(calc) };
}

export function calculationOptions(q: QuestionInfo | null): CalculationOption[] {
  if (!q) return [];
  return q.calculations.map(option);
}

/** The calculation a new card gets for a question (the first, i.e. most specific, option). */
export function defaultCalculation(q: QuestionInfo | null): Calculation {
  return calculationOptions(q)[0]?.calc ?? { kind: "count" };
}

/** Short description of the question type for pickers, e.g. "0–10 scale", "Multiple choice". */
export function questionTypeLabel(q: QuestionInfo): string {
  if (isNpsQuestion(q)) return "NPS 0–10";
  const scale = questionScale(q);
  if (isMultiSelect(q)) return "Multi-select";
  if (q.questionType === "Matrix") return scale ? `Matrix ${scale.min}–${scale.max}` : "Matrix";
  if (q.questionType === "Slider") return q.selector === "STAR" ? "Stars" : "Slider";
  if (q.questionType === "CS") return "Constant sum";
  if (q.questionType === "RO") return "Rank order";
  if (q.questionType === "DD") return "Drill-down";
  if (q.questionType === "TE") {
    const kind = q.selector === "FORM" ? "Form fields" : "Text entry";
    return q.numericEntry ? `${kind} (numbers)` : kind;
  }
  if (scale) return `${scale.min}–${scale.max} scale`;
  if (q.choices.length > 0) return "Multiple choice";
  return q.questionType;
}
