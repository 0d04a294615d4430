/**
 * Maps that travel (issue 14) in the UI: undo/redo buttons and keys, the template picker,
 * the import dialog with a survey this connection cannot see, a read-only workshop pack, and
 * presenting for a room (stage stepping, large type, data-as-of stamp).
 */
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { AppStateProvider } from "../src/AppState";
import { AnnouncerProvider } from "../src/components/Announcer";
import type { MapFilePreview, MapView } from "../src/ipc";
import { ImportDialog, matchTags } from "../src/map/ImportDialog";
import { importSummary } from "../src/map/MapFileDialogs";
import { MapPage } from "../src/map/MapPage";
import { TemplatePicker } from "../src/map/TemplatePicker";
import { Presentation } from "../src/present/Presentation";
import { mapDataAsOf } from "../src/present/room";
import { connected, mapView, notConfigured, questions } from "./fixtures";
import { api, resetIpc } from "./ipcMock";

vi.mock("../src/ipc", async (orig) => ({ ...(await orig<object>()), ...(await import("./ipcMock")).ipcModule }));

const onError = vi.fn();
function renderMap(view: MapView = mapView()) {
  api.connectionStatus.mockResolvedValue(connected);
  api.openMap.mockResolvedValue(view);
  return render(
    <AnnouncerProvider>
      <AppStateProvider>
        <MapPage mapId="m1" onError={onError} />
      </AppStateProvider>
    </AnnouncerProvider>,
  );
}

/** The map without its stage "Sign up" (s2) and that stage's card. */
function withoutSignUp(): MapView {
  const v = mapView();
  return { ...v, stages: v.stages.filter((s) => s.id !== "s2"), cards: v.cards.filter((c) => c.card.stageId !== "s2") };
}

beforeEach(() => {
  resetIpc();
  onError.mockReset();
});

