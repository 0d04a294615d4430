//! Opt-in export file reuse (`SimConfig::reuse_export_files`, `--reuse-export-files`): an
//! export identical to an earlier, already-written one completes at once with the same
//! bytes; different options or added responses write a new file; polls, faults and request
//! counting still apply; off by default. Also the per-export records of `/__sim/stats`.

use std::time::{Duration, Instant};

use crate::common::*;
use qualtrics_sim::catalog::*;
use qualtrics_sim::{SimConfig, SimHandle};
use serde_json::{json, Value};

fn reuse(responses: u64, export_polls: u32) -> SimConfig {
    SimConfig {
        reuse_export_files: true,
        ..config(responses, export_polls)
    }
}

fn csv_body() -> Value {
    json!({"format": "csv", "useLabels": true})
}

/// Run an export to completion and download it: (bytes, final progress result, polls).
async fn export_bytes(sim: &SimHandle, body: &Value) -> (Vec<u8>, Value, u32) {
    let (fid, result, polls) = run_export(sim, ONBOARDING_SURVEY_ID, body).await;
    let bytes = download_bytes(sim, ONBOARDING_SURVEY_ID, &fid).await;
    (bytes, result, polls)
}

async fn stats(sim: &SimHandle) -> Value {
    control_get(sim, "/__sim/stats").await
}

#[tokio::test]
async fn identical_export_is_complete_on_the_first_poll_with_the_same_bytes() {
    let sim = start(reuse(3000, 0)).await;
    let (first, first_result, _) = export_bytes(&sim, &csv_body()).await;
    let (status, started) = start_export(&sim, ONBOARDING_SURVEY_ID, &csv_body()).await;
    assert_eq!(status, 200);
    let pid = started["result"]["progressId"].as_str().unwrap();
    let (_, p) = poll_export(&sim, ONBOARDING_SURVEY_ID, pid).await;
    assert_eq!(p["result"]["status"], "complete", "{p}");
    let fid = p["result"]["fileId"].as_str().unwrap();
    assert_ne!(
        fid,
        first_result["fileId"].as_str().unwrap(),
        "fresh file id"
    );
    assert_eq!(download_bytes(&sim, ONBOARDING_SURVEY_ID, fid).await, first);

    let s = stats(&sim).await;
    assert_eq!(s["exportsStarted"], 2);
    assert_eq!(s["exportsReused"], 1);
    let records = s["exports"].as_array().unwrap();
    assert_eq!(records[0]["reused"], false);
    assert!(records[0]["writerMs"].as_f64().unwrap() > 0.0, "{s}");
    assert_eq!(records[1]["reused"], true);
    assert_eq!(records[1]["progressId"], pid);
    assert!(records[1]["writerMs"].is_null());
    // Every request counted as usual: 2 starts, polls, 2 downloads.
    assert_eq!(
        s["routes"]["POST /API/v3/surveys/{surveyId}/export-responses"],
        2
    );
    assert_eq!(
        s["routes"]["GET /API/v3/surveys/{surveyId}/export-responses/{fileId}/file"],
        2
    );
}

#[tokio::test]
async fn different_options_write_a_new_file() {
    let sim = start(reuse(500, 0)).await;
    let (labels, _, _) = export_bytes(&sim, &csv_body()).await;
    let (recodes, _, _) = export_bytes(&sim, &json!({"format": "csv"})).await;
    assert_ne!(labels, recodes);
    let (raw, _, _) = export_bytes(
        &sim,
        &json!({"format": "csv", "useLabels": true, "compress": false}),
    )
    .await;
    assert_ne!(raw, labels);
    export_bytes(&sim, &json!({"format": "json"})).await;
    export_bytes(
        &sim,
        &json!({"format": "json", "exportResponsesInProgress": true}),
    )
    .await;
    export_bytes(&sim, &json!({"format": "json", "limit": 10})).await;
    export_bytes(
        &sim,
        &json!({"format": "json", "questionIds": [ONBOARDING_NPS_QID]}),
    )
    .await;
    export_bytes(
        &sim,
        &json!({"format": "json", "filterId": FILTER_PROMOTERS_ID}),
    )
    .await;
    assert_eq!(stats(&sim).await["exportsReused"], 0);
    // Options that do not change the bytes do not prevent reuse.
    let (again, _, _) = export_bytes(
        &sim,
        &json!({"format": "csv", "useLabels": true, "includeDisplayOrder": true}),
    )
    .await;
    assert_eq!(again, labels);
    assert_eq!(stats(&sim).await["exportsReused"], 1);
}

