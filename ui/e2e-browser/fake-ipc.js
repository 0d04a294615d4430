// @ts-check
// Dev-only in-browser fake of the Tauri IPC bridge (w.__TAURI_INTERNALS__) used by
// `npm run test:browser` to render every screen of the built UI without the Rust shell.
// It keeps an in-memory model of the IPC contract (connection, surveys, maps, cards, cached
// values) and exposes w.__fake for the test driver (emit events, switch scenarios).
// It answers only in the shapes the real shell sends: `npm run lint` type-checks it against
// the generated bindings (e2e-browser/tsconfig.json), so a shape only this fake sends fails.
/** @typedef {import("../src/ipc/bindings/AppInfo").AppInfo} AppInfo */
/** @typedef {import("../src/ipc/bindings/Calculation").Calculation} Calculation */
/** @typedef {import("../src/ipc/bindings/CardView").CardView} CardView */
/** @typedef {import("../src/ipc/bindings/CommandError").CommandError} CommandError */
/** @typedef {import("../src/ipc/bindings/ConnectionStatus").ConnectionStatus} ConnectionStatus */
/** @typedef {import("../src/ipc/bindings/FieldValueCount").FieldValueCount} FieldValueCount */
/** @typedef {import("../src/ipc/bindings/MapSummary").MapSummary} MapSummary */
/** @typedef {import("../src/ipc/bindings/MapView").MapView} MapView */
/** @typedef {import("../src/ipc/bindings/MetricCardConfig").MetricCardConfig} MetricCardConfig */
/** @typedef {import("../src/ipc/bindings/MetricPreview").MetricPreview} MetricPreview */
/** @typedef {import("../src/ipc/bindings/MetricValue").MetricValue} MetricValue */
/** @typedef {import("../src/ipc/bindings/QuestionRow").QuestionRow} QuestionRow */
/** @typedef {import("../src/ipc/bindings/SavedFilter").SavedFilter} SavedFilter */
/** @typedef {import("../src/ipc/bindings/SupportMail").SupportMail} SupportMail */
/** @typedef {import("../src/ipc/bindings/SurveyQuestions").SurveyQuestions} SurveyQuestions */
/** @typedef {import("../src/ipc/bindings/SurveySummaryDto").SurveySummaryDto} SurveySummaryDto */
/**
 * What each command of the shell answers (`null` for `()`/`None`).
 * @typedef {{
 *   app_info: AppInfo, connection_status: ConnectionStatus, save_connection: ConnectionStatus,
 *   delete_connection: ConnectionStatus, set_rotation_reminder_days: ConnectionStatus,
 *   start_demo: ConnectionStatus, list_surveys: SurveySummaryDto[],
 *   survey_questions: SurveyQuestions, list_maps: MapSummary[], create_map: MapView,
 *   rename_map: MapView, delete_map: null, open_map: MapView, add_stage: MapView,
 *   add_lane: MapView, rename_stage: MapView, rename_lane: MapView, move_stage: MapView,
 *   move_lane: MapView, delete_stage: MapView, delete_lane: MapView, add_text_card: MapView,
 *   add_metric_card: MapView, update_text_card: MapView, update_metric_card: MapView,
 *   move_card: MapView, delete_card: MapView, preview_metric: MetricPreview,
 *   card_chart_svg: string | null, refresh_map: null, export_map: string | null,
 *   debug_export: string | null, list_survey_filters: SavedFilter[], field_values: FieldValueCount[],
 * }} Answers
 */