describe("undo and redo", () => {
  it("are disabled with no history and name the step in their tooltip when there is one", async () => {
    renderMap();
    await screen.findByTestId("map-grid");
    expect(screen.getByTestId("map-undo")).toBeDisabled();
    expect(screen.getByTestId("map-redo")).toBeDisabled();
    expect(screen.getByTestId("map-undo")).toHaveAccessibleName("Nothing to undo");

    api.mapUndoState.mockResolvedValue({ undoSteps: 1, redoSteps: 0, undoLabel: "delete stage 'Sign up'", redoLabel: null });
    api.deleteStage.mockResolvedValue(withoutSignUp());
    const signUp = screen.getAllByTestId("stage-header")[1];
    await userEvent.click(within(signUp).getByTestId("stage-actions"));
    await userEvent.click(await screen.findByTestId("stage-delete"));
    await userEvent.click(await screen.findByTestId("confirm-ok"));
    await waitFor(() => expect(screen.getByTestId("map-undo")).toBeEnabled());
    expect(screen.getByTestId("map-undo")).toHaveAccessibleName("Undo delete stage 'Sign up'");
    expect(screen.getByTestId("map-undo").title).toMatch(/^Undo delete stage 'Sign up' \((Ctrl|⌘)\+Z\)$/);
    expect(screen.queryByText("Onboarding NPS")).toBeNull();
  });

  it("Ctrl+Z brings a deleted stage back with its cards, Ctrl+Shift+Z and Ctrl+Y redo", async () => {
    api.mapUndoState.mockResolvedValue({ undoSteps: 1, redoSteps: 0, undoLabel: "delete stage 'Sign up'", redoLabel: null });
    renderMap(withoutSignUp());
    await waitFor(() => expect(screen.getByTestId("map-undo")).toBeEnabled());
    expect(screen.queryByText("Onboarding NPS")).toBeNull();

    api.undoMap.mockResolvedValue(mapView());
    api.mapUndoState.mockResolvedValue({ undoSteps: 0, redoSteps: 1, undoLabel: null, redoLabel: "delete stage 'Sign up'" });
    fireEvent.keyDown(document.body, { key: "z", ctrlKey: true });
    expect(api.undoMap).toHaveBeenCalledWith("m1");
    expect(await screen.findByText("Onboarding NPS")).toBeInTheDocument();
    expect(screen.getAllByTestId("stage-header")).toHaveLength(3);
    await waitFor(() => expect(screen.getByTestId("announcer")).toHaveTextContent("Undid delete stage 'Sign up'."));
    await waitFor(() => expect(screen.getByTestId("map-redo")).toHaveAccessibleName("Redo delete stage 'Sign up'"));

    api.redoMap.mockResolvedValue(withoutSignUp());
    api.mapUndoState.mockResolvedValue({ undoSteps: 1, redoSteps: 0, undoLabel: "delete stage 'Sign up'", redoLabel: null });
    fireEvent.keyDown(document.body, { key: "Z", ctrlKey: true, shiftKey: true });
    await waitFor(() => expect(screen.queryByText("Onboarding NPS")).toBeNull());
    expect(api.redoMap).toHaveBeenCalledTimes(1);
    // The redo has settled (its undo state is read back) before the next key: a key pressed
    // while an undo or redo is still running is ignored.
    await waitFor(() => expect(screen.getByTestId("map-undo")).toHaveAccessibleName(/Undo delete stage 'Sign up'/));

    // Cmd+Z (macOS) undoes too; Ctrl+Y redoes.
    api.mapUndoState.mockResolvedValue({ undoSteps: 0, redoSteps: 1, undoLabel: null, redoLabel: "delete stage 'Sign up'" });
    await waitFor(() => expect(screen.getByTestId("map-undo")).toBeEnabled());
    fireEvent.keyDown(document.body, { key: "z", metaKey: true });
    await waitFor(() => expect(api.undoMap).toHaveBeenCalledTimes(2));
    await waitFor(() => expect(screen.getByTestId("map-redo")).toBeEnabled());
    fireEvent.keyDown(document.body, { key: "y", ctrlKey: true });
    await waitFor(() => expect(api.redoMap).toHaveBeenCalledTimes(2));
  });

  it("leaves Ctrl+Z to a text field being typed in, and to an open dialog", async () => {
    api.mapUndoState.mockResolvedValue({ undoSteps: 2, redoSteps: 0, undoLabel: "rename stage 'Use'", redoLabel: null });
    renderMap();
    await waitFor(() => expect(screen.getByTestId("map-undo")).toBeEnabled());
    const input = document.createElement("input");
    document.body.appendChild(input);
    fireEvent.keyDown(input, { key: "z", ctrlKey: true });
    const area = document.createElement("textarea");
    document.body.appendChild(area);
    fireEvent.keyDown(area, { key: "z", ctrlKey: true });
    const backdrop = document.createElement("div");
    backdrop.className = "modal-backdrop";
    document.body.appendChild(backdrop);
    fireEvent.keyDown(document.body, { key: "z", ctrlKey: true });
    expect(api.undoMap).not.toHaveBeenCalled();
    backdrop.remove();
    input.remove();
    area.remove();
  });

  it("the Undo button undoes; a failure is reported and the view kept", async () => {
    api.mapUndoState.mockResolvedValue({ undoSteps: 1, redoSteps: 0, undoLabel: "add lane 'Feelings'", redoLabel: null });
    api.undoMap.mockRejectedValue({ kind: "invalidInput", message: "map m1 has nothing to undo" });
    renderMap();
    await waitFor(() => expect(screen.getByTestId("map-undo")).toBeEnabled());
    await userEvent.click(screen.getByTestId("map-undo"));
    await waitFor(() => expect(onError).toHaveBeenCalledWith("Could not undo: map m1 has nothing to undo"));
    expect(screen.getAllByTestId("stage-header")).toHaveLength(3);
  });
});

