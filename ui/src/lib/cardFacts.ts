/**
 * The words a card uses for its target status, its 95% interval, a comparison against the
 * noise, its freshness and its segment filters.
 *
 * Contract: pure; a status is always an icon AND words (never colour alone); numbers follow
 * the value's unit like the rest of the card (`formatValue`).
 */
import type { Better, MetricUnit, MetricValue, QuestionInfo, SegmentFilter, Target, TargetStatus } from "../ipc";
import { formatDelta, formatValue } from "./format";

export interface StatusText {
  icon: string;
  words: string;
}

export const STATUS_TEXT: Record<Exclude<TargetStatus, "none">, StatusText> = {
  green: { icon: "✓", words: "On target" },
  amber: { icon: "▲", words: "Near target" },
  red: { icon: "✕", words: "Off target" },
};

export function statusText(status: TargetStatus): StatusText | null {
  return status === "none" ? null : STATUS_TEXT[status];
}

/** Default amber margin when the card leaves it empty (core `metrics::target`): 10% of |target|, 1 for a target of 0. */
export function defaultAmberMargin(target: number): number {
  return target === 0 ? 1 : Math.abs(target) * 0.1;
}

/**
 * The red/amber/green rule in words, e.g. "On target at +40 or more; near target from +36 up
 * to +40; off target below +36."
 */
export function targetRule(t: Target, unit: MetricUnit, decimals: number): string {
  const margin = t.amberMargin ?? defaultAmberMargin(t.value);
  const f = (v: number) => formatValue(v, unit, decimals);
  if (t.better === "higher") {
    const edge = t.value - margin;
    return `On target at ${f(t.value)} or more; near target from ${f(edge)} up to ${f(t.value)}; off target below ${f(edge)}.`;
  }
  const edge = t.value + margin;
  return `On target at ${f(t.value)} or less; near target above ${f(t.value)} up to ${f(edge)}; off target above ${f(edge)}.`;
}

export function betterText(b: Better): string {
  return b === "higher" ? "higher is better" : "lower is better";
}

/** "95% interval 31–47 (Wilson score interval)", or null when there is none. */
export function intervalText(v: Pick<MetricValue, "ciLow" | "ciHigh" | "ciMethod" | "unit">, decimals: number): string | null {
  if (v.ciLow === null || v.ciHigh === null) return null;
  const method = v.ciMethod ? ` (${methodText(v.ciMethod)})` : "";
  return `95% interval ${intervalRange(v.ciLow, v.ciHigh, v.unit, decimals)}${method}`;
}

/**
 * The core's method names carry the level again ("Wilson score interval (95%)", "… of NPS
 * (95%, Rocks 2016)"): said once, in front, without nested brackets.
 */
function methodText(m: string): string {
  return m.replace(/\s*\(95%\)/, "").replace(/\s*\(95%, ([^)]*)\)/, ", $1");
}

/** "31–47", "31.2%–47.4%"; signed scores read badly around a dash ("+15–+21"): "+15 to +21". */
export function intervalRange(low: number, high: number, unit: MetricUnit, decimals: number): string {
  const sep = unit === "score" ? " to " : "–";
  return `${formatValue(low, unit, decimals)}${sep}${formatValue(high, unit, decimals)}`;
}

/** Why a value has no interval: too few answers, or the calculation has none (counts, min...). */
export function noIntervalText(v: Pick<MetricValue, "ciLow" | "lowN" | "value">): string | null {
  if (v.ciLow !== null || v.value === null) return null;
  return v.lowN ? "No 95% interval: too few answers." : null;
}

export function lowNText(n: number, minN: number): string {
  return `Low n: ${n} answers, fewer than the card's minimum of ${minN}. Read the value with care.`;
}

/** "Real change: +6 (95% interval of the change +2 to +10)" / "Change within noise". */
export function noiseText(
  c: { significant: boolean | null; delta: number | null; deltaCiLow: number | null; deltaCiHigh: number | null },
  unit: MetricUnit,
  decimals: number,
): { short: string; long: string } | null {
  if (c.significant === null || c.delta === null) return null;
  const range =
    c.deltaCiLow !== null && c.deltaCiHigh !== null
      ? ` (95% interval of the change ${formatDelta(c.deltaCiLow, unit, decimals)} to ${formatDelta(c.deltaCiHigh, unit, decimals)})`
      : "";
  return c.significant
    ? { short: "real change", long: `The change is larger than the noise at 95%${range}.` }
    : { short: "change within noise", long: `The change is within the noise at 95%: it may be chance${range}.` };
}

/** "Data as of 29 Nov, 09:12" in the user's locale and zone. */
export function dataAsOfText(iso: string | null): string | null {
  if (!iso) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  return d.toLocaleString("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });
}

/** One filter in words: "Region is EMEA or APAC", "Q4 is Pro or Enterprise", "Saved filter Detractors". */
export function filterText(f: SegmentFilter, questions: QuestionInfo[]): string {
  switch (f.kind) {
    case "field":
      return `${f.name} is ${orList(f.values)}`;
    case "question": {
      const [qid, row] = f.questionId.split(".");
      const q = questions.find((x) => x.qid === qid);
      const name = q ? (q.exportTag ?? q.qid) + (row ? ` ${q.subQuestions.find((s) => s.id === row)?.label ?? row}` : "") : f.questionId;
      const labels = f.choices.map((c) => q?.choices.find((x) => x.id === c)?.label ?? c);
      return `${name} answered ${orList(labels)}`;
    }
    case "saved":
      return `Saved filter “${f.name}”`;
  }
}

/** Filters combined with AND, in words ("All responses" when none). */
export function filtersText(filters: SegmentFilter[], questions: QuestionInfo[]): string {
  return filters.length ? filters.map((f) => filterText(f, questions)).join(" and ") : "All responses";
}

function orList(items: string[]): string {
  if (items.length <= 1) return items[0] ?? "…";
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}
