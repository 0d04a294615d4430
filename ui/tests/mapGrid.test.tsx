import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { AppStateProvider } from "../src/AppState";
import { AnnouncerProvider } from "../src/components/Announcer";
import { IpcError, type MapView } from "../src/ipc";
import { MapPage } from "../src/map/MapPage";
import { connected, mapView } from "./fixtures";
import { api, emit, resetIpc } from "./ipcMock";

vi.mock("../src/ipc", async (orig) => ({ ...(await orig<object>()), ...(await import("./ipcMock")).ipcModule }));

const onError = vi.fn();
function renderMap(view: MapView = mapView()) {
  api.connectionStatus.mockResolvedValue(connected);
  api.openMap.mockResolvedValue(view);
  api.listSurveys.mockResolvedValue([
    { id: "SV_1", name: "Onboarding Experience", isActive: true, responseCount: 1, lastRefreshedAt: null, lastAttemptAt: null, lastFullSyncAt: null, deleted: false },
  ]);
  return render(
    <AnnouncerProvider>
      <AppStateProvider>
        <MapPage mapId="m1" onError={onError} />
      </AppStateProvider>
    </AnnouncerProvider>,
  );
}

const headers = (kind: "stage" | "lane") => screen.getAllByTestId(`${kind}-header`);

beforeEach(() => {
  resetIpc();
  onError.mockReset();
});

