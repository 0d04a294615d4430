/**
 * Issue 16: empty states guide a user without a connection, every button answers visibly,
 * dialogs and presentation keep and return the keyboard focus, and affordances are visible
 * (duplicate-name warning, long text clamped, edit hint, plain page names).
 */
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import App from "../src/App";
import { AppStateProvider } from "../src/AppState";
import { AnnouncerProvider } from "../src/components/Announcer";
import type { MapView, MetricCardConfig } from "../src/ipc";
import { MapPage } from "../src/map/MapPage";
import { MetricModal } from "../src/metric/MetricModal";
import { NavigateContext } from "../src/navigation";
import { connected, mapView, notConfigured } from "./fixtures";
import { api, resetIpc } from "./ipcMock";

vi.mock("../src/ipc", async (orig) => ({ ...(await orig<object>()), ...(await import("./ipcMock")).ipcModule }));

beforeEach(() => resetIpc());

function renderMap(view: MapView = mapView(), status = connected) {
  api.connectionStatus.mockResolvedValue(status);
  api.openMap.mockResolvedValue(view);
  return render(
    <AnnouncerProvider>
      <AppStateProvider>
        <MapPage mapId="m1" onError={() => {}} />
      </AppStateProvider>
    </AnnouncerProvider>,
  );
}

/** Focus moves in a later animation frame (after the closing dialog is gone). */
async function expectFocused(testId: string, index = 0) {
  await waitFor(() => expect(document.activeElement).toBe(screen.getAllByTestId(testId)[index]));
}

describe("empty states without a connection", () => {
  it("the home screen offers Connect Qualtrics and Try with demo data, and the demo opens its map", async () => {
    const user = userEvent.setup();
    api.connectionStatus.mockResolvedValue(notConfigured);
    const demo = mapView();
    api.startDemo.mockResolvedValue(connected);
    api.openMap.mockResolvedValue(demo);
    render(<App />);
    expect(await screen.findByTestId("home-empty")).toHaveTextContent("Welcome to Pulsemap");
    expect(screen.getByTestId("home-connect")).toHaveTextContent("Connect Qualtrics");
    api.listMaps.mockResolvedValue([{ ...demo.map, stageCount: 3, laneCount: 2, cardCount: 2 }]);
    await user.click(screen.getByTestId("home-demo"));
    expect(api.startDemo).toHaveBeenCalled();
    await waitFor(() => expect(screen.getByTestId("map-title")).toHaveTextContent("Onboarding journey"));
  });

  it("Connect Qualtrics opens Integrations", async () => {
    const user = userEvent.setup();
    api.connectionStatus.mockResolvedValue(notConfigured);
    render(<App />);
    await user.click(await screen.findByTestId("home-connect"));
    expect(await screen.findByTestId("integrations-page")).toBeInTheDocument();
  });

  it("the card dialog says Qualtrics is not connected and links to Integrations", async () => {
    const user = userEvent.setup();
    const navigate = vi.fn();
    const onClose = vi.fn();
    api.connectionStatus.mockResolvedValue(notConfigured);
    api.listSurveys.mockResolvedValue([]);
    render(
      <NavigateContext.Provider value={navigate}>
        <AppStateProvider>
          <MetricModal initial={null} onSave={async (_c: MetricCardConfig) => true} onClose={onClose} />
        </AppStateProvider>
      </NavigateContext.Provider>,
    );
    const banner = await screen.findByTestId("metric-not-connected");
    expect(banner).toHaveTextContent("Qualtrics is not connected");
    await user.click(screen.getByTestId("metric-survey"));
    expect(screen.getByTestId("metric-survey-empty")).not.toHaveTextContent("visible to this token");
    await user.click(within(banner).getByTestId("metric-open-integrations"));
    expect(onClose).toHaveBeenCalled();
    expect(navigate).toHaveBeenCalledWith({ name: "integrations" });
  });

  it("Refresh now on a map without metric cards says there is nothing to refresh", async () => {
    const user = userEvent.setup();
    const view = mapView();
    view.cards = view.cards.filter((c) => c.card.content.kind === "text");
    renderMap(view);
    await screen.findByTestId("map-grid");
    await user.click(screen.getByTestId("refresh-now"));
    expect(await screen.findByTestId("refresh-warning")).toHaveTextContent("Nothing to refresh yet");
    expect(api.refreshMap).not.toHaveBeenCalledWith("m1", true);
  });

  it("the support page has a plain name", async () => {
    api.connectionStatus.mockResolvedValue(connected);
    render(<App />);
    expect(await screen.findByTestId("nav-debug")).toHaveTextContent("Support data");
    await userEvent.setup().click(screen.getByTestId("nav-debug"));
    expect(await screen.findByRole("heading", { level: 1 })).toHaveTextContent("Download survey data for support");
  });
});

