import { act, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CardView, MetricCardConfig, MetricValue } from "../src/ipc";
import { sanitizeSvg } from "../src/lib/svg";
import { MetricCardFace } from "../src/map/MetricCardFace";
import { metricConfig, value } from "./fixtures";
import { api, resetIpc } from "./ipcMock";

vi.mock("../src/ipc", async (orig) => ({ ...(await orig<object>()), ...(await import("./ipcMock")).ipcModule }));

const config: MetricCardConfig = metricConfig({ name: "Onboarding CSAT", questionId: "QID2", calculation: { kind: "csatTop2" } });

function card(v: MetricValue | null, computedAt: string | null = new Date().toISOString()): CardView {
  return {
    card: { id: "c9", mapId: "m", stageId: "s", laneId: "l", position: 0, content: { kind: "metric", config }, createdAt: "2026-01-01T00:00:00Z", updatedAt: "2026-01-01T00:00:00Z" },
    cachedValue: v,
    computedAt,
    staleConfig: false,
    fullSyncAt: null,
    dataAsOf: null,
    stale: false,
  };
}

beforeEach(() => resetIpc());
afterEach(() => vi.useRealTimers());

describe("metric card face", () => {
  it("shows value per unit, n, formula and the sanitised chart", async () => {
    api.cardChartSvg.mockResolvedValue(
      '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" onload="alert(1)"><script>alert(2)</script><rect width="10" height="10"/><text>Pro</text></svg>',
    );
    render(<MetricCardFace view={card(value({ value: 78.44, unit: "percent", n: 11012, formula: "CSAT = % of 4-5" }))} config={config} />);
    expect(screen.getByTestId("metric-value")).toHaveTextContent("78.4%");
    expect(screen.getByTestId("metric-n")).toHaveTextContent("n = 11,012");
    expect(screen.getByTestId("formula-text")).toHaveTextContent("CSAT = % of 4-5");
    expect(screen.getByTestId("formula-info")).toHaveAttribute("aria-describedby", screen.getByTestId("formula-text").id);
    const chart = await screen.findByTestId("metric-chart");
    expect(api.cardChartSvg).toHaveBeenCalledWith("c9");
    expect(chart.querySelector("svg")).not.toBeNull();
    expect(chart.querySelector("text")).toHaveTextContent("Pro");
    expect(chart.innerHTML).not.toContain("script");
    expect(chart.innerHTML).not.toContain("onload");
  });

  it.each([
    ["surveyDeleted", "Survey no longer available", "share it again"],
    ["questionDeleted", "Question removed from the survey", "choose a question that still exists"],
    ["noData", "No responses yet", "next refresh"],
  ] as const)("explains the %s problem with guidance", (problem, title, guidance) => {
    render(<MetricCardFace view={card(value({ value: null, n: 0, problems: [{ kind: problem, message: "detail" }] }))} config={config} />);
    const box = screen.getByTestId(`card-problem-${problem}`);
    expect(box).toHaveTextContent(title);
    expect(box).toHaveTextContent(guidance);
    expect(screen.queryByTestId("metric-value")).not.toBeInTheDocument();
    expect(api.cardChartSvg).not.toHaveBeenCalled();
  });

  it("says when the survey was last fully synced, next to the update time", () => {
    const view = { ...card(value({ value: 12 })), fullSyncAt: new Date(Date.now() - 3 * 3_600_000).toISOString() };
    render(<MetricCardFace view={view} config={config} />);
    expect(screen.getByTestId("metric-updated")).toHaveTextContent("updated just now");
    const sync = screen.getByTestId("metric-full-sync");
    expect(sync).toHaveTextContent("full sync 3 h ago");
    expect(sync).toHaveAttribute("title", expect.stringContaining("edits made there to existing responses"));
  });

  it("shows a waiting state before the first computation", () => {
    render(<MetricCardFace view={card(null, null)} config={config} />);
    expect(screen.getByTestId("metric-pending")).toHaveTextContent("Waiting for the first refresh");
    expect(screen.getByTestId("metric-updated")).toHaveTextContent("not computed yet");
  });

  it("shows the refreshing overlay with percent while its survey refreshes", () => {
    render(
      <MetricCardFace
        view={card(value({ unit: "score", value: 12 }))}
        config={config}
        progress={{ surveyId: "SV_1", phase: { phase: "exporting", percent: 57.4 } }}
      />,
    );
    expect(screen.getByTestId("card-refreshing")).toHaveTextContent("Refreshing 57%");
    expect(screen.getByTestId("metric-value")).toHaveTextContent("+12");
  });

  it("shows a comparison delta with its sign", () => {
    const v = value({
      unit: "score",
      value: 40,
      comparison: { currentLabel: "2026-Q1", current: 40, currentN: 10, previousLabel: "2025-Q4", previous: 46, previousN: 12, delta: -6, significant: null, deltaCiLow: null, deltaCiHigh: null },
    });
    render(<MetricCardFace view={card(v)} config={{ ...config, cardType: "comparison" }} />);
    expect(screen.getByTestId("metric-delta")).toHaveTextContent("−6");
    expect(screen.getByTestId("metric-delta")).toHaveClass("delta--down");
  });

  it("ticks the relative update time", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    render(<MetricCardFace view={card(value({}), new Date(Date.now() - 4 * 60_000).toISOString())} config={{ ...config, chart: { ...config.chart, kind: "none" } }} />);
    expect(screen.getByTestId("metric-updated")).toHaveTextContent("updated 4 min ago");
    act(() => {
      vi.advanceTimersByTime(3 * 60_000);
    });
    await waitFor(() => expect(screen.getByTestId("metric-updated")).toHaveTextContent("updated 7 min ago"));
  });
});

