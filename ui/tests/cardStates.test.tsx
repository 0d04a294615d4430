/** Issue 13 card face states: status, interval, low n, noise, freshness, tables, offline banner. */
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import App from "../src/App";
import type { CardView, MetricCardConfig, MetricValue } from "../src/ipc";
import { MapGrid } from "../src/map/MapGrid";
import { MetricCardFace } from "../src/map/MetricCardFace";
import { Presentation } from "../src/present/Presentation";
import { connected, mapView, metricConfig, value } from "./fixtures";
import { api, resetIpc } from "./ipcMock";

vi.mock("../src/ipc", async (orig) => ({ ...(await orig<object>()), ...(await import("./ipcMock")).ipcModule }));

const npsTarget = metricConfig({ target: { value: 40, better: "higher", amberMargin: null } });

function card(v: MetricValue | null, config: MetricCardConfig = npsTarget, extra: Partial<CardView> = {}): CardView {
  return {
    card: { id: "c1", mapId: "m", stageId: "s", laneId: "l", position: 0, content: { kind: "metric", config }, createdAt: "2026-01-01T00:00:00Z", updatedAt: "2026-01-01T00:00:00Z" },
    cachedValue: v,
    computedAt: new Date().toISOString(),
    staleConfig: false,
    fullSyncAt: null,
    dataAsOf: null,
    stale: false,
    ...extra,
  };
}

beforeEach(() => resetIpc());

describe("card status", () => {
  it.each([
    ["green", "✓", "On target"],
    ["amber", "▲", "Near target"],
    ["red", "✕", "Off target"],
  ] as const)("shows %s as an icon and words, with the target in the accessible text", (status, icon, words) => {
    render(<MetricCardFace view={card(value({ value: 38, status, target: 40 }))} config={npsTarget} />);
    const badge = screen.getByTestId("metric-status");
    expect(badge).toHaveTextContent(icon);
    expect(badge).toHaveTextContent(words);
    expect(badge).toHaveClass(`status--${status}`);
    // The icon is decoration for sighted users; the words and target are what is read out.
    expect(within(badge).getByText(icon)).toHaveAttribute("aria-hidden");
    expect(badge).toHaveTextContent("Target +40, higher is better");
  });

  it("shows no status without a target", () => {
    render(<MetricCardFace view={card(value({ value: 38, status: "none" }), metricConfig())} config={metricConfig()} />);
    expect(screen.queryByTestId("metric-status")).toBeNull();
  });
});

describe("how sure the number is", () => {
  it("gives the 95% interval as the value's tooltip and accessible description", () => {
    render(<MetricCardFace view={card(value({ value: 39.4, ciLow: 31.2, ciHigh: 47.4, ciMethod: "Wilson score interval (95%)", unit: "percent" }))} config={npsTarget} />);
    const tip = screen.getByTestId("metric-interval");
    expect(tip).toHaveTextContent("95% interval 31.2%–47.4% (Wilson score interval)");
    expect(tip).toHaveAttribute("role", "tooltip");
    expect(screen.getByTestId("metric-value")).toHaveAttribute("aria-describedby", tip.id);
    expect(screen.getByTestId("metric-value")).toHaveAttribute("tabindex", "0");
  });

  it("writes score intervals with 'to' (signs around a dash read badly)", () => {
    const ciMethod = "normal approximation with the trinomial variance of NPS (95%, Rocks 2016)";
    render(<MetricCardFace view={card(value({ value: 18, ciLow: -3, ciHigh: 21, ciMethod }))} config={npsTarget} />);
    // The level is said once, and the core's bracketed note does not nest.
    expect(screen.getByTestId("metric-interval")).toHaveTextContent(
      /^95% interval −3 to \+21 \(normal approximation with the trinomial variance of NPS, Rocks 2016\)$/,
    );
  });

  it("shows the interval as visible text when presenting", () => {
    render(<MetricCardFace large view={card(value({ value: 18, ciLow: 15, ciHigh: 21, ciMethod: "normal approximation" }))} config={npsTarget} />);
    expect(screen.getByTestId("metric-interval-visible")).toHaveTextContent("95% interval +15 to +21");
  });

  it("says Low n under the card's minimum, not when there are no answers at all", () => {
    const { rerender } = render(<MetricCardFace view={card(value({ value: 12, n: 7, lowN: true, minN: 30 }))} config={npsTarget} />);
    const badge = screen.getByTestId("metric-low-n");
    expect(badge).toHaveTextContent("Low n");
    expect(badge).toHaveTextContent("7 answers, fewer than the card's minimum of 30");
    const empty = value({ value: null, n: 0, lowN: true, problems: [{ kind: "noData", message: "none" }] });
    rerender(<MetricCardFace view={card(empty)} config={npsTarget} />);
    expect(screen.queryByTestId("metric-low-n")).toBeNull();
    expect(screen.getByTestId("card-problem-noData")).toBeInTheDocument();
  });

  it.each([
    [true, "real change", "larger than the noise"],
    [false, "change within noise", "may be chance"],
  ])("says whether a comparison's change is larger than the noise (significant=%s)", (significant, short, long) => {
    const v = value({
      comparison: { currentLabel: "Last 90 days", current: 26, currentN: 649, previousLabel: "Previous 90 days", previous: 20, previousN: 393, delta: 6, significant, deltaCiLow: significant ? 2 : -3, deltaCiHigh: 10 },
    });
    render(<MetricCardFace view={card(v)} config={{ ...npsTarget, cardType: "comparison", comparison: { kind: "previousRange" } }} />);
    const noise = screen.getByTestId("metric-noise");
    expect(noise).toHaveTextContent(short);
    expect(noise).toHaveTextContent(long);
    // Noise is not painted as a rise.
    expect(screen.getByTestId("metric-delta")).toHaveClass(significant ? "delta--up" : "delta--noise");
  });
});