describe("map editor grid", () => {
  it("renders stages and lanes in position order and cards in their cells", async () => {
    renderMap();
    await screen.findByTestId("map-grid");
    expect(screen.getByTestId("map-title")).toHaveTextContent("Onboarding journey");
    expect(headers("stage").map((h) => h.textContent)).toEqual([
      expect.stringContaining("Discover"),
      expect.stringContaining("Sign up"),
      expect.stringContaining("Use"),
    ]);
    expect(headers("lane").map((h) => h.textContent)).toEqual([expect.stringContaining("Actions"), expect.stringContaining("Metrics")]);
    const cell = document.querySelector('[data-stage-id="s2"][data-lane-id="l2"]') as HTMLElement;
    expect(within(cell).getByTestId("metric-value")).toHaveTextContent("+39");
    expect(within(cell).getByTestId("metric-n")).toHaveTextContent("n = 1,234");
    expect(within(cell).getByTestId("metric-updated")).toHaveTextContent("updated 5 min ago");
    const textCell = document.querySelector('[data-stage-id="s1"][data-lane-id="l1"]') as HTMLElement;
    expect(within(textCell).getByTestId("text-card")).toHaveTextContent("Reads reviews");
  });

  it("paints from the cache, then asks for a background refresh of stale surveys", async () => {
    renderMap();
    await screen.findByTestId("map-grid");
    await waitFor(() => expect(api.refreshMap).toHaveBeenCalledWith("m1", false));
    expect(api.openMap.mock.invocationCallOrder[0]).toBeLessThan(api.refreshMap.mock.invocationCallOrder[0]);
    await userEvent.setup().click(screen.getByTestId("refresh-now"));
    expect(api.refreshMap).toHaveBeenLastCalledWith("m1", true);
  });

  it("Alt+ArrowRight on a stage header moves it one position right and announces it", async () => {
    const moved = mapView();
    moved.stages = moved.stages.map((s) => (s.id === "s1" ? { ...s, position: 1 } : s.id === "s2" ? { ...s, position: 0 } : s));
    api.moveStage.mockResolvedValue(moved);
    renderMap();
    await screen.findByTestId("map-grid");
    const discover = headers("stage")[0];
    discover.focus();
    fireEvent.keyDown(discover, { key: "ArrowRight", altKey: true });
    expect(api.moveStage).toHaveBeenCalledWith("s1", 1);
    await waitFor(() => expect(headers("stage")[1]).toHaveTextContent("Discover"));
    await waitFor(() => expect(screen.getByTestId("announcer")).toHaveTextContent("Stage Discover moved to position 2 of 3."));
    expect(document.activeElement).toBe(headers("stage")[1]);
  });

  it("does not move past the edges and moves lanes with Alt+ArrowUp/Down", async () => {
    api.moveLane.mockResolvedValue(mapView());
    renderMap();
    await screen.findByTestId("map-grid");
    fireEvent.keyDown(headers("stage")[0], { key: "ArrowLeft", altKey: true });
    fireEvent.keyDown(headers("stage")[2], { key: "ArrowRight", altKey: true });
    expect(api.moveStage).not.toHaveBeenCalled();
    fireEvent.keyDown(headers("lane")[1], { key: "ArrowUp", altKey: true });
    expect(api.moveLane).toHaveBeenCalledWith("l2", 0);
    fireEvent.keyDown(headers("lane")[0], { key: "ArrowRight", altKey: true });
    expect(api.moveLane).toHaveBeenCalledTimes(1);
    await act(async () => {});
  });

  it("renames a stage inline and adds a lane", async () => {
    const user = userEvent.setup();
    api.renameStage.mockResolvedValue(mapView());
    api.addLane.mockResolvedValue(mapView());
    renderMap();
    await screen.findByTestId("map-grid");
    fireEvent.keyDown(headers("stage")[0], { key: "F2" });
    const input = screen.getByTestId("stage-name-input");
    await user.clear(input);
    await user.type(input, "Explore{Enter}");
    expect(api.renameStage).toHaveBeenCalledWith("s1", "Explore");
    await user.click(screen.getByTestId("lane-add"));
    await user.type(screen.getByTestId("lane-add-input"), "Emotions{Enter}");
    expect(api.addLane).toHaveBeenCalledWith("m1", "Emotions");
  });

  it("moves a card with the keyboard Move to… dialog", async () => {
    const user = userEvent.setup();
    api.moveCard.mockResolvedValue(mapView());
    renderMap();
    await screen.findByTestId("map-grid");
    const textCard = screen.getByTestId("text-card");
    await user.click(within(textCard).getByTestId("card-actions"));
    await user.click(screen.getByTestId("card-move"));
    await user.selectOptions(screen.getByTestId("move-card-stage"), "s2");
    await user.selectOptions(screen.getByTestId("move-card-lane"), "l2");
    await user.click(screen.getByTestId("move-card-confirm"));
    // Appended after the one card already in that cell.
    expect(api.moveCard).toHaveBeenCalledWith("c1", "s2", "l2", 1);
  });

  it("drags a card onto another cell", async () => {
    api.moveCard.mockResolvedValue(mapView());
    renderMap();
    await screen.findByTestId("map-grid");
    const card = screen.getAllByTestId("card").find((c) => c.getAttribute("data-card-id") === "c2")!;
    const target = document.querySelector('[data-stage-id="s3"][data-lane-id="l1"]') as HTMLElement;
    const dataTransfer = { setData: vi.fn(), effectAllowed: "" };
    fireEvent.dragStart(card, { dataTransfer });
    fireEvent.dragOver(target, { dataTransfer });
    fireEvent.drop(target, { dataTransfer });
    expect(api.moveCard).toHaveBeenCalledWith("c2", "s3", "l1", 0);
    await act(async () => {});
  });

  it("adds a text card from + Add card", async () => {
    const user = userEvent.setup();
    api.addTextCard.mockResolvedValue(mapView());
    renderMap();
    await screen.findByTestId("map-grid");
    const cell = document.querySelector('[data-stage-id="s3"][data-lane-id="l2"]') as HTMLElement;
    await user.click(within(cell).getByTestId("add-card"));
    await user.click(screen.getByTestId("add-text-card"));
    await user.type(screen.getByTestId("text-card-input"), "Welcome call");
    await user.click(screen.getByTestId("text-card-save"));
    expect(api.addTextCard).toHaveBeenCalledWith("m1", "s3", "l2", "Welcome call");
  });

  it("shows refresh progress, then a non-blocking warning that keeps cached values", async () => {
    renderMap();
    await screen.findByTestId("map-grid");
    await waitFor(() => expect(api.refreshMap).toHaveBeenCalled());
    act(() => emit("refresh-progress", { surveyId: "SV_1", phase: { phase: "exporting", percent: 42 } }));
    expect(await screen.findByTestId("refresh-progress")).toHaveTextContent("Refreshing Onboarding Experience — exporting 42%");
    expect(screen.getByTestId("card-refreshing")).toHaveTextContent("Refreshing 42%");
    act(() => emit("refresh-progress", { surveyId: "SV_1", phase: { phase: "importing", rows: 12000 } }));
    expect(screen.getByTestId("refresh-progress")).toHaveTextContent("importing 12,000 rows");
    act(() => emit("refresh-finished", { surveyId: "SV_1", ok: false, error: { kind: "network", message: "offline" } }));
    expect(await screen.findByTestId("refresh-warning")).toHaveTextContent("Offline");
    expect(screen.queryByTestId("refresh-progress")).not.toBeInTheDocument();
    expect(screen.getByTestId("metric-value")).toHaveTextContent("+39");
  });

  it("re-fetches the map when its values are updated", async () => {
    renderMap();
    await screen.findByTestId("map-grid");
    const updated = mapView();
    updated.cards[1].cachedValue = { ...updated.cards[1].cachedValue!, value: -7 };
    api.openMap.mockResolvedValue(updated);
    act(() => emit("map-values-updated", { mapId: "other" }));
    act(() => emit("map-values-updated", { mapId: "m1" }));
    await waitFor(() => expect(screen.getByTestId("metric-value")).toHaveTextContent("−7"));
    expect(api.openMap).toHaveBeenCalledTimes(2);
  });

  it("reports a failed mutation and keeps the view", async () => {
    api.deleteStage.mockRejectedValue(new IpcError("storage", "disk full"));
    const user = userEvent.setup();
    renderMap();
    await screen.findByTestId("map-grid");
    await user.click(within(headers("stage")[0]).getByTestId("stage-actions"));
    await user.click(screen.getByTestId("stage-delete"));
    await user.click(screen.getByTestId("confirm-ok"));
    await waitFor(() => expect(onError).toHaveBeenCalledWith("Could not delete the stage: disk full"));
    expect(headers("stage")).toHaveLength(3);
  });

  it("shows a skeleton while loading and an error with retry when the map cannot open", async () => {
    api.connectionStatus.mockResolvedValue(connected);
    api.openMap.mockRejectedValueOnce(new IpcError("notFound", "no such map")).mockResolvedValueOnce(mapView());
    render(
      <AppStateProvider>
        <MapPage mapId="m1" onError={onError} />
      </AppStateProvider>,
    );
    expect(screen.getByTestId("map-loading")).toBeInTheDocument();
    expect(await screen.findByTestId("map-load-error")).toHaveTextContent("This map no longer exists");
    await userEvent.setup().click(screen.getByText("Retry"));
    expect(await screen.findByTestId("map-grid")).toBeInTheDocument();
  });
});