describe("sanitizeSvg", () => {
  it("drops non-SVG input and dangerous content", () => {
    expect(sanitizeSvg("<div>hi</div>")).toBe("");
    expect(sanitizeSvg("not xml <")).toBe("");
    expect(sanitizeSvg(null)).toBe("");
    const out = sanitizeSvg(
      '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="5"><a xlink:href="javascript:alert(1)"><text>x</text></a><foreignObject><div/></foreignObject><use href="#ok"/></svg>',
    );
    expect(out).not.toContain("javascript");
    expect(out).not.toContain("foreignObject");
    expect(out).toContain('href="#ok"');
    expect(out).toContain('viewBox="0 0 10 5"');
  });
});

describe("stale configuration", () => {
  it("marks a value computed for the card's previous settings", () => {
    render(<MetricCardFace view={{ ...card(value({})), staleConfig: true }} config={{ ...config, chart: { ...config.chart, kind: "none" } }} />);
    expect(screen.getByTestId("metric-stale-config")).toHaveTextContent("from the previous settings");
  });

  it("reserves the chart's space while its SVG loads, then shows the chart in its place", async () => {
    let answer: (svg: string | null) => void = () => {};
    api.cardChartSvg.mockImplementation(() => new Promise((r) => (answer = r)));
    render(<MetricCardFace view={card(value({ value: 78.4, unit: "percent", n: 120 }))} config={config} />);
    // The placeholder is there from the first paint, together with the value.
    expect(screen.getByTestId("metric-value")).toHaveTextContent("78.4%");
    const placeholder = screen.getByTestId("metric-chart-placeholder");
    expect(placeholder).toHaveClass("metric__chart");
    expect(screen.queryByTestId("metric-chart")).not.toBeInTheDocument();
    await act(async () => answer('<svg xmlns="http://www.w3.org/2000/svg" width="320" height="180"><rect width="10" height="10"/></svg>'));
    expect(screen.getByTestId("metric-chart").querySelector("svg")).not.toBeNull();
    expect(screen.queryByTestId("metric-chart-placeholder")).not.toBeInTheDocument();
  });

  it("drops the placeholder when there is no chart to show", async () => {
    let answer: (svg: string | null) => void = () => {};
    api.cardChartSvg.mockImplementation(() => new Promise((r) => (answer = r)));
    render(<MetricCardFace view={card(value({ n: 120 }))} config={config} />);
    expect(screen.getByTestId("metric-chart-placeholder")).toBeInTheDocument();
    await act(async () => answer(null));
    expect(screen.queryByTestId("metric-chart-placeholder")).not.toBeInTheDocument();
    expect(screen.queryByTestId("metric-chart")).not.toBeInTheDocument();
  });

  it("reserves no chart space for a card whose chart kind is None", () => {
    render(<MetricCardFace view={card(value({ n: 120 }))} config={{ ...config, chart: { ...config.chart, kind: "none" } }} />);
    expect(screen.queryByTestId("metric-chart-placeholder")).not.toBeInTheDocument();
    expect(api.cardChartSvg).not.toHaveBeenCalled();
  });
});
