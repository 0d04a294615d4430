import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { AppStateProvider } from "../src/AppState";
import { IpcError, type MetricCardConfig } from "../src/ipc";
import { MetricModal } from "../src/metric/MetricModal";
import { connected, metricConfig, questions, surveys, value } from "./fixtures";
import { api, emit, resetIpc } from "./ipcMock";

vi.mock("../src/ipc", async (orig) => ({ ...(await orig<object>()), ...(await import("./ipcMock")).ipcModule }));

const onSave = vi.fn<(c: MetricCardConfig) => Promise<boolean>>();
function renderModal(initial: MetricCardConfig | null = null) {
  api.connectionStatus.mockResolvedValue(connected);
  return render(
    <AppStateProvider>
      <MetricModal initial={initial} onSave={onSave} onClose={() => {}} />
    </AppStateProvider>,
  );
}

async function pickSurvey(user: ReturnType<typeof userEvent.setup>, name = "Onboarding") {
  await user.click(screen.getByTestId("metric-survey"));
  await user.type(screen.getByTestId("metric-survey"), name);
  await user.click(await screen.findByRole("option", { name: new RegExp(name) }));
  await waitFor(() => expect(screen.getByTestId("metric-question")).not.toBeDisabled());
}

const calcOptions = () =>
  within(screen.getByTestId("metric-calculation"))
    .getAllByRole("option")
    .filter((o) => !(o as HTMLOptionElement).disabled)
    .map((o) => o.textContent);

beforeEach(() => {
  resetIpc();
  onSave.mockReset().mockResolvedValue(true);
  api.listSurveys.mockResolvedValue(surveys);
  api.surveyQuestions.mockResolvedValue(questions);
  api.previewMetric.mockResolvedValue({ value: value({ value: 38.6, n: 1234, formula: "NPS = promoters − detractors; n = 1,234" }), chartSvg: null });
});