describe("a read-only workshop pack", () => {
  const pack = (): MapView => {
    const v = mapView();
    return { ...v, map: { ...v.map, dataAsOf: "2026-11-28T16:30:00Z" } };
  };

  it("shows its values with no editing control, is never refreshed, and explains how to edit", async () => {
    renderMap(pack());
    await screen.findByTestId("map-grid");
    expect(screen.getByTestId("metric-value")).toHaveTextContent("+39");
    expect(screen.getByTestId("map-pack-badge")).toHaveTextContent("Workshop pack · data as of Nov 28, 2026");
    expect(screen.getByTestId("pack-read-only")).toHaveTextContent("Duplicate it to make changes");
    for (const id of ["map-undo", "map-redo", "refresh-now", "add-card", "stage-add", "lane-add", "card-actions", "stage-actions"])
      expect(screen.queryByTestId(id)).toBeNull();
    expect(screen.getByTestId("present")).toBeEnabled();
    expect(screen.getByTestId("export-menu")).toBeEnabled();
    await act(async () => {});
    expect(api.refreshMap).not.toHaveBeenCalled();
    expect(api.mapUndoState).not.toHaveBeenCalled();
    fireEvent.keyDown(document.body, { key: "z", ctrlKey: true });
    expect(api.undoMap).not.toHaveBeenCalled();
  });

  it("Duplicate to edit makes an editable copy", async () => {
    const copy = mapView();
    api.duplicateMap.mockResolvedValue({ ...copy, map: { ...copy.map, id: "m2", name: "Onboarding journey (copy)" } });
    renderMap(pack());
    await userEvent.click(await screen.findByTestId("pack-duplicate"));
    expect(api.duplicateMap).toHaveBeenCalledWith("m1", "Onboarding journey (copy)");
  });
});

describe("templates", () => {
  const templates = [
    { id: "builtin:saas-onboarding", name: "SaaS onboarding", description: "First visit to paying team.", builtin: true, stageCount: 5, laneCount: 3, cardCount: 8, stages: ["Discover", "Sign up", "Set up", "First value", "Expand"], lanes: ["Actions", "Touchpoints", "Metrics"], metricCards: ["Onboarding NPS", "Setup CES", "Sign-up CSAT"] },
    { id: "builtin:support-case", name: "Support case", description: "From first contact to resolution.", builtin: true, stageCount: 5, laneCount: 3, cardCount: 8, stages: ["Problem", "Contact", "Diagnosis", "Resolution", "Follow-up"], lanes: ["Actions", "Support", "Metrics"], metricCards: ["Support NPS"] },
    { id: "user:ours-1a2b", name: "Ours", description: "", builtin: false, stageCount: 1, laneCount: 1, cardCount: 0, stages: ["Only"], lanes: ["One"], metricCards: [] },
  ];

  it("lists each template with its description and stages, and creates the picked one under the typed name", async () => {
    api.listMapTemplates.mockResolvedValue(templates);
    api.createMapFromTemplate.mockResolvedValue(mapView());
    const onCreated = vi.fn();
    render(<TemplatePicker onCreated={onCreated} onClose={() => {}} />);
    const options = await screen.findAllByTestId("template-option");
    expect(options).toHaveLength(3);
    expect(options[1]).toHaveTextContent("From first contact to resolution.");
    expect(within(options[1]).getByTestId("template-stages").textContent).toBe("ProblemContactDiagnosisResolutionFollow-up");
    expect(options[2]).toHaveTextContent("yours");
    expect(screen.getByTestId("template-map-name")).toHaveValue("SaaS onboarding");
    await userEvent.click(options[1]);
    expect(screen.getByTestId("template-map-name")).toHaveValue("Support case");
    await userEvent.clear(screen.getByTestId("template-map-name"));
    await userEvent.type(screen.getByTestId("template-map-name"), "Q4 support");
    await userEvent.click(screen.getByTestId("template-create"));
    expect(api.createMapFromTemplate).toHaveBeenCalledWith("builtin:support-case", "Q4 support");
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
  });

  it("a suggested card with no survey asks for one and opens the card dialog", async () => {
    const v = mapView();
    const card = v.cards[1];
    const config = { ...(card.card.content as { kind: "metric"; config: never }).config as object, surveyId: "", questionId: "" };
    v.cards[1] = { ...card, card: { ...card.card, content: { kind: "metric", config } as never }, cachedValue: null, computedAt: null, needsBinding: true };
    api.listSurveys.mockResolvedValue([]);
    renderMap(v);
    expect(await screen.findByTestId("metric-unbound")).toHaveTextContent("needs a survey and a question");
    expect(screen.queryByTestId("metric-pending")).toBeNull();
    await userEvent.click(screen.getByTestId("metric-bind"));
    expect(await screen.findByTestId("metric-modal")).toBeInTheDocument();
  });
});

