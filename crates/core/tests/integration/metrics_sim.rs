//! Metric engine vs an independent, straightforward computation on the raw simulator
//! responses of the Onboarding survey (imported through the Importer, in-progress included).

use crate::app_support::number_card;
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Utc};
use pulsemap_core::metrics::{
    compute, Calculation, CardType, ComparisonSpec, DateField, GroupBy, MetricCardConfig, Period,
    TimeBucket, Unit,
};
use pulsemap_core::store::{ResponseRow, Store};
use qualtrics_sim::{catalog, SimConfig};
use serde_json::Value;

const SV: &str = catalog::ONBOARDING_SURVEY_ID;

struct Fixture {
    store: Store,
    /// Finished, recorded responses (what metrics must see), as raw `values`.
    finished: Vec<serde_json::Map<String, Value>>,
}

fn fixture() -> Fixture {
    let cfg = SimConfig {
        responses: 1500,
        ..SimConfig::default()
    };
    let store = Store::open_in_memory().unwrap();
    store
        .set_survey_definition(SV, &qualtrics_sim::definition_json(&cfg, SV).unwrap())
        .unwrap();
    let total = qualtrics_sim::response_total(&cfg, SV);
    let mut imp = store.importer(SV).unwrap();
    let mut finished = Vec::new();
    let mut in_progress = 0;
    for i in 0..total {
        let raw = qualtrics_sim::generate_response(&cfg, SV, i);
        let ip = qualtrics_sim::response_in_progress(&cfg, SV, i);
        imp.add(ResponseRow::from_export_json(&raw, ip).unwrap())
            .unwrap();
        if ip {
            in_progress += 1;
        } else if raw["values"]["finished"] == 1 {
            finished.push(raw["values"].as_object().unwrap().clone());
        }
    }
    // Re-delivered duplicates (an overlapping incremental export) must not count twice.
    for i in 0..50 {
        let raw = qualtrics_sim::generate_response(&cfg, SV, i);
        let ip = qualtrics_sim::response_in_progress(&cfg, SV, i);
        imp.add(ResponseRow::from_export_json(&raw, ip).unwrap())
            .unwrap();
    }
    imp.commit(Some("tok"), Utc::now()).unwrap();
    assert!(in_progress > 0, "the simulator seeds in-progress responses");
    assert_eq!(store.in_progress_count(SV).unwrap(), in_progress);
    Fixture { store, finished }
}

fn card(question: &str, calculation: Calculation, group_by: GroupBy) -> MetricCardConfig {
    number_card(SV, question, calculation, group_by)
}

fn num(v: &serde_json::Map<String, Value>, key: &str) -> Option<f64> {
    v.get(key).and_then(Value::as_f64)
}

fn close(a: Option<f64>, b: Option<f64>) {
    match (a, b) {
        (Some(a), Some(b)) => assert!((a - b).abs() < 1e-9, "{a} != {b}"),
        _ => assert_eq!(a, b),
    }
}

/// (value, n) of NPS over the given rows, by hand.
fn nps(rows: &[&serde_json::Map<String, Value>]) -> (Option<f64>, u64) {
    let scores: Vec<f64> = rows.iter().filter_map(|v| num(v, "QID1")).collect();
    if scores.is_empty() {
        return (None, 0);
    }
    let p = scores.iter().filter(|s| **s >= 9.0).count() as f64;
    let d = scores.iter().filter(|s| **s <= 6.0).count() as f64;
    (
        Some((p - d) / scores.len() as f64 * 100.0),
        scores.len() as u64,
    )
}

fn end_date(v: &serde_json::Map<String, Value>) -> DateTime<Utc> {
    v["endDate"]
        .as_str()
        .unwrap()
        .parse::<DateTime<Utc>>()
        .unwrap()
}