describe("focus", () => {
  it("a dialog opened from a menu traps Tab and returns focus to the menu button on Escape", async () => {
    const user = userEvent.setup();
    renderMap();
    await screen.findByTestId("map-grid");
    const textCard = screen.getByTestId("text-card").closest("[data-testid=card]") as HTMLElement;
    await user.click(within(textCard).getByTestId("card-actions"));
    await user.click(screen.getByTestId("card-delete"));
    const dialog = await screen.findByTestId("confirm-dialog");
    for (let i = 0; i < 6; i++) {
      await user.tab();
      expect(dialog.contains(document.activeElement)).toBe(true);
    }
    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByTestId("confirm-dialog")).not.toBeInTheDocument());
    await waitFor(() => expect(document.activeElement).toBe(within(textCard).getByTestId("card-actions")));
  });

  it("the metric dialog returns focus to + Add card when cancelled", async () => {
    const user = userEvent.setup();
    renderMap();
    await screen.findByTestId("map-grid");
    await user.click(screen.getAllByTestId("add-card")[0]);
    await user.click(screen.getByTestId("add-metric-card"));
    await screen.findByTestId("metric-modal");
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByTestId("metric-modal")).not.toBeInTheDocument());
    await expectFocused("add-card", 0);
  });

  it("presentation focuses Exit, keeps Tab inside, and Escape returns focus to Present", async () => {
    const user = userEvent.setup();
    renderMap();
    await screen.findByTestId("map-grid");
    await user.click(screen.getByTestId("present"));
    const overlay = await screen.findByTestId("presentation");
    await expectFocused("present-exit");
    for (let i = 0; i < 4; i++) {
      await user.tab();
      expect(overlay.contains(document.activeElement)).toBe(true);
    }
    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByTestId("presentation")).not.toBeInTheDocument());
    await expectFocused("present");
  });

  it("saving a text card and leaving a stage rename return focus to the card and the header", async () => {
    const user = userEvent.setup();
    const view = mapView();
    renderMap(view);
    await screen.findByTestId("map-grid");
    const updated = mapView();
    updated.cards[0].card.content = { kind: "text", text: "Compares plans" };
    api.updateTextCard.mockResolvedValue(updated);
    screen.getByTestId("text-card").focus();
    await user.keyboard("{Enter}");
    await user.clear(screen.getByTestId("text-card-input"));
    await user.type(screen.getByTestId("text-card-input"), "Compares plans");
    await user.keyboard("{Control>}{Enter}{/Control}");
    await waitFor(() => expect(screen.getByTestId("text-card")).toHaveTextContent("Compares plans"));
    await expectFocused("text-card");

    screen.getAllByTestId("stage-header")[0].focus();
    await user.keyboard("{F2}");
    expect(screen.getByTestId("stage-name-input")).toHaveFocus();
    await user.keyboard("{Escape}");
    await expectFocused("stage-header", 0);
  });
});

describe("visible affordances", () => {
  it("warns, without refusing, when a stage name is already used", async () => {
    const user = userEvent.setup();
    renderMap();
    await screen.findByTestId("map-grid");
    await user.click(screen.getByTestId("stage-add"));
    await user.type(screen.getByTestId("stage-add-input"), "sign UP");
    expect(screen.getByTestId("name-warning")).toHaveTextContent("Another stage is already called “sign UP”");
    await user.clear(screen.getByTestId("stage-add-input"));
    await user.type(screen.getByTestId("stage-add-input"), "Renew");
    expect(screen.queryByTestId("name-warning")).not.toBeInTheDocument();
  });

  it("clamps a long text card behind Show more and tells how to edit it", async () => {
    const user = userEvent.setup();
    const view = mapView();
    view.cards[0].card.content = { kind: "text", text: "A long research note. ".repeat(100) };
    renderMap(view);
    await screen.findByTestId("map-grid");
    const text = screen.getByTestId("text-card-text");
    expect(text).toHaveClass("card__text--clamped");
    expect(screen.getByTestId("text-card")).toHaveAccessibleName("Text card. Press Enter to edit.");
    await user.click(screen.getByTestId("text-card-toggle"));
    expect(text).not.toHaveClass("card__text--clamped");
    expect(screen.getByTestId("text-card-toggle")).toHaveTextContent("Show less");
  });

  it("stage names are level-2 headings with their full name as a tooltip; card titles are level 3", async () => {
    renderMap();
    await screen.findByTestId("map-grid");
    expect(screen.getByRole("heading", { level: 2, name: "Sign up" })).toHaveAttribute("title", "Sign up");
    expect(screen.getByRole("heading", { level: 3, name: "Onboarding NPS" })).toHaveAttribute("title", "Onboarding NPS");
  });
});
