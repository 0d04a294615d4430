/**
 * Wire types of the IPC contract with the Tauri shell.
 *
 * Contract: DTOs shared with `crates/core` are the ts-rs bindings generated into `./bindings/`
 * (re-exported here, so a Rust change that breaks the UI fails `tsc`); the few shapes the
 * Tauri shell defines itself (app info, preview, events) and the UI's normalised
 * `QuestionInfo` are declared below. The rest of the UI imports types only from this module.
 */
export type { AuthInput } from "./bindings/AuthInput";
export type { AuthMethod } from "./bindings/AuthMethod";
export type { Calculation } from "./bindings/Calculation";
export type { Card } from "./bindings/Card";
export type { CardContent } from "./bindings/CardContent";
export type { CardType } from "./bindings/CardType";
export type { CardView } from "./bindings/CardView";
export type { ChartKind } from "./bindings/ChartKind";
export type { ChartOptions } from "./bindings/ChartOptions";
export type { Choice as ChoiceInfo } from "./bindings/Choice";
export type { ComparisonSpec } from "./bindings/ComparisonSpec";
export type { ComparisonValue } from "./bindings/ComparisonValue";
export type { ConnectionInput } from "./bindings/ConnectionInput";
export type { ConnectionReminder } from "./bindings/ConnectionReminder";
export type { ConnectionState } from "./bindings/ConnectionState";
export type { ConnectionStatus } from "./bindings/ConnectionStatus";
export type { DateField } from "./bindings/DateField";
export type { DistributionBin } from "./bindings/DistributionBin";
export type { ErrorKind } from "./bindings/ErrorKind";
export type { SupportMail } from "./bindings/SupportMail";
export type { GroupBy } from "./bindings/GroupBy";
export type { GroupValue } from "./bindings/GroupValue";
export type { Lane } from "./bindings/Lane";
export type { MapFilePreview } from "./bindings/MapFilePreview";
export type { MapFileSurvey } from "./bindings/MapFileSurvey";
export type { MapImportOptions } from "./bindings/MapImportOptions";
export type { MapImportReport } from "./bindings/MapImportReport";
export type { MapRow } from "./bindings/MapRow";
export type { MapSummary } from "./bindings/MapSummary";
export type { MapTemplate } from "./bindings/MapTemplate";
export type { MapView } from "./bindings/MapView";
export type { MetricCardConfig } from "./bindings/MetricCardConfig";
export type { MetricProblem } from "./bindings/MetricProblem";
export type { MetricValue } from "./bindings/MetricValue";
export type { Period as ComparisonPeriod } from "./bindings/Period";
export type { ProblemKind } from "./bindings/ProblemKind";
export type { RefreshPhase } from "./bindings/RefreshPhase";
export type { RefreshProgress } from "./bindings/RefreshProgress";
export type { ReminderKind } from "./bindings/ReminderKind";
export type { SeriesPoint } from "./bindings/SeriesPoint";
export type { Stage } from "./bindings/Stage";
export type { SubQuestion as SubQuestionInfo } from "./bindings/SubQuestion";
export type { SurveyReplacement } from "./bindings/SurveyReplacement";
export type { SurveySummaryDto } from "./bindings/SurveySummaryDto";
export type { SurveyCacheSize } from "./bindings/SurveyCacheSize";
export type { TimeBucket } from "./bindings/TimeBucket";
export type { UndoState } from "./bindings/UndoState";
export type { Unit as MetricUnit } from "./bindings/Unit";
// Card scopes (issue 13).
export type { Better } from "./bindings/Better";
export type { ChartView } from "./bindings/ChartView";
export type { DateRange } from "./bindings/DateRange";
export type { FieldValueCount } from "./bindings/FieldValueCount";
export type { RangeUnit } from "./bindings/RangeUnit";
export type { ResolvedRange } from "./bindings/ResolvedRange";
export type { SavedFilter } from "./bindings/SavedFilter";
export type { SegmentFilter } from "./bindings/SegmentFilter";
export type { SeriesGroup } from "./bindings/SeriesGroup";
export type { SplitBy } from "./bindings/SplitBy";
export type { Target } from "./bindings/Target";
export type { TargetStatus } from "./bindings/TargetStatus";

import type { Calculation } from "./bindings/Calculation";
import type { Choice } from "./bindings/Choice";
import type { ErrorKind } from "./bindings/ErrorKind";
import type { MetricValue } from "./bindings/MetricValue";
import type { SubQuestion } from "./bindings/SubQuestion";

/** Every command error, as the shell serialises it. */
export interface IpcErrorPayload {
  kind: ErrorKind;
  message: string;
}

/** `app_info` (defined by the shell). */
export interface AppInfo {
  version: string;
  demo: boolean;
  dataDir: string;
}

/**
 * A question of a survey (core `QuestionRow`, minus cache bookkeeping), or an embedded data
 * field offered for Group by (`kind: "field"`, `qid` = the field name). `api.surveyQuestions`
 * normalises the shell's answer into this.
 */
export interface QuestionInfo {
  qid: string;
  kind?: "question" | "field";
  exportTag: string | null;
  text: string;
  questionType: string;
  selector: string | null;
  subSelector: string | null;
  choices: Choice[];
  subQuestions: SubQuestion[];
  /** Calculations that apply, most specific first, as decided by the core (none for fields). */
  calculations: Calculation[];
  deleted?: boolean;
}

/** `preview_metric` (defined by the shell). */
export interface MetricPreview {
  value: MetricValue;
  chartSvg: string | null;
}

/** `refresh-finished` event payload (defined by the shell). */
export interface RefreshFinished {
  surveyId: string;
  ok: boolean;
  error?: IpcErrorPayload | null;
}

/** `map-values-updated` event payload (defined by the shell). */
export interface MapValuesUpdated {
  mapId: string;
}

export type ExportFormat = "png" | "pdf";

/** Ids of the native menu items the UI handles (`menu-action` event; `src-tauri/src/menu.rs`). */
export type MenuAction =
  | "openSettings"
  | "openDebug"
  | "contactSupport"
  | "newMapFromTemplate"
  | "importMapFile"
  | "exportMapFile"
  | "exportWorkshopPack";
