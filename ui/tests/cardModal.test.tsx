/** Issue 13 settings of the metric card modal: each control reaches the config sent over IPC. */
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { AppStateProvider } from "../src/AppState";
import type { MetricCardConfig } from "../src/ipc";
import { MetricModal } from "../src/metric/MetricModal";
import { connected, metricConfig, questions, surveys, value } from "./fixtures";
import { api, resetIpc } from "./ipcMock";

vi.mock("../src/ipc", async (orig) => ({ ...(await orig<object>()), ...(await import("./ipcMock")).ipcModule }));

const onSave = vi.fn<(c: MetricCardConfig) => Promise<boolean>>();
type User = ReturnType<typeof userEvent.setup>;

function renderModal(initial: MetricCardConfig | null = null) {
  api.connectionStatus.mockResolvedValue(connected);
  return render(
    <AppStateProvider>
      <MetricModal initial={initial} onSave={onSave} onClose={() => {}} />
    </AppStateProvider>,
  );
}

async function startNpsCard(user: User) {
  await user.click(screen.getByTestId("metric-survey"));
  await user.type(screen.getByTestId("metric-survey"), "Onboarding");
  await user.click(await screen.findByRole("option", { name: /Onboarding/ }));
  await waitFor(() => expect(screen.getByTestId("metric-question")).not.toBeDisabled());
  await user.selectOptions(screen.getByTestId("metric-question"), "QID1");
  await user.clear(screen.getByTestId("metric-name-input"));
  await user.type(screen.getByTestId("metric-name-input"), "NPS");
}

const saved = () => onSave.mock.calls[onSave.mock.calls.length - 1]?.[0];

beforeEach(() => {
  resetIpc();
  onSave.mockReset().mockResolvedValue(true);
  api.listSurveys.mockResolvedValue(surveys);
  api.surveyQuestions.mockResolvedValue(questions);
  api.previewMetric.mockResolvedValue({ value: value({}), chartSvg: null });
  api.fieldValues.mockResolvedValue([
    { value: "EMEA", n: 812 },
    { value: "APAC", n: 95 },
  ]);
  api.listSurveyFilters.mockResolvedValue([{ id: "FT_1", name: "Detractors 2026", membersReadAt: null }]);
});

