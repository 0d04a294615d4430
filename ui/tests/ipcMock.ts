/**
 * Test double of `src/ipc`: every command is a `vi.fn`, events are an in-memory emitter.
 * Use with:
 *   vi.mock("../src/ipc", async (orig) => ({ ...(await orig<object>()), ...(await import("./ipcMock")).ipcModule }));
 */
import { vi, type Mock } from "vitest";
import type { Api } from "../src/ipc";

type Mocked<T> = { [K in keyof T]: T[K] extends (...a: infer A) => infer R ? Mock<(...a: A) => R> : never };

const COMMANDS: (keyof Api)[] = [
  "appInfo", "connectionStatus", "saveConnection", "deleteConnection", "setRotationReminderDays", "startDemo", "leaveDemo",
  "listSurveys",
  "surveyQuestions", "listSurveyFilters", "fieldValues", "listMaps", "createMap", "renameMap", "deleteMap", "openMap", "addStage", "renameStage",
  "moveStage", "deleteStage", "addLane", "renameLane", "moveLane", "deleteLane", "addTextCard", "addMetricCard",
  "updateTextCard", "updateMetricCard", "moveCard", "deleteCard", "previewMetric", "cardChartSvg", "refreshMap",
  "exportMap", "debugExport", "supportAddress", "setSupportAddress", "contactSupport", "revealFile",
  "responseCacheSizes", "clearCachedResponses",
  "undoMap", "redoMap", "mapUndoState", "listMapTemplates", "createMapFromTemplate", "duplicateMap", "saveMapAsTemplate",
  "exportMapFile", "pickMapFile", "inspectMapFile", "importMapFile",
];

export const api = Object.fromEntries(COMMANDS.map((c) => [c, vi.fn()])) as unknown as Mocked<Api>;

type Handler = (payload: unknown) => void;
const handlers: Record<string, Set<Handler>> = {};
function on(name: string) {
  return (h: Handler) => {
    (handlers[name] ??= new Set()).add(h);
    return () => handlers[name].delete(h);
  };
}

export const events = {
  onRefreshProgress: on("refresh-progress"),
  onRefreshFinished: on("refresh-finished"),
  onMapValuesUpdated: on("map-values-updated"),
  onOpenGuide: on("open-guide"),
  onMenuAction: on("menu-action"),
};

/** Delivers an event to the UI's current subscribers. */
export function emit(
  name: "refresh-progress" | "refresh-finished" | "map-values-updated" | "open-guide" | "menu-action",
  payload: unknown,
) {
  for (const h of handlers[name] ?? []) h(payload);
}

/** Resets every command mock and gives the ones the shell calls on start a sane default. */
export function resetIpc() {
  for (const fn of Object.values(api)) (fn as Mock).mockReset();
  for (const k of Object.keys(handlers)) handlers[k].clear();
  api.listMaps.mockResolvedValue([]);
  api.appInfo.mockResolvedValue({ version: "0.1.0", demo: false, dataDir: "/tmp/pulsemap" });
  api.listSurveys.mockResolvedValue([]);
  api.refreshMap.mockResolvedValue(null);
  api.cardChartSvg.mockResolvedValue(null);
  api.supportAddress.mockResolvedValue(null);
  api.listSurveyFilters.mockResolvedValue([]);
  api.fieldValues.mockResolvedValue([]);
  api.responseCacheSizes.mockResolvedValue([]);
  api.mapUndoState.mockResolvedValue({ undoSteps: 0, redoSteps: 0, undoLabel: null, redoLabel: null });
}

export const ipcModule = { api, events };