#[tokio::test]
async fn added_responses_prevent_reuse() {
    let sim = start(reuse(400, 0)).await;
    let body = json!({"format": "json", "allowContinuation": true});
    let (before, _, _) = export_bytes(&sim, &body).await;
    let resp = control_post(
        &sim,
        "/__sim/responses",
        &json!({"surveyId": ONBOARDING_SURVEY_ID, "count": 30}),
    )
    .await;
    assert_eq!(resp.status(), 200);
    let (after, _, _) = export_bytes(&sim, &body).await;
    assert_ne!(after, before, "the new responses are exported");
    assert_eq!(stats(&sim).await["exportsReused"], 0);
    let (again, _, _) = export_bytes(&sim, &body).await;
    assert_eq!(again, after, "reuse resumes for the new data");
    assert_eq!(stats(&sim).await["exportsReused"], 1);
}

#[tokio::test]
async fn continuation_exports_reuse_with_the_same_resume_point() {
    let sim = start(reuse(400, 0)).await;
    let (_, first, _) =
        export_bytes(&sim, &json!({"format": "json", "allowContinuation": true})).await;
    let token = first["continuationToken"].as_str().unwrap();
    let body = json!({"format": "json", "continuationToken": token});
    let (empty, second, _) = export_bytes(&sim, &body).await;
    let (reused, third, _) = export_bytes(&sim, &body).await;
    assert_eq!(reused, empty);
    assert_eq!(stats(&sim).await["exportsReused"], 1);
    // Both tokens resume at the same point: after new responses, both see exactly them.
    sim.add_responses(ONBOARDING_SURVEY_ID, 20);
    let mut news = Vec::new();
    for r in [&second, &third] {
        let t = r["continuationToken"].as_str().unwrap();
        let (rows, _) = export_json(
            &sim,
            ONBOARDING_SURVEY_ID,
            json!({"format": "json", "continuationToken": t}),
        )
        .await;
        news.push(rows);
    }
    assert!(!news[0].is_empty());
    assert_eq!(news[0], news[1]);
}

#[tokio::test]
async fn reuse_is_off_by_default() {
    assert!(!SimConfig::default().reuse_export_files);
    let sim = start(config(500, 0)).await;
    let (a, _, _) = export_bytes(&sim, &csv_body()).await;
    let (b, _, _) = export_bytes(&sim, &csv_body()).await;
    assert_eq!(a, b, "deterministic either way");
    let s = stats(&sim).await;
    assert_eq!(s["exportsStarted"], 2);
    assert_eq!(s["exportsReused"], 0);
    let records = s["exports"].as_array().unwrap();
    assert!(
        records.iter().all(|r| r["writerMs"].as_f64().is_some()),
        "{s}"
    );
}

#[tokio::test]
async fn reused_exports_still_answer_the_configured_polls() {
    let sim = start(reuse(300, 2)).await;
    let (first, _, first_polls) = export_bytes(&sim, &csv_body()).await;
    let (second, _, polls) = export_bytes(&sim, &csv_body()).await;
    assert_eq!(second, first);
    assert_eq!(polls, 3, "two inProgress polls, then complete");
    assert!(first_polls >= 3);
    assert_eq!(stats(&sim).await["exportsReused"], 1);
}

#[tokio::test]
async fn faults_apply_to_reused_exports() {
    let sim = start(reuse(300, 0)).await;
    let (full, _, _) = export_bytes(&sim, &csv_body()).await;

    sim.faults().fail_exports(true);
    let (_, started) = start_export(&sim, ONBOARDING_SURVEY_ID, &csv_body()).await;
    let pid = started["result"]["progressId"].as_str().unwrap();
    let (_, p) = poll_export(&sim, ONBOARDING_SURVEY_ID, pid).await;
    assert_eq!(p["result"]["status"], "failed");
    sim.faults().fail_exports(false);

    sim.faults().slow_export(Duration::from_millis(400));
    let t = Instant::now();
    let (_, _, polls) = run_export(&sim, ONBOARDING_SURVEY_ID, &csv_body()).await;
    assert!(t.elapsed() >= Duration::from_millis(400));
    assert!(polls > 1);
    sim.faults().slow_export(Duration::ZERO);

    sim.faults().truncate_zip(true);
    let (cut, _, _) = export_bytes(&sim, &csv_body()).await;
    assert!(cut.len() < full.len());
    sim.faults().truncate_zip(false);
    let (again, _, _) = export_bytes(&sim, &csv_body()).await;
    assert_eq!(again, full, "a later export gets the whole file");
    assert_eq!(stats(&sim).await["exportsReused"], 4);
}
