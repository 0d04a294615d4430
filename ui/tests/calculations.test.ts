import { describe, expect, it } from "vitest";
import { calculationOptions, defaultCalculation, questionTypeLabel } from "../src/lib/calculations";
import type { QuestionInfo } from "../src/ipc";
import { questions } from "./fixtures";

const ids = (qid: string) => calculationOptions(questions.find((q) => q.qid === qid)!).map((o) => o.id);

describe("calculationOptions", () => {
  it("offers exactly the calculations the core lists, in its order", () => {
    expect(ids("QID1")[0]).toBe("nps");
    expect(ids("QID5")).toEqual(["distribution", "count"]);
    expect(ids("QID6")).toEqual(["count"]);
    // The core, not the choices, decides: a 0-10 scale the core did not mark NPS gets no NPS.
    const q: QuestionInfo = { ...questions[0], calculations: [{ kind: "average" }, { kind: "count" }] };
    expect(calculationOptions(q).map((o) => o.id)).toEqual(["average", "count"]);
  });
  it("labels each option, with the number of boxes", () => {
    const labels = calculationOptions(questions[1]).map((o) => o.label);
    expect(labels[0]).toBe("CSAT (top-2-box %)");
    expect(labels).toContain("Top-2-box %");
    expect(labels).toContain("Bottom-1-box %");
  });
  it("offers nothing for no question or an embedded field", () => {
    expect(calculationOptions(null)).toEqual([]);
    expect(calculationOptions(questions.find((q) => q.kind === "field")!)).toEqual([]);
  });
  it("defaults to the most specific calculation", () => {
    expect(defaultCalculation(questions[0])).toEqual({ kind: "nps" });
    expect(defaultCalculation(questions[2])).toEqual({ kind: "cesAverage" });
    expect(defaultCalculation(null)).toEqual({ kind: "count" });
  });
  it("labels question types", () => {
    expect(questionTypeLabel(questions[0])).toBe("NPS 0–10");
    expect(questionTypeLabel(questions[1])).toBe("1–5 scale");
    expect(questionTypeLabel(questions[4])).toBe("Multi-select");
    expect(questionTypeLabel(questions[5])).toBe("Text entry");
    const slider: QuestionInfo = { ...questions[5], questionType: "Slider", selector: "STAR", calculations: [] };
    expect(questionTypeLabel(slider)).toBe("Stars");
    expect(questionTypeLabel({ ...questions[5], selector: "FORM" })).toBe("Form fields");
    expect(questionTypeLabel({ ...questions[5], selector: "SL", numericEntry: true })).toBe("Text entry (numbers)");
    expect(questionTypeLabel({ ...questions[5], selector: "FORM", numericEntry: true })).toBe("Form fields (numbers)");
  });
});