describe("import with a survey this connection cannot see", () => {
  const preview: MapFilePreview = {
    name: "Partner journey",
    version: 1,
    exportedAt: "2026-11-20T09:00:00Z",
    dataAsOf: null,
    stageCount: 3,
    laneCount: 2,
    cardCount: 5,
    surveys: [
      { id: "SV_partner", name: "Partner survey", visible: false, cardCount: 2, questionTags: ["Q1", "Q9"] },
      { id: "SV_1", name: "Onboarding Experience", visible: true, cardCount: 1, questionTags: ["Q2"] },
    ],
  };
  const visible = [{ id: "SV_1", name: "Onboarding Experience", isActive: true, responseCount: 1, lastRefreshedAt: null, lastAttemptAt: null, lastFullSyncAt: null, deleted: false }];

  it("matches questions by export tag", () => {
    expect(matchTags(["Q1", "Q9"], ["Q1", "Q2", null])).toEqual({ found: ["Q1"], missing: ["Q9"] });
  });

  it("lists the unseen survey, shows which tags a replacement lacks, and sends the replacement", async () => {
    api.listSurveys.mockResolvedValue(visible);
    api.surveyQuestions.mockResolvedValue(questions);
    api.importMapFile.mockResolvedValue({ map: mapView(), unboundCards: 1, reboundCards: 1 });
    const onImported = vi.fn();
    render(<ImportDialog path="/tmp/partner.pulsemap" preview={preview} onImported={onImported} onClose={() => {}} />);
    const missing = screen.getByTestId("import-survey-missing");
    expect(missing).toHaveTextContent("Partner survey");
    expect(missing).toHaveTextContent("questions Q1, Q9");
    expect(screen.getByTestId("import-survey-visible")).toHaveTextContent("Onboarding Experience");
    const select = screen.getByTestId("import-replacement");
    await waitFor(() => expect(select).toBeEnabled());
    await userEvent.selectOptions(select, "SV_1");
    expect(await screen.findByTestId("import-tags-summary")).toHaveTextContent("Not in this survey: Q9");
    expect(screen.getAllByTestId("import-tag-found").map((t) => t.textContent)).toEqual(["✓ Q1 found"]);
    expect(screen.getAllByTestId("import-tag-missing").map((t) => t.textContent)).toEqual(["✕ Q9 missing"]);
    await userEvent.click(screen.getByTestId("import-ok"));
    expect(api.importMapFile).toHaveBeenCalledWith("/tmp/partner.pulsemap", { replacements: [{ from: "SV_partner", to: "SV_1" }] });
    await waitFor(() => expect(onImported).toHaveBeenCalled());
  });

  it("leaves the cards unbound when no replacement is picked, also with no connection", async () => {
    api.listSurveys.mockRejectedValue({ kind: "notConfigured", message: "no connection" });
    api.importMapFile.mockResolvedValue({ map: mapView(), unboundCards: 2, reboundCards: 0 });
    render(<ImportDialog path="/tmp/partner.pulsemap" preview={preview} onImported={() => {}} onClose={() => {}} />);
    expect(await screen.findByText(/Connect Qualtrics in Integrations/)).toBeInTheDocument();
    await userEvent.click(screen.getByTestId("import-ok"));
    expect(api.importMapFile).toHaveBeenCalledWith("/tmp/partner.pulsemap", { replacements: [] });
  });

  it("a workshop pack asks no question and says it opens read-only", async () => {
    api.connectionStatus.mockResolvedValue(notConfigured);
    render(
      <ImportDialog path="/tmp/p.pulsemap" preview={{ ...preview, dataAsOf: "2026-11-28T16:30:00Z" }} onImported={() => {}} onClose={() => {}} />,
    );
    expect(screen.getByTestId("import-pack-note")).toHaveTextContent("read-only");
    expect(screen.queryByTestId("import-replacement")).toBeNull();
    expect(api.listSurveys).not.toHaveBeenCalled();
  });

  it("summarises what the import did", () => {
    const r = { map: mapView(), unboundCards: 2, reboundCards: 1 };
    expect(importSummary(r)).toBe(
      "Imported “Onboarding journey”. 1 card now uses the replacement survey. 2 cards need a survey and question (shown as unbound).",
    );
  });
});

