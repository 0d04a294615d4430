/**
 * Typed wrappers of every Tauri command of the IPC contract.
 *
 * Contract: one function per command, args named as the shell expects (camelCase), every
 * rejection converted by `toIpcError`. This is the only place that calls `invoke`.
 */
import { invoke } from "@tauri-apps/api/core";
import { toIpcError } from "./errors";
import { questionList, type QuestionInfo } from "./questions";
import type {
  AppInfo,
  ConnectionInput,
  ConnectionStatus,
  ExportFormat,
  FieldValueCount,
  MapFilePreview,
  MapImportOptions,
  MapImportReport,
  MapSummary,
  MapTemplate,
  MapView,
  MetricCardConfig,
  MetricPreview,
  SavedFilter,
  SupportMail,
  SurveyCacheSize,
  SurveyQuestions,
  SurveySummaryDto,
  UndoState,
} from "./types";

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw toIpcError(e);
  }
}

export const api = {
  appInfo: () => call<AppInfo>("app_info"),

  connectionStatus: () => call<ConnectionStatus>("connection_status"),
  saveConnection: (input: ConnectionInput) => call<ConnectionStatus>("save_connection", { input }),
  deleteConnection: () => call<ConnectionStatus>("delete_connection"),
  setRotationReminderDays: (days: number) => call<ConnectionStatus>("set_rotation_reminder_days", { days }),
  startDemo: () => call<ConnectionStatus>("start_demo"),
  leaveDemo: () => call<ConnectionStatus>("leave_demo"),

  listSurveys: () => call<SurveySummaryDto[]>("list_surveys"),
  surveyQuestions: async (surveyId: string): Promise<QuestionInfo[]> =>
    questionList(await call<SurveyQuestions>("survey_questions", { surveyId })),

  /** The survey's saved Qualtrics filters (segment picker). */
  listSurveyFilters: (surveyId: string) => call<SavedFilter[]>("list_survey_filters", { surveyId }),
  /** An embedded data field's values in the cache with their n, most frequent first (max 200). */
  fieldValues: (surveyId: string, field: string) => call<FieldValueCount[]>("field_values", { surveyId, field }),

  listMaps: () => call<MapSummary[]>("list_maps"),
  createMap: (name: string) => call<MapView>("create_map", { name }),
  renameMap: (mapId: string, name: string) => call<MapView>("rename_map", { mapId, name }),
  deleteMap: (mapId: string) => call<null>("delete_map", { mapId }),
  openMap: (mapId: string) => call<MapView>("open_map", { mapId }),

  undoMap: (mapId: string) => call<MapView>("undo_map", { mapId }),
  redoMap: (mapId: string) => call<MapView>("redo_map", { mapId }),
  mapUndoState: (mapId: string) => call<UndoState>("map_undo_state", { mapId }),
  listMapTemplates: () => call<MapTemplate[]>("list_map_templates"),
  createMapFromTemplate: (templateId: string, name: string | null) =>
    call<MapView>("create_map_from_template", { templateId, name }),
  duplicateMap: (mapId: string, name: string) => call<MapView>("duplicate_map", { mapId, name }),
  saveMapAsTemplate: (mapId: string, name: string) => call<MapTemplate>("save_map_as_template", { mapId, name }),
  /** Asks where to save, writes the map file (workshop pack when `pack`); `null`: cancelled. */
  exportMapFile: (mapId: string, pack: boolean) => call<string | null>("export_map_file", { mapId, pack }),
  /** The native open dialog for a `.pulsemap` file; `null`: cancelled. */
  pickMapFile: () => call<string | null>("pick_map_file"),
  inspectMapFile: (path: string) => call<MapFilePreview>("inspect_map_file", { path }),
  importMapFile: (path: string, options: MapImportOptions) =>
    call<MapImportReport>("import_map_file", { path, options }),

  addStage: (mapId: string, name: string) => call<MapView>("add_stage", { mapId, name }),
  renameStage: (stageId: string, name: string) => call<MapView>("rename_stage", { stageId, name }),
  moveStage: (stageId: string, position: number) =>
    call<MapView>("move_stage", { stageId, position }),
  deleteStage: (stageId: string) => call<MapView>("delete_stage", { stageId }),

  addLane: (mapId: string, name: string) => call<MapView>("add_lane", { mapId, name }),
  renameLane: (laneId: string, name: string) => call<MapView>("rename_lane", { laneId, name }),
  moveLane: (laneId: string, position: number) => call<MapView>("move_lane", { laneId, position }),
  deleteLane: (laneId: string) => call<MapView>("delete_lane", { laneId }),

  addTextCard: (mapId: string, stageId: string, laneId: string, text: string) =>
    call<MapView>("add_text_card", { mapId, stageId, laneId, text }),
  addMetricCard: (mapId: string, stageId: string, laneId: string, config: MetricCardConfig) =>
    call<MapView>("add_metric_card", { mapId, stageId, laneId, config }),
  updateTextCard: (cardId: string, text: string) =>
    call<MapView>("update_text_card", { cardId, text }),
  updateMetricCard: (cardId: string, config: MetricCardConfig) =>
    call<MapView>("update_metric_card", { cardId, config }),
  moveCard: (cardId: string, stageId: string, laneId: string, position: number) =>
    call<MapView>("move_card", { cardId, stageId, laneId, position }),
  deleteCard: (cardId: string) => call<MapView>("delete_card", { cardId }),

  previewMetric: (config: MetricCardConfig) => call<MetricPreview>("preview_metric", { config }),
  cardChartSvg: (cardId: string) => call<string | null>("card_chart_svg", { cardId }),

  refreshMap: (mapId: string, force: boolean) => call<null>("refresh_map", { mapId, force }),
  exportMap: (mapId: string, format: ExportFormat) =>
    call<string | null>("export_map", { mapId, format }),
  debugExport: (surveyId: string, redactPii: boolean) =>
    call<string | null>("debug_export", { surveyId, redactPii }),

  supportAddress: () => call<string | null>("support_address"),
  setSupportAddress: (address: string) => call<string>("set_support_address", { address }),
  /** Opens the prepared support email (naming `bundle` when given); `null`: no address set. */
  contactSupport: (bundle: string | null) => call<SupportMail | null>("contact_support", { bundle }),
  /** Shows the file in the desktop's file manager. */
  revealFile: (path: string) => call<null>("reveal_file", { path }),

  /** Disk taken by each survey's cached responses. */
  responseCacheSizes: () => call<SurveyCacheSize[]>("response_cache_sizes"),
  /** Deletes one survey's cached responses; returns the sizes left. */
  clearCachedResponses: (surveyId: string) =>
    call<SurveyCacheSize[]>("clear_cached_responses", { surveyId }),
};

export type Api = typeof api;
