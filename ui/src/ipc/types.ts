/**
 * Wire types of the IPC contract with the Tauri shell.
 *
 * Contract: every type crossing IPC (core's DTOs and the shell's own payloads: app info,
 * preview, event payloads, the command error) is a ts-rs binding generated into `./bindings/`
 * by `cargo test`; this file only re-exports them (so a Rust change that breaks the UI fails
 * `tsc`), and `tests/ipcContract.test.ts` fails if a type is declared here by hand. The rest of
 * the UI imports types only from `../ipc`.
 */
export type { AppInfo } from "./bindings/AppInfo";
export type { CommandError as IpcErrorPayload } from "./bindings/CommandError";
export type { ExportFormat } from "./bindings/ExportFormat";
export type { MapValuesUpdated } from "./bindings/MapValuesUpdated";
export type { MenuAction } from "./bindings/MenuAction";
export type { MetricPreview } from "./bindings/MetricPreview";
export type { QuestionRow } from "./bindings/QuestionRow";
export type { RefreshFinished } from "./bindings/RefreshFinished";
export type { SurveyQuestions } from "./bindings/SurveyQuestions";
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
