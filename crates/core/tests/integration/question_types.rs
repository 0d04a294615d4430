//! Every question type through the whole path: the simulator's "Question Types" survey is
//! refreshed over HTTP on loopback (definition, export, store), then each type is computed
//! through the facade and checked against a straightforward computation on the raw responses.

use crate::app_support::{connected, number_card, TestApp};
use chrono::Utc;
use pulsemap_core::dto::RefreshMode;
use pulsemap_core::metrics::{Calculation, GroupBy, MetricCardConfig, MetricValue, ProblemKind};
use pulsemap_core::store::QuestionRow;
use pulsemap_core::ErrorKind;
use qualtrics_sim::types_survey::*;
use qualtrics_sim::SimConfig;
use serde_json::{Map, Value};

const SV: &str = TYPES_SURVEY_ID;

async fn refreshed() -> TestApp {
    let t = connected().await;
    t.app
        .refresh_survey(&crate::sv(SV), RefreshMode::Force, Utc::now(), &|_| {})
        .await
        .expect("refresh the Question Types survey");
    t
}

/// The finished responses' raw `values`, generated independently of the export.
fn finished() -> Vec<Map<String, Value>> {
    let cfg = SimConfig::default();
    (0..qualtrics_sim::response_total(&cfg, SV))
        .filter(|&i| !qualtrics_sim::response_in_progress(&cfg, SV, i))
        .map(|i| qualtrics_sim::generate_response(&cfg, SV, i)["values"].clone())
        .filter(|v| v["finished"] == 1)
        .map(|v| v.as_object().unwrap().clone())
        .collect()
}

fn numbers(key: &str, keep: impl Fn(f64) -> bool) -> Vec<f64> {
    finished()
        .iter()
        .filter_map(|v| v.get(key).and_then(Value::as_f64))
        .filter(|x| keep(*x))
        .collect()
}

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

fn card(question: &str, calc: Calculation) -> MetricCardConfig {
    number_card(SV, question, calc, GroupBy::None)
}

fn row_card(question: &str, row: &str, calc: Calculation) -> MetricCardConfig {
    MetricCardConfig {
        sub_question_id: Some(row.into()),
        ..card(question, calc)
    }
}

fn value(t: &TestApp, c: &MetricCardConfig) -> MetricValue {
    let v = t.app.preview_metric(c).expect("computes");
    assert!(
        !v.has_problem(ProblemKind::NotApplicable),
        "{:?}",
        v.problems
    );
    v
}

