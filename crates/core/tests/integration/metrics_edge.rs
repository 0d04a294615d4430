//! Metric edge cases on hand-made data: no data, "Don't know", deleted question/survey,
//! in-progress responses, duplicates, unknown ids, misconfigurations, cache refresh, and the
//! pure `compute_on` entry point.

use crate::app_support::number_card;
use chrono::{TimeZone, Utc};
use pulsemap_core::metrics::{
    compute, compute_on, Calculation, CardType, ComparisonSpec, GroupBy, MetricCardConfig,
    MetricInput, ProblemKind, ValueColumn,
};
use pulsemap_core::store::{ResponseRow, Store, SurveyInfo};
use pulsemap_core::ErrorKind;
use serde_json::{json, Map, Value};

const SV: &str = "SV_edge";

fn definition() -> Value {
    json!({"SurveyName": "Edge", "Questions": {
        "QID1": {"QuestionID": "QID1", "DataExportTag": "Q1", "QuestionType": "MC", "Selector": "SAVR",
                 "QuestionText": "How satisfied?",
                 "Choices": {"1": {"Display": "Bad"}, "2": {"Display": "Poor"}, "3": {"Display": "OK"},
                             "4": {"Display": "Good"}, "5": {"Display": "Great"},
                             "6": {"Display": "Don't know", "ExcludeFromAnalysis": true}},
                 "ChoiceOrder": ["1","2","3","4","5","6"], "RecodeValues": {"6": "99"}},
        "QID2": {"QuestionID": "QID2", "DataExportTag": "Q2", "QuestionType": "MC", "Selector": "MAVR",
                 "QuestionText": "Which?", "Choices": {"1": {"Display": "A"}, "2": {"Display": "B"}}},
        "QID3": {"QuestionID": "QID3", "QuestionType": "MC", "Selector": "SAVR", "QuestionText": "Seg",
                 "Choices": {"1": {"Display": "Small"}, "2": {"Display": "Large"}}}}})
}

fn row(id: &str, csat: Value, seg: Option<i64>, in_progress: bool) -> ResponseRow {
    let mut values = Map::new();
    values.insert("QID1".into(), csat);
    if let Some(s) = seg {
        values.insert("QID3".into(), json!(s));
    }
    values.insert("endDate".into(), json!("2026-01-15T12:00:00Z"));
    ResponseRow {
        response_id: id.into(),
        finished: !in_progress,
        in_progress,
        values_json: Value::Object(values).to_string(),
        labels_json: None,
    }
}

fn store_with(rows: Vec<ResponseRow>) -> Store {
    let store = Store::open_in_memory().unwrap();
    store.set_survey_definition(SV, &definition()).unwrap();
    let mut imp = store.importer(SV).unwrap();
    for r in rows {
        imp.add(r).unwrap();
    }
    imp.commit(None, Utc::now()).unwrap();
    store
}

fn card(q: &str, calculation: Calculation) -> MetricCardConfig {
    number_card(SV, q, calculation, GroupBy::None)
}

#[test]
fn no_data_gives_none_with_n_zero_and_a_problem() {
    let store = store_with(vec![]);
    let v = compute(&store, &card("QID1", Calculation::CsatTop2)).unwrap();
    assert_eq!((v.value, v.n), (None, 0));
    assert!(v.has_problem(ProblemKind::NoData));
}

#[test]
fn dont_know_in_progress_and_unfinished_are_excluded() {
    let mut unfinished = row("R_u", json!(1), None, false);
    unfinished.finished = false; // recorded but not finished
    let store = store_with(vec![
        row("R_1", json!(5), Some(1), false),
        row("R_2", json!(4), Some(1), false),
        row("R_3", json!(1), Some(2), false),
        row("R_4", json!(99), Some(2), false), // Don't know
        row("R_5", json!(1), None, true),      // in progress
        unfinished,
        row("R_6", json!(-99), None, false), // seen-unanswered code: not a choice
    ]);
    let v = compute(&store, &card("QID1", Calculation::CsatTop2)).unwrap();
    assert_eq!(v.n, 3);
    assert!((v.value.unwrap() - 200.0 / 3.0).abs() < 1e-9);
    let v = compute(&store, &card("QID1", Calculation::Distribution)).unwrap();
    assert_eq!(v.distribution.len(), 5, "Don't know has no bin");
    assert_eq!(v.distribution.iter().map(|b| b.count).sum::<u64>(), 3);
    let v = compute(&store, &card("QID1", Calculation::Count)).unwrap();
    assert_eq!(v.value, Some(3.0));
}