(() => {
  /** @type {any} The bridge objects Tauri injects, and the driver's handle. */
  const w = window;
  const params = new URLSearchParams(location.search);
  const scenario = params.get("scenario") || "connected";
  const now = Date.now();
  const ago = (min) => new Date(now - min * 60000).toISOString();

  const callbacks = new Map();
  let nextCb = 1;
  const listeners = [];

  /** @returns {CommandError} */
  const err = (kind, message) => ({ kind, message });

  // What the core sends as `calculations` (metrics::applicable_calculations).
  /** @type {Calculation[]} */
  const NUMERIC = [{ kind: "average" }, { kind: "median" }, { kind: "min" }, { kind: "max" }, { kind: "sum" }];
  /** @type {Calculation[]} */
  const BOXES = [{ kind: "topBox", boxes: 1 }, { kind: "topBox", boxes: 2 }, { kind: "bottomBox", boxes: 1 }, { kind: "bottomBox", boxes: 2 }];
  /** @type {Calculation[]} */
  const DIST = [{ kind: "distribution" }, { kind: "count" }];
  const npsChoices = Array.from({ length: 11 }, (_, i) => ({ id: String(i), label: String(i), recode: String(i), analyze: true }));
  const scale = (n, labels) =>
    Array.from({ length: n }, (_, i) => ({ id: String(i + 1), label: labels ? labels[i] : String(i + 1), recode: String(i + 1), analyze: true }));
  // `survey_questions` answers: the core's `SurveyQuestions` (QuestionRows, then embedded data
  // field names).
  const embeddedFields = { SV_onboarding: ["Region", "Segment"], SV_support: ["Channel"] };
  /** @type {Record<string, QuestionRow[]>} */
  const questions = {
    SV_onboarding: [
      { surveyId: "SV_onboarding", position: 1, deleted: false, numericEntry: false, qid: "QID1", exportTag: "Q1", text: "How likely are you to recommend us to a friend or colleague?", questionType: "MC", selector: "NPS", subSelector: null, choices: npsChoices, subQuestions: [], calculations: [{ kind: "nps" }, ...BOXES, ...NUMERIC, ...DIST] },
      { surveyId: "SV_onboarding", position: 2, deleted: false, numericEntry: false, qid: "QID2", exportTag: "Q2", text: "Overall, how satisfied are you with onboarding?", questionType: "MC", selector: "SAVR", subSelector: "TX", choices: [...scale(5, ["Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied"]), { id: "6", label: "Don't know", recode: "-1", analyze: false }], subQuestions: [], calculations: [{ kind: "csatTop2" }, ...BOXES, ...NUMERIC, ...DIST] },
      { surveyId: "SV_onboarding", position: 3, deleted: false, numericEntry: false, qid: "QID3", exportTag: "Q3", text: "How easy was it to set up your account?", questionType: "MC", selector: "SAVR", subSelector: "TX", choices: scale(7), subQuestions: [], calculations: [{ kind: "cesAverage" }, { kind: "cesPercentEasy" }, { kind: "csatTop2" }, ...BOXES, ...NUMERIC, ...DIST] },
      { surveyId: "SV_onboarding", position: 4, deleted: false, numericEntry: false, qid: "QID4", exportTag: "Q4", text: "Which plan are you on?", questionType: "MC", selector: "SAVR", subSelector: "TX", choices: [{ id: "1", label: "Basic", recode: "1", analyze: true }, { id: "2", label: "Pro", recode: "2", analyze: true }, { id: "3", label: "Enterprise", recode: "3", analyze: true }], subQuestions: [], calculations: [...BOXES, ...NUMERIC, ...DIST] },
      { surveyId: "SV_onboarding", position: 5, deleted: false, numericEntry: false, qid: "QID5", exportTag: "Q5", text: "Which features did you use?", questionType: "MC", selector: "MAVR", subSelector: "TX", choices: [{ id: "1", label: "Maps", recode: "1", analyze: true }, { id: "2", label: "Exports", recode: "2", analyze: true }, { id: "3", label: "Alerts", recode: "3", analyze: true }], subQuestions: [], calculations: DIST },
      { surveyId: "SV_onboarding", position: 6, deleted: false, numericEntry: false, qid: "QID6", exportTag: "Q6", text: "What could we improve?", questionType: "TE", selector: "ESTB", subSelector: null, choices: [], subQuestions: [], calculations: [{ kind: "count" }] },
    ],
    // The simulator's "Question Types" survey, as the core sends it (applicable_calculations).
    SV_0dQ7hRk2tYxU3cW: [
      { surveyId: "SV_0dQ7hRk2tYxU3cW", position: 1, deleted: false, numericEntry: false, qid: "QID1", exportTag: "NPS", text: "How likely are you to recommend the product?", questionType: "NPS", selector: "NPS", subSelector: null, choices: npsChoices, subQuestions: [], calculations: [{ kind: "nps" }, ...BOXES, ...NUMERIC, ...DIST] },
      { surveyId: "SV_0dQ7hRk2tYxU3cW", position: 2, deleted: false, numericEntry: false, qid: "QID2", exportTag: "Slider", text: "Rate each part from 0 to 100", questionType: "Slider", selector: "HSLIDER", subSelector: null, choices: [], subQuestions: [{ id: "1", label: "Speed" }, { id: "2", label: "Reliability" }], calculations: [...NUMERIC, ...DIST] },
      { surveyId: "SV_0dQ7hRk2tYxU3cW", position: 3, deleted: false, numericEntry: false, qid: "QID5", exportTag: "Budget", text: "Split 100 points between the teams", questionType: "CS", selector: "VRTL", subSelector: null, choices: [], subQuestions: [{ id: "1", label: "Sales" }, { id: "2", label: "Support" }], calculations: [...NUMERIC, ...DIST] },
      { surveyId: "SV_0dQ7hRk2tYxU3cW", position: 4, deleted: false, numericEntry: false, qid: "QID6", exportTag: "Rank", text: "Rank the features", questionType: "RO", selector: "DND", subSelector: "TX", choices: [], subQuestions: [{ id: "1", label: "Maps" }, { id: "2", label: "Exports" }, { id: "3", label: "Alerts" }], calculations: [...NUMERIC, ...DIST] },
      { surveyId: "SV_0dQ7hRk2tYxU3cW", position: 5, deleted: false, numericEntry: false, qid: "QID8", exportTag: "Contact", text: "Your contact details", questionType: "TE", selector: "FORM", subSelector: null, choices: [], subQuestions: [{ id: "1", label: "Name" }, { id: "2", label: "Team" }], calculations: [{ kind: "count" }] },
      { surveyId: "SV_0dQ7hRk2tYxU3cW", position: 6, deleted: false, numericEntry: false, qid: "QID12", exportTag: "Channels", text: "Which channels did you use?", questionType: "MC", selector: "MACOL", subSelector: "TX", choices: [{ id: "1", label: "Email", recode: "1", analyze: true }, { id: "2", label: "Chat", recode: "2", analyze: true }, { id: "3", label: "Phone", recode: "3", analyze: true }], subQuestions: [], calculations: DIST },
      { surveyId: "SV_0dQ7hRk2tYxU3cW", position: 7, deleted: false, numericEntry: false, qid: "QID17", exportTag: "Location", text: "Where are you?", questionType: "DD", selector: "DL", subSelector: null, choices: scale(6, ["France", "Paris", "Lyon", "Japan", "Tokyo", "Osaka"]), subQuestions: [{ id: "1", label: "Country" }, { id: "2", label: "City" }], calculations: [{ kind: "count" }] },
      { surveyId: "SV_0dQ7hRk2tYxU3cW", position: 8, deleted: false, numericEntry: false, qid: "QID18", exportTag: "Agree", text: "How much do you agree?", questionType: "Matrix", selector: "Likert", subSelector: "SingleAnswer", choices: [...scale(5), { id: "6", label: "N/A", recode: "6", analyze: false }], subQuestions: [{ id: "1", label: "Easy to use" }, { id: "2", label: "Worth the price" }], calculations: [{ kind: "csatTop2" }, ...BOXES, ...NUMERIC, ...DIST] },
      { surveyId: "SV_0dQ7hRk2tYxU3cW", position: 9, deleted: false, numericEntry: false, qid: "QID19", exportTag: "Compare", text: "Importance and satisfaction", questionType: "SBS", selector: "SBSMatrix", subSelector: null, choices: scale(5), subQuestions: [{ id: "1", label: "Onboarding" }, { id: "2", label: "Support" }], calculations: [{ kind: "csatTop2" }, ...BOXES, ...NUMERIC, ...DIST] },
      { surveyId: "SV_0dQ7hRk2tYxU3cW", position: 10, deleted: false, numericEntry: true, qid: "QID20", exportTag: "Hours", text: "How many hours a week do you use us?", questionType: "TE", selector: "SL", subSelector: null, choices: [], subQuestions: [], calculations: [...NUMERIC, { kind: "count" }] },
    ],
    SV_churn: [
      { surveyId: "SV_churn", position: 1, deleted: false, numericEntry: false, qid: "QID1", exportTag: "Reason", text: "Why did you cancel?", questionType: "MC", selector: "SAVR", subSelector: "TX", choices: [{ id: "1", label: "Price", recode: "1", analyze: true }, { id: "2", label: "Missing features", recode: "2", analyze: true }, { id: "3", label: "Switched tool", recode: "3", analyze: true }], subQuestions: [], calculations: DIST },
    ],
    SV_support: [
      { surveyId: "SV_support", position: 1, deleted: false, numericEntry: false, qid: "QID1", exportTag: "CSAT", text: "How satisfied are you with the support you received?", questionType: "MC", selector: "SAVR", subSelector: "TX", choices: scale(5), subQuestions: [], calculations: [{ kind: "csatTop2" }, ...BOXES, ...NUMERIC, ...DIST] },
    ],
  };
  // Offline: every survey last synced before the network went (about 3 h ago).
  const since = scenario === "offline" ? 3 * 60 + 7 : 0;
  const synced = (min) => ago(since + min);
  const supportSync = scenario === "cards" ? 30 * 60 : 5;
  /** @type {SurveySummaryDto[]} */
  const surveys =
    scenario === "noSurveys"
      ? []
      : [
          { id: "SV_onboarding", name: "Onboarding Experience", isActive: true, responseCount: 12480, lastRefreshedAt: synced(62), lastAttemptAt: synced(62), lastFullSyncAt: synced(62), deleted: false },
          // In the "cards" scenario its last successful sync is 30 h old: its cards are stale.
          { id: "SV_support", name: "Support Satisfaction", isActive: true, responseCount: 3321, lastRefreshedAt: synced(supportSync), lastAttemptAt: ago(5), lastFullSyncAt: synced(supportSync), deleted: false },
          { id: "SV_0dQ7hRk2tYxU3cW", name: "Question Types", isActive: true, responseCount: 40, lastRefreshedAt: synced(10), lastAttemptAt: synced(10), lastFullSyncAt: synced(10), deleted: false },
          { id: "SV_churn", name: "Churn Exit Survey", isActive: false, responseCount: 412, lastRefreshedAt: synced(3000), lastAttemptAt: synced(3000), lastFullSyncAt: synced(3000), deleted: false },
        ];

  // fresh: a new user (no connection, no maps); demo: demo data active (5 stages, like the real
  // demo brand); long: very long names and text on the first map.
  let demo = scenario === "demo";
  // The secret's age and reminder, as the core computes them (reminder after rotationDays).
  const savedDaysAgo = scenario === "rotationDue" ? 120 : 12;
  let rotationDays = 90;
  let cacheSizes = [
    { surveyId: "SV_onboarding", name: "Onboarding Experience", responses: 12480, inProgress: 312, bytes: 11800000 },
    { surveyId: "SV_support", name: "Support Satisfaction", responses: 3321, inProgress: 0, bytes: 820000 },
  ];
  const reminderFor = (st) => {
    if (st.state === "notConfigured") return null;
    if (scenario === "oauthFailing") return { kind: "oauthTokenFailing", since: ago(26 * 60), ageDays: 1, rotationDays };
    if (!st.secretSavedAt) return null;
    const age = Math.floor((now - Date.parse(st.secretSavedAt)) / 86400000);
    return age >= rotationDays ? { kind: "rotationDue", since: st.secretSavedAt, ageDays: age, rotationDays } : null;
  };
  /** @returns {ConnectionStatus} */
  const withReminder = (st) => ({ cachedDataAsOf: null, ...st, rotationDays, reminder: reminderFor(st) });
  const stateOf = { revoked: "tokenRevoked", permissionMissing: "permissionMissing", oauthFailing: "tokenRevoked", wrongDatacenter: "wrongDatacenter", offline: "offline" };
  let status =
    scenario === "notConfigured" || scenario === "fresh" || scenario === "pack"
      ? { state: "notConfigured", baseUrl: null, authMethod: null, clientId: null, maskedSecret: null, userName: null, brandId: null, datacenter: null, suggestedBaseUrl: null, surveyCount: null, message: null, errorKind: null, checkedAt: null, validatedAt: null, secretSavedAt: null }
      : {
          state: stateOf[scenario] ?? "connected",
          baseUrl: scenario === "wrongDatacenter" ? "https://fra1.qualtrics.com" : "iad1.qualtrics.com",
          suggestedBaseUrl: scenario === "wrongDatacenter" ? "iad1.qualtrics.com" : null,
          authMethod: scenario === "oauthFailing" ? "oauth" : "apiToken",
          clientId: scenario === "oauthFailing" ? "5f0c2b8e9d4a4e7b" : null,
          maskedSecret: "••••a1b2",
          userName: scenario === "permissionMissing" ? "pulsemap-connector@acme.example" : "maria.lopez@acme.example",
          brandId: "acme",
          datacenter: "iad1",
          surveyCount: surveys.length,
          message: null,
          errorKind: { permissionMissing: "forbidden", wrongDatacenter: "wrongDatacenter", offline: "network" }[scenario] ?? null,
          // Latest successful sync over all surveys (the "offline" banner's time).
          cachedDataAsOf: surveys.map((x) => x.lastRefreshedAt).sort().at(-1) ?? null,
          checkedAt: ago(3),
          validatedAt: ago(3 * 60),
          secretSavedAt: ago(savedDaysAgo * 24 * 60),
        };
  status = withReminder(status);

  /** @returns {MetricCardConfig} */
  const cfg = (name, cardType, surveyId, questionId, calculation, groupBy, chartKind, extra = {}) => ({
    name, cardType, surveyId, questionId, subQuestionId: null, groupBy: groupBy || { kind: "none" }, calculation,
    comparison: extra.comparison || null,
    chart: { kind: chartKind, showN: true, decimals: extra.decimals ?? 1, startAtZero: !!extra.startAtZero, view: extra.view || "chart" },
    range: extra.range || { kind: "all" }, dateField: "recordedDate", filters: extra.filters || [], target: extra.target || null,
    minN: extra.minN ?? 30, heading: extra.heading ?? null, subheading: extra.subheading ?? null, splitBy: extra.splitBy || null,
  });
  /**
   * The card engine of fake-cards.js (loaded first; type-checked too).
   * @type {{
   *   compute: (config: MetricCardConfig, questions: QuestionRow[], survey: SurveySummaryDto | undefined) => MetricValue,
   *   chart: (config: MetricCardConfig, value: MetricValue | null) => string | null,
   *   fieldValues: (surveyId: string, field: string) => FieldValueCount[],
   *   savedFilters: (surveyId: string) => SavedFilter[],
   * }}
   */
  const fakeCards = w.__fakeCards;
  // Cached values are what the card engine computes from the synthetic responses.
  /** @returns {MetricValue} */
  const computeFake = (config) => fakeCards.compute(config, questions[config.surveyId] || [], surveys.find((x) => x.id === config.surveyId));
  const chartFor = (config, value) => fakeCards.chart(config, value);
  /** A card's freshness, as the core sends it: its survey's last successful sync (stale after 24 h or never synced). */
  const freshness = (content) => {
    if (content.kind !== "metric") return { dataAsOf: null, stale: false, fullSyncAt: null };
    const sv = surveys.find((x) => x.id === content.config.surveyId);
    const dataAsOf = sv?.lastRefreshedAt ?? null;
    return { dataAsOf, stale: !dataAsOf || now - Date.parse(dataAsOf) > 86400000, fullSyncAt: sv?.lastFullSyncAt ?? null };
  };

  // A core `CardView` (its card with timestamps, the cached value and its freshness).
  /** @returns {CardView} */
  const cardView = (card, cachedValue, computedAt) => ({
    card: { ...card, createdAt: ago(4000), updatedAt: ago(30) },
    cachedValue: cachedValue || null,
    computedAt: computedAt || null,
    staleConfig: false,
    needsBinding: false,
    ...freshness(card.content),
  });

  let seq = 100;
  const id = (p) => `${p}_${++seq}`;
  /** @type {MapView[]} */
  const maps = [];
  function mkMap(name, withContent, fiveStages = false) {
    /** @type {MapView} */
    const m = { map: { id: id("map"), name, createdAt: ago(5000), updatedAt: ago(30) }, stages: [], lanes: [], cards: [] };
    if (withContent) {
      ["Discover", "Sign up", "Onboard", "Use & grow", ...(fiveStages ? ["Renew"] : [])].forEach((n, i) => m.stages.push({ id: id("st"), mapId: m.map.id, name: n, position: i }));
      ["Customer actions", "Touchpoints", "Experience metrics"].forEach((n, i) => m.lanes.push({ id: id("ln"), mapId: m.map.id, name: n, position: i }));
      const [s0, s1, s2, s3] = m.stages.map((s) => s.id);
      const [l0, l1, l2] = m.lanes.map((l) => l.id);
      const add = (stageId, laneId, content, computedAt) =>
        m.cards.push(cardView({ id: id("card"), mapId: m.map.id, stageId, laneId, position: m.cards.filter((c) => c.card.stageId === stageId && c.card.laneId === laneId).length, content }, content.kind === "metric" ? computeFake(content.config) : null, computedAt));
      add(s0, l0, { kind: "text", text: "Reads a review and compares plans on the pricing page" });
      add(s1, l0, { kind: "text", text: "Creates an account with work email" });
      add(s2, l0, { kind: "text", text: "Invites teammates and connects data" });
      add(s3, l0, { kind: "text", text: "Builds the first journey map" });
      add(s0, l1, { kind: "text", text: "Website, G2 reviews" });
      add(s1, l1, { kind: "text", text: "Welcome email · in-app checklist" });
      add(s2, l2, { kind: "metric", config: cfg("Onboarding NPS by plan", "number", "SV_onboarding", "QID1", { kind: "nps" }, { kind: "question", questionId: "QID4" }, "bar") }, ago(5));
      add(s3, l2, { kind: "metric", config: cfg("CSAT trend", "series", "SV_onboarding", "QID2", { kind: "csatTop2" }, { kind: "time", bucket: "month", dateField: "endDate" }, "line") }, ago(5));
      add(s1, l2, { kind: "metric", config: cfg("Setup effort (CES)", "comparison", "SV_onboarding", "QID3", { kind: "cesAverage" }, { kind: "none" }, "none", { comparison: { kind: "previousPeriod", period: "month" }, decimals: 2 }) }, ago(12));
      add(s0, l2, { kind: "metric", config: cfg("Support CSAT", "number", "SV_support", "QID9", { kind: "csatTop2" }, null, "none") }, ago(200));
      add(s3, l1, { kind: "metric", config: cfg("Churn reasons", "number", "SV_churn", "QID1", { kind: "count" }, null, "none") }, ago(1440 * 2));
      if (fiveStages) {
        const s4 = m.stages[4].id;
        add(s4, l0, { kind: "text", text: "Reviews usage and renews the plan" });
        add(s4, l2, { kind: "metric", config: cfg("Renewal NPS", "number", "SV_onboarding", "QID1", { kind: "nps" }, null, "none") }, ago(8));
      }
      if (scenario === "long") {
        m.stages[1].name = "Sign up and verify the work email address, then choose a plan, invite the first teammates and connect the first data source";
        m.lanes[0].name = "Customer actions, thoughts and feelings observed in interviews and diary studies over the first month";
        const long = Array.from({ length: 40 }, (_, i) => `Sentence ${i + 1} of a very long research note.`).join(" ");
        add(s0, l0, { kind: "text", text: long.slice(0, 2000) });
      }
    }
    maps.push(m);
    return m;
  }
  /** The "cards" scenario's map: one card per state of the card face (issue 13). */
  function mkCardStates() {
    const m = { map: { id: id("map"), name: "Card states", createdAt: ago(5000), updatedAt: ago(30) }, stages: [], lanes: [], cards: [] };
    ["Targets", "Reliability", "Display", "Comparisons"].forEach((n, i) => m.stages.push({ id: id("st"), mapId: m.map.id, name: n, position: i }));
    ["Row 1", "Row 2"].forEach((n, i) => m.lanes.push({ id: id("ln"), mapId: m.map.id, name: n, position: i }));
    const [s0, s1, s2, s3] = m.stages.map((s) => s.id);
    const [l0, l1] = m.lanes.map((l) => l.id);
    const add = (stageId, laneId, config) =>
      m.cards.push(cardView({ id: id("card"), mapId: m.map.id, stageId, laneId, position: m.cards.filter((c) => c.card.stageId === stageId && c.card.laneId === laneId).length, content: { kind: "metric", config } }, computeFake(config), ago(4)));
    const nps = { kind: "nps" };
    const last90 = { kind: "last", days: 90 };
    add(s0, l0, cfg("NPS, last 90 days", "number", "SV_onboarding", "QID1", nps, null, "none", { range: last90, target: { value: 20, better: "higher", amberMargin: null }, heading: "Onboarding NPS", subheading: "All plans · target +20" }));
    add(s0, l0, cfg("NPS near target", "number", "SV_onboarding", "QID1", nps, null, "none", { range: last90, target: { value: 28, better: "higher", amberMargin: 5 } }));
    add(s0, l1, cfg("Enterprise EMEA NPS", "number", "SV_onboarding", "QID1", nps, null, "none", { range: { kind: "last", days: 365 }, filters: [{ kind: "saved", filterId: "FT_9nYh2kE", name: "Enterprise in EMEA" }], target: { value: 70, better: "higher", amberMargin: null } }));
    add(s0, l1, cfg("Setup effort, lower is better", "number", "SV_onboarding", "QID3", { kind: "average" }, null, "none", { range: last90, target: { value: 4, better: "lower", amberMargin: 0.5 }, decimals: 2 }));
    add(s1, l0, cfg("ANZ NPS", "number", "SV_onboarding", "QID1", nps, null, "bar", { range: last90, filters: [{ kind: "field", name: "Region", values: ["ANZ"] }], target: { value: 20, better: "higher", amberMargin: null } }));
    add(s1, l1, cfg("Support CSAT", "number", "SV_support", "QID1", { kind: "csatTop2" }, null, "none", { range: { kind: "last", days: 30 } }));
    add(s2, l0, cfg("NPS by plan (table)", "number", "SV_onboarding", "QID1", nps, { kind: "question", questionId: "QID4" }, "bar", { range: { kind: "last", days: 365 }, view: "table" }));
    add(s2, l0, cfg("NPS by region", "number", "SV_onboarding", "QID1", nps, { kind: "field", name: "Region" }, "none", { range: { kind: "last", days: 365 } }));
    add(s2, l1, cfg("CSAT by region", "series", "SV_onboarding", "QID2", { kind: "csatTop2" }, { kind: "time", bucket: "month", dateField: "recordedDate" }, "line", { range: { kind: "last", days: 365 }, splitBy: { kind: "field", name: "Region" }, startAtZero: false }));
    add(s3, l0, cfg("NPS vs previous 90 days", "comparison", "SV_onboarding", "QID1", nps, null, "none", { range: last90, comparison: { kind: "previousRange" } }));
    add(s3, l1, cfg("NPS vs a year earlier", "comparison", "SV_onboarding", "QID1", nps, null, "none", { range: last90, comparison: { kind: "yearEarlier" } }));
    maps.push(m);
  }
  if (scenario === "cards") mkCardStates();
  /** The "journey" scenario: the map the e2e journey builds (one cell: NPS by plan, then a card with a range, a segment and a target). */
  function mkJourney() {
    const m = { map: { id: id("map"), name: "E2E journey", createdAt: ago(50), updatedAt: ago(5) }, stages: [], lanes: [], cards: [] };
    // "Start with a stage and a lane" (Discover, Customer), then the journey's Onboard and Metrics.
    ["Discover", "Onboard"].forEach((name, position) => m.stages.push({ id: id("st"), mapId: m.map.id, name, position }));
    ["Customer", "Metrics"].forEach((name, position) => m.lanes.push({ id: id("ln"), mapId: m.map.id, name, position }));
    const year = new Date(now - 364 * 86400000).toISOString().slice(0, 10);
    const configs = [
      cfg("NPS by plan", "number", "SV_onboarding", "QID1", { kind: "nps" }, { kind: "question", questionId: "QID4" }, "bar"),
      cfg("EMEA NPS, one year", "number", "SV_onboarding", "QID1", { kind: "nps" }, null, "bar", { range: { kind: "custom", from: year, to: new Date(now).toISOString().slice(0, 10) }, filters: [{ kind: "field", name: "Region", values: ["EMEA"] }], target: { value: 30, better: "higher", amberMargin: null } }),
    ];
    configs.forEach((config, i) => m.cards.push(cardView({ id: id("card"), mapId: m.map.id, stageId: m.stages[1].id, laneId: m.lanes[1].id, position: i, content: { kind: "metric", config } }, computeFake(config), ago(2))));
    maps.push(m);
  }
  if (scenario === "journey") mkJourney();
  /**
   * A workshop pack as the core opens it: read-only, values frozen as of the pack and computed
   * on the designer's install; this install never synced its surveys, so the cards' own
   * freshness is unknown (no data as of, stale).
   */
  function freeze(m) {
    m.map.dataAsOf = "2026-11-28T16:30:00Z";
    for (const c of m.cards) {
      if (c.card.content.kind !== "metric") continue;
      Object.assign(c, { dataAsOf: null, stale: true, fullSyncAt: null });
      if (c.cachedValue) {
        c.computedAt = "2026-11-28T16:29:40Z";
        Object.assign(c.cachedValue, { dataAsOf: "2026-11-28T16:30:00Z", stale: false });
      }
    }
    return m;
  }
  if (scenario === "pack") {
    // A workshop pack opened on a laptop with no Qualtrics connection.
    freeze(mkMap("Customer onboarding", true));
  } else if (scenario !== "empty" && scenario !== "fresh") {
    mkMap("Customer onboarding", true, demo);
    mkMap("Renewal journey", false);
    mkMap("Support escalation", false);
  }

  const find = (mapId) => {
    const m = maps.find((x) => x.map.id === mapId);
    if (!m) throw err("notFound", `map ${mapId} does not exist`);
    return m;
  };
  const mapOf = (pred) => maps.find(pred);
  const clone = (x) => JSON.parse(JSON.stringify(x));
  const renumber = (list) => list.sort((a, b) => a.position - b.position).forEach((x, i) => (x.position = i));
  const moveIn = (list, item, to) => {
    const sorted = list.slice().sort((a, b) => a.position - b.position).filter((x) => x !== item);
    sorted.splice(Math.max(0, Math.min(to, sorted.length)), 0, item);
    sorted.forEach((x, i) => (x.position = i));
  };
  const needName = (name) => {
    if (!name || !name.trim()) throw err("invalidInput", "name must not be empty");
  };
  const axisOf = (kind, itemId) => {
    const m = mapOf((mm) => mm[kind].some((x) => x.id === itemId));
    if (!m) throw err("notFound", `${kind} ${itemId} does not exist`);
    return [m, m[kind].find((x) => x.id === itemId)];
  };
  /** @returns {[MapView, CardView]} */
  const cardOf = (cardId) => {
    const m = mapOf((mm) => mm.cards.some((c) => c.card.id === cardId));
    if (!m) throw err("notFound", `card ${cardId} does not exist`);
    return [m, m.cards.find((c) => c.card.id === cardId)];
  };

  const delay = (ms) => new Promise((r) => setTimeout(r, ms));
  const fail = (e) => Promise.reject(e);

  /** @type {{ [K in keyof Answers]: (args: any) => Answers[K] | Promise<Answers[K]> } & Record<string, (args: any) => unknown>} */
  const commands = {
    app_info: () => ({ version: "0.1.0", demo, dataDir: "/home/user/.local/share/pulsemap" }),
    // Offline start: Retry finds the network back once the test sets __fake.online.
    async connection_status() {
      if (status.state === "offline" && w.__fake.online) {
        await delay(300);
        status = { ...status, state: "connected", errorKind: null, checkedAt: new Date().toISOString() };
      }
      return clone(status);
    },
    set_rotation_reminder_days({ days }) {
      if (!Number.isInteger(days) || days < 1 || days > 3650) throw err("invalidInput", "between 1 and 3650 days");
      rotationDays = days;
      status = withReminder(status);
      return clone(status);
    },
    async save_connection({ input }) {
      await delay(900);
      const secret = input.auth.method === "apiToken" ? input.auth.token : input.auth.clientSecret;
      if (!/^[a-z0-9-]+\.qualtrics\.com$/.test(input.baseUrl)) throw err("invalidBaseUrl", "not a Qualtrics datacenter host");
      if (secret === "bad") throw err("unauthorized", "401 from whoami");
      if (secret === "offline") throw err("network", "connection refused");
      if (secret === "nokeychain") throw err("keychainUnavailable", "no Secret Service");
      status = { ...status, state: secret === "empty" ? "noSurveys" : "connected", suggestedBaseUrl: null, errorKind: null, baseUrl: input.baseUrl, authMethod: input.auth.method, maskedSecret: secret ? `••••${secret.slice(-4)}` : status.maskedSecret, userName: "maria.lopez@acme.example", brandId: "acme", datacenter: input.baseUrl.split(".")[0], surveyCount: secret === "empty" ? 0 : surveys.length, checkedAt: new Date().toISOString(), validatedAt: new Date().toISOString(), secretSavedAt: secret ? new Date().toISOString() : status.secretSavedAt };
      status = withReminder(status);
      return clone(status);
    },
    delete_connection: () => {
      status = withReminder({ state: "notConfigured", baseUrl: null, authMethod: null, clientId: null, maskedSecret: null, userName: null, brandId: null, datacenter: null, suggestedBaseUrl: null, surveyCount: null, message: null, errorKind: null, checkedAt: null, validatedAt: null, secretSavedAt: null });
      return clone(status);
    },
    async start_demo() {
      await delay(400);
      demo = true;
      if (!maps.length) mkMap("Customer onboarding", true, true);
      status = withReminder({ state: "connected", baseUrl: "127.0.0.1:7878", authMethod: "apiToken", clientId: null, suggestedBaseUrl: null, errorKind: null, maskedSecret: "••••demo", userName: "demo@pulsemap.example", brandId: "demo", datacenter: "sim", surveyCount: surveys.length, message: null, checkedAt: new Date().toISOString(), validatedAt: new Date().toISOString(), secretSavedAt: new Date().toISOString() });
      return clone(status);
    },
    list_surveys: () => (status.state === "notConfigured" ? fail(err("notConfigured", "no connection")) : clone(surveys)),
    survey_questions: ({ surveyId }) => ({ questions: clone(questions[surveyId] || []), embeddedFields: embeddedFields[surveyId] || [], responsesCached: true }),
        list_survey_filters: ({ surveyId }) => fakeCards.savedFilters(surveyId),
    field_values: ({ surveyId, field }) => fakeCards.fieldValues(surveyId, field),
    list_maps: () => maps.map((m) => clone(m.map)),
    create_map: ({ name }) => (needName(name), clone(mkMap(name.trim(), false))),
    rename_map: ({ mapId, name }) => (needName(name), (find(mapId).map.name = name), clone(find(mapId))),
    delete_map: ({ mapId }) => (maps.splice(maps.indexOf(find(mapId)), 1), null),
    async open_map({ mapId }) {
      if (scenario === "slow") await delay(2500);
      return clone(find(mapId));
    },
    add_stage: ({ mapId, name }) => (needName(name), (() => { const m = find(mapId); m.stages.push({ id: id("st"), mapId, name, position: m.stages.length }); return clone(m); })()),
    add_lane: ({ mapId, name }) => (needName(name), (() => { const m = find(mapId); m.lanes.push({ id: id("ln"), mapId, name, position: m.lanes.length }); return clone(m); })()),
    rename_stage: ({ stageId, name }) => { needName(name); const [m, s] = axisOf("stages", stageId); s.name = name; return clone(m); },
    rename_lane: ({ laneId, name }) => { needName(name); const [m, s] = axisOf("lanes", laneId); s.name = name; return clone(m); },
    move_stage: ({ stageId, position }) => { const [m, s] = axisOf("stages", stageId); moveIn(m.stages, s, position); return clone(m); },
    move_lane: ({ laneId, position }) => { const [m, s] = axisOf("lanes", laneId); moveIn(m.lanes, s, position); return clone(m); },
    delete_stage: ({ stageId }) => { const [m, s] = axisOf("stages", stageId); m.stages.splice(m.stages.indexOf(s), 1); m.cards = m.cards.filter((c) => c.card.stageId !== stageId); renumber(m.stages); return clone(m); },
    delete_lane: ({ laneId }) => { const [m, s] = axisOf("lanes", laneId); m.lanes.splice(m.lanes.indexOf(s), 1); m.cards = m.cards.filter((c) => c.card.laneId !== laneId); renumber(m.lanes); return clone(m); },
    add_text_card: ({ mapId, stageId, laneId, text }) => { const m = find(mapId); m.cards.push(cardView({ id: id("card"), mapId, stageId, laneId, position: 99, content: { kind: "text", text } })); return clone(m); },
    add_metric_card: ({ mapId, stageId, laneId, config }) => { const m = find(mapId); const v = computeFake(config); m.cards.push(cardView({ id: id("card"), mapId, stageId, laneId, position: 99, content: { kind: "metric", config } }, v, new Date().toISOString())); return clone(m); },
    update_text_card: ({ cardId, text }) => { const [m, c] = cardOf(cardId); c.card.content = { kind: "text", text }; return clone(m); },
    update_metric_card: ({ cardId, config }) => { const [m, c] = cardOf(cardId); c.card.content = { kind: "metric", config }; c.cachedValue = computeFake(config); c.computedAt = new Date().toISOString(); Object.assign(c, freshness(c.card.content)); return clone(m); },
    move_card: ({ cardId, stageId, laneId, position }) => { const [m, c] = cardOf(cardId); c.card.stageId = stageId; c.card.laneId = laneId; const cell = m.cards.filter((x) => x.card.stageId === stageId && x.card.laneId === laneId).map((x) => x.card); moveIn(cell, c.card, position); return clone(m); },
    delete_card: ({ cardId }) => { const [m, c] = cardOf(cardId); m.cards.splice(m.cards.indexOf(c), 1); return clone(m); },
    async preview_metric({ config }) { await delay(150); const v = computeFake(config); return { value: v, chartSvg: chartFor(config, v) }; },
    async card_chart_svg({ cardId }) {
      if (scenario === "slowCharts") await delay(1500);
      const [, c] = cardOf(cardId);
      return c.card.content.kind === "metric" ? chartFor(c.card.content.config, c.cachedValue) : null;
    },
    refresh_map: ({ mapId, force }) => {
      w.__fake.refreshCalls.push({ force });
      // Like the shell: scheduled at once, each survey then fails without a connection.
      if (status.state === "notConfigured") {
        const ids = [...new Set(find(mapId).cards.filter((c) => c.card.content.kind === "metric").map((c) => /** @type {any} */ (c.card.content).config.surveyId))];
        setTimeout(() => ids.forEach((surveyId) => w.__fake.emit("refresh-finished", { surveyId, ok: false, error: err("notConfigured", "no connection") })), 50);
        return null;
      }
      // holdRefresh: the promise stays pending (the button's spinner shows) until releaseRefresh().
      if (!w.__fake.holdRefresh) return null;
      return new Promise((r) => (w.__fake.releaseRefresh = () => r(null)));
    },
    response_cache_sizes: () => clone(cacheSizes),
    support_address: () => null,
    async clear_cached_responses({ surveyId }) { await delay(200); cacheSizes = cacheSizes.filter((c) => c.surveyId !== surveyId); return clone(cacheSizes); },
    async export_map({ format }) { await delay(300); return `/home/user/Documents/customer-onboarding.${format}`; },
    async debug_export({ surveyId, redactPii }) { await delay(300); return `/home/user/Downloads/pulsemap-debug-${surveyId}${redactPii ? "" : "-unredacted"}.zip`; },
    "plugin:event|listen": ({ event, handler }) => { listeners.push({ event, handler, id: listeners.length + 1 }); return listeners.length; },
    "plugin:event|unlisten": ({ eventId }) => { const l = listeners.find((x) => x.id === eventId); if (l) l.event = null; return null; },
  };

  // Maps that travel: undo/redo history, templates, duplicates, map files and packs.
  const history = new Map(); // mapId -> { undo: [{ snap, label }], redo: [...] }
  const hist = (mapId) => history.get(mapId) || (history.set(mapId, { undo: [], redo: [] }), history.get(mapId));
  const snap = (m) => clone({ name: m.map.name, stages: m.stages, lanes: m.lanes, cards: m.cards });
  const restore = (m, s) => Object.assign(m, { stages: s.stages, lanes: s.lanes, cards: s.cards }, { map: { ...m.map, name: s.name } });
  const nameOf = (kind, id) => { const [, x] = axisOf(kind, id); return x.name; };
  const cardLabel = (cardId) => { const [, c] = cardOf(cardId); return c.card.content.kind === "text" ? `text card '${c.card.content.text.slice(0, 39)}'` : `card '${c.card.content.config.name}'`; };
  const labels = {
    rename_map: (a) => [a.mapId, `rename map to '${a.name}'`],
    add_stage: (a) => [a.mapId, `add stage '${a.name}'`],
    add_lane: (a) => [a.mapId, `add lane '${a.name}'`],
    rename_stage: (a) => [axisOf("stages", a.stageId)[0].map.id, `rename stage '${nameOf("stages", a.stageId)}'`],
    rename_lane: (a) => [axisOf("lanes", a.laneId)[0].map.id, `rename lane '${nameOf("lanes", a.laneId)}'`],
    move_stage: (a) => [axisOf("stages", a.stageId)[0].map.id, `move stage '${nameOf("stages", a.stageId)}'`],
    move_lane: (a) => [axisOf("lanes", a.laneId)[0].map.id, `move lane '${nameOf("lanes", a.laneId)}'`],
    delete_stage: (a) => [axisOf("stages", a.stageId)[0].map.id, `delete stage '${nameOf("stages", a.stageId)}'`],
    delete_lane: (a) => [axisOf("lanes", a.laneId)[0].map.id, `delete lane '${nameOf("lanes", a.laneId)}'`],
    add_text_card: (a) => [a.mapId, `add text card '${a.text.slice(0, 39)}'`],
    add_metric_card: (a) => [a.mapId, `add card '${a.config.name}'`],
    update_text_card: (a) => [cardOf(a.cardId)[0].map.id, `edit ${cardLabel(a.cardId)}`],
    update_metric_card: (a) => [cardOf(a.cardId)[0].map.id, `edit ${cardLabel(a.cardId)}`],
    move_card: (a) => [cardOf(a.cardId)[0].map.id, `move ${cardLabel(a.cardId)}`],
    delete_card: (a) => [cardOf(a.cardId)[0].map.id, `delete ${cardLabel(a.cardId)}`],
  };
  for (const [cmd, label] of Object.entries(labels)) {
    const inner = commands[cmd];
    commands[cmd] = async (args) => {
      const [mapId, text] = label(args);
      const m = find(mapId);
      if (m.map.dataAsOf) throw err("mapReadOnly", `map "${m.map.name}" is a read-only workshop pack; duplicate it to make changes`);
      const before = snap(m);
      const out = await inner(args);
      const h = hist(mapId);
      h.undo.push({ snap: before, label: text });
      h.redo = [];
      return out;
    };
  }
  const stepHistory = (mapId, undo) => {
    const m = find(mapId);
    const h = hist(mapId);
    const from = undo ? h.undo : h.redo;
    const to = undo ? h.redo : h.undo;
    const step = from.pop();
    if (!step) throw err("invalidInput", `map ${mapId} has nothing to ${undo ? "undo" : "redo"}`);
    to.push({ snap: snap(m), label: step.label });
    restore(m, step.snap);
    return clone(m);
  };
  const templates = [
    { id: "builtin:saas-onboarding", name: "SaaS onboarding", description: "From first visit to an active, paying team: where new customers stall and how they feel about it.", builtin: true, stages: ["Discover", "Sign up", "Set up", "First value", "Expand"], lanes: ["Customer actions", "Touchpoints", "Experience metrics"], metricCards: ["Sign-up CSAT", "Setup effort (CES)", "Onboarding NPS"] },
    { id: "builtin:online-purchase", name: "Online purchase", description: "Browsing to delivery for an online shop: checkout friction, delivery satisfaction, loyalty.", builtin: true, stages: ["Browse", "Choose", "Checkout", "Delivery", "Use"], lanes: ["Customer actions", "Touchpoints", "Experience metrics"], metricCards: ["Checkout effort (CES)", "Delivery CSAT", "Purchase NPS"] },
    { id: "builtin:support-case", name: "Support case", description: "A support request from the first contact to resolution and follow-up.", builtin: true, stages: ["Problem", "Contact", "Diagnosis", "Resolution", "Follow-up"], lanes: ["Customer actions", "Support team", "Experience metrics"], metricCards: ["Contact effort (CES)", "Resolution CSAT", "Support NPS"] },
  ].map((t) => ({ ...t, stageCount: t.stages.length, laneCount: t.lanes.length, cardCount: t.metricCards.length + t.stages.length }));
  const fromTemplate = (t, name) => {
    const m = mkMap(name || t.name, false);
    t.stages.forEach((n, i) => m.stages.push({ id: id("st"), mapId: m.map.id, name: n, position: i }));
    t.lanes.forEach((n, i) => m.lanes.push({ id: id("ln"), mapId: m.map.id, name: n, position: i }));
    t.stages.forEach((_, i) => m.cards.push({ staleConfig: false, fullSyncAt: null, dataAsOf: null, stale: false, card: { createdAt: ago(30), updatedAt: ago(30), id: id("card"), mapId: m.map.id, stageId: m.stages[i].id, laneId: m.lanes[0].id, position: 0, content: { kind: "text", text: `What the customer does in ${t.stages[i]}` } }, cachedValue: null, computedAt: null, needsBinding: false }));
    t.metricCards.forEach((n, i) => m.cards.push({ staleConfig: false, fullSyncAt: null, dataAsOf: null, stale: false, card: { createdAt: ago(30), updatedAt: ago(30), id: id("card"), mapId: m.map.id, stageId: m.stages[i + 1].id, laneId: m.lanes[2].id, position: 0, content: { kind: "metric", config: cfg(n, "number", "", "", n.includes("NPS") ? { kind: "nps" } : n.includes("CES") ? { kind: "cesAverage" } : { kind: "csatTop2" }, null, "none") } }, cachedValue: null, computedAt: null, needsBinding: true }));
    return m;
  };
  // Map files: a file whose survey this connection cannot see, and a workshop pack.
  const FILE = "/home/user/Downloads/partner-journey.pulsemap";
  const PACK = "/home/user/Downloads/customer-onboarding-pack.pulsemap";
  const previewOf = (path) =>
    path === PACK
      ? { name: "Customer onboarding", version: 1, exportedAt: "2026-11-28T16:31:00Z", dataAsOf: "2026-11-28T16:30:00Z", stageCount: 4, laneCount: 3, cardCount: 11, surveys: [{ id: "SV_onboarding", name: "Onboarding Experience", visible: status.state !== "notConfigured", cardCount: 3, questionTags: ["Q1", "Q2", "Q3"] }] }
      : { name: "Partner journey", version: 1, exportedAt: "2026-11-20T09:00:00Z", dataAsOf: null, stageCount: 3, laneCount: 2, cardCount: 5, surveys: [
          { id: "SV_partner", name: "Partner Program Survey 2025", visible: false, cardCount: 2, questionTags: ["Q1", "Q9"] },
          { id: "SV_support", name: "Support Satisfaction", visible: true, cardCount: 1, questionTags: ["CSAT"] },
        ] };
  Object.assign(commands, {
    undo_map: ({ mapId }) => stepHistory(mapId, true),
    redo_map: ({ mapId }) => stepHistory(mapId, false),
    map_undo_state: ({ mapId }) => {
      const h = hist(mapId);
      return { undoSteps: h.undo.length, redoSteps: h.redo.length, undoLabel: h.undo.at(-1)?.label ?? null, redoLabel: h.redo.at(-1)?.label ?? null };
    },
    list_map_templates: () => clone(templates),
    create_map_from_template: ({ templateId, name }) => {
      const t = templates.find((x) => x.id === templateId);
      if (!t) throw err("notFound", `template ${templateId} does not exist`);
      return clone(fromTemplate(t, name));
    },
    duplicate_map: ({ mapId, name }) => {
      const src = find(mapId);
      const m = mkMap(name, false);
      Object.assign(m, clone({ stages: src.stages, lanes: src.lanes, cards: src.cards }));
      return clone(m);
    },
    save_map_as_template: ({ mapId, name }) => {
      const m = find(mapId);
      const t = { id: `user:${name.toLowerCase()}`, name, description: "", builtin: false, stages: m.stages.map((s) => s.name), lanes: m.lanes.map((l) => l.name), metricCards: m.cards.map((c) => c.card.content).flatMap((c) => (c.kind === "metric" ? [c.config.name] : [])), stageCount: m.stages.length, laneCount: m.lanes.length, cardCount: m.cards.length };
      templates.push(t);
      return clone(t);
    },
    async export_map_file({ mapId, pack }) { await delay(200); const m = find(mapId); w.__fake.exported.push({ mapId, pack }); return `/home/user/Documents/${m.map.name.toLowerCase().replace(/\W+/g, "-")}${pack ? "-pack" : ""}.pulsemap`; },
    pick_map_file: () => w.__fake.pickPath,
    inspect_map_file: ({ path }) => clone(previewOf(path)),
    import_map_file: ({ path, options }) => {
      w.__fake.imports.push({ path, options: clone(options) });
      if (path === PACK) {
        const m = freeze(mkMap("Customer onboarding (pack)", true));
        return { map: clone(m), unboundCards: 0, reboundCards: 0 };
      }
      const m = mkMap("Partner journey", false);
      ["Apply", "Certify", "Sell"].forEach((n, i) => m.stages.push({ id: id("st"), mapId: m.map.id, name: n, position: i }));
      ["Partner actions", "Metrics"].forEach((n, i) => m.lanes.push({ id: id("ln"), mapId: m.map.id, name: n, position: i }));
      const to = (options.replacements.find((r) => r.from === "SV_partner") || {}).to;
      const tags = new Set((questions[to] || []).map((q) => q.exportTag));
      let unbound = 0, rebound = 0;
      const metric = (stage, name, tag, calc, surveyId, visible) => {
        const bound = visible || (to && tags.has(tag));
        const qid = bound ? (visible ? "QID1" : questions[to].find((q) => q.exportTag === tag).qid) : "";
        if (!visible) bound ? rebound++ : unbound++;
        const config = cfg(name, "number", bound ? (visible ? surveyId : to) : "", qid, calc, null, "none");
        const v = bound ? computeFake(config) : null;
        m.cards.push({ staleConfig: false, fullSyncAt: null, dataAsOf: null, stale: false, card: { createdAt: ago(30), updatedAt: ago(30), id: id("card"), mapId: m.map.id, stageId: m.stages[stage].id, laneId: m.lanes[1].id, position: 0, content: { kind: "metric", config } }, cachedValue: v, computedAt: v ? new Date().toISOString() : null, needsBinding: !bound });
      };
      m.cards.push({ staleConfig: false, fullSyncAt: null, dataAsOf: null, stale: false, card: { createdAt: ago(30), updatedAt: ago(30), id: id("card"), mapId: m.map.id, stageId: m.stages[0].id, laneId: m.lanes[0].id, position: 0, content: { kind: "text", text: "Fills in the partner application" } }, cachedValue: null, computedAt: null });
      m.cards.push({ staleConfig: false, fullSyncAt: null, dataAsOf: null, stale: false, card: { createdAt: ago(30), updatedAt: ago(30), id: id("card"), mapId: m.map.id, stageId: m.stages[1].id, laneId: m.lanes[0].id, position: 0, content: { kind: "text", text: "Passes the certification exam" } }, cachedValue: null, computedAt: null });
      metric(0, "Partner NPS", "Q1", { kind: "nps" }, "SV_partner", false);
      metric(1, "Certification CSAT", "Q9", { kind: "csatTop2" }, "SV_partner", false);
      metric(2, "Support CSAT", "CSAT", { kind: "csatTop2" }, "SV_support", true);
      return { map: clone(m), unboundCards: unbound, reboundCards: rebound };
    },
  });

  w.__TAURI_EVENT_PLUGIN_INTERNALS__ = { unregisterListener: () => {} };
  w.__TAURI_INTERNALS__ = {
    transformCallback(cb) {
      const n = nextCb++;
      callbacks.set(n, cb);
      return n;
    },
    async invoke(cmd, args) {
      w.__fake.calls.push({ cmd, args });
      const f = commands[cmd];
      if (!f) throw `unknown command ${cmd}`;
      try {
        return await f(args || {});
      } catch (e) {
        throw e && e.kind ? e : err("internal", String(e));
      }
    },
  };
  w.__fake = {
    compute: computeFake,
    online: false,
    calls: [],
    exported: [],
    imports: [],
    pickPath: FILE,
    FILE,
    PACK,
    refreshCalls: [],
    emit(event, payload) {
      for (const l of listeners) if (l.event === event) callbacks.get(l.handler)?.({ event, id: l.id, payload });
    },
    maps,
  };
})();