describe("freshness and scope", () => {
  it("says Data as of the survey's last sync, and Stale after 24 h, even before a value", () => {
    render(<MetricCardFace view={card(null, npsTarget, { dataAsOf: "2026-11-27T08:15:00Z", stale: true })} config={npsTarget} />);
    expect(screen.getByTestId("metric-data-as-of")).toHaveTextContent(/Data as of 27 Nov 2026, \d\d:\d\d/);
    expect(screen.getByTestId("metric-stale")).toHaveTextContent("Stale");
  });

  it("prefers the value's dataAsOf and stale flag, and shows the resolved range and segment", () => {
    const config = { ...npsTarget, filters: [{ kind: "field" as const, name: "Region", values: ["EMEA", "APAC"] }] };
    const v = value({ dataAsOf: "2026-11-29T07:00:00Z", stale: false, resolvedRange: { from: "2026-09-01", to: "2026-11-29", label: "Last 90 days (1 Sep – 29 Nov 2026)" } });
    render(<MetricCardFace view={card(v, config, { dataAsOf: "2026-11-01T00:00:00Z", stale: true })} config={config} />);
    expect(screen.queryByTestId("metric-stale")).toBeNull();
    expect(screen.getByTestId("metric-data-as-of")).toHaveTextContent("29 Nov 2026");
    expect(screen.getByTestId("metric-scope")).toHaveTextContent("Last 90 days (1 Sep – 29 Nov 2026) · Region is EMEA or APAC");
  });
});

