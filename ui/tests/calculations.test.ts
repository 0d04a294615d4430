import { describe, expect, it } from "vitest";
import { calculationOptions, defaultCalculation, questionTypeLabel } from "../src/lib/calculations";
import { questions } from "./fixtures";

const ids = (qid: string) => calculationOptions(questions.find((q) => q.qid === qid)!).map((o) => o.id);

describe("calculationOptions", () => {
  it("offers NPS first for a 0-10 question and no CSAT/CES", () => {
    const o = ids("QID1");
    expect(o[0]).toBe("nps");
    expect(o).toEqual(expect.arrayContaining(["average", "median", "min", "max", "sum", "distribution", "count"]));
    expect(o).not.toContain("csatTop2");
    expect(o).not.toContain("cesAverage");
  });
  it("offers CSAT top-2-box and top/bottom box for a 1-5 scale, ignoring non-analysed choices", () => {
    const o = ids("QID2");
    expect(o[0]).toBe("csatTop2");
    expect(o).toEqual(expect.arrayContaining(["topBox:2", "bottomBox:2", "average", "distribution"]));
    expect(o).not.toContain("nps");
    expect(o).not.toContain("cesAverage");
  });
  it("offers CES average and % easy for a 1-7 scale", () => {
    const o = ids("QID3");
    expect(o.slice(0, 2)).toEqual(["cesAverage", "cesPercentEasy"]);
  });
  it("offers only distribution and count for multi-select and nominal choices", () => {
    expect(ids("QID5")).toEqual(["distribution", "count"]);
  });
  it("offers only count for text entry", () => {
    expect(ids("QID6")).toEqual(["count"]);
    expect(calculationOptions(null)).toEqual([]);
  });
  it("defaults to the most specific calculation", () => {
    expect(defaultCalculation(questions[0])).toEqual({ kind: "nps" });
    expect(defaultCalculation(null)).toEqual({ kind: "count" });
  });
  it("labels question types", () => {
    expect(questionTypeLabel(questions[0])).toBe("NPS 0–10");
    expect(questionTypeLabel(questions[1])).toBe("1–5 scale");
    expect(questionTypeLabel(questions[4])).toBe("Multi-select");
    expect(questionTypeLabel(questions[5])).toBe("Text entry");
  });
});