#[test]
fn duplicates_count_once() {
    let store = store_with(vec![
        row("R_1", json!(5), None, false),
        row("R_1", json!(1), None, false),
    ]);
    let v = compute(&store, &card("QID1", Calculation::Average)).unwrap();
    assert_eq!((v.value, v.n), (Some(1.0), 1), "the later copy wins");
}

#[test]
fn deleted_question_and_survey_are_reported_with_cached_values() {
    let store = store_with(vec![row("R_1", json!(5), None, false)]);
    let mut def = definition();
    def["Questions"].as_object_mut().unwrap().remove("QID1");
    store.set_survey_definition(SV, &def).unwrap();
    let v = compute(&store, &card("QID1", Calculation::Average)).unwrap();
    assert!(v.has_problem(ProblemKind::QuestionDeleted));
    assert_eq!(v.value, Some(5.0));
    store
        .upsert_surveys(
            &[SurveyInfo {
                id: "SV_other".into(),
                name: "Other".into(),
                owner_id: None,
                is_active: true,
                last_modified: None,
                creation_date: None,
            }],
            Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap(),
        )
        .unwrap();
    let v = compute(&store, &card("QID1", Calculation::Average)).unwrap();
    assert!(v.has_problem(ProblemKind::SurveyDeleted));
}