describe("presentation for a room", () => {
  it("steps through the stages with the arrow keys, one highlighted, and announces each", async () => {
    render(<Presentation view={mapView()} progress={{}} onExit={() => {}} />);
    const position = screen.getByTestId("present-position");
    expect(position).toHaveTextContent("All stages");
    fireEvent.keyDown(window, { key: "ArrowRight" });
    expect(position).toHaveTextContent("Stage 1 of 3");
    expect(screen.getByTestId("present-announcer")).toHaveTextContent("Stage 1 of 3: Discover. 1 card.");
    fireEvent.keyDown(window, { key: "ArrowRight" });
    const headers = screen.getAllByTestId("stage-header");
    expect(headers.map((h) => h.className.includes("is-current"))).toEqual([false, true, false]);
    expect(headers.map((h) => h.className.includes("is-dimmed"))).toEqual([true, false, true]);
    expect(headers[1]).toHaveAttribute("aria-current", "step");
    fireEvent.keyDown(window, { key: "ArrowRight" });
    fireEvent.keyDown(window, { key: "ArrowRight" });
    expect(position).toHaveTextContent("Stage 3 of 3");
    expect(screen.getByTestId("present-next")).toBeDisabled();
    await userEvent.click(screen.getByTestId("present-prev"));
    expect(position).toHaveTextContent("Stage 2 of 3");
    fireEvent.keyDown(window, { key: "ArrowLeft" });
    fireEvent.keyDown(window, { key: "ArrowLeft" });
    expect(position).toHaveTextContent("All stages");
    expect(screen.getAllByTestId("stage-header").some((h) => h.className.includes("is-dimmed"))).toBe(false);
  });

  it("L toggles large type", () => {
    render(<Presentation view={mapView()} progress={{}} onExit={() => {}} />);
    const toggle = screen.getByTestId("present-large");
    expect(toggle).toHaveAttribute("aria-pressed", "false");
    fireEvent.keyDown(window, { key: "l" });
    expect(toggle).toHaveAttribute("aria-pressed", "true");
    expect(document.querySelector(".present--large")).not.toBeNull();
    fireEvent.keyDown(window, { key: "L" });
    expect(toggle).toHaveAttribute("aria-pressed", "false");
  });

  it("stamps the data as of the oldest value, or a pack's frozen time", () => {
    const v = mapView();
    render(<Presentation view={v} progress={{}} onExit={() => {}} />);
    expect(screen.getByTestId("present-data-as-of")).toHaveTextContent(/^Data as of /);
    expect(mapDataAsOf(v)).toBe(v.cards[1].computedAt);
    const older = { ...v.cards[1], computedAt: "2026-11-01T10:00:00Z" };
    expect(mapDataAsOf({ ...v, cards: [...v.cards, older] })).toBe("2026-11-01T10:00:00Z");
    expect(mapDataAsOf({ ...v, map: { ...v.map, dataAsOf: "2026-11-28T16:30:00Z" } })).toBe("2026-11-28T16:30:00Z");
    expect(mapDataAsOf({ ...v, cards: [v.cards[0]] })).toBeNull();
    // The survey's last successful sync (core's dataAsOf) wins over the compute time.
    const synced = { ...v.cards[1], dataAsOf: "2026-10-02T08:00:00Z" };
    expect(mapDataAsOf({ ...v, cards: [synced] })).toBe("2026-10-02T08:00:00Z");
  });
});
