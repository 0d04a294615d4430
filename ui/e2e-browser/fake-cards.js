// @ts-check
// Dev-only card engine of the in-browser IPC fake (loaded before fake-ipc.js): seeded synthetic
// responses per survey and a small re-implementation of what the core computes for a card
// (date range, date field, segment filters, saved filters, groups, series split by a field,
// comparisons with their noise, targets and red/amber/green status, 95% intervals, low n,
// data as of / stale), so the browser checks see the real shapes of the IPC contract with
// values that follow from the settings instead of hard-coded ones. Exposes window.__fakeCards.
(() => {
  /** @type {any} */
  const w = window;
  const DAY = 86400000;
  const now = Date.now();
  // Seeded PRNG (mulberry32): the same responses on every run.
  function rng(seed) {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const pick = (r, items, weights) => {
    const total = weights.reduce((a, b) => a + b, 0);
    let x = r() * total;
    for (let i = 0; i < items.length; i++) if ((x -= weights[i]) < 0) return items[i];
    return items[items.length - 1];
  };
  const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));

  // ---- synthetic responses -------------------------------------------------------------
  // Each response: { recordedDate, endDate, startDate (ms), values: { QIDn: choiceId | [ids] | number }, fields: {...} }.
  function onboarding() {
    const r = rng(42);
    const out = [];
    for (let i = 0; i < 2400; i++) {
      // Older responses are rarer (the product grew); nothing newer than 2 h ago.
      const age = Math.pow(r(), 1.35) * 540 * DAY + 2 * 3600000;
      const recorded = now - age;
      const plan = pick(r, ["1", "2", "3"], [45, 35, 20]);
      const region = pick(r, ["EMEA", "Americas", "APAC", "ANZ"], [44, 38, 16, 2]);
      const segment = plan === "3" ? "Enterprise" : pick(r, ["SMB", "Mid-market"], [60, 40]);
      // Scores improve over time and with the plan.
      const lift = (plan === "3" ? 1.4 : plan === "2" ? 0.7 : 0) + (1 - age / (540 * DAY)) * 0.9;
      const nps = String(clamp(Math.round(6.9 + lift + (r() + r() + r() - 1.5) * 3.4), 0, 10));
      const csat = r() < 0.05 ? "6" : String(clamp(Math.round(3.2 + lift * 0.45 + (r() + r() - 1) * 2.2), 1, 5));
      const ces = String(clamp(Math.round(4.6 + lift * 0.5 + (r() + r() - 1) * 3), 1, 7));
      const features = ["1", "2", "3"].filter(() => r() < 0.55);
      out.push({
        recordedDate: recorded,
        endDate: recorded - 20000,
        startDate: recorded - (3 + r() * 9) * 60000,
        values: { QID1: nps, QID2: csat, QID3: ces, QID4: plan, QID5: features.length ? features : null, QID6: r() < 0.3 ? "text" : null },
        fields: { Region: region, Segment: segment },
      });
    }
    return out;
  }
  function support() {
    const r = rng(7);
    return Array.from({ length: 800 }, () => {
      const recorded = now - Math.pow(r(), 1.2) * 400 * DAY - 3600000;
      return {
        recordedDate: recorded,
        endDate: recorded - 15000,
        startDate: recorded - 240000,
        values: { QID1: String(clamp(Math.round(3.7 + (r() + r() - 1) * 2.4), 1, 5)) },
        fields: { Channel: pick(r, ["Chat", "Email", "Phone"], [50, 35, 15]) },
      };
    });
  }
  function questionTypes() {
    const r = rng(3);
    return Array.from({ length: 40 }, (_, i) => {
      const recorded = now - r() * 120 * DAY;
      return {
        recordedDate: recorded,
        endDate: recorded,
        startDate: recorded - 300000,
        // Hours (a numeric text entry): two people typed words instead of a number.
        values: { QID20: i < 2 ? "about 5" : String(Math.round(r() * 30)), QID1: String(Math.floor(r() * 11)), QID2: Math.round(r() * 100), QID5: Math.round(r() * 100), QID6: String(1 + Math.floor(r() * 3)), QID12: ["1"], QID17: "1", QID18: String(1 + Math.floor(r() * 5)), QID19: String(1 + Math.floor(r() * 5)) },
        fields: {},
      };
    });
  }
  const RESPONSES = { SV_onboarding: onboarding(), SV_support: support(), SV_0dQ7hRk2tYxU3cW: questionTypes(), SV_churn: [] };

  // Saved Qualtrics filters (GET /surveys/{id}/filters) and which responses each keeps.
  const SAVED = {
    SV_onboarding: [
      { id: "FT_9nYh2kE", name: "Enterprise in EMEA", test: (x) => x.values.QID4 === "3" && x.fields.Region === "EMEA" },
      { id: "FT_4bQz7Lm", name: "Detractors to follow up", test: (x) => Number(x.values.QID1) <= 6 },
    ],
    SV_support: [{ id: "FT_2cPh8Rt", name: "Phone contacts", test: (x) => x.fields.Channel === "Phone" }],
  };

  // ---- date ranges ---------------------------------------------------------------------
  const startOfDay = (d) => new Date(d.getFullYear(), d.getMonth(), d.getDate());
  const addDays = (d, n) => new Date(d.getFullYear(), d.getMonth(), d.getDate() + n);
  const iso = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  const fromIso = (s) => {
    const [y, m, d] = s.split("-").map(Number);
    return new Date(y, m - 1, d);
  };
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const short = (d, year) => `${d.getDate()} ${MONTHS[d.getMonth()]}${year ? ` ${d.getFullYear()}` : ""}`;
  const span = (from, to) => `${short(from, from.getFullYear() !== to.getFullYear())} – ${short(to, true)}`;
  function unitStart(d, unit) {
    if (unit === "week") return addDays(startOfDay(d), -((d.getDay() + 6) % 7)); // ISO weeks start on Monday
    if (unit === "month") return new Date(d.getFullYear(), d.getMonth(), 1);
    if (unit === "quarter") return new Date(d.getFullYear(), d.getMonth() - (d.getMonth() % 3), 1);
    return new Date(d.getFullYear(), 0, 1);
  }
  function unitShift(d, unit, n) {
    if (unit === "week") return addDays(d, 7 * n);
    if (unit === "month") return new Date(d.getFullYear(), d.getMonth() + n, 1);
    if (unit === "quarter") return new Date(d.getFullYear(), d.getMonth() + 3 * n, 1);
    return new Date(d.getFullYear() + n, 0, 1);
  }
  /** { from, to (inclusive days, local), label } or null for all time. */
  function resolve(range) {
    const today = startOfDay(new Date(now));
    switch (range.kind) {
      case "last": {
        const from = addDays(today, -(range.days - 1));
        return { from, to: today, label: `Last ${range.days} days (${span(from, today)})` };
      }
      case "this": {
        const from = unitStart(today, range.unit);
        return { from, to: today, label: `This ${range.unit} (${span(from, today)})` };
      }
      case "previous": {
        const to = addDays(unitStart(today, range.unit), -1);
        const from = unitStart(to, range.unit);
        return { from, to, label: `Last ${range.unit} (${span(from, to)})` };
      }
      case "custom":
        return { from: fromIso(range.from), to: fromIso(range.to), label: span(fromIso(range.from), fromIso(range.to)) };
      default:
        return null;
    }
  }
  const inDays = (t, from, to) => t >= from.getTime() && t < addDays(to, 1).getTime();

  // ---- filters and answers -------------------------------------------------------------
  function passes(x, f, surveyId) {
    if (f.kind === "field") return f.values.includes(x.fields[f.name]);
    if (f.kind === "question") {
      const v = x.values[f.questionId.split(".")[0]];
      return Array.isArray(v) ? v.some((c) => f.choices.includes(c)) : f.choices.includes(v);
    }
    const saved = (SAVED[surveyId] || []).find((s) => s.id === f.filterId);
    return saved ? saved.test(x) : false;
  }
  const keep = (rows, filters, surveyId) => rows.filter((x) => (filters || []).every((f) => passes(x, f, surveyId)));

  /** Numeric answers of the measured question (choice ids are their recodes here). */
  function answers(rows, q) {
    const out = [];
    for (const x of rows) {
      const v = x.values[q.qid];
      if (v === null || v === undefined || Array.isArray(v)) continue;
      const choice = q.choices.find((c) => c.id === String(v));
      if (choice && !choice.analyze) continue;
      const num = Number(choice ? choice.recode : v);
      if (Number.isFinite(num)) out.push(num);
    }
    return out;
  }

  // ---- statistics ----------------------------------------------------------------------
  const Z = 1.959964;
  const T = { 1: 12.71, 2: 4.3, 3: 3.18, 4: 2.78, 5: 2.57, 6: 2.45, 7: 2.36, 8: 2.31, 9: 2.26, 10: 2.23, 15: 2.13, 20: 2.09, 25: 2.06, 29: 2.05 };
  const tCrit = (df) => {
    if (df >= 30) return Z;
    const k = Object.keys(T).map(Number).filter((d) => d <= df).pop();
    return T[k];
  };
  function wilson(k, n) {
    const p = k / n;
    const den = 1 + (Z * Z) / n;
    const mid = (p + (Z * Z) / (2 * n)) / den;
    const half = (Z * Math.sqrt((p * (1 - p)) / n + (Z * Z) / (4 * n * n))) / den;
    return [100 * (mid - half), 100 * (mid + half)];
  }
  const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;

  /** { value, n, ciLow, ciHigh, ciMethod, se } of one calculation over numeric answers. */
  function stat(calc, q, xs) {
    const n = xs.length;
    const none = { value: null, n, ciLow: null, ciHigh: null, ciMethod: null, se: null };
    if (calc.kind === "count") return { ...none, value: n };
    if (!n) return none;
    const scale = q.choices.filter((c) => c.analyze).map((c) => Number(c.recode)).filter(Number.isFinite);
    const max = scale.length ? Math.max(...scale) : 10;
    const min = scale.length ? Math.min(...scale) : 0;
    const share = (test, method = "Wilson score interval (95%)") => {
      const k = xs.filter(test).length;
      const [lo, hi] = wilson(k, n);
      return { value: (100 * k) / n, n, ciLow: lo, ciHigh: hi, ciMethod: method, se: Math.sqrt(((k / n) * (1 - k / n)) / n) * 100 };
    };
    switch (calc.kind) {
      case "nps": {
        const pro = xs.filter((v) => v >= 9).length / n;
        const det = xs.filter((v) => v <= 6).length / n;
        const se = Math.sqrt((pro + det - (pro - det) ** 2) / n) * 100;
        const v = (pro - det) * 100;
        return { value: v, n, ciLow: Math.max(-100, v - Z * se), ciHigh: Math.min(100, v + Z * se), ciMethod: "normal approximation with the trinomial variance of NPS (95%, Rocks 2016)", se };
      }
      case "csatTop2":
        return share((v) => v >= max - 1);
      case "topBox":
        return share((v) => v > max - calc.boxes);
      case "bottomBox":
        return share((v) => v < min + calc.boxes);
      case "cesPercentEasy":
        return share((v) => v >= 5);
      case "average":
      case "cesAverage": {
        const m = mean(xs);
        if (n < 2) return { ...none, value: m };
        const sd = Math.sqrt(xs.reduce((s, v) => s + (v - m) ** 2, 0) / (n - 1));
        const se = sd / Math.sqrt(n);
        const t = tCrit(n - 1);
        return { value: m, n, ciLow: m - t * se, ciHigh: m + t * se, ciMethod: "Student's t interval of the mean (95%)", se };
      }
      case "sum":
        return { ...none, value: xs.reduce((s, v) => s + v, 0) };
      case "min":
        return { ...none, value: Math.min(...xs) };
      case "max":
        return { ...none, value: Math.max(...xs) };
      case "median": {
        const s = [...xs].sort((a, b) => a - b);
        return { ...none, value: n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2 };
      }
      default:
        return { ...none, value: 100 };
    }
  }
  /** @returns {import("../src/ipc/bindings/Unit").Unit} */
  const unitOf = (k) => (k === "nps" ? "score" : ["csatTop2", "cesPercentEasy", "topBox", "bottomBox", "distribution"].includes(k) ? "percent" : "number");

  /** @returns {import("../src/ipc/bindings/TargetStatus").TargetStatus} */
  function status(value, target) {
    if (!target || value === null) return "none";
    const margin = target.amberMargin ?? (target.value === 0 ? 1 : Math.abs(target.value) * 0.1);
    const gap = target.better === "higher" ? target.value - value : value - target.value;
    return gap <= 0 ? "green" : gap <= margin ? "amber" : "red";
  }

  // ---- groups, series, comparisons -----------------------------------------------------
  function groupKey(x, by) {
    if (by.kind === "field") return x.fields[by.name] ?? null;
    const v = x.values[by.questionId.split(".")[0]];
    return v === null || v === undefined || Array.isArray(v) ? null : String(v);
  }
  function groupsOf(rows, by, questions) {
    const q = by.kind === "question" ? questions.find((x) => x.qid === by.questionId.split(".")[0]) : null;
    const map = new Map();
    for (const x of rows) {
      const k = groupKey(x, by);
      if (k === null) continue;
      if (!map.has(k)) map.set(k, []);
      map.get(k).push(x);
    }
    const label = (k) => (q ? (q.choices.find((c) => c.id === k)?.label ?? k) : k);
    return [...map.entries()].map(([key, rs]) => ({ key, label: label(key), rows: rs }));
  }
  function bucketOf(t, bucket) {
    const d = new Date(t);
    if (bucket === "day") return iso(d);
    if (bucket === "week") return iso(unitStart(d, "week"));
    if (bucket === "quarter") return `${d.getFullYear()}-Q${Math.floor(d.getMonth() / 3) + 1}`;
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}`;
  }
  function seriesOf(rows, config, q, dateField) {
    const bucket = config.groupBy.kind === "time" ? config.groupBy.bucket : "month";
    const map = new Map();
    for (const x of rows) {
      const b = bucketOf(x[dateField], bucket);
      if (!map.has(b)) map.set(b, []);
      map.get(b).push(x);
    }
    const keys = [...map.keys()].sort().slice(-12);
    return keys.map((b) => {
      const s = stat(config.calculation, q, answers(map.get(b), q));
      return { bucket: b, value: s.value, n: s.n, ciLow: s.ciLow, ciHigh: s.ciHigh, lowN: s.n < (config.minN ?? 30) };
    });
  }

  function compare(config, q, all, dateField, resolved, current) {
    const c = config.comparison;
    const at = (rows) => stat(config.calculation, q, answers(rows, q));
    const filtered = keep(all, config.filters, config.surveyId);
    const between = (from, to) => filtered.filter((x) => inDays(x[dateField], from, to));
    let prev, currentLabel, previousLabel;
    if (c.kind === "target") {
      const t = config.target?.value ?? null;
      const delta = current.value !== null && t !== null ? current.value - t : null;
      // Contract: the value's own interval against the target decides "significant".
      return { currentLabel: resolved?.label ?? "All time", current: current.value, currentN: current.n, previousLabel: "Target", previous: t, previousN: 0, delta, significant: delta === null || current.se === null ? null : Math.abs(delta) > Z * current.se, deltaCiLow: delta === null || current.se === null ? null : delta - Z * current.se, deltaCiHigh: delta === null || current.se === null ? null : delta + Z * current.se };
    }
    if ((c.kind === "previousRange" || c.kind === "yearEarlier") && resolved) {
      const len = Math.round((resolved.to - resolved.from) / DAY) + 1;
      const from = c.kind === "yearEarlier" ? new Date(resolved.from.getFullYear() - 1, resolved.from.getMonth(), resolved.from.getDate()) : addDays(resolved.from, -len);
      const to = c.kind === "yearEarlier" ? new Date(resolved.to.getFullYear() - 1, resolved.to.getMonth(), resolved.to.getDate()) : addDays(resolved.from, -1);
      prev = at(between(from, to));
      currentLabel = resolved.label;
      previousLabel = `${c.kind === "yearEarlier" ? "Year earlier" : "Previous period"} (${span(from, to)})`;
    } else if (c.kind === "segments") {
      const inRange = resolved ? all.filter((x) => inDays(x[dateField], resolved.from, resolved.to)) : all;
      const base = keep(inRange, config.filters, config.surveyId);
      current = at(keep(base, c.a, config.surveyId));
      prev = at(keep(base, c.b, config.surveyId));
      currentLabel = c.aLabel;
      previousLabel = c.bLabel;
    } else if (c.kind === "groups") {
      const by = config.groupBy.kind === "none" || config.groupBy.kind === "time" ? null : config.groupBy;
      const inRange = resolved ? filtered.filter((x) => inDays(x[dateField], resolved.from, resolved.to)) : filtered;
      const groups = by ? groupsOf(inRange, by, []) : [];
      current = at(groups.find((g) => g.key === c.a)?.rows ?? []);
      prev = at(groups.find((g) => g.key === c.b)?.rows ?? []);
      currentLabel = c.a;
      previousLabel = c.b;
    } else {
      // previousPeriod (older cards): the calendar period of the latest response vs the one before.
      const latest = new Date(Math.max(...filtered.map((x) => x[dateField])));
      const from = unitStart(latest, c.period || "month");
      const pFrom = unitShift(from, c.period || "month", -1);
      current = at(between(from, addDays(unitShift(from, c.period || "month", 1), -1)));
      prev = at(between(pFrom, addDays(from, -1)));
      currentLabel = bucketOf(from.getTime(), c.period === "quarter" ? "quarter" : "month");
      previousLabel = bucketOf(pFrom.getTime(), c.period === "quarter" ? "quarter" : "month");
    }
    if (!prev) return null;
    const delta = current.value !== null && prev.value !== null ? current.value - prev.value : null;
    const se = current.se !== null && prev.se !== null ? Math.sqrt(current.se ** 2 + prev.se ** 2) : null;
    return {
      currentLabel, current: current.value, currentN: current.n, previousLabel, previous: prev.value, previousN: prev.n, delta,
      significant: delta === null || se === null ? null : Math.abs(delta) > Z * se,
      deltaCiLow: delta === null || se === null ? null : delta - Z * se,
      deltaCiHigh: delta === null || se === null ? null : delta + Z * se,
    };
  }

  const FORMULA = {
    nps: "NPS = % promoters (9-10) − % detractors (0-6)",
    csatTop2: "CSAT = % of answers in the top two boxes",
    cesAverage: "CES = average of answers on a 1-7 scale",
    cesPercentEasy: "CES = % of answers 5-7",
    average: "Average of the answers",
    count: "Count of responses",
  };

  /**
   * The MetricValue of a card config, as the core would send it.
   * @param {import("../src/ipc/bindings/MetricCardConfig").MetricCardConfig} config
   * @param {import("../src/ipc/bindings/QuestionRow").QuestionRow[]} questions
   * @param {import("../src/ipc/bindings/SurveySummaryDto").SurveySummaryDto | undefined} survey
   * @returns {import("../src/ipc/bindings/MetricValue").MetricValue}
   */
  function compute(config, questions, survey) {
    const q = questions.find((x) => x.qid === config.questionId);
    const unit = unitOf(config.calculation.kind);
    const dataAsOf = survey?.lastRefreshedAt ?? null;
    const stale = dataAsOf ? now - Date.parse(dataAsOf) > DAY : false;
    /** @type {import("../src/ipc/bindings/MetricValue").MetricValue} */
    const base = {
      value: null, n: 0, unit, formula: FORMULA[config.calculation.kind] || `${config.calculation.kind} of the answers`, groups: [], series: [], comparison: null, distribution: [], problems: [],
      ciLow: null, ciHigh: null, ciMethod: null, lowN: false, minN: config.minN ?? 30, status: "none", target: config.target?.value ?? null,
      dataAsOf, stale, resolvedRange: null, seriesGroups: [],
    };
    if (!q) return { ...base, problems: [{ kind: "questionDeleted", message: `${config.questionId} is no longer in the survey` }] };
    const dateField = config.dateField || "recordedDate";
    const resolved = resolve(config.range || { kind: "all" });
    const all = RESPONSES[config.surveyId] || [];
    const inRange = resolved ? all.filter((x) => inDays(x[dateField], resolved.from, resolved.to)) : all;
    const rows = keep(inRange, config.filters, config.surveyId);
    const s = stat(config.calculation, q, answers(rows, q));
    // A numeric text entry: like the core, answers that are not numbers are left out and counted.
    const skipped = q.numericEntry && config.calculation.kind !== "count" ? rows.filter((x) => typeof x.values[q.qid] === "string" && !Number.isFinite(Number(x.values[q.qid]))).length : 0;
    const minN = config.minN ?? 30;
    /** @type {import("../src/ipc/bindings/MetricValue").MetricValue} */
    const v = {
      ...base,
      value: s.value, n: s.n, ciLow: s.ciLow, ciHigh: s.ciHigh, ciMethod: s.ciMethod, lowN: s.n < minN,
      formula: `${base.formula}; n = ${s.n.toLocaleString("en-US")} responses`,
      resolvedRange: resolved ? { from: iso(resolved.from), to: iso(resolved.to), label: resolved.label } : null,
    };
    if (skipped) v.problems = [{ kind: "skippedAnswers", message: `${skipped} answers to ${q.exportTag} are not a number and were left out.` }];
    if (!s.n) {
      v.value = null;
      v.problems = [{ kind: "noData", message: "no response matches the card's range and segment" }];
    }
    v.status = status(v.value, config.target);
    const by = config.groupBy;
    if (by.kind === "question" || by.kind === "field") {
      v.groups = groupsOf(rows, by, questions)
        .map((g) => {
          const gs = stat(config.calculation, q, answers(g.rows, q));
          return { key: g.key, label: g.label, value: gs.value, n: gs.n, ciLow: gs.ciLow, ciHigh: gs.ciHigh, lowN: gs.n < minN };
        })
        .sort((a, b) => (a.key < b.key ? -1 : 1));
    }
    if (by.kind === "time" || config.cardType === "series") {
      v.series = seriesOf(rows, config, q, dateField);
      if (config.splitBy) {
        const groups = groupsOf(rows, config.splitBy, questions).sort((a, b) => b.rows.length - a.rows.length);
        const top = groups.slice(0, 8);
        if (groups.length > 8) top[7] = { key: "__other", label: `Other (${groups.length - 7} groups)`, rows: groups.slice(7).flatMap((g) => g.rows) };
        v.seriesGroups = top.map((g) => ({ key: g.key, label: g.label, points: seriesOf(g.rows, config, q, dateField) }));
      }
    }
    if (config.cardType === "comparison" && config.comparison) v.comparison = compare(config, q, all, dateField, resolved, s);
    return v;
  }

  /** field_values: the values of an embedded field in the cache with their n, most frequent first. */
  /** @returns {import("../src/ipc/bindings/FieldValueCount").FieldValueCount[]} */
  function fieldValues(surveyId, field) {
    const counts = new Map();
    for (const x of RESPONSES[surveyId] || []) {
      const v = x.fields[field];
      if (v !== undefined && v !== null && v !== "") counts.set(v, (counts.get(v) || 0) + 1);
    }
    return [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 200).map(([value, n]) => ({ value, n }));
  }
  /** @returns {import("../src/ipc/bindings/SavedFilter").SavedFilter[]} */
  const savedFilters = (surveyId) => (SAVED[surveyId] || []).map(({ id, name }) => ({ id, name, membersReadAt: null }));

  w.__fakeCards = { compute, chart: (config, value) => w.__fakeCharts.chart(config, value), fieldValues, savedFilters, responses: RESPONSES };
})();
