/**
 * Date ranges of a card: the choices the modal offers, their labels and the validation of a
 * custom from–to.
 *
 * Contract: pure. Relative ranges are resolved by the core (against today in the user's time
 * zone) and come back as `MetricValue.resolvedRange`; this module only names them. ISO dates
 * are `YYYY-MM-DD`, both ends inclusive.
 */
import type { RangeUnit, DateField, DateRange } from "../ipc";

export const LAST_DAYS = [7, 30, 90, 365] as const;
export const UNITS: RangeUnit[] = ["week", "month", "quarter", "year"];

export const DATE_FIELD_LABELS: Record<DateField, string> = {
  recordedDate: "Recorded date",
  endDate: "End date",
  startDate: "Start date",
};

/** Value of the range `<select>`: one option per preset, plus "custom". */
export function rangeKey(r: DateRange): string {
  switch (r.kind) {
    case "all":
      return "all";
    case "last":
      return `last:${r.days}`;
    case "this":
      return `this:${r.unit}`;
    case "previous":
      return `previous:${r.unit}`;
    case "custom":
      return "custom";
  }
}

/** The range a `<select>` value stands for (`custom` keeps the dates typed so far). */
export function rangeFromKey(key: string, current: DateRange): DateRange {
  const [kind, arg] = key.split(":");
  if (kind === "last") return { kind: "last", days: Number(arg) };
  if (kind === "this" || kind === "previous") return { kind, unit: arg as RangeUnit };
  if (kind === "custom") return current.kind === "custom" ? current : { kind: "custom", from: "", to: "" };
  return { kind: "all" };
}

/** "All time", "Last 90 days", "This quarter", "Last month", "1 Sep 2026 – 29 Nov 2026". */
export function rangeName(r: DateRange): string {
  switch (r.kind) {
    case "all":
      return "All time";
    case "last":
      return `Last ${r.days} days`;
    case "this":
      return `This ${r.unit}`;
    case "previous":
      return `Last ${r.unit}`;
    case "custom":
      return `${formatIsoDate(r.from)} – ${formatIsoDate(r.to)}`;
  }
}

export const RANGE_OPTIONS: { key: string; label: string }[] = [
  { key: "all", label: "All time" },
  ...LAST_DAYS.map((d) => ({ key: `last:${d}`, label: `Last ${d} days` })),
  ...UNITS.map((u) => ({ key: `this:${u}`, label: `This ${u}` })),
  ...UNITS.map((u) => ({ key: `previous:${u}`, label: `Last ${u}` })),
  { key: "custom", label: "Custom dates…" },
];

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written `YYYY-MM-DD` (2026-02-30 is not). */
export function isIsoDate(s: string): boolean {
  const m = ISO.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** "2026-09-01" → "1 Sep 2026" (the date as written, no time zone shift). */
export function formatIsoDate(s: string): string {
  if (!isIsoDate(s)) return s || "…";
  const [y, m, d] = s.split("-").map(Number);
  const month = new Date(Date.UTC(2000, m - 1, 1)).toLocaleString("en-GB", { month: "short", timeZone: "UTC" });
  return `${d} ${month} ${y}`;
}

/** Problems of a custom range, per end: `{ from?, to? }` (empty = valid). */
export function customRangeErrors(r: DateRange): { from?: string; to?: string } {
  if (r.kind !== "custom") return {};
  const e: { from?: string; to?: string } = {};
  if (!r.from) e.from = "Enter the first day of the range.";
  else if (!isIsoDate(r.from)) e.from = "The start is not a real date (YYYY-MM-DD).";
  if (!r.to) e.to = "Enter the last day of the range.";
  else if (!isIsoDate(r.to)) e.to = "The end is not a real date (YYYY-MM-DD).";
  if (!e.from && !e.to && r.from > r.to) e.to = "The end must be on or after the start.";
  return e;
}
