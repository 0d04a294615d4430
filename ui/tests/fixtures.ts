/** Wire-shaped fixtures shared by the component tests. */
import type { Calculation, ConnectionStatus, MapView, MetricCardConfig, MetricValue, QuestionInfo, SurveySummaryDto } from "../src/ipc";

export const connected: ConnectionStatus = {
  state: "connected",
  baseUrl: "iad1.qualtrics.com",
  authMethod: "apiToken",
  maskedSecret: "••••abcd",
  userName: "ana@acme.example",
  brandId: "acme",
  datacenter: "iad1",
  suggestedBaseUrl: null,
  surveyCount: 7,
  message: null,
  clientId: null,
  errorKind: null,
  validatedAt: new Date().toISOString(),
  checkedAt: new Date().toISOString(),
  secretSavedAt: new Date().toISOString(),
  reminder: null,
  rotationDays: 90,
  cachedDataAsOf: null,
};

export const notConfigured: ConnectionStatus = {
  state: "notConfigured",
  baseUrl: null,
  authMethod: null,
  maskedSecret: null,
  userName: null,
  brandId: null,
  datacenter: null,
  suggestedBaseUrl: null,
  surveyCount: null,
  message: null,
  clientId: null,
  errorKind: null,
  validatedAt: null,
  checkedAt: null,
  secretSavedAt: null,
  reminder: null,
  rotationDays: 90,
  cachedDataAsOf: null,
};

export function value(partial: Partial<MetricValue>): MetricValue {
  return {
    value: 42,
    n: 1234,
    unit: "score",
    formula: "NPS = % promoters (9-10) − % detractors (0-6)",
    groups: [],
    series: [],
    comparison: null,
    distribution: [],
    problems: [],
    ciLow: null,
    ciHigh: null,
    ciMethod: null,
    lowN: false,
    minN: 30,
    status: "none",
    target: null,
    dataAsOf: null,
    stale: false,
    resolvedRange: null,
    seriesGroups: [],
    ...partial,
  };
}

/** A metric card config with the defaults a new card gets (issue 13 settings included). */
export function metricConfig(partial: Partial<MetricCardConfig> = {}): MetricCardConfig {
  return {
    name: "Onboarding NPS",
    cardType: "number",
    surveyId: "SV_1",
    questionId: "QID1",
    subQuestionId: null,
    groupBy: { kind: "none" },
    calculation: { kind: "nps" },
    comparison: null,
    chart: { kind: "bar", showN: true, decimals: 1, startAtZero: false, view: "chart" },
    range: { kind: "all" },
    dateField: "recordedDate",
    filters: [],
    target: null,
    minN: 30,
    heading: null,
    subheading: null,
    splitBy: null,
    ...partial,
  };
}

const choices = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ id: String(i + 1), label: String(from + i), recode: String(from + i), analyze: true }));

// What the core sends as `calculations` for such questions (metrics::applicable_calculations).
const numeric: Calculation[] = [{ kind: "average" }, { kind: "median" }, { kind: "min" }, { kind: "max" }, { kind: "sum" }];
const boxes: Calculation[] = [
  { kind: "topBox", boxes: 1 },
  { kind: "topBox", boxes: 2 },
  { kind: "bottomBox", boxes: 1 },
  { kind: "bottomBox", boxes: 2 },
];
const dist: Calculation[] = [{ kind: "distribution" }, { kind: "count" }];

export const questions: QuestionInfo[] = [
  { qid: "QID1", kind: "question", exportTag: "Q1", text: "Recommend us?", questionType: "MC", selector: "NPS", subSelector: null, choices: choices(0, 10), subQuestions: [], calculations: [{ kind: "nps" }, ...boxes, ...numeric, ...dist], deleted: false, numericEntry: false },
  { qid: "QID2", kind: "question", exportTag: "Q2", text: "Satisfied?", questionType: "MC", selector: "SAVR", subSelector: "TX", choices: [...choices(1, 5), { id: "9", label: "Don't know", recode: "99", analyze: false }], subQuestions: [], calculations: [{ kind: "csatTop2" }, ...boxes, ...numeric, ...dist], deleted: false, numericEntry: false },
  { qid: "QID3", kind: "question", exportTag: "Q3", text: "Easy?", questionType: "MC", selector: "SAVR", subSelector: "TX", choices: choices(1, 7), subQuestions: [], calculations: [{ kind: "cesAverage" }, { kind: "cesPercentEasy" }, { kind: "csatTop2" }, ...boxes, ...numeric, ...dist], deleted: false, numericEntry: false },
  { qid: "QID4", kind: "question", exportTag: "Q4", text: "Plan?", questionType: "MC", selector: "SAVR", subSelector: "TX", choices: [{ id: "1", label: "Basic", recode: "1", analyze: true }, { id: "2", label: "Pro", recode: "2", analyze: true }], subQuestions: [], calculations: [...numeric, ...dist], deleted: false, numericEntry: false },
  { qid: "QID5", kind: "question", exportTag: "Q5", text: "Features used?", questionType: "MC", selector: "MAVR", subSelector: "TX", choices: choices(1, 3), subQuestions: [], calculations: dist, deleted: false, numericEntry: false },
  { qid: "QID6", kind: "question", exportTag: "Q6", text: "Comments", questionType: "TE", selector: "ESTB", subSelector: null, choices: [], subQuestions: [], calculations: [{ kind: "count" }], deleted: false, numericEntry: false },
  { qid: "Region", kind: "field", exportTag: null, text: "Region", questionType: "EmbeddedData", selector: null, subSelector: null, choices: [], subQuestions: [], calculations: [], deleted: false, numericEntry: false },
];

export const surveys: SurveySummaryDto[] = [
  { id: "SV_1", name: "Onboarding Experience", isActive: true, responseCount: 1234, lastRefreshedAt: null, lastAttemptAt: null, lastFullSyncAt: null, deleted: false },
  { id: "SV_2", name: "Support", isActive: true, responseCount: 10, lastRefreshedAt: null, lastAttemptAt: null, lastFullSyncAt: null, deleted: false },
];

const T0 = "2026-01-01T00:00:00Z";

export function mapView(): MapView {
  const mapId = "m1";
  const stage = (id: string, name: string, position: number) => ({ id, mapId, name, position });
  return {
    map: { id: mapId, name: "Onboarding journey", createdAt: "2026-01-01T00:00:00Z", updatedAt: "2026-01-01T00:00:00Z" },
    // Deliberately out of order: the UI sorts by position.
    stages: [stage("s2", "Sign up", 1), stage("s1", "Discover", 0), stage("s3", "Use", 2)],
    lanes: [stage("l1", "Actions", 0), stage("l2", "Metrics", 1)],
    cards: [
      {
        card: { id: "c1", mapId, stageId: "s1", laneId: "l1", position: 0, content: { kind: "text", text: "Reads reviews" }, createdAt: T0, updatedAt: T0 },
        cachedValue: null,
        computedAt: null,
        staleConfig: false,
        fullSyncAt: null,
        dataAsOf: null,
        stale: false,
      },
      {
        card: {
          id: "c2",
          mapId,
          stageId: "s2",
          laneId: "l2",
          position: 0,
          content: {
            kind: "metric",
            config: metricConfig(),
          },
          createdAt: T0,
          updatedAt: T0,
        },
        cachedValue: value({ value: 38.6, n: 1234 }),
        computedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
        staleConfig: false,
        fullSyncAt: null,
        dataAsOf: null,
        stale: false,
      },
    ],
  };
}
