//! Card scopes (issue 13) against hand computations: date ranges at local midnight in
//! non-UTC zones, segment filters (field, question, matrix row, empty), 95% intervals against
//! the textbook formulas and targets. Comparisons and split series are in
//! `metrics_scope_compare`, which shares the helpers here.

use chrono::{DateTime, Duration, Utc};
use pulsemap_core::metrics::{
    compute_at, Better, Calculation, Clock, DateField, DateRange, GroupBy, MetricCardConfig,
    ProblemKind, RangeUnit, SegmentFilter, Target, TargetStatus,
};
use pulsemap_core::store::{ResponseRow, Store};
use qualtrics_sim::{catalog, SimConfig};
use serde_json::{json, Map, Value};

use crate::app_support::number_card;

pub(crate) const SV: &str = catalog::ONBOARDING_SURVEY_ID;
pub(crate) const Z: f64 = 1.959_963_984_540_054;

pub(crate) fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

pub(crate) fn clock(now: &str, zone: &str) -> Clock {
    Clock::in_zone(at(now), zone).unwrap()
}

pub(crate) fn nps_card() -> MetricCardConfig {
    number_card(
        SV,
        catalog::ONBOARDING_NPS_QID,
        Calculation::Nps,
        GroupBy::None,
    )
}

pub(crate) fn custom(from: &str, to: &str) -> DateRange {
    DateRange::Custom {
        from: from.into(),
        to: to.into(),
    }
}

pub(crate) fn close(a: Option<f64>, b: Option<f64>) {
    match (a, b) {
        (Some(a), Some(b)) => assert!((a - b).abs() < 1e-9, "{a} != {b}"),
        _ => assert_eq!(a, b),
    }
}

/// Eight NPS answers recorded around 1 March 2025 (end date one day before each).
fn edge_store() -> Store {
    let store = Store::open_in_memory().unwrap();
    let cfg = SimConfig::default();
    store
        .set_survey_definition(SV, &qualtrics_sim::definition_json(&cfg, SV).unwrap())
        .unwrap();
    let rows = [
        ("a", "2025-02-28T10:59:59Z", 0),
        ("b", "2025-02-28T11:00:00Z", 10),
        ("c", "2025-03-01T07:59:59Z", 9),
        ("d", "2025-03-01T08:00:00Z", 5),
        ("e", "2025-03-01T10:59:59Z", 10),
        ("f", "2025-03-01T11:00:00Z", 0),
        ("g", "2025-03-02T07:59:59Z", 7),
        ("h", "2025-03-02T08:00:00Z", 10),
    ];
    let mut imp = store.importer(SV).unwrap();
    for (id, recorded, score) in rows {
        let end = (at(recorded) - Duration::days(1)).to_rfc3339();
        let raw = json!({"responseId": format!("R_{id}"), "values": {
            "recordedDate": recorded, "endDate": end, "startDate": end, "finished": 1,
            "QID1": score, "Region": "EMEA"}});
        imp.add(ResponseRow::from_export_json(&raw, false).unwrap())
            .unwrap();
    }
    imp.commit(None, Utc::now()).unwrap();
    store
}