#[test]
fn scores_match_a_hand_computation() {
    let f = fixture();
    let all: Vec<_> = f.finished.iter().collect();

    let v = compute(
        &f.store,
        &card(catalog::ONBOARDING_NPS_QID, Calculation::Nps, GroupBy::None),
    )
    .unwrap();
    let (want, n) = nps(&all);
    close(v.value, want);
    assert_eq!(v.n, n);
    assert_eq!(v.unit, Unit::Score);
    assert!(
        v.formula.contains("promoters (9-10)")
            && v.formula.contains(&format!("n = {}", thousands(n)))
    );

    // CSAT: 1-5 analysable, 99 = "Don't know" excluded from numerator and denominator.
    let csat: Vec<f64> = all
        .iter()
        .filter_map(|v| num(v, "QID2"))
        .filter(|x| *x != 99.0)
        .collect();
    assert!(
        all.iter().any(|v| num(v, "QID2") == Some(99.0)),
        "sim has Don't know answers"
    );
    let v = compute(
        &f.store,
        &card(
            catalog::ONBOARDING_CSAT_QID,
            Calculation::CsatTop2,
            GroupBy::None,
        ),
    )
    .unwrap();
    let top2 = csat.iter().filter(|x| **x >= 4.0).count() as f64 / csat.len() as f64 * 100.0;
    close(v.value, Some(top2));
    assert_eq!(v.n, csat.len() as u64);
    assert!(v.formula.contains("Don't know"));
    let v = compute(
        &f.store,
        &card(
            catalog::ONBOARDING_CSAT_QID,
            Calculation::TopBox { boxes: 1 },
            GroupBy::None,
        ),
    )
    .unwrap();
    close(
        v.value,
        Some(csat.iter().filter(|x| **x == 5.0).count() as f64 / csat.len() as f64 * 100.0),
    );
    let v = compute(
        &f.store,
        &card(
            catalog::ONBOARDING_CSAT_QID,
            Calculation::BottomBox { boxes: 2 },
            GroupBy::None,
        ),
    )
    .unwrap();
    close(
        v.value,
        Some(csat.iter().filter(|x| **x <= 2.0).count() as f64 / csat.len() as f64 * 100.0),
    );
    let v = compute(
        &f.store,
        &card(
            catalog::ONBOARDING_CSAT_QID,
            Calculation::Average,
            GroupBy::None,
        ),
    )
    .unwrap();
    close(v.value, Some(csat.iter().sum::<f64>() / csat.len() as f64));

    // CES on 1-7.
    let mut ces: Vec<f64> = all.iter().filter_map(|v| num(v, "QID3")).collect();
    let mean = ces.iter().sum::<f64>() / ces.len() as f64;
    let easy = ces.iter().filter(|x| **x >= 5.0).count() as f64 / ces.len() as f64 * 100.0;
    let q = catalog::ONBOARDING_CES_QID;
    close(
        compute(&f.store, &card(q, Calculation::CesAverage, GroupBy::None))
            .unwrap()
            .value,
        Some(mean),
    );
    close(
        compute(
            &f.store,
            &card(q, Calculation::CesPercentEasy, GroupBy::None),
        )
        .unwrap()
        .value,
        Some(easy),
    );
    close(
        compute(&f.store, &card(q, Calculation::Sum, GroupBy::None))
            .unwrap()
            .value,
        Some(ces.iter().sum()),
    );
    close(
        compute(&f.store, &card(q, Calculation::Min, GroupBy::None))
            .unwrap()
            .value,
        ces.iter().copied().reduce(f64::min),
    );
    close(
        compute(&f.store, &card(q, Calculation::Max, GroupBy::None))
            .unwrap()
            .value,
        ces.iter().copied().reduce(f64::max),
    );
    ces.sort_by(f64::total_cmp);
    let m = ces.len() / 2;
    let median = if ces.len() % 2 == 1 {
        ces[m]
    } else {
        (ces[m - 1] + ces[m]) / 2.0
    };
    close(
        compute(&f.store, &card(q, Calculation::Median, GroupBy::None))
            .unwrap()
            .value,
        Some(median),
    );

    // Matrix row "Speed" average and free-text count.
    let speed: Vec<f64> = all
        .iter()
        .filter_map(|v| num(v, &format!("{}_1", catalog::ONBOARDING_MATRIX_QID)))
        .collect();
    let mut c = card(
        catalog::ONBOARDING_MATRIX_QID,
        Calculation::Average,
        GroupBy::None,
    );
    c.sub_question_id = Some("1".into());
    let v = compute(&f.store, &c).unwrap();
    close(
        v.value,
        Some(speed.iter().sum::<f64>() / speed.len() as f64),
    );
    assert!(v.formula.contains("Speed"));
    let texts = all
        .iter()
        .filter(|v| {
            v.get(&format!("{}_TEXT", catalog::ONBOARDING_TEXT_QID))
                .and_then(Value::as_str)
                .is_some_and(|s| !s.is_empty())
        })
        .count() as u64;
    let v = compute(
        &f.store,
        &card(
            catalog::ONBOARDING_TEXT_QID,
            Calculation::Count,
            GroupBy::None,
        ),
    )
    .unwrap();
    assert_eq!((v.value, v.n), (Some(texts as f64), texts));
}

