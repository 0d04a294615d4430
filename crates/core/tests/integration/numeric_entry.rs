//! Numeric text entry (issue 10): a `TE` question whose definition validates its answers as
//! numbers (`Validation.Settings.ContentType` `ValidNumber`) gets numeric calculations through
//! the whole path — the simulator's Question Types survey refreshed over loopback, the
//! answers exported as text in `QID20_TEXT`, computed through the facade — and an answer that
//! is not a number (an owner's edit, which content validation does not check) is left out
//! and counted in a problem, never silently.

use crate::app_support::{connected, number_card, TestApp};
use pulsemap_core::dto::RefreshMode;
use pulsemap_core::metrics::{Calculation, GroupBy, MetricValue, ProblemKind};
use qualtrics_sim::types_survey::{
    TYPES_NUMBER_ENTRY_QID as QID, TYPES_SURVEY_ID as SV, TYPES_TEXT_QID,
};
use qualtrics_sim::SimConfig;

const FIELD: &str = "QID20_TEXT";

async fn refresh(t: &TestApp) {
    t.app
        .refresh_survey(
            &crate::sv(SV),
            RefreshMode::Force,
            chrono::Utc::now(),
            &|_| {},
        )
        .await
        .expect("refresh the Question Types survey");
}

/// `(index, typed text)` of every finished response that answered, generated independently
/// of the export.
fn typed(cfg: &SimConfig) -> Vec<(u64, String)> {
    (0..qualtrics_sim::response_total(cfg, SV))
        .filter(|&i| !qualtrics_sim::response_in_progress(cfg, SV, i))
        .filter_map(|i| {
            let values = qualtrics_sim::generate_response(cfg, SV, i)["values"].clone();
            let text = values.get(FIELD)?.as_str()?.to_owned();
            (values["finished"] == 1).then_some((i, text))
        })
        .collect()
}

fn value(t: &TestApp, calc: Calculation) -> MetricValue {
    t.app
        .preview_metric(&number_card(SV, QID, calc, GroupBy::None))
        .expect("computes")
}

fn close(a: Option<f64>, b: f64) {
    let a = a.expect("a value");
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

fn check_statistics(t: &TestApp, xs: &[f64]) {
    let mut sorted = xs.to_vec();
    sorted.sort_by(f64::total_cmp);
    let m = sorted.len() / 2;
    let median = if sorted.len() % 2 == 1 {
        sorted[m]
    } else {
        (sorted[m - 1] + sorted[m]) / 2.0
    };
    let sum: f64 = xs.iter().sum();
    for (calc, expected) in [
        (Calculation::Average, sum / xs.len() as f64),
        (Calculation::Median, median),
        (Calculation::Min, sorted[0]),
        (Calculation::Max, sorted[sorted.len() - 1]),
        (Calculation::Sum, sum),
    ] {
        let v = value(t, calc);
        assert_eq!(v.n, xs.len() as u64, "{calc:?}");
        close(v.value, expected);
    }
}

#[tokio::test]
async fn numeric_text_entry_gets_numeric_calculations_and_counts_what_it_leaves_out() {
    let t = connected().await;
    refresh(&t).await;
    let q = t
        .app
        .survey_questions(&crate::sv(SV))
        .unwrap()
        .into_iter()
        .find(|q| q.qid == QID)
        .expect("the numeric text entry");
    assert!(q.numeric_entry && q.question_type == "TE", "{q:?}");
    assert_eq!(
        q.calculations,
        [
            Calculation::Average,
            Calculation::Median,
            Calculation::Min,
            Calculation::Max,
            Calculation::Sum,
            Calculation::Count
        ]
    );

    // Exports carry the typed text; the calculations read it as numbers.
    let answers = typed(t.sim.config());
    let xs: Vec<f64> = answers.iter().map(|(_, s)| s.parse().unwrap()).collect();
    assert!(xs.len() > 100 && xs.iter().any(|x| x.fract() != 0.0));
    check_statistics(&t, &xs);
    let count = value(&t, Calculation::Count);
    assert_eq!(count.value, Some(xs.len() as f64));
    assert!(value(&t, Calculation::Average).problems.is_empty());

    // An owner corrects three answers in Data & Analysis to text that is not a number: after
    // Refresh now they are left out, and the card says how many.
    let edited: Vec<u64> = answers.iter().take(3).map(|(i, _)| *i).collect();
    assert_eq!(t.sim.edit_responses(SV, &edited, FIELD, "about ten"), 3);
    refresh(&t).await;
    check_statistics(&t, &xs[3..]);
    let v = value(&t, Calculation::Average);
    let skipped: Vec<_> = v
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::SkippedAnswers)
        .collect();
    assert_eq!(skipped.len(), 1, "{:?}", v.problems);
    assert_eq!(
        skipped[0].message,
        "3 answers to Q20 are not a number and were left out."
    );
    // Count counts every answer, numbers or not.
    assert_eq!(value(&t, Calculation::Count).n, xs.len() as u64);

    // Free text keeps refusing numbers, naming why.
    let free = t
        .app
        .preview_metric(&number_card(
            SV,
            TYPES_TEXT_QID,
            Calculation::Average,
            GroupBy::None,
        ))
        .unwrap();
    let refusal = free
        .problems
        .iter()
        .find(|p| p.kind == ProblemKind::NotApplicable)
        .expect("refused");
    assert!(refusal.message.contains("free text"), "{}", refusal.message);
}

#[tokio::test]
async fn each_field_of_a_numeric_form_gets_numeric_calculations() {
    use qualtrics_sim::types_survey::TYPES_NUMBER_FORM_QID as FORM;
    let t = connected().await;
    refresh(&t).await;
    let cfg = t.sim.config().clone();
    let projects: Vec<f64> = (0..qualtrics_sim::response_total(&cfg, SV))
        .filter(|&i| !qualtrics_sim::response_in_progress(&cfg, SV, i))
        .map(|i| qualtrics_sim::generate_response(&cfg, SV, i)["values"].clone())
        .filter(|v| v["finished"] == 1)
        .filter_map(|v| v.get("QID21_2_TEXT")?.as_str()?.parse().ok())
        .collect();
    assert!(projects.len() > 100);
    let card = pulsemap_core::metrics::MetricCardConfig {
        sub_question_id: Some("2".into()),
        ..number_card(SV, FORM, Calculation::Sum, GroupBy::None)
    };
    let v = t.app.preview_metric(&card).expect("computes");
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    assert_eq!(v.n, projects.len() as u64);
    close(v.value, projects.iter().sum());
}