#[test]
fn ranges_start_and_end_at_local_midnight() {
    let store = edge_store();
    let day = MetricCardConfig {
        range: custom("2025-03-01", "2025-03-01"),
        ..nps_card()
    };
    // Los Angeles, PST (UTC−8): 1 March is [08:00Z, next 08:00Z) → d e f g: 1 promoter (e),
    // 2 detractors (d, f) of 4.
    let v = compute_at(
        &store,
        &day,
        &clock("2025-03-05T00:00:00Z", "America/Los_Angeles"),
    )
    .unwrap();
    assert_eq!(v.n, 4);
    close(v.value, Some((1.0 - 2.0) / 4.0 * 100.0));
    // Auckland, NZDT (UTC+13): 1 March is [28 Feb 11:00Z, 1 Mar 11:00Z) → b c d e.
    let v = compute_at(
        &store,
        &day,
        &clock("2025-03-05T00:00:00Z", "Pacific/Auckland"),
    )
    .unwrap();
    assert_eq!(v.n, 4);
    close(v.value, Some((3.0 - 1.0) / 4.0 * 100.0));
    // UTC → c d e f.
    let v = compute_at(&store, &day, &clock("2025-03-05T00:00:00Z", "UTC")).unwrap();
    close(v.value, Some(0.0));
    assert_eq!(
        v.resolved_range.as_ref().map(|r| r.label.as_str()),
        Some("Custom range (1 Mar 2025)")
    );
    // The end date (a day before each recorded date) places g and h on 1 March (UTC).
    let by_end = MetricCardConfig {
        date_field: DateField::EndDate,
        ..day.clone()
    };
    let v = compute_at(&store, &by_end, &clock("2025-03-05T00:00:00Z", "UTC")).unwrap();
    assert_eq!(v.n, 2);
    close(v.value, Some(50.0));

    // Relative ranges follow today *in the zone*: 10:30Z on 1 March is still 1 March in Los
    // Angeles (02:30) and already late on 1 March in Auckland (23:30).
    let today = MetricCardConfig {
        range: DateRange::Last { days: 1 },
        ..nps_card()
    };
    let v = compute_at(
        &store,
        &today,
        &clock("2025-03-01T10:30:00Z", "America/Los_Angeles"),
    )
    .unwrap();
    close(v.value, Some(-25.0));
    let v = compute_at(
        &store,
        &today,
        &clock("2025-03-01T10:30:00Z", "Pacific/Auckland"),
    )
    .unwrap();
    close(v.value, Some(50.0));

    // 11:30Z on 2 March is Monday 3 March 00:30 in Auckland: this week has no response yet,
    // the previous week (24 Feb – 2 Mar local = [23 Feb 11:00Z, 2 Mar 11:00Z)) has all 8.
    let monday = clock("2025-03-02T11:30:00Z", "Pacific/Auckland");
    let this_week = MetricCardConfig {
        range: DateRange::This {
            unit: RangeUnit::Week,
        },
        ..nps_card()
    };
    let v = compute_at(&store, &this_week, &monday).unwrap();
    assert_eq!((v.value, v.n), (None, 0));
    assert!(v.has_problem(ProblemKind::NoData));
    assert!(v.low_n && v.ci_low.is_none());
    let prev_week = MetricCardConfig {
        range: DateRange::Previous {
            unit: RangeUnit::Week,
        },
        ..nps_card()
    };
    let v = compute_at(&store, &prev_week, &monday).unwrap();
    assert_eq!(v.n, 8);
    close(v.value, Some((4.0 - 3.0) / 8.0 * 100.0));
    let r = v.resolved_range.unwrap();
    assert_eq!(
        (r.from.as_deref(), r.to.as_deref(), r.label.as_str()),
        (
            Some("2025-02-24"),
            Some("2025-03-02"),
            "Previous week (24 Feb – 2 Mar 2025)"
        )
    );
}

/// The Onboarding survey's finished responses, imported, with their raw `values`.
pub(crate) fn sim_store() -> (Store, Vec<Map<String, Value>>) {
    let cfg = SimConfig {
        responses: 1500,
        ..SimConfig::default()
    };
    let store = Store::open_in_memory().unwrap();
    store
        .set_survey_definition(SV, &qualtrics_sim::definition_json(&cfg, SV).unwrap())
        .unwrap();
    let mut imp = store.importer(SV).unwrap();
    let mut finished = Vec::new();
    for i in 0..qualtrics_sim::response_total(&cfg, SV) {
        let raw = qualtrics_sim::generate_response(&cfg, SV, i);
        let ip = qualtrics_sim::response_in_progress(&cfg, SV, i);
        imp.add(ResponseRow::from_export_json(&raw, ip).unwrap())
            .unwrap();
        if !ip && raw["values"]["finished"] == 1 {
            finished.push(raw["values"].as_object().unwrap().clone());
        }
    }
    imp.commit(None, Utc::now()).unwrap();
    (store, finished)
}

