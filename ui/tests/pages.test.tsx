import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import App from "../src/App";
import { DebugPage } from "../src/debug/DebugPage";
import { IpcError } from "../src/ipc";
import { Presentation } from "../src/present/Presentation";
import { connected, mapView, surveys } from "./fixtures";
import { api, resetIpc } from "./ipcMock";

vi.mock("../src/ipc", async (orig) => ({ ...(await orig<object>()), ...(await import("./ipcMock")).ipcModule }));

beforeEach(() => resetIpc());

describe("debug configuration", () => {
  it("downloads with redaction on by default and shows the saved path", async () => {
    const user = userEvent.setup();
    api.listSurveys.mockResolvedValue(surveys);
    api.debugExport.mockResolvedValue("/tmp/pulsemap-debug.zip");
    render(<DebugPage />);
    expect(screen.getByTestId("debug-redact")).toBeChecked();
    expect(screen.getByTestId("debug-download")).toBeDisabled();
    await user.click(screen.getByTestId("debug-survey"));
    await user.click(await screen.findByRole("option", { name: /Support/ }));
    await user.click(screen.getByTestId("debug-download"));
    expect(api.debugExport).toHaveBeenCalledWith("SV_2", true);
    expect(await screen.findByTestId("debug-saved")).toHaveTextContent("/tmp/pulsemap-debug.zip");
  });

  it("can opt out of redaction (with a warning) and shows errors", async () => {
    const user = userEvent.setup();
    api.listSurveys.mockResolvedValue(surveys);
    api.debugExport.mockRejectedValue(new IpcError("storage", "disk full"));
    render(<DebugPage />);
    await user.click(screen.getByTestId("debug-redact"));
    expect(screen.getByText("Personal data will be included")).toBeInTheDocument();
    await user.click(screen.getByTestId("debug-survey"));
    await user.click(await screen.findByRole("option", { name: /Onboarding/ }));
    await user.click(screen.getByTestId("debug-download"));
    expect(api.debugExport).toHaveBeenCalledWith("SV_1", false);
    expect(await screen.findByTestId("debug-error")).toHaveTextContent("disk full");
  });
});

describe("presentation", () => {
  it("renders the map read-only and exits on Escape", async () => {
    const onExit = vi.fn();
    render(<Presentation view={mapView()} progress={{}} onExit={onExit} />);
    expect(screen.getByTestId("presentation")).toHaveTextContent("Onboarding journey");
    expect(screen.getAllByTestId("stage-header").map((s) => s.textContent)).toEqual(["Discover", "Sign up", "Use"]);
    expect(screen.getByTestId("metric-value")).toHaveTextContent("+39");
    expect(screen.queryByTestId("add-card")).not.toBeInTheDocument();
    expect(screen.queryByTestId("card-actions")).not.toBeInTheDocument();
    await userEvent.setup().keyboard("{Escape}");
    expect(onExit).toHaveBeenCalled();
  });
});

describe("shell", () => {
  it("shows the global banner for a revoked token with a link to settings", async () => {
    const user = userEvent.setup();
    api.connectionStatus.mockResolvedValue({ ...connected, state: "tokenRevoked" });
    render(<App />);
    expect(await screen.findByTestId("global-connection-banner")).toHaveTextContent("Token revoked");
    await user.click(screen.getByTestId("global-banner-settings"));
    expect(await screen.findByTestId("integrations-page")).toBeInTheDocument();
  });

  it("creates a map from the sidebar and opens it", async () => {
    const user = userEvent.setup();
    api.connectionStatus.mockResolvedValue(connected);
    const view = mapView();
    api.createMap.mockResolvedValue(view);
    api.openMap.mockResolvedValue(view);
    render(<App />);
    expect(await screen.findByTestId("map-list-empty")).toBeInTheDocument();
    api.listMaps.mockResolvedValue([{ ...view.map, stageCount: 3, laneCount: 2, cardCount: 2 }]);
    await user.click(screen.getByTestId("map-create"));
    await user.type(screen.getByTestId("map-create-input"), "Onboarding journey{Enter}");
    expect(api.createMap).toHaveBeenCalledWith("Onboarding journey");
    await waitFor(() => expect(screen.getByTestId("map-title")).toHaveTextContent("Onboarding journey"));
  });
});

describe("sidebar", () => {
  it("shows the app version and a demo badge in demo mode", async () => {
    api.connectionStatus.mockResolvedValue(connected);
    api.appInfo.mockResolvedValue({ version: "1.2.3", demo: true, dataDir: "/d" });
    render(<App />);
    const version = await screen.findByTestId("app-version");
    expect(version).toHaveTextContent("Pulsemap 1.2.3");
    expect(version).toHaveTextContent("Demo data");
  });
});

describe("presentation full screen", () => {
  it("requests full screen on the document element and leaves it on exit", async () => {
    const request = vi.fn().mockResolvedValue(undefined);
    const exit = vi.fn().mockResolvedValue(undefined);
    let current: Element | null = null;
    Object.defineProperty(document.documentElement, "requestFullscreen", { configurable: true, value: () => { current = document.documentElement; return request(); } });
    Object.defineProperty(document, "fullscreenElement", { configurable: true, get: () => current });
    Object.defineProperty(document, "exitFullscreen", { configurable: true, value: () => { current = null; return exit(); } });
    const onExit = vi.fn();
    const { unmount } = render(<Presentation view={mapView()} progress={{}} onExit={onExit} />);
    await waitFor(() => expect(request).toHaveBeenCalled());
    // Leaving full screen (the browser handles Escape) ends the presentation.
    current = null;
    document.dispatchEvent(new Event("fullscreenchange"));
    expect(onExit).toHaveBeenCalled();
    current = document.documentElement;
    unmount();
    expect(exit).toHaveBeenCalled();
    delete (document.documentElement as unknown as Record<string, unknown>).requestFullscreen;
    delete (document as unknown as Record<string, unknown>).fullscreenElement;
    delete (document as unknown as Record<string, unknown>).exitFullscreen;
  });
});
