/**
 * Wire types of the IPC contract with the Tauri shell.
 *
 * Contract: these mirror the ts-rs DTOs of `crates/core` (generated into `./bindings/`).
 * Where a binding has landed it is re-exported from here; the rest of the UI imports types
 * only from this module, so adapting to a binding change touches this file and `model.ts`.
 */

export type ErrorKind =
  | "network"
  | "invalidBaseUrl"
  | "unauthorized"
  | "tokenRevoked"
  | "forbidden"
  | "notFound"
  | "rateLimited"
  | "exportFailed"
  | "malformed"
  | "noSurveys"
  | "keychainUnavailable"
  | "notConfigured"
  | "invalidInput"
  | "storage"
  | "internal";

/** Every command error, as the shell serialises it. */
export interface IpcErrorPayload {
  kind: ErrorKind;
  message: string;
}

export interface AppInfo {
  version: string;
  demo: boolean;
  dataDir: string;
}

export type AuthInput =
  | { method: "apiToken"; token: string }
  | { method: "oauth"; clientId: string; clientSecret: string };

export interface ConnectionInput {
  baseUrl: string;
  auth: AuthInput;
}

export type ConnectionState =
  | "notConfigured"
  | "connected"
  | "connectionFailed"
  | "tokenRejected"
  | "noSurveys"
  | "tokenRevoked"
  | "keychainUnavailable";

export type AuthMethod = "apiToken" | "oauth";

export interface ConnectionStatus {
  state: ConnectionState;
  baseUrl: string | null;
  authMethod: AuthMethod | null;
  clientId?: string | null;
  maskedSecret: string | null;
  userName: string | null;
  brandId: string | null;
  datacenter: string | null;
  surveyCount: number | null;
  message: string | null;
  errorKind?: ErrorKind | null;
  validatedAt?: string | null;
  checkedAt: string | null;
}

export interface SurveySummaryDto {
  id: string;
  name: string;
  isActive: boolean;
  responseCount: number;
  lastRefreshedAt: string | null;
  lastAttemptAt: string | null;
  deleted: boolean;
}

export interface ChoiceInfo {
  id: string;
  label: string;
  /** What exports carry; numeric metrics use it. */
  recode: string;
  /** False for choices excluded from analysis ("Don't know"). */
  analyze: boolean;
}

export interface SubQuestionInfo {
  id: string;
  label: string;
}

/**
 * A question of a survey (core `QuestionRow`), or an embedded data field offered for Group by
 * (`kind: "field"`, `qid` = the field name). `api.surveyQuestions` normalises both.
 */
export interface QuestionInfo {
  qid: string;
  kind?: "question" | "field";
  exportTag: string | null;
  text: string;
  questionType: string;
  selector: string | null;
  subSelector: string | null;
  choices: ChoiceInfo[];
  subQuestions: SubQuestionInfo[];
  deleted?: boolean;
}

export type CardType = "number" | "series" | "comparison";
export type TimeBucket = "day" | "week" | "month" | "quarter";
export type DateField = "endDate" | "startDate" | "recordedDate";

export type GroupBy =
  | { kind: "none" }
  | { kind: "question"; questionId: string }
  | { kind: "field"; name: string }
  | { kind: "time"; bucket: TimeBucket; dateField: DateField };

export type Calculation =
  | { kind: "count" }
  | { kind: "average" }
  | { kind: "sum" }
  | { kind: "min" }
  | { kind: "max" }
  | { kind: "median" }
  | { kind: "nps" }
  | { kind: "csatTop2" }
  | { kind: "cesAverage" }
  | { kind: "cesPercentEasy" }
  | { kind: "distribution" }
  | { kind: "topBox"; boxes: number }
  | { kind: "bottomBox"; boxes: number };

export type ComparisonPeriod = "month" | "quarter" | "year";

export type ComparisonSpec =
  | { kind: "previousPeriod"; period: ComparisonPeriod }
  | { kind: "groups"; a: string; b: string };

export type ChartKind = "none" | "bar" | "line" | "donut" | "stackedBar";

export interface ChartOptions {
  kind: ChartKind;
  showN: boolean;
  decimals: number;
}

export interface MetricCardConfig {
  name: string;
  cardType: CardType;
  surveyId: string;
  questionId: string;
  subQuestionId: string | null;
  groupBy: GroupBy;
  calculation: Calculation;
  comparison: ComparisonSpec | null;
  chart: ChartOptions;
}

export type MetricUnit = "percent" | "score" | "number";

export interface GroupValue {
  key: string;
  label: string;
  value: number | null;
  n: number;
}

export interface SeriesPoint {
  bucket: string;
  value: number | null;
  n: number;
}

export interface ComparisonValue {
  currentLabel: string;
  current: number | null;
  currentN: number;
  previousLabel: string;
  previous: number | null;
  previousN: number;
  delta: number | null;
}

export interface DistributionBin {
  choiceId: string;
  label: string;
  count: number;
  percent: number;
}

export type ProblemKind = "surveyDeleted" | "questionDeleted" | "groupQuestionDeleted" | "noData" | "notApplicable";

export interface MetricProblem {
  kind: ProblemKind;
  message: string;
}

export interface MetricValue {
  value: number | null;
  n: number;
  unit: MetricUnit;
  formula: string;
  groups: GroupValue[];
  series: SeriesPoint[];
  comparison: ComparisonValue | null;
  distribution: DistributionBin[];
  problems: MetricProblem[];
}

export interface MetricPreview {
  value: MetricValue;
  chartSvg: string | null;
}

export interface MapRow {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
}

export interface MapSummary extends MapRow {
  stageCount?: number;
  laneCount?: number;
  cardCount?: number;
}

export interface Stage {
  id: string;
  mapId: string;
  name: string;
  position: number;
}

export type Lane = Stage;

export type CardContent =
  | { kind: "text"; text: string }
  | { kind: "metric"; config: MetricCardConfig };

export interface Card {
  id: string;
  mapId: string;
  stageId: string;
  laneId: string;
  position: number;
  content: CardContent;
  createdAt?: string;
  updatedAt?: string;
}

export interface CardView {
  card: Card;
  cachedValue: MetricValue | null;
  computedAt: string | null;
  /** The cached value was computed for an older configuration of the card. */
  staleConfig?: boolean;
}

export interface MapView {
  map: MapRow;
  stages: Stage[];
  lanes: Lane[];
  cards: CardView[];
}

export type RefreshPhase =
  | { phase: "listing" }
  | { phase: "exporting"; percent: number }
  | { phase: "downloading"; bytes: number }
  | { phase: "importing"; rows: number }
  | { phase: "computing" }
  | { phase: "done" };

export interface RefreshProgress {
  surveyId: string;
  surveyName?: string | null;
  phase: RefreshPhase;
}

export interface RefreshFinished {
  surveyId: string;
  ok: boolean;
  error?: IpcErrorPayload | null;
}

export interface MapValuesUpdated {
  mapId: string;
}

export type ExportFormat = "png" | "pdf";