#[test]
fn multi_select_distribution_is_per_respondent() {
    let f = fixture();
    let lists: Vec<Vec<String>> = f
        .finished
        .iter()
        .filter_map(|v| v.get(catalog::ONBOARDING_FEATURES_QID)?.as_array().cloned())
        .map(|a| {
            a.iter()
                .map(|x| x.as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        })
        .filter(|a| !a.is_empty())
        .collect();
    let v = compute(
        &f.store,
        &card(
            catalog::ONBOARDING_FEATURES_QID,
            Calculation::Distribution,
            GroupBy::None,
        ),
    )
    .unwrap();
    assert_eq!(v.n, lists.len() as u64);
    assert_eq!(v.value, None);
    assert_eq!(v.distribution.len(), 5);
    for bin in &v.distribution {
        let count = lists.iter().filter(|l| l.contains(&bin.choice_id)).count() as u64;
        assert_eq!(bin.count, count, "{}", bin.label);
        close(
            Some(bin.percent),
            Some(count as f64 / lists.len() as f64 * 100.0),
        );
    }
    assert_eq!(v.distribution[0].label, "Dashboards");
    assert!(
        v.distribution.iter().map(|b| b.percent).sum::<f64>() > 100.0,
        "multi-select shares overlap"
    );
}

#[test]
fn grouped_by_plan_region_and_time_match_hand_groups() {
    let f = fixture();
    // By plan (choice question): labels, all choices in order.
    let v = compute(
        &f.store,
        &card(
            catalog::ONBOARDING_NPS_QID,
            Calculation::Nps,
            GroupBy::Question {
                question_id: catalog::ONBOARDING_PLAN_QID.into(),
            },
        ),
    )
    .unwrap();
    let labels: Vec<&str> = v.groups.iter().map(|g| g.label.as_str()).collect();
    assert_eq!(labels, ["Basic", "Pro", "Enterprise"]);
    for g in &v.groups {
        let rows: Vec<_> = f
            .finished
            .iter()
            .filter(|r| num(r, catalog::ONBOARDING_PLAN_QID) == g.key.parse().ok())
            .collect();
        let (want, n) = nps(&rows);
        close(g.value, want);
        assert_eq!(g.n, n);
    }
    assert_ne!(
        v.groups[0].value, v.groups[2].value,
        "plans differ in the seeded data"
    );

    // By embedded field Region.
    let v = compute(
        &f.store,
        &card(
            catalog::ONBOARDING_NPS_QID,
            Calculation::Nps,
            GroupBy::Field {
                name: "Region".into(),
            },
        ),
    )
    .unwrap();
    let mut want: BTreeMap<String, Vec<&serde_json::Map<String, Value>>> = BTreeMap::new();
    for r in &f.finished {
        if let Some(region) = r.get("Region").and_then(Value::as_str) {
            want.entry(region.to_owned()).or_default().push(r);
        }
    }
    assert_eq!(
        v.groups.iter().map(|g| g.key.clone()).collect::<Vec<_>>(),
        want.keys().cloned().collect::<Vec<_>>()
    );
    for g in &v.groups {
        let (val, n) = nps(&want[&g.key]);
        close(g.value, val);
        assert_eq!(g.n, n);
    }

    // By month of the end date: one point per month, gaps filled.
    for (bucket, label) in [
        (
            TimeBucket::Month,
            Box::new(|d: DateTime<Utc>| d.format("%Y-%m").to_string())
                as Box<dyn Fn(DateTime<Utc>) -> String>,
        ),
        (
            TimeBucket::Week,
            Box::new(|d: DateTime<Utc>| {
                format!("{}-W{:02}", d.iso_week().year(), d.iso_week().week())
            }),
        ),
        (
            TimeBucket::Quarter,
            Box::new(|d: DateTime<Utc>| format!("{}-Q{}", d.year(), d.month0() / 3 + 1)),
        ),
        (
            TimeBucket::Day,
            Box::new(|d: DateTime<Utc>| d.format("%Y-%m-%d").to_string()),
        ),
    ] {
        let v = compute(
            &f.store,
            &card(
                catalog::ONBOARDING_NPS_QID,
                Calculation::Nps,
                GroupBy::Time {
                    bucket,
                    date_field: DateField::EndDate,
                },
            ),
        )
        .unwrap();
        let mut by: HashMap<String, Vec<&serde_json::Map<String, Value>>> = HashMap::new();
        for r in &f.finished {
            by.entry(label(end_date(r))).or_default().push(r);
        }
        let non_empty: Vec<_> = v.series.iter().filter(|p| p.n > 0).collect();
        assert_eq!(non_empty.len(), by.len(), "{bucket:?}");
        for p in &v.series {
            let (val, n) = by.get(&p.bucket).map(|rows| nps(rows)).unwrap_or((None, 0));
            close(p.value, val);
            assert_eq!(p.n, n, "{bucket:?} {}", p.bucket);
        }
        let buckets: Vec<&String> = v.series.iter().map(|p| &p.bucket).collect();
        let mut sorted = buckets.clone();
        sorted.sort();
        assert_eq!(buckets, sorted, "chronological");
    }
}

#[test]
fn series_and_comparison_cards() {
    let f = fixture();
    let mut c = card(
        catalog::ONBOARDING_CSAT_QID,
        Calculation::CsatTop2,
        GroupBy::None,
    );
    c.card_type = CardType::Series;
    let v = compute(&f.store, &c).unwrap();
    assert!(
        v.series.len() >= 12,
        "about 18 months of data: {}",
        v.series.len()
    );

    let mut c = card(catalog::ONBOARDING_NPS_QID, Calculation::Nps, GroupBy::None);
    c.card_type = CardType::Comparison;
    c.comparison = Some(ComparisonSpec::PreviousPeriod {
        period: Period::Quarter,
    });
    let v = compute(&f.store, &c).unwrap();
    let cmp = v.comparison.unwrap();
    let anchor = f.finished.iter().map(end_date).max().unwrap();
    let q = |d: DateTime<Utc>| (d.year(), d.month0() / 3);
    let (ay, aq) = q(anchor);
    let prev = if aq == 0 { (ay - 1, 3) } else { (ay, aq - 1) };
    let cur_rows: Vec<_> = f
        .finished
        .iter()
        .filter(|r| q(end_date(r)) == (ay, aq))
        .collect();
    let prev_rows: Vec<_> = f
        .finished
        .iter()
        .filter(|r| q(end_date(r)) == prev)
        .collect();
    assert_eq!(cmp.current_label, format!("{ay}-Q{}", aq + 1));
    assert_eq!(cmp.previous_label, format!("{}-Q{}", prev.0, prev.1 + 1));
    let (cv, cn) = nps(&cur_rows);
    let (pv, pn) = nps(&prev_rows);
    close(cmp.current, cv);
    close(cmp.previous, pv);
    assert_eq!((cmp.current_n, cmp.previous_n), (cn, pn));
    close(cmp.delta, Some(cv.unwrap() - pv.unwrap()));

    // Enterprise vs Basic.
    let mut c = card(
        catalog::ONBOARDING_NPS_QID,
        Calculation::Nps,
        GroupBy::Question {
            question_id: catalog::ONBOARDING_PLAN_QID.into(),
        },
    );
    c.card_type = CardType::Comparison;
    c.comparison = Some(ComparisonSpec::Groups {
        a: "Enterprise".into(),
        b: "1".into(),
    });
    let v = compute(&f.store, &c).unwrap();
    let cmp = v.comparison.unwrap();
    assert_eq!(
        (cmp.current_label.as_str(), cmp.previous_label.as_str()),
        ("Enterprise", "Basic")
    );
    let ent: Vec<_> = f
        .finished
        .iter()
        .filter(|r| num(r, catalog::ONBOARDING_PLAN_QID) == Some(3.0))
        .collect();
    close(cmp.current, nps(&ent).0);
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}