pub(crate) fn num(v: &Map<String, Value>, k: &str) -> Option<f64> {
    v.get(k).and_then(Value::as_f64)
}

pub(crate) fn text<'a>(v: &'a Map<String, Value>, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str)
}

pub(crate) fn recorded(v: &Map<String, Value>) -> DateTime<Utc> {
    at(text(v, "recordedDate").unwrap())
}

/// NPS by hand: (value, n, lower, upper, variance in points²) with the trinomial variance.
pub(crate) fn hand_nps(rows: &[&Map<String, Value>]) -> (f64, u64, f64, f64, f64) {
    let s: Vec<f64> = rows.iter().filter_map(|v| num(v, "QID1")).collect();
    let n = s.len() as f64;
    let pp = s.iter().filter(|x| **x >= 9.0).count() as f64 / n;
    let pd = s.iter().filter(|x| **x <= 6.0).count() as f64 / n;
    let var = (pp + pd - (pp - pd).powi(2)) / n;
    let nps = (pp - pd) * 100.0;
    let half = Z * var.sqrt() * 100.0;
    (nps, s.len() as u64, nps - half, nps + half, var * 10_000.0)
}

pub(crate) fn in_days(v: &Map<String, Value>, from: &str, to_exclusive: &str) -> bool {
    let t = recorded(v);
    t >= at(from) && t < at(to_exclusive)
}