describe("display options", () => {
  const groups = [
    { key: "1", label: "Basic", value: 3, n: 800, ciLow: -1, ciHigh: 7, lowN: false },
    { key: "3", label: "Enterprise", value: 51, n: 12, ciLow: 20, ciHigh: 80, lowN: true },
  ];

  it("shows heading and subheading instead of the name", () => {
    const config = { ...npsTarget, heading: "Enterprise NPS", subheading: "Last 90 days, EMEA" };
    render(<MetricCardFace view={card(value({}), config)} config={config} />);
    expect(screen.getByTestId("metric-name")).toHaveTextContent("Enterprise NPS");
    expect(screen.getByTestId("metric-subheading")).toHaveTextContent("Last 90 days, EMEA");
  });

  it("table view lists the groups with n and low n, and draws no chart", async () => {
    const config = { ...npsTarget, chart: { ...npsTarget.chart, view: "table" as const } };
    render(<MetricCardFace view={card(value({ groups }), config)} config={config} />);
    const rows = within(screen.getByTestId("metric-table")).getAllByRole("row");
    expect(rows.map((r) => r.textContent)).toEqual([
      "GroupValuen",
      "Basic+3 (95% interval −1 to +7)800",
      "Enterprise+51 (95% interval +20 to +80)12 low n",
    ]);
    await waitFor(() => expect(api.cardChartSvg).not.toHaveBeenCalled());
  });

  it("keeps the group-by breakdown as a table when No chart is picked", () => {
    const config = { ...npsTarget, chart: { ...npsTarget.chart, kind: "none" as const } };
    render(<MetricCardFace view={card(value({ groups }), config)} config={config} />);
    expect(within(screen.getByTestId("metric-breakdown")).getAllByRole("row")).toHaveLength(3);
  });

  it("tables a split series with one column per line", () => {
    const pt = (bucket: string, v: number, n: number) => ({ bucket, value: v, n, ciLow: null, ciHigh: null, lowN: n < 30 });
    const config = { ...npsTarget, cardType: "series" as const, chart: { ...npsTarget.chart, view: "table" as const }, splitBy: { kind: "field" as const, name: "Region" } };
    const v = value({
      seriesGroups: [
        { key: "EMEA", label: "EMEA", points: [pt("2026-10", 20, 90), pt("2026-11", 24, 95)] },
        { key: "ANZ", label: "ANZ", points: [pt("2026-11", 40, 4)] },
      ],
    });
    render(<MetricCardFace view={card(v, config)} config={config} />);
    const table = screen.getByTestId("metric-table");
    expect(within(table).getAllByRole("columnheader").map((c) => c.textContent)).toEqual(["Period", "EMEA", "ANZ"]);
    expect(within(table).getAllByRole("row")[1]).toHaveTextContent("2026-10+20 n=90—");
    expect(within(table).getAllByRole("row")[2]).toHaveTextContent("low n");
  });
});

describe("presentation", () => {
  it("shows status, low n and data as of on its cards", () => {
    const view = mapView();
    const c = view.cards[1];
    c.card.content = { kind: "metric", config: npsTarget };
    c.cachedValue = value({ status: "red", target: 40, value: 12, n: 9, lowN: true, dataAsOf: "2026-11-29T07:00:00Z" });
    render(<Presentation view={view} progress={{}} onExit={() => {}} />);
    const p = screen.getByTestId("presentation");
    expect(within(p).getByTestId("metric-status")).toHaveTextContent("✕Off target");
    expect(within(p).getByTestId("metric-low-n")).toBeInTheDocument();
    expect(within(p).getByTestId("metric-data-as-of")).toHaveTextContent("Data as of");
  });

  it("keeps freshness to the one data-as-of line, so a small map fits the screen", () => {
    const view = mapView();
    const c = view.cards[1];
    c.card.content = { kind: "metric", config: npsTarget };
    Object.assign(c, { computedAt: "2026-11-29T07:05:00Z", fullSyncAt: "2026-11-29T06:00:00Z" });
    c.cachedValue = value({ dataAsOf: "2026-11-29T07:00:00Z" });
    render(<Presentation view={view} progress={{}} onExit={() => {}} />);
    const p = screen.getByTestId("presentation");
    expect(within(p).getByTestId("metric-data-as-of").textContent).toMatch(/^Data as of 29 Nov 2026, \d\d:\d\d$/);
    expect(within(p).queryByTestId("metric-updated")).toBeNull();
    expect(within(p).queryByTestId("metric-full-sync")).toBeNull();
  });
});

