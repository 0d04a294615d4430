/**
 * Number and time formatting shared by cards, previews and presentation.
 *
 * Contract: pure functions; `formatValue` follows the metric's unit (NPS-like scores as signed
 * integers, percentages with one decimal, plain numbers with the card's decimals); missing
 * values render as an em dash; `relativeTime` takes `now` explicitly so it can tick.
 */
import type { MetricUnit } from "../ipc";

const MINUS = "\u2212";

export function formatValue(value: number | null | undefined, unit: MetricUnit, decimals = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  switch (unit) {
    case "score": {
      const rounded = Math.round(value);
      if (rounded > 0) return `+${rounded}`;
      if (rounded < 0) return `${MINUS}${Math.abs(rounded)}`;
      return "0";
    }
    case "percent":
      return `${signed(value, 1)}%`;
    case "number":
      return signed(value, decimals);
  }
}

/** Fixed decimals (integers stay whole), thousands separators and a typographic minus. */
function signed(value: number, decimals: number): string {
  const digits = Number.isInteger(value) ? 0 : Math.max(0, Math.min(6, Math.round(decimals)));
  const text = new Intl.NumberFormat("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(Math.abs(value));
  const isZero = /^0(\.0+)?$/.test(text);
  return value < 0 && !isZero ? `${MINUS}${text}` : text;
}

/** A delta between two values of the same unit, always with an explicit sign. */
export function formatDelta(delta: number | null | undefined, unit: MetricUnit, decimals = 1): string {
  if (delta === null || delta === undefined || !Number.isFinite(delta)) return "—";
  const body = formatValue(Math.abs(delta), unit === "score" ? "number" : unit, unit === "score" ? 0 : decimals);
  const suffix = unit === "percent" ? " pts" : "";
  const core = unit === "percent" ? body.replace(/%$/, "") : body;
  if (delta > 0) return `+${core}${suffix}`;
  if (delta < 0 && core !== "0") return `${MINUS}${core}${suffix}`;
  return `0${suffix}`;
}

export function formatCount(n: number): string {
  return new Intl.NumberFormat("en-US").format(n);
}

export function formatN(n: number): string {
  return `n = ${formatCount(n)}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** "just now", "5 min ago", "3 h ago", "yesterday", "4 days ago", then a date. */
export function relativeTime(iso: string | null | undefined, now: Date): string {
  if (!iso) return "never";
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) return "never";
  const seconds = Math.round((now.getTime() - then.getTime()) / 1000);
  if (seconds < 45) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  if (days === 1) return "yesterday";
  if (days < 7) return `${days} days ago`;
  return `on ${then.toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric" })}`;
}

/** An absolute date and time ("Nov 29, 2026, 8:30 AM") for "data as of" stamps. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "unknown";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "unknown";
  return d.toLocaleString("en-US", { year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });
}
