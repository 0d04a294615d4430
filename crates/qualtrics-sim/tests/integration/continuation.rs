//! Continuation tokens and runtime-added responses (incremental refresh),
//! plus request statistics used to count an incremental refresh's requests.

use crate::common::*;
use qualtrics_sim::catalog::*;
use qualtrics_sim::{generate_response, response_in_progress, SimConfig};
use serde_json::{json, Value};

fn expected(config: &SimConfig, range: std::ops::Range<u64>) -> Vec<Value> {
    range
        .filter(|i| !response_in_progress(config, ONBOARDING_SURVEY_ID, *i))
        .map(|i| generate_response(config, ONBOARDING_SURVEY_ID, i))
        .collect()
}

#[tokio::test]
async fn continuation_token_returns_only_newer_responses() {
    let config = config(500, 0);
    let sim = start(config.clone()).await;
    let (first, result) = export_json(
        &sim,
        ONBOARDING_SURVEY_ID,
        json!({"format": "json", "allowContinuation": true}),
    )
    .await;
    assert_eq!(first, expected(&config, 0..500));
    let token1 = result["continuationToken"]
        .as_str()
        .expect("token when requested")
        .to_string();

    let (none, result) = export_json(
        &sim,
        ONBOARDING_SURVEY_ID,
        json!({"format": "json", "continuationToken": token1}),
    )
    .await;
    assert!(none.is_empty(), "nothing new yet");
    let token2 = result["continuationToken"].as_str().unwrap().to_string();

    sim.add_responses(ONBOARDING_SURVEY_ID, 60);
    assert_eq!(sim.response_count(ONBOARDING_SURVEY_ID), Some(560));
    let (new, result) = export_json(
        &sim,
        ONBOARDING_SURVEY_ID,
        json!({"format": "json", "continuationToken": token2}),
    )
    .await;
    assert_eq!(new, expected(&config, 500..560));
    assert!(!new.is_empty());
    let last_old = first.last().unwrap()["values"]["recordedDate"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(new
        .iter()
        .all(|r| r["values"]["recordedDate"].as_str().unwrap() > last_old.as_str()));
    let token3 = result["continuationToken"].as_str().unwrap().to_string();

    let resp = control_post(
        &sim,
        "/__sim/responses",
        &json!({"surveyId": ONBOARDING_SURVEY_ID, "count": 15}),
    )
    .await;
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["total"], 575);
    let (newer, _) = export_json(
        &sim,
        ONBOARDING_SURVEY_ID,
        json!({"format": "json", "continuationToken": token3.clone()}),
    )
    .await;
    assert_eq!(newer, expected(&config, 560..575));

    // Full exports now include everything; tokens stay bound to their survey.
    let (all, _) = export_json(&sim, ONBOARDING_SURVEY_ID, json!({"format": "json"})).await;
    assert_eq!(all.len(), first.len() + new.len() + newer.len());
    let (status, body) = start_export(
        &sim,
        SUPPORT_SURVEY_ID,
        &json!({"format": "json", "continuationToken": token3}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test]
async fn limited_export_token_resumes_after_last_exported() {
    let config = config(300, 0);
    let sim = start(config.clone()).await;
    let (page1, r1) = export_json(
        &sim,
        ONBOARDING_SURVEY_ID,
        json!({"format": "json", "allowContinuation": true, "limit": 100}),
    )
    .await;
    let (page2, _) = export_json(
        &sim,
        ONBOARDING_SURVEY_ID,
        json!({"format": "json", "continuationToken": r1["continuationToken"]}),
    )
    .await;
    let mut joined = page1.clone();
    joined.extend(page2);
    assert_eq!(page1.len(), 100);
    assert_eq!(joined, expected(&config, 0..300));
}

#[tokio::test]
async fn stats_count_requests_per_route() {
    let sim = start_with(50, 2).await;
    let before = sim.request_count();
    let (fid, _, polls) = run_export(&sim, ONBOARDING_SURVEY_ID, &json!({"format": "json"})).await;
    download_bytes(&sim, ONBOARDING_SURVEY_ID, &fid).await;
    assert_eq!(sim.request_count() - before, 1 + u64::from(polls) + 1);
    let stats = control_get(&sim, "/__sim/stats").await;
    assert_eq!(stats["total"], sim.request_count());
    assert_eq!(
        stats["routes"]["POST /API/v3/surveys/{surveyId}/export-responses"],
        1
    );
    assert_eq!(
        stats["routes"]["GET /API/v3/surveys/{surveyId}/export-responses/{exportProgressId}"],
        polls
    );
    assert_eq!(
        stats["routes"]["GET /API/v3/surveys/{surveyId}/export-responses/{fileId}/file"],
        1
    );
    assert_eq!(sim.stats()["GET /__sim/stats"], 1);
    assert_eq!(
        stats["total"],
        sim.request_count(),
        "control routes are not API requests"
    );
    let resp = control_post(
        &sim,
        "/__sim/responses",
        &json!({"surveyId": "SV_nope", "count": 1}),
    )
    .await;
    assert_eq!(resp.status(), 404);
}