describe("workshop pack", () => {
  /** A pack as the core opens it on an install that never synced its survey. */
  function pack() {
    const view = mapView();
    view.map.dataAsOf = "2026-11-28T16:30:00Z";
    const c = view.cards[1];
    c.card.content = { kind: "metric", config: npsTarget };
    // Computed on the designer's install a minute before the pack; never synced here.
    Object.assign(c, { computedAt: "2026-11-28T16:29:00Z", fullSyncAt: null, dataAsOf: null, stale: true, staleConfig: false });
    c.cachedValue = value({ dataAsOf: "2026-11-28T16:00:00Z", stale: false });
    return view;
  }

  it("shows the pack's data-as-of stamp on its cards, not the designer's 'updated' time or Stale", () => {
    render(<MapGrid view={pack()} progress={{}} mutate={async () => true} onAddMetric={() => {}} onEditMetric={() => {}} readOnly />);
    const face = screen.getByTestId("metric-card");
    expect(within(face).getByTestId("metric-data-as-of").textContent).toMatch(/^Data as of 2[89] Nov 2026, \d\d:\d\d$/);
    expect(within(face).getByTestId("metric-data-as-of")).toHaveAttribute("title", expect.stringContaining("workshop pack"));
    expect(within(face).queryByTestId("metric-updated")).toBeNull();
    expect(within(face).queryByTestId("metric-stale")).toBeNull();
  });

  it("presents with the same stamp", () => {
    render(<Presentation view={pack()} progress={{}} onExit={() => {}} />);
    const p = screen.getByTestId("presentation");
    expect(within(p).getByTestId("metric-data-as-of").textContent).toMatch(/^Data as of 2[89] Nov 2026, \d\d:\d\d$/);
    expect(within(p).queryByTestId("metric-stale")).toBeNull();
  });

  it("a problem card in a pack does not ask to edit or wait for a refresh that cannot happen", () => {
    const view = pack();
    view.cards[1].cachedValue = value({ value: null, n: 0, problems: [{ kind: "questionDeleted", message: "QID1 is gone" }] });
    render(<MapGrid view={view} progress={{}} mutate={async () => true} onAddMetric={() => {}} onEditMetric={() => {}} readOnly />);
    const problem = screen.getByTestId("card-problem-questionDeleted");
    expect(problem).toHaveTextContent("Question removed from the survey");
    expect(problem).toHaveTextContent(/when the pack was exported.*Duplicate to edit/);
    expect(problem).not.toHaveTextContent("Edit the card and");
  });

  it("a pack card with no value says none was computed, not that a refresh is coming", () => {
    const view = pack();
    view.cards[1].cachedValue = null;
    render(<MapGrid view={view} progress={{}} mutate={async () => true} onAddMetric={() => {}} onEditMetric={() => {}} readOnly />);
    const pending = screen.getByTestId("metric-pending");
    expect(pending).toHaveTextContent("No value was computed for this card when the pack was exported.");
    expect(pending).not.toHaveTextContent("refresh");
  });

  it("an ordinary map keeps 'updated X ago'", () => {
    const view = pack();
    view.map.dataAsOf = null;
    render(<MapGrid view={view} progress={{}} mutate={async () => true} onAddMetric={() => {}} onEditMetric={() => {}} />);
    expect(screen.getByTestId("metric-updated")).toHaveTextContent(/^updated /);
    expect(screen.getByTestId("metric-data-as-of")).toHaveTextContent(/Data as of 2[89] Nov 2026/);
  });
});

describe("offline start", () => {
  const offline = { ...connected, state: "offline" as const, errorKind: "network" as const, cachedDataAsOf: "2026-11-29T06:12:00Z" };

  it("shows an info banner with the data's time and Retry, not the connection-failed banner", async () => {
    const user = userEvent.setup();
    api.connectionStatus.mockResolvedValue(offline);
    render(<App />);
    const banner = await screen.findByTestId("offline-banner");
    expect(banner).toHaveTextContent(/Offline: showing data from 29 Nov 2026, \d\d:\d\d/);
    expect(banner).toHaveClass("banner--info");
    expect(banner).toHaveAttribute("role", "status");
    expect(screen.queryByTestId("global-connection-banner")).toBeNull();
    expect(banner).not.toHaveTextContent("base URL");

    api.connectionStatus.mockResolvedValue(connected);
    await user.click(screen.getByTestId("offline-retry"));
    await waitFor(() => expect(screen.queryByTestId("offline-banner")).toBeNull());
    expect(api.connectionStatus).toHaveBeenCalledTimes(2);
  });

  it("branches on the state, not the message text", async () => {
    api.connectionStatus.mockResolvedValue({ ...offline, message: "Connection failed: check your base URL" });
    render(<App />);
    expect(await screen.findByTestId("offline-banner")).toHaveTextContent("Offline");
    expect(screen.queryByTestId("global-connection-banner")).toBeNull();
  });
});
