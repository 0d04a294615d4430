// The real ipc wrapper, driven through the bridge object Tauri injects into the page
// (window.__TAURI_INTERNALS__), so @tauri-apps itself is not mocked.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, IpcError, toIpcError } from "../src/ipc";

type Bridge = { invoke: ReturnType<typeof vi.fn>; transformCallback: (cb: unknown) => number };
let bridge: Bridge;

beforeEach(() => {
  bridge = { invoke: vi.fn(), transformCallback: () => 1 };
  (window as unknown as { __TAURI_INTERNALS__: Bridge }).__TAURI_INTERNALS__ = bridge;
});
afterEach(() => {
  delete (window as unknown as { __TAURI_INTERNALS__?: Bridge }).__TAURI_INTERNALS__;
});

describe("ipc commands", () => {
  it("calls the snake_case command with camelCase args and returns its value", async () => {
    bridge.invoke.mockResolvedValue({ map: { id: "m1" } });
    await expect(api.moveCard("c1", "s1", "l1", 2)).resolves.toEqual({ map: { id: "m1" } });
    expect(bridge.invoke).toHaveBeenCalledWith("move_card", { cardId: "c1", stageId: "s1", laneId: "l1", position: 2 }, undefined);
    bridge.invoke.mockResolvedValue(null);
    await api.refreshMap("m1", true);
    expect(bridge.invoke).toHaveBeenLastCalledWith("refresh_map", { mapId: "m1", force: true }, undefined);
    await api.debugExport("SV_1", false);
    expect(bridge.invoke).toHaveBeenLastCalledWith("debug_export", { surveyId: "SV_1", redactPii: false }, undefined);
  });

  it("maps a {kind, message} rejection to an IpcError with that kind", async () => {
    bridge.invoke.mockRejectedValue({ kind: "unauthorized", message: "token rejected by Qualtrics" });
    const err = await api.saveConnection({ baseUrl: "x.qualtrics.com", auth: { method: "apiToken", token: "t" } }).catch((e) => e);
    expect(err).toBeInstanceOf(IpcError);
    expect(err.kind).toBe("unauthorized");
    expect(err.message).toBe("token rejected by Qualtrics");
  });

  it("maps string rejections and unknown kinds to internal", async () => {
    bridge.invoke.mockRejectedValue("command open_mapp not found");
    await expect(api.openMap("m")).rejects.toMatchObject({ kind: "internal", message: "command open_mapp not found" });
    bridge.invoke.mockRejectedValue({ kind: "somethingNew", message: "x" });
    await expect(api.openMap("m")).rejects.toMatchObject({ kind: "internal", message: "x" });
  });
});

describe("toIpcError", () => {
  it("keeps every known kind and gives empty messages a default", () => {
    expect(toIpcError({ kind: "keychainUnavailable", message: "" })).toMatchObject({ kind: "keychainUnavailable", message: "Unexpected error" });
    expect(toIpcError(new Error("boom"))).toMatchObject({ kind: "internal", message: "boom" });
    expect(toIpcError(undefined)).toMatchObject({ kind: "internal" });
    const e = new IpcError("network", "down");
    expect(toIpcError(e)).toBe(e);
  });
});

describe("survey_questions", () => {
  it("lists the core's QuestionRows, then the embedded data fields", async () => {
    bridge.invoke.mockResolvedValue({
      questions: [
        { surveyId: "SV_1", qid: "QID1", exportTag: "Q1", text: "Recommend?", questionType: "MC", selector: "NPS", subSelector: null, choices: [{ id: "1", label: "0", recode: "0", analyze: true }], subQuestions: [], position: 0, deleted: false, calculations: [{ kind: "nps" }] },
      ],
      embeddedFields: ["Region"],
      responsesCached: true,
    });
    const qs = await api.surveyQuestions("SV_1");
    expect(bridge.invoke).toHaveBeenCalledWith("survey_questions", { surveyId: "SV_1" }, undefined);
    expect(qs.map((q) => [q.qid, q.kind, q.questionType])).toEqual([["QID1", "question", "MC"], ["Region", "field", "EmbeddedData"]]);
    expect(qs[0]).toMatchObject({ choices: [{ id: "1", label: "0", recode: "0", analyze: true }], calculations: [{ kind: "nps" }] });
    expect(qs[0]).not.toHaveProperty("surveyId");
    expect(qs[1]).toMatchObject({ choices: [], calculations: [], deleted: false });
  });
});
