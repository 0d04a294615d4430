import { describe, expect, it } from "vitest";
import { formatDelta, formatN, formatValue, relativeTime } from "../src/lib/format";

describe("formatValue", () => {
  it("shows NPS-like scores as signed integers", () => {
    expect(formatValue(38.6, "score")).toBe("+39");
    expect(formatValue(-12.2, "score")).toBe("−12");
    expect(formatValue(0.3, "score")).toBe("0");
    expect(formatValue(100, "score")).toBe("+100");
  });
  it("shows percentages with one decimal", () => {
    expect(formatValue(78.44, "percent")).toBe("78.4%");
    expect(formatValue(50, "percent")).toBe("50%");
    expect(formatValue(0.05, "percent")).toBe("0.1%");
  });
  it("shows numbers with the card's decimals and thousands separators", () => {
    expect(formatValue(5.4167, "number", 2)).toBe("5.42");
    expect(formatValue(5.4167, "number", 0)).toBe("5");
    expect(formatValue(12480, "number", 1)).toBe("12,480");
    expect(formatValue(-3.25, "number", 1)).toBe("−3.3");
  });
  it("renders missing values as a dash", () => {
    expect(formatValue(null, "percent")).toBe("—");
    expect(formatValue(Number.NaN, "number")).toBe("—");
  });
});

describe("formatDelta", () => {
  it("always carries a sign and percentage points for percents", () => {
    expect(formatDelta(2.35, "percent")).toBe("+2.4 pts");
    expect(formatDelta(-4, "score")).toBe("−4");
    expect(formatDelta(0.24, "number", 2)).toBe("+0.24");
    expect(formatDelta(null, "number")).toBe("—");
  });
});

describe("formatN", () => {
  it("groups thousands", () => {
    expect(formatN(1234)).toBe("n = 1,234");
    expect(formatN(0)).toBe("n = 0");
  });
});

describe("relativeTime", () => {
  const now = new Date("2026-03-10T12:00:00Z");
  const before = (ms: number) => new Date(now.getTime() - ms).toISOString();
  it("describes recent instants", () => {
    expect(relativeTime(before(10_000), now)).toBe("just now");
    expect(relativeTime(before(5 * 60_000), now)).toBe("5 min ago");
    expect(relativeTime(before(59 * 60_000), now)).toBe("59 min ago");
    expect(relativeTime(before(3 * 3600_000), now)).toBe("3 h ago");
    expect(relativeTime(before(30 * 3600_000), now)).toBe("yesterday");
    expect(relativeTime(before(4 * 86400_000), now)).toBe("4 days ago");
  });
  it("falls back to a date after a week and handles missing input", () => {
    expect(relativeTime(before(30 * 86400_000), now)).toBe("on Feb 8, 2026");
    expect(relativeTime(null, now)).toBe("never");
    expect(relativeTime("not a date", now)).toBe("never");
  });
});
