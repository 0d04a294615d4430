/**
 * Which calculations make sense for a question, and their labels.
 *
 * Contract: `calculationOptions(question)` lists only calculations compatible with the
 * question's analysable scale (0–10 → NPS, 1–7 → CES, ordinal scales → top/bottom box and
 * CSAT top-2-box, numeric → average/median/min/max/sum, choices → distribution; count always).
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
  return q.selector !== null && MULTI_SELECTORS.has(q.selector);
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
  if (q.selector === "NPS") return true;
  const s = questionScale(q);
  return !!s && s.min === 0 && s.max === 10 && s.points === 11;
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
  const out: CalculationOption[] = [];
  const scale = questionScale(q);
  const multi = isMultiSelect(q);
  if (!multi && scale) {
    if (isNpsQuestion(q)) out.push(option({ kind: "nps" }));
    if (scale.points === 7 && scale.min === 1 && scale.max === 7) {
      out.push(option({ kind: "cesAverage" }), option({ kind: "cesPercentEasy" }));
    }
    if (scale.points >= 4 && !isNpsQuestion(q)) out.push(option({ kind: "csatTop2" }));
    if (scale.points >= 3) {
      out.push(
        option({ kind: "topBox", boxes: 1 }),
        option({ kind: "topBox", boxes: 2 }),
        option({ kind: "bottomBox", boxes: 1 }),
        option({ kind: "bottomBox", boxes: 2 }),
      );
    }
  }
  const numeric = (!multi && scale !== null) || q.questionType === "Slider";
  if (numeric) {
    out.push(
      option({ kind: "average" }),
      option({ kind: "median" }),
      option({ kind: "min" }),
      option({ kind: "max" }),
      option({ kind: "sum" }),
    );
  }
  if (q.choices.length > 0) out.push(option({ kind: "distribution" }));
  out.push(option({ kind: "count" }));
  return out;
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
  if (q.questionType === "Slider") return "Slider";
  if (q.questionType === "TE") return "Text entry";
  if (scale) return `${scale.min}–${scale.max} scale`;
  if (q.choices.length > 0) return "Multiple choice";
  return q.questionType;
}