fn close(a: Option<f64>, b: f64) {
    let a = a.expect("a value");
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

fn refused(v: &MetricValue, needle: &str) {
    let p = v
        .problems
        .iter()
        .find(|p| p.kind == ProblemKind::NotApplicable)
        .unwrap_or_else(|| panic!("refused, got {v:?}"));
    assert!(p.message.contains(needle), "{}", p.message);
    assert_eq!((v.value, v.n), (None, 0));
}

fn question(t: &TestApp, qid: &str) -> QuestionRow {
    t.app
        .survey_questions(&crate::sv(SV))
        .unwrap()
        .into_iter()
        .find(|q| q.qid == qid)
        .unwrap()
}

#[tokio::test]
async fn sliders_with_decimals_compute_every_statistic() {
    let t = refreshed().await;
    let xs = numbers("QID2_1", |_| true);
    assert!(xs.iter().any(|x| x.fract() != 0.0), "decimals exported");
    // A one-bar slider needs no row; `QID2.1` names the same bar.
    for c in [
        card(TYPES_SLIDER_QID, Calculation::Average),
        row_card(TYPES_SLIDER_QID, "1", Calculation::Average),
    ] {
        let v = value(&t, &c);
        assert_eq!(v.n, xs.len() as u64);
        close(v.value, mean(&xs));
    }
    let count = value(&t, &card(TYPES_SLIDER_QID, Calculation::Count));
    assert_eq!(count.value, Some(xs.len() as f64));
    let min = value(&t, &card(TYPES_SLIDER_QID, Calculation::Min));
    close(min.value, xs.iter().cloned().fold(f64::INFINITY, f64::min));
    let max = value(&t, &card(TYPES_SLIDER_QID, Calculation::Max));
    close(
        max.value,
        xs.iter().cloned().fold(f64::NEG_INFINITY, f64::max),
    );
    let mut sorted = xs.clone();
    sorted.sort_by(f64::total_cmp);
    let m = sorted.len() / 2;
    let median = if sorted.len() % 2 == 1 {
        sorted[m]
    } else {
        (sorted[m - 1] + sorted[m]) / 2.0
    };
    close(
        value(&t, &card(TYPES_SLIDER_QID, Calculation::Median)).value,
        median,
    );

    // Stars (two rows) need a row; bars (one row) do not.
    let err = t
        .app
        .preview_metric(&card(TYPES_STARS_QID, Calculation::Average))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(err.to_string().contains("choose one of its rows"), "{err}");
    let stars = numbers("QID3_2", |_| true);
    close(
        value(&t, &row_card(TYPES_STARS_QID, "2", Calculation::Average)).value,
        mean(&stars),
    );
    let bars = numbers("QID4_1", |_| true);
    close(
        value(&t, &card(TYPES_BARS_QID, Calculation::Average)).value,
        mean(&bars),
    );
    let slider = question(&t, TYPES_SLIDER_QID);
    assert!(slider.calculations.contains(&Calculation::Average));
    assert!(!slider.calculations.contains(&Calculation::Nps));
}

#[tokio::test]
async fn nps_defined_with_a_list_of_choices() {
    let t = refreshed().await;
    let q = question(&t, TYPES_NPS_QID);
    let ids: Vec<&str> = q.choices.iter().map(|c| c.id.as_str()).collect();
    let expected: Vec<String> = (0..=10).map(|i| i.to_string()).collect();
    assert_eq!(ids, expected, "choice ids follow ChoiceOrder 0..10");
    assert_eq!(q.calculations[0], Calculation::Nps);
    let scores = numbers("QID1", |_| true);
    let promoters = scores.iter().filter(|s| **s >= 9.0).count() as f64;
    let detractors = scores.iter().filter(|s| **s <= 6.0).count() as f64;
    let nps = value(&t, &card(TYPES_NPS_QID, Calculation::Nps));
    close(
        nps.value,
        (promoters - detractors) / scores.len() as f64 * 100.0,
    );
    let top = value(&t, &card(TYPES_NPS_QID, Calculation::TopBox { boxes: 2 }));
    close(top.value, promoters / scores.len() as f64 * 100.0);
    let grouped = value(
        &t,
        &number_card(
            SV,
            TYPES_SLIDER_QID,
            Calculation::Count,
            GroupBy::Question {
                question_id: TYPES_NPS_QID.into(),
            },
        ),
    );
    assert_eq!(grouped.groups.len(), 11);
    assert_eq!(grouped.groups.iter().map(|g| g.n).sum::<u64>(), grouped.n);
}

#[tokio::test]
async fn constant_sum_and_rank_order_rows_are_numbers() {
    let t = refreshed().await;
    let sum = numbers("QID5_2", |_| true);
    close(
        value(
            &t,
            &row_card(TYPES_CONSTANT_SUM_QID, "2", Calculation::Average),
        )
        .value,
        mean(&sum),
    );
    let ranks = numbers("QID6_3", |_| true);
    let v = value(&t, &row_card(TYPES_RANK_QID, "3", Calculation::Average));
    close(v.value, mean(&ranks));
    let dist = value(
        &t,
        &row_card(TYPES_RANK_QID, "3", Calculation::Distribution),
    );
    assert_eq!(dist.distribution.len(), 4, "ranks 1..4");
}

#[tokio::test]
async fn text_entry_and_form_fields_count_and_refuse_averages() {
    let t = refreshed().await;
    let texts = finished()
        .iter()
        .filter(|v| v.contains_key("QID7_TEXT"))
        .count();
    let count = value(&t, &card(TYPES_TEXT_QID, Calculation::Count));
    assert_eq!(count.n, texts as u64);
    let avg = t
        .app
        .preview_metric(&card(TYPES_TEXT_QID, Calculation::Average))
        .unwrap();
    refused(&avg, "Q7 is free text");
    let fields = finished()
        .iter()
        .filter(|v| v.contains_key("QID8_2_TEXT"))
        .count();
    let form = value(&t, &row_card(TYPES_FORM_QID, "2", Calculation::Count));
    assert_eq!(form.n, fields as u64);
    assert_eq!(
        question(&t, TYPES_TEXT_QID).calculations,
        [Calculation::Count]
    );
}

#[tokio::test]
async fn horizontal_dropdown_and_select_box_choices() {
    let t = refreshed().await;
    for (qid, key) in [
        (TYPES_HORIZONTAL_QID, "QID9"),
        (TYPES_DROPDOWN_QID, "QID10"),
        (TYPES_SELECT_BOX_QID, "QID11"),
    ] {
        let xs = numbers(key, |_| true);
        close(value(&t, &card(qid, Calculation::Average)).value, mean(&xs));
        let d = value(&t, &card(qid, Calculation::Distribution));
        assert_eq!(
            d.distribution.iter().map(|b| b.count).sum::<u64>(),
            xs.len() as u64
        );
    }
}

#[tokio::test]
async fn multi_select_boxes_and_horizontal_are_multi_select() {
    let t = refreshed().await;
    for (qid, key) in [
        (TYPES_MULTI_BOX_QID, "QID12"),
        (TYPES_MULTI_HORIZONTAL_QID, "QID13"),
    ] {
        let rows: Vec<Map<String, Value>> = finished();
        let answered = rows.iter().filter(|v| v.contains_key(key)).count();
        let first = rows
            .iter()
            .filter(|v| {
                v[key]
                    .as_array()
                    .is_some_and(|a| a.contains(&Value::from("1")))
            })
            .count();
        let d = value(&t, &card(qid, Calculation::Distribution));
        assert_eq!(d.n, answered as u64);
        assert_eq!(d.distribution[0].count, first as u64);
        let avg = t
            .app
            .preview_metric(&card(qid, Calculation::Average))
            .unwrap();
        refused(&avg, "multi-select");
        assert_eq!(
            question(&t, qid).calculations,
            [Calculation::Distribution, Calculation::Count]
        );
    }
}

#[tokio::test]
async fn matrices_use_recodes_and_leave_out_not_applicable_columns() {
    let t = refreshed().await;
    // Bipolar, reverse-coded (exports carry the recode 5..1), N/A = -1 excluded.
    let bipolar = numbers("QID14_1", |x| x != -1.0);
    assert!(
        !numbers("QID14_1", |x| x == -1.0).is_empty(),
        "some N/A answers"
    );
    let v = value(&t, &row_card(TYPES_BIPOLAR_QID, "1", Calculation::Average));
    assert_eq!(v.n, bipolar.len() as u64);
    close(v.value, mean(&bipolar));
    let top = value(
        &t,
        &row_card(TYPES_BIPOLAR_QID, "1", Calculation::TopBox { boxes: 1 }),
    );
    let fives = bipolar.iter().filter(|x| **x == 5.0).count() as f64;
    close(top.value, fives / bipolar.len() as f64 * 100.0);
    // Likert with an N/A column whose recode (6) sits inside the number range, excluded
    // only by the legacy view's `"analyze": false` (the definition carries no mark).
    let na = question(&t, TYPES_MATRIX_NA_QID);
    assert_eq!(
        na.choices.iter().map(|c| c.analyze).collect::<Vec<_>>(),
        [true, true, true, true, true, false]
    );
    let likert = numbers("QID18_2", |x| x != 6.0);
    let v = value(
        &t,
        &row_card(TYPES_MATRIX_NA_QID, "2", Calculation::CsatTop2),
    );
    let satisfied = likert.iter().filter(|x| **x >= 4.0).count() as f64;
    close(v.value, satisfied / likert.len() as f64 * 100.0);
    // Multiple answer: distribution per column.
    let d = value(
        &t,
        &row_card(TYPES_MATRIX_MULTI_QID, "1", Calculation::Distribution),
    );
    assert_eq!(d.distribution.len(), 2);
    let avg = t
        .app
        .preview_metric(&row_card(TYPES_MATRIX_MULTI_QID, "1", Calculation::Average))
        .unwrap();
    refused(&avg, "multi-select");
}

#[tokio::test]
async fn negative_recodes_and_dont_know() {
    let t = refreshed().await;
    let xs = numbers("QID16", |x| x != 99.0);
    assert!(xs.iter().any(|x| *x < 0.0));
    let v = value(&t, &card(TYPES_NEGATIVE_QID, Calculation::Average));
    assert_eq!(v.n, xs.len() as u64);
    close(v.value, mean(&xs));
    let bottom = value(
        &t,
        &card(TYPES_NEGATIVE_QID, Calculation::BottomBox { boxes: 2 }),
    );
    let low = xs.iter().filter(|x| **x <= -1.0).count() as f64;
    close(bottom.value, low / xs.len() as f64 * 100.0);
    let q = question(&t, TYPES_NEGATIVE_QID);
    assert!(!q.choices.iter().find(|c| c.id == "6").unwrap().analyze);
    let nps = t
        .app
        .preview_metric(&card(TYPES_NEGATIVE_QID, Calculation::Nps))
        .unwrap();
    refused(
        &nps,
        "NPS needs a 0-10 answer scale; Q16 is answered on -2-2",
    );
}

#[tokio::test]
async fn drill_down_levels_group_responses() {
    let t = refreshed().await;
    let by_country = |question_id: &str| {
        number_card(
            SV,
            TYPES_NPS_QID,
            Calculation::Count,
            GroupBy::Question {
                question_id: question_id.into(),
            },
        )
    };
    let v = value(&t, &by_country("QID17.1"));
    let labels: Vec<(&str, u64)> = v
        .groups
        .iter()
        .filter(|g| g.n > 0)
        .map(|g| (g.label.as_str(), g.n))
        .collect();
    let rows = finished();
    let france = rows
        .iter()
        .filter(|r| r["QID17_1"] == 1 && r.contains_key("QID1"))
        .count();
    let japan = rows
        .iter()
        .filter(|r| r["QID17_1"] == 4 && r.contains_key("QID1"))
        .count();
    assert_eq!(labels, [("France", france as u64), ("Japan", japan as u64)]);
    let err = t
        .app
        .preview_metric(&by_country(TYPES_DRILL_QID))
        .unwrap_err();
    assert!(err.to_string().contains("choose one of its rows"), "{err}");
}

#[tokio::test]
async fn meaningless_groupings_are_refused_with_the_reason() {
    let t = refreshed().await;
    let by_field = number_card(
        SV,
        TYPES_NPS_QID,
        Calculation::Nps,
        GroupBy::Field {
            name: "region".into(),
        },
    );
    let v = t.app.preview_metric(&by_field).unwrap();
    assert!(v.groups.is_empty());
    let p = v
        .problems
        .iter()
        .find(|p| p.kind == ProblemKind::NotApplicable)
        .expect("an empty group list says why");
    assert!(p.message.contains("\"region\""), "{}", p.message);
    let by_text = number_card(
        SV,
        TYPES_NPS_QID,
        Calculation::Nps,
        GroupBy::Question {
            question_id: TYPES_TEXT_QID.into(),
        },
    );
    let v = t.app.preview_metric(&by_text).unwrap();
    refused(
        &v,
        "Group by needs a question with answer choices; Q7 is free text",
    );
}

#[tokio::test]
async fn side_by_side_columns_are_questions_of_their_own() {
    let t = refreshed().await;
    let qids: Vec<String> = t
        .app
        .survey_questions(&crate::sv(SV))
        .unwrap()
        .into_iter()
        .map(|q| q.qid)
        .filter(|q| q.starts_with(TYPES_SIDE_BY_SIDE_QID))
        .collect();
    assert_eq!(qids, ["QID19#1", "QID19#2"]);
    let satisfaction = question(&t, "QID19#1");
    assert_eq!(satisfaction.export_tag.as_deref(), Some("Q19#1"));
    assert!(
        satisfaction.text.ends_with("— Satisfaction"),
        "{}",
        satisfaction.text
    );
    assert_eq!(satisfaction.calculations[0], Calculation::CsatTop2);
    let xs = numbers("QID19#1_2", |_| true);
    let v = value(&t, &row_card("QID19#1", "2", Calculation::Average));
    assert_eq!(v.n, xs.len() as u64);
    close(v.value, mean(&xs));
    let used = value(&t, &row_card("QID19#2", "1", Calculation::Distribution));
    let app = finished()
        .iter()
        .filter(|r| {
            r["QID19#2_1"]
                .as_array()
                .is_some_and(|a| a.contains(&Value::from("2")))
        })
        .count();
    assert_eq!(used.distribution[1].count, app as u64);
    let avg = t
        .app
        .preview_metric(&row_card("QID19#2", "1", Calculation::Average))
        .unwrap();
    refused(&avg, "multi-select");
}