describe("card modal: issue 13 settings", () => {
  it("sends range, date field, AND-ed segment filters, target, minimum n and display options", { timeout: 20000 }, async () => {
    const user = userEvent.setup();
    renderModal();
    await startNpsCard(user);

    await user.selectOptions(screen.getByTestId("metric-range"), "last:90");
    await user.selectOptions(screen.getByTestId("metric-date-field"), "endDate");

    await user.selectOptions(screen.getByTestId("metric-filter-add"), "f:Region");
    expect(api.fieldValues).toHaveBeenCalledWith("SV_1", "Region");
    const emea = await screen.findByRole("checkbox", { name: /EMEA/ });
    expect(emea.closest("label")).toHaveTextContent("n = 812");
    await user.click(emea);
    await user.selectOptions(screen.getByTestId("metric-filter-add"), "q:QID4");
    await user.click(within(screen.getByRole("group", { name: "Choices of Q4" })).getByRole("checkbox", { name: "Pro" }));
    await user.selectOptions(screen.getByTestId("metric-filter-add"), "saved");
    expect(api.listSurveyFilters).toHaveBeenCalledWith("SV_1");
    await screen.findByRole("option", { name: "Detractors 2026" });
    await user.selectOptions(screen.getByTestId("metric-filter-saved"), "FT_1");
    expect(screen.getByTestId("metric-filter-summary")).toHaveTextContent(
      "Region is EMEA and Q4 answered Pro and Saved filter “Detractors 2026”",
    );

    await user.click(screen.getByTestId("metric-target-enabled"));
    await user.type(screen.getByTestId("metric-target-value"), "40");
    await user.selectOptions(screen.getByTestId("metric-target-better"), "lower");
    await user.type(screen.getByTestId("metric-target-amber"), "5");
    expect(screen.getByTestId("metric-target-rule")).toHaveTextContent(
      "On target at +40 or less; near target above +40 up to +45; off target above +45.",
    );
    await user.clear(screen.getByTestId("metric-min-n"));
    await user.type(screen.getByTestId("metric-min-n"), "50");

    await user.type(screen.getByTestId("metric-heading-input"), "Detractor pressure");
    await user.type(screen.getByTestId("metric-subheading-input"), "EMEA, Pro plan");
    await user.click(screen.getByTestId("metric-start-at-zero"));
    await user.click(screen.getByTestId("metric-view-table"));

    await user.click(screen.getByTestId("metric-save"));
    expect(saved()).toEqual(
      metricConfig({
        name: "NPS",
        range: { kind: "last", days: 90 },
        dateField: "endDate",
        filters: [
          { kind: "field", name: "Region", values: ["EMEA"] },
          { kind: "question", questionId: "QID4", choices: ["2"] },
          { kind: "saved", filterId: "FT_1", name: "Detractors 2026" },
        ],
        target: { value: 40, better: "lower", amberMargin: 5 },
        minN: 50,
        heading: "Detractor pressure",
        subheading: "EMEA, Pro plan",
        chart: { kind: "bar", showN: true, decimals: 1, startAtZero: true, view: "table" },
      }),
    );
  });

  it("sends the live preview the same settings", async () => {
    const user = userEvent.setup();
    renderModal();
    await startNpsCard(user);
    await user.selectOptions(screen.getByTestId("metric-range"), "previous:quarter");
    await waitFor(() => expect(api.previewMetric).toHaveBeenLastCalledWith(expect.objectContaining({ range: { kind: "previous", unit: "quarter" } })), {
      timeout: 2000,
    });
  });

  it("removes a filter", async () => {
    const user = userEvent.setup();
    renderModal(metricConfig({ filters: [{ kind: "field", name: "Region", values: ["EMEA"] }, { kind: "field", name: "Region", values: ["APAC"] }] }));
    await screen.findAllByTestId("metric-filter-item");
    await user.click(screen.getAllByTestId("metric-filter-remove")[0]);
    expect(screen.getByTestId("metric-filter-summary")).toHaveTextContent(/^Region is APAC$/);
    await user.click(screen.getByTestId("metric-save"));
    expect(saved()?.filters).toEqual([{ kind: "field", name: "Region", values: ["APAC"] }]);
  });

  it("refuses a filter with no value picked", async () => {
    const user = userEvent.setup();
    renderModal();
    await startNpsCard(user);
    await user.selectOptions(screen.getByTestId("metric-filter-add"), "f:Region");
    expect(screen.getByTestId("preview-hint")).toHaveTextContent("Complete the settings marked in the form");
    await user.click(screen.getByTestId("metric-save"));
    expect(onSave).not.toHaveBeenCalled();
    expect(screen.getByTestId("metric-filter")).toHaveTextContent("Pick at least one value for this filter, or remove it.");
  });

  it("validates a custom range per end and saves it once valid", async () => {
    const user = userEvent.setup();
    renderModal();
    await startNpsCard(user);
    await user.selectOptions(screen.getByTestId("metric-range"), "custom");
    expect(screen.getByTestId("metric-range-from-error")).toHaveTextContent("Enter the first day of the range.");
    expect(screen.getByTestId("metric-range-to-error")).toHaveTextContent("Enter the last day of the range.");
    await user.type(screen.getByTestId("metric-range-from"), "2026-09-30");
    await user.type(screen.getByTestId("metric-range-to"), "2026-09-01");
    expect(screen.queryByTestId("metric-range-from-error")).toBeNull();
    expect(screen.getByTestId("metric-range-to-error")).toHaveTextContent("The end must be on or after the start.");
    await user.click(screen.getByTestId("metric-save"));
    expect(onSave).not.toHaveBeenCalled();
    await user.clear(screen.getByTestId("metric-range-to"));
    await user.type(screen.getByTestId("metric-range-to"), "2026-09-30");
    expect(screen.queryByTestId("metric-range-to-error")).toBeNull();
    await user.click(screen.getByTestId("metric-save"));
    expect(saved()?.range).toEqual({ kind: "custom", from: "2026-09-30", to: "2026-09-30" });
  });

  it.each([
    ["", "", "Enter the target as a number."],
    ["150", "", "An NPS target lies between −100 and +100."],
    ["40", "-2", "The amber margin is a number of 0 or more"],
  ])("refuses target %j with amber %j", async (target, amber, message) => {
    const user = userEvent.setup();
    renderModal();
    await startNpsCard(user);
    await user.click(screen.getByTestId("metric-target-enabled"));
    if (target) await user.type(screen.getByTestId("metric-target-value"), target);
    if (amber) await user.type(screen.getByTestId("metric-target-amber"), amber);
    await user.click(screen.getByTestId("metric-save"));
    expect(onSave).not.toHaveBeenCalled();
    expect(screen.getByTestId("metric-target-section")).toHaveTextContent(message);
  });

  it("refuses a minimum n that is not a whole number of 1 or more", async () => {
    const user = userEvent.setup();
    renderModal();
    await startNpsCard(user);
    await user.clear(screen.getByTestId("metric-min-n"));
    await user.type(screen.getByTestId("metric-min-n"), "2.5");
    await user.click(screen.getByTestId("metric-save"));
    expect(onSave).not.toHaveBeenCalled();
    expect(screen.getByTestId("metric-min-n-error")).toHaveTextContent("whole number from 1");
  });

  it("compares with the previous period of the same length only when a range is set", async () => {
    const user = userEvent.setup();
    renderModal();
    await startNpsCard(user);
    await user.click(screen.getByTestId("metric-type-comparison"));
    expect(screen.getByTestId("metric-comparison-kind")).toHaveValue("previousRange");
    await user.click(screen.getByTestId("metric-save"));
    expect(onSave).not.toHaveBeenCalled();
    expect(screen.getByTestId("metric-comparison")).toHaveTextContent("all time has no earlier period");
    await user.selectOptions(screen.getByTestId("metric-range"), "last:30");
    await user.selectOptions(screen.getByTestId("metric-comparison-kind"), "yearEarlier");
    await user.click(screen.getByTestId("metric-save"));
    expect(saved()).toMatchObject({ cardType: "comparison", comparison: { kind: "yearEarlier" }, range: { kind: "last", days: 30 } });
  });

  it("compares two named segments, each with its own filters", async () => {
    const user = userEvent.setup();
    renderModal();
    await startNpsCard(user);
    await user.click(screen.getByTestId("metric-type-comparison"));
    await user.selectOptions(screen.getByTestId("metric-comparison-kind"), "segments");
    await user.selectOptions(screen.getByTestId("segment-a-filter-add"), "f:Region");
    await user.click(await within(screen.getByTestId("segment-a")).findByRole("checkbox", { name: /EMEA/ }));
    await user.selectOptions(screen.getByTestId("segment-b-filter-add"), "f:Region");
    await user.click(await within(screen.getByTestId("segment-b")).findByRole("checkbox", { name: /APAC/ }));
    await user.clear(screen.getByTestId("segment-a-label"));
    await user.type(screen.getByTestId("segment-a-label"), "EMEA");
    await user.clear(screen.getByTestId("segment-b-label"));
    await user.type(screen.getByTestId("segment-b-label"), "APAC");
    await user.click(screen.getByTestId("metric-save"));
    expect(saved()?.comparison).toEqual({
      kind: "segments",
      a: [{ kind: "field", name: "Region", values: ["EMEA"] }],
      aLabel: "EMEA",
      b: [{ kind: "field", name: "Region", values: ["APAC"] }],
      bLabel: "APAC",
    });
  });

  it("compares with the target only when one is set", async () => {
    const user = userEvent.setup();
    renderModal();
    await startNpsCard(user);
    await user.click(screen.getByTestId("metric-type-comparison"));
    await user.selectOptions(screen.getByTestId("metric-comparison-kind"), "target");
    await user.click(screen.getByTestId("metric-save"));
    expect(screen.getByTestId("metric-comparison")).toHaveTextContent("Set a target below");
    await user.click(screen.getByTestId("metric-target-enabled"));
    await user.type(screen.getByTestId("metric-target-value"), "30");
    await user.click(screen.getByTestId("metric-save"));
    expect(saved()).toMatchObject({ comparison: { kind: "target" }, target: { value: 30, better: "higher", amberMargin: null } });
  });

  it("splits a series into lines by a field", async () => {
    const user = userEvent.setup();
    renderModal();
    await startNpsCard(user);
    await user.click(screen.getByTestId("metric-type-series"));
    await user.selectOptions(screen.getByTestId("metric-split-by"), "f:Region");
    await user.click(screen.getByTestId("metric-save"));
    expect(saved()).toMatchObject({ cardType: "series", splitBy: { kind: "field", name: "Region" } });
    expect(saved()?.groupBy).toEqual({ kind: "time", bucket: "month", dateField: "recordedDate" });
  });

  it("edits an existing card without losing any setting", async () => {
    const user = userEvent.setup();
    const initial = metricConfig({
      cardType: "series",
      groupBy: { kind: "time", bucket: "week", dateField: "startDate" },
      range: { kind: "this", unit: "year" },
      dateField: "startDate",
      filters: [{ kind: "saved", filterId: "FT_1", name: "Detractors 2026" }],
      target: { value: -10, better: "higher", amberMargin: 2.5 },
      minN: 12,
      heading: "Heading",
      subheading: "Sub",
      splitBy: { kind: "question", questionId: "QID4" },
      chart: { kind: "line", showN: false, decimals: 0, startAtZero: true, view: "chart" },
    });
    renderModal(initial);
    await waitFor(() => expect(screen.getByTestId("metric-question")).toHaveValue("QID1"));
    await user.click(screen.getByTestId("metric-save"));
    expect(saved()).toEqual(initial);
  });
});