#[test]
fn segments_intervals_and_targets_match_a_hand_computation() {
    let (store, all) = sim_store();
    // Region EMEA or APAC, plan Enterprise (choice given by label), recorded in Q1 2025 (UTC).
    let filters = vec![
        SegmentFilter::Field {
            name: "Region".into(),
            values: vec!["EMEA".into(), "APAC".into()],
        },
        SegmentFilter::Question {
            question_id: catalog::ONBOARDING_PLAN_QID.into(),
            choices: vec!["enterprise".into()],
        },
    ];
    let card = MetricCardConfig {
        range: custom("2025-01-01", "2025-03-31"),
        filters: filters.clone(),
        target: Some(Target {
            value: 40.0,
            better: Better::Higher,
            amber_margin: None,
        }),
        ..nps_card()
    };
    let utc = clock("2025-06-01T00:00:00Z", "UTC");
    let v = compute_at(&store, &card, &utc).unwrap();
    let rows: Vec<_> = all
        .iter()
        .filter(|v| matches!(text(v, "Region"), Some("EMEA" | "APAC")))
        .filter(|v| num(v, "QID4") == Some(3.0))
        .filter(|v| in_days(v, "2025-01-01T00:00:00Z", "2025-04-01T00:00:00Z"))
        .collect();
    let (nps, n, lo, hi, _) = hand_nps(&rows);
    assert!(n > 10, "the segment has answers ({n})");
    assert_eq!(v.n, n);
    close(v.value, Some(nps));
    close(v.ci_low, Some(lo.max(-100.0)));
    close(v.ci_high, Some(hi.min(100.0)));
    assert!(v.ci_method.as_deref().unwrap().contains("trinomial"));
    assert!(
        v.formula.ends_with(
            "; Custom range by recorded date; segment: Region is EMEA or APAC and QID4 is \
             enterprise"
        ),
        "{}",
        v.formula
    );
    assert_eq!(v.low_n, n < 30);
    // Target 40, higher is better, amber within 10% of 40 = 4 points.
    let want = if nps >= 40.0 {
        TargetStatus::Green
    } else if nps >= 36.0 {
        TargetStatus::Amber
    } else {
        TargetStatus::Red
    };
    assert_eq!((v.status, v.target), (want, Some(40.0)));

    // CSAT top-2-box of the same segment: Wilson score interval.
    let csat = MetricCardConfig {
        question_id: catalog::ONBOARDING_CSAT_QID.into(),
        calculation: Calculation::CsatTop2,
        ..card.clone()
    };
    let v = compute_at(&store, &csat, &utc).unwrap();
    let answers: Vec<f64> = rows
        .iter()
        .filter_map(|r| num(r, "QID2"))
        .filter(|x| *x != 99.0)
        .collect();
    let (k, n) = (
        answers.iter().filter(|x| **x >= 4.0).count() as f64,
        answers.len() as f64,
    );
    let p = k / n;
    let centre = (p + Z * Z / (2.0 * n)) / (1.0 + Z * Z / n);
    let half = Z / (1.0 + Z * Z / n) * (p * (1.0 - p) / n + Z * Z / (4.0 * n * n)).sqrt();
    assert_eq!(v.n, n as u64);
    close(v.value, Some(p * 100.0));
    close(v.ci_low, Some((centre - half) * 100.0));
    close(v.ci_high, Some((centre + half) * 100.0));

    // CES average of one week: Student's t interval (table value for its df).
    let week = MetricCardConfig {
        question_id: catalog::ONBOARDING_CES_QID.into(),
        calculation: Calculation::CesAverage,
        range: custom("2025-02-03", "2025-02-09"),
        filters: Vec::new(),
        ..card.clone()
    };
    let v = compute_at(&store, &week, &utc).unwrap();
    let xs: Vec<f64> = all
        .iter()
        .filter(|v| in_days(v, "2025-02-03T00:00:00Z", "2025-02-10T00:00:00Z"))
        .filter_map(|v| num(v, "QID3"))
        .collect();
    let n = xs.len();
    assert!((3..=31).contains(&n), "a week holds a small sample ({n})");
    let t_table = [
        12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281, 2.2010,
        2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860, 2.0796, 2.0739,
        2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423,
    ];
    let mean = xs.iter().sum::<f64>() / n as f64;
    let s2 = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n as f64 - 1.0);
    let half = t_table[n - 2] * (s2 / n as f64).sqrt();
    assert_eq!(v.n, n as u64);
    assert!(v.low_n, "n {n} is below the default minimum of 30");
    close(v.value, Some(mean));
    assert!((v.ci_low.unwrap() - (mean - half)).abs() < 1e-9);
    assert!((v.ci_high.unwrap() - (mean + half)).abs() < 1e-9);

    // An empty segment: n 0, no value, no interval, said so.
    let empty = MetricCardConfig {
        filters: vec![SegmentFilter::Field {
            name: "Region".into(),
            values: vec!["Atlantis".into()],
        }],
        ..card.clone()
    };
    let v = compute_at(&store, &empty, &utc).unwrap();
    assert_eq!((v.value, v.n, v.ci_low), (None, 0, None));
    assert_eq!(v.status, TargetStatus::None);
    assert!(v.has_problem(ProblemKind::NoData));

    // A matrix row (QID6 row 1 answered "Excellent") as a filter.
    let matrix = MetricCardConfig {
        filters: vec![SegmentFilter::Question {
            question_id: format!("{}.1", catalog::ONBOARDING_MATRIX_QID),
            choices: vec!["5".into()],
        }],
        range: DateRange::All,
        ..card.clone()
    };
    let v = compute_at(&store, &matrix, &utc).unwrap();
    let rows: Vec<_> = all
        .iter()
        .filter(|v| num(v, "QID6_1") == Some(5.0))
        .collect();
    let (nps, n, ..) = hand_nps(&rows);
    assert_eq!(v.n, n);
    close(v.value, Some(nps));

    // An unknown choice is refused naming the question's choices.
    let bad = MetricCardConfig {
        filters: vec![SegmentFilter::Question {
            question_id: catalog::ONBOARDING_PLAN_QID.into(),
            choices: vec!["Platinum".into()],
        }],
        ..card
    };
    let e = compute_at(&store, &bad, &utc).unwrap_err();
    assert!(
        e.message().contains("\"Platinum\" is not a choice") && e.message().contains("Enterprise"),
        "{e}"
    );
}