describe("after a successful refresh", () => {
  it("repaints the map from the cache when one of its surveys finished", async () => {
    resetIpc();
    renderMap();
    await screen.findByTestId("map-grid");
    act(() => emit("refresh-finished", { surveyId: "SV_other", ok: true }));
    expect(api.openMap).toHaveBeenCalledTimes(1);
    act(() => emit("refresh-finished", { surveyId: "SV_1", ok: true }));
    await waitFor(() => expect(api.openMap).toHaveBeenCalledTimes(2));
    expect(screen.queryByTestId("refresh-warning")).not.toBeInTheDocument();
  });

  it("keeps Refresh now labelled with a visible spinner while the refresh request is pending", async () => {
    api.refreshMap.mockResolvedValue(null);
    renderMap();
    await screen.findByTestId("map-grid");
    await waitFor(() => expect(screen.getByTestId("refresh-now")).toHaveTextContent("Refresh now"));
    let done: () => void = () => {};
    api.refreshMap.mockImplementation(() => new Promise<null>((r) => (done = () => r(null))));
    await userEvent.setup().click(screen.getByTestId("refresh-now"));
    const button = screen.getByTestId("refresh-now");
    expect(button).toHaveTextContent("Refreshing…");
    expect(button).toHaveAttribute("aria-busy", "true");
    expect(within(button).getByRole("progressbar", { name: "Refreshing" })).toHaveClass("spinner");
    await act(async () => done());
    await waitFor(() => expect(screen.getByTestId("refresh-now")).toHaveTextContent("Refresh now"));
    expect(within(screen.getByTestId("refresh-now")).queryByRole("progressbar")).not.toBeInTheDocument();
  });

  it("shows an edge fade while more stages are hidden to the right or left", async () => {
    renderMap();
    const scroller = (await screen.findByTestId("map-scroll")) as HTMLElement;
    // jsdom has no layout: fit everything first, then make the grid wider than its viewport.
    expect(screen.queryByTestId("map-scroll-more-right")).not.toBeInTheDocument();
    Object.defineProperty(scroller, "clientWidth", { configurable: true, value: 1000 });
    Object.defineProperty(scroller, "scrollWidth", { configurable: true, value: 1400 });
    fireEvent.scroll(scroller);
    expect(await screen.findByTestId("map-scroll-more-right")).toBeInTheDocument();
    expect(screen.queryByTestId("map-scroll-more-left")).not.toBeInTheDocument();
    scroller.scrollLeft = 400;
    fireEvent.scroll(scroller);
    await waitFor(() => expect(screen.queryByTestId("map-scroll-more-right")).not.toBeInTheDocument());
    expect(screen.getByTestId("map-scroll-more-left")).toBeInTheDocument();
    Object.defineProperty(scroller, "clientWidth", { configurable: true, value: 1400 });
    scroller.scrollLeft = 0;
    fireEvent(window, new Event("resize"));
    await waitFor(() => expect(screen.queryByTestId("map-scroll-more-left")).not.toBeInTheDocument());
    expect(screen.queryByTestId("map-scroll-more-right")).not.toBeInTheDocument();
  });
});