#[test]
fn unknown_ids_and_bad_configs_are_errors_or_problems() {
    let store = store_with(vec![row("R_1", json!(5), Some(1), false)]);
    let mut c = card("QID1", Calculation::Nps);
    c.survey_id = Some(crate::sv("SV_nope"));
    assert_eq!(compute(&store, &c).unwrap_err().kind(), ErrorKind::NotFound);
    assert_eq!(
        compute(&store, &card("QID99", Calculation::Nps))
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
    let mut c = card("QID1", Calculation::Nps);
    c.name = "  ".into();
    assert_eq!(
        compute(&store, &c).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    // (Average: NPS on this 1-5 question would be refused before any grouping.)
    let mut c = card("QID1", Calculation::Average);
    c.card_type = CardType::Comparison;
    c.comparison = Some(ComparisonSpec::Groups {
        a: "x".into(),
        b: "y".into(),
    });
    assert_eq!(
        compute(&store, &c).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    c.group_by = GroupBy::Question {
        question_id: "QID3".into(),
    };
    assert!(
        compute(&store, &c)
            .unwrap()
            .has_problem(ProblemKind::NotApplicable),
        "unknown groups"
    );
    c.comparison = Some(ComparisonSpec::Groups {
        a: "Small".into(),
        b: "2".into(),
    });
    let cmp = compute(&store, &c).unwrap().comparison.unwrap();
    assert_eq!((cmp.current_n, cmp.previous_n), (1, 0));
    let v = compute(&store, &card("QID2", Calculation::Average)).unwrap();
    assert!(
        v.has_problem(ProblemKind::NotApplicable),
        "average of a multi-select"
    );
}

#[test]
fn new_imports_invalidate_cached_columns() {
    let store = store_with(vec![row("R_1", json!(5), None, false)]);
    assert_eq!(
        compute(&store, &card("QID1", Calculation::Count))
            .unwrap()
            .n,
        1
    );
    let mut imp = store.importer(SV).unwrap();
    imp.add(row("R_2", json!(4), None, false)).unwrap();
    imp.commit(None, Utc::now()).unwrap();
    assert_eq!(
        compute(&store, &card("QID1", Calculation::Count))
            .unwrap()
            .n,
        2
    );
}

#[test]
fn compute_on_works_on_plain_columns() {
    let store = store_with(vec![]);
    let q = store.get_question(SV, "QID1").unwrap().unwrap();
    let vals = [json!(1), json!(2), json!(5), json!(5), json!(99)];
    let answers = ValueColumn::from_values(vals.iter().map(Some));
    let input = MetricInput::new(&q, &answers);
    let v = compute_on(&input, &card("QID1", Calculation::Median)).unwrap();
    assert_eq!((v.value, v.n), (Some(3.5), 4));
    let v = compute_on(&input, &card("QID1", Calculation::BottomBox { boxes: 1 })).unwrap();
    assert_eq!(v.value, Some(25.0));
}

#[test]
fn extracted_columns_persist_per_generation() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cols.db");
    let store = Store::open(&path).unwrap();
    store.set_survey_definition(SV, &definition()).unwrap();
    let mut imp = store.importer(SV).unwrap();
    for (i, v) in [5, 4, 1].into_iter().enumerate() {
        imp.add(row(&format!("R_{i}"), json!(v), None, false))
            .unwrap();
    }
    imp.commit(None, Utc::now()).unwrap();
    assert_eq!(
        compute(&store, &card("QID1", Calculation::Count))
            .unwrap()
            .n,
        3
    );
    let stored: i64 = store
        .with_conn(|c| Ok(c.query_row("SELECT COUNT(*) FROM metric_columns", [], |r| r.get(0))?))
        .unwrap();
    assert!(stored >= 1);
    // Remove the rows behind the store's back (same generation): a fresh process still
    // computes from the persisted columns instead of re-reading responses.
    store
        .with_conn(|c| Ok(c.execute_batch("DELETE FROM responses; DELETE FROM response_pages")?))
        .unwrap();
    let fresh = Store::open(&path).unwrap();
    assert_eq!(
        compute(&fresh, &card("QID1", Calculation::Count))
            .unwrap()
            .n,
        3
    );
    // A changing import bumps the generation and drops the persisted columns.
    let mut imp = fresh.importer(SV).unwrap();
    imp.add(row("R_new", json!(2), None, false)).unwrap();
    imp.commit(None, Utc::now()).unwrap();
    let again = Store::open(&path).unwrap();
    assert_eq!(
        compute(&again, &card("QID1", Calculation::Count))
            .unwrap()
            .n,
        1
    );
}

/// A full extraction decodes pages on a second thread ahead of the reader: over several
/// pages it counts every finished response once, and a damaged page in the middle fails the
/// computation with a storage error naming the damage (no hang, no partial value).
#[test]
fn extraction_over_many_pages_counts_all_and_reports_a_damaged_page() {
    let rows: Vec<ResponseRow> = (0..4_500)
        .map(|i| {
            row(
                &format!("R_{i:05}"),
                json!(1 + i % 5),
                Some(1),
                i % 100 == 7,
            )
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pages.db");
    let store = Store::open(&path).unwrap();
    store.set_survey_definition(SV, &definition()).unwrap();
    let mut imp = store.importer(SV).unwrap();
    for r in rows {
        imp.add(r).unwrap();
    }
    imp.commit(None, Utc::now()).unwrap();
    let v = compute(&store, &card("QID1", Calculation::Average)).unwrap();
    assert_eq!(v.n, 4_455, "45 of the 4,500 are in progress");
    let want = (0..4_500)
        .filter(|i| i % 100 != 7)
        .map(|i| f64::from(1 + i % 5))
        .sum::<f64>()
        / 4_455.0;
    assert!((v.value.unwrap() - want).abs() < 1e-9);

    store
        .with_conn(|c| {
            Ok(c.execute_batch(
                "DELETE FROM metric_columns;
                 UPDATE response_pages SET data = x'00010203'
                  WHERE id = (SELECT id FROM response_pages WHERE in_progress = 0
                              ORDER BY id LIMIT 1 OFFSET 2)",
            )?)
        })
        .unwrap();
    // A fresh process: nothing cached in memory or persisted, the pages are read again.
    let fresh = Store::open(&path).unwrap();
    let err = compute(&fresh, &card("QID1", Calculation::Average)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Storage);
    assert!(err.to_string().contains("damaged"), "{err}");
}