describe("metric card modal", () => {
  it("offers calculations that fit the chosen question", async () => {
    const user = userEvent.setup();
    renderModal();
    await pickSurvey(user);
    expect(api.surveyQuestions).toHaveBeenCalledWith("SV_1");
    // Embedded fields are for Group by, not measurable questions.
    const questionOptions = within(screen.getByTestId("metric-question")).getAllByRole("option").map((o) => o.textContent);
    expect(questionOptions.some((t) => t?.includes("Region"))).toBe(false);

    await user.selectOptions(screen.getByTestId("metric-question"), "QID1");
    expect(screen.getByTestId("metric-question-type")).toHaveTextContent("NPS 0–10");
    expect(calcOptions()[0]).toMatch(/^NPS/);
    expect(calcOptions().some((t) => t?.startsWith("CSAT"))).toBe(false);

    await user.selectOptions(screen.getByTestId("metric-question"), "QID3");
    expect(calcOptions().slice(0, 2)).toEqual(["CES (average effort)", "CES (% easy, 5–7)"]);

    await user.selectOptions(screen.getByTestId("metric-question"), "QID2");
    expect(calcOptions()[0]).toBe("CSAT (top-2-box %)");
    expect(screen.getByTestId("metric-question-type")).toHaveTextContent("excluded");

    await user.selectOptions(screen.getByTestId("metric-question"), "QID6");
    expect(calcOptions()).toEqual(["Count of responses"]);
  });

  it("offers the core's calculations for a slider, its rows, and drill-down levels to group by", async () => {
    const slider = {
      ...questions[5],
      qid: "QID7",
      exportTag: "Q7",
      text: "Rate us",
      questionType: "Slider",
      selector: "STAR",
      subQuestions: [
        { id: "1", label: "Design" },
        { id: "2", label: "Speed" },
      ],
      calculations: [{ kind: "average" }, { kind: "median" }, { kind: "distribution" }, { kind: "count" }],
    } as const;
    const drill = {
      ...questions[5],
      qid: "QID8",
      exportTag: "Q8",
      text: "Where?",
      questionType: "DD",
      selector: "DL",
      choices: [{ id: "1", label: "France", recode: "1", analyze: true }],
      subQuestions: [
        { id: "1", label: "Country" },
        { id: "2", label: "City" },
      ],
      calculations: [{ kind: "distribution" }, { kind: "count" }],
    } as const;
    api.surveyQuestions.mockResolvedValue([...questions, { ...slider, subQuestions: [...slider.subQuestions], calculations: [...slider.calculations] }, { ...drill, choices: [...drill.choices], subQuestions: [...drill.subQuestions], calculations: [...drill.calculations] }]);
    const user = userEvent.setup();
    renderModal();
    await pickSurvey(user);
    await user.selectOptions(screen.getByTestId("metric-question"), "QID7");
    expect(screen.getByTestId("metric-question-type")).toHaveTextContent("Stars");
    expect(calcOptions()).toEqual(["Average", "Median", "Distribution (% per choice)", "Count of responses"]);
    const rows = within(screen.getByLabelText("Slider bar")).getAllByRole("option").map((o) => o.textContent);
    expect(rows).toEqual(["Design", "Speed"]);
    const group = within(screen.getByTestId("metric-group-by")).getAllByRole("option").map((o) => (o as HTMLOptionElement).value);
    expect(group).toEqual(expect.arrayContaining(["q:QID8.1", "q:QID8.2"]));
    expect(group).not.toContain("q:QID8");
  });

  it("offers each matrix row (and side-by-side column row) to group by, as QIDn.<row>", async () => {
    const matrix = {
      ...questions[1],
      qid: "QID9",
      exportTag: "Q9",
      text: "How good are our...",
      questionType: "Matrix",
      selector: "Likert",
      subSelector: "SingleAnswer",
      subQuestions: [
        { id: "1", label: "Setup" },
        { id: "2", label: "Docs" },
      ],
    };
    const sbs = { ...matrix, qid: "QID10#1", exportTag: "Q10#1", questionType: "SBS", subQuestions: [{ id: "1", label: "Billing" }] };
    api.surveyQuestions.mockResolvedValue([...questions, matrix, sbs]);
    const user = userEvent.setup();
    renderModal();
    await pickSurvey(user);
    await user.selectOptions(screen.getByTestId("metric-question"), "QID1");
    const group = screen.getByTestId("metric-group-by");
    const rows = within(group).getByRole("group", { name: "Matrix row" });
    expect(within(rows).getAllByRole("option").map((o) => [(o as HTMLOptionElement).value, o.textContent])).toEqual([
      ["q:QID9.1", "Q9 — Setup"],
      ["q:QID9.2", "Q9 — Docs"],
      ["q:QID10#1.1", "Q10#1 — Billing"],
    ]);
    // A matrix is grouped by one row, never as a whole.
    expect(within(group).getAllByRole("option").map((o) => (o as HTMLOptionElement).value)).not.toContain("q:QID9");
    await user.selectOptions(group, "q:QID9.2");
    await waitFor(() =>
      expect(api.previewMetric).toHaveBeenLastCalledWith(expect.objectContaining({ groupBy: { kind: "question", questionId: "QID9.2" } })),
    );
  });

  it("lists choice questions and embedded fields for Group by", async () => {
    const user = userEvent.setup();
    renderModal();
    await pickSurvey(user);
    await user.selectOptions(screen.getByTestId("metric-question"), "QID1");
    const group = screen.getByTestId("metric-group-by");
    const values = within(group).getAllByRole("option").map((o) => (o as HTMLOptionElement).value);
    expect(values).toEqual(expect.arrayContaining(["none", "q:QID4", "f:Region", "time"]));
    expect(values).not.toContain("q:QID1");
    await user.selectOptions(group, "time");
    expect(screen.getByTestId("metric-time-bucket")).toHaveValue("month");
  });

  it("shows no validation message before the user touched anything", async () => {
    const user = userEvent.setup();
    renderModal();
    await waitFor(() => expect(api.listSurveys).toHaveBeenCalled());
    await screen.findByTestId("metric-survey");
    expect(screen.queryAllByRole("alert")).toEqual([]);
    expect(screen.queryByText("Pick a calculation.")).not.toBeInTheDocument();
    // Picking a survey does not flag the question and calculation not chosen yet.
    await pickSurvey(user);
    expect(screen.queryAllByRole("alert")).toEqual([]);
    // Leaving the focus (the modal focuses the name) flags nothing; emptying the name flags it.
    await user.click(screen.getByTestId("metric-name-input"));
    await user.tab();
    expect(screen.queryAllByRole("alert")).toEqual([]);
    await user.type(screen.getByTestId("metric-name-input"), "X");
    await user.clear(screen.getByTestId("metric-name-input"));
    expect(screen.getByText("Give the card a name.")).toBeInTheDocument();
    expect(screen.queryByText("Pick a question.")).not.toBeInTheDocument();
    expect(screen.queryByText("Pick a calculation.")).not.toBeInTheDocument();
    // A save attempt shows every remaining problem.
    await user.click(screen.getByTestId("metric-save"));
    expect(screen.getByText("Pick a question.")).toBeInTheDocument();
    expect(screen.getByText("Pick a calculation.")).toBeInTheDocument();
  });

  it("shows validation messages and does not save an incomplete card", async () => {
    const user = userEvent.setup();
    renderModal();
    await user.click(screen.getByTestId("metric-save"));
    expect(screen.getByTestId("metric-form-invalid")).toBeInTheDocument();
    expect(screen.getByText("Give the card a name.")).toBeInTheDocument();
    expect(screen.getByText("Pick a survey.")).toBeInTheDocument();
    expect(screen.getByText("Pick a question.")).toBeInTheDocument();
    expect(onSave).not.toHaveBeenCalled();
  });

  it("requires a time bucket for a series and two groups for a comparison", async () => {
    const user = userEvent.setup();
    renderModal();
    await pickSurvey(user);
    await user.selectOptions(screen.getByTestId("metric-question"), "QID1");
    await user.click(screen.getByTestId("metric-type-series"));
    expect(screen.getByTestId("metric-group-by")).toHaveValue("time");
    await user.selectOptions(screen.getByTestId("metric-group-by"), "q:QID4");
    expect(screen.getByText("A series needs a time bucket to group by.")).toBeInTheDocument();
    await user.click(screen.getByTestId("metric-type-comparison"));
    await user.selectOptions(screen.getByTestId("metric-comparison-kind"), "groups");
    expect(screen.getByText("Pick the two groups to compare.")).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText("Group A"), "1");
    await user.selectOptions(screen.getByLabelText("Group B"), "1");
    expect(screen.getByText("Pick two different groups.")).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText("Group B"), "2");
    expect(screen.queryByText("Pick two different groups.")).not.toBeInTheDocument();
    await user.clear(screen.getByTestId("metric-decimals"));
    await user.type(screen.getByTestId("metric-decimals"), "7");
    expect(screen.getByText("Decimals must be 0 to 4.")).toBeInTheDocument();
  });

  it("calls preview_metric (debounced) and shows value, n and formula", async () => {
    const user = userEvent.setup();
    renderModal();
    await pickSurvey(user);
    await user.selectOptions(screen.getByTestId("metric-question"), "QID1");
    await waitFor(() => expect(api.previewMetric).toHaveBeenCalled(), { timeout: 2000 });
    const config = api.previewMetric.mock.calls.at(-1)![0];
    expect(config).toMatchObject({ surveyId: "SV_1", questionId: "QID1", calculation: { kind: "nps" }, cardType: "number" });
    expect(await screen.findByTestId("preview-value")).toHaveTextContent("+39");
    expect(screen.getByTestId("metric-preview")).toHaveTextContent("n = 1,234");
    expect(screen.getByTestId("preview-formula")).toHaveTextContent("NPS = promoters − detractors");
  });

  it("says the survey is being imported and recomputes the preview when the import finishes", async () => {
    const user = userEvent.setup();
    api.previewMetric.mockResolvedValue({ value: value({ value: null, n: 0, formula: "NPS; n = 0" }), chartSvg: null });
    renderModal();
    await pickSurvey(user);
    await user.selectOptions(screen.getByTestId("metric-question"), "QID1");
    await waitFor(() => expect(api.previewMetric).toHaveBeenCalledTimes(1), { timeout: 2000 });
    act(() => emit("refresh-progress", { surveyId: "SV_1", phase: { phase: "importing", rows: 500 } }));
    expect(await screen.findByTestId("preview-importing")).toHaveTextContent("importing 500 rows");
    // Another survey's refresh neither shows here nor recomputes.
    act(() => emit("refresh-finished", { surveyId: "SV_other", ok: true }));
    expect(screen.getByTestId("preview-importing")).toBeInTheDocument();
    api.previewMetric.mockResolvedValue({ value: value({ value: 38.6, n: 1234, formula: "NPS; n = 1,234" }), chartSvg: null });
    act(() => emit("refresh-finished", { surveyId: "SV_1", ok: true }));
    await waitFor(() => expect(screen.queryByTestId("preview-importing")).toBeNull());
    await waitFor(() => expect(api.previewMetric).toHaveBeenCalledTimes(2), { timeout: 2000 });
    expect(await screen.findByTestId("preview-value")).toHaveTextContent("+39");
    expect(screen.getByTestId("metric-preview")).toHaveTextContent("n = 1,234");
  });

  it("shows the preview error instead of a value", async () => {
    const user = userEvent.setup();
    api.previewMetric.mockRejectedValue(new IpcError("notFound", "survey SV_1 is not cached yet"));
    renderModal();
    await pickSurvey(user);
    await user.selectOptions(screen.getByTestId("metric-question"), "QID1");
    expect(await screen.findByTestId("preview-error", {}, { timeout: 2000 })).toHaveTextContent("not cached yet");
  });

  it("saves a complete config", async () => {
    const user = userEvent.setup();
    renderModal();
    await pickSurvey(user);
    await user.selectOptions(screen.getByTestId("metric-question"), "QID1");
    await user.clear(screen.getByTestId("metric-name-input"));
    await user.type(screen.getByTestId("metric-name-input"), "NPS by plan");
    await user.selectOptions(screen.getByTestId("metric-group-by"), "q:QID4");
    await user.click(screen.getByTestId("metric-save"));
    // The issue 13 settings a new card gets: all time, recorded date, no segment, no target, n ≥ 30.
    expect(onSave).toHaveBeenCalledWith(
      metricConfig({ name: "NPS by plan", groupBy: { kind: "question", questionId: "QID4" } }),
    );
  });

  it("explains how to share surveys when the token sees none", async () => {
    const user = userEvent.setup();
    api.listSurveys.mockResolvedValue([]);
    renderModal();
    await waitFor(() => expect(api.listSurveys).toHaveBeenCalled());
    await user.click(screen.getByTestId("metric-survey"));
    expect(await screen.findByTestId("metric-survey-empty")).toHaveTextContent(
      "No surveys visible to this token — share surveys with ana@acme.example in Qualtrics",
    );
  });
});
