//! Each fault switch, from Rust and over `POST /__sim/faults`.

use std::time::{Duration, Instant};

use crate::common::*;
use qualtrics_sim::catalog::*;
use qualtrics_sim::SimConfig;
use serde_json::{json, Value};

async fn set_faults(sim: &qualtrics_sim::SimHandle, body: Value) -> (u16, Value) {
    let resp = control_post(sim, "/__sim/faults", &body).await;
    (resp.status().as_u16(), resp.json().await.unwrap())
}

#[tokio::test]
async fn revoked_token_answers_401_until_restored() {
    let sim = start_default().await;
    sim.faults().revoke_token(true);
    let (status, body) = get(&sim, "/API/v3/surveys", API_TOKEN).await;
    assert_eq!(status, 401);
    assert_eq!(body["meta"]["error"]["errorCode"], "DCD_7");
    assert_eq!(
        get(&sim, "/API/v3/whoami", NO_SURVEYS_TOKEN).await.0,
        200,
        "other tokens unaffected"
    );
    sim.faults().revoke_token(false);
    assert_eq!(get(&sim, "/API/v3/surveys", API_TOKEN).await.0, 200);
    let (status, state) = set_faults(&sim, json!({"revokeToken": true})).await;
    assert_eq!(status, 200);
    assert_eq!(state["revokeToken"], true);
    assert_eq!(get(&sim, "/API/v3/whoami", API_TOKEN).await.0, 401);
    set_faults(&sim, json!({"reset": true})).await;
    assert_eq!(get(&sim, "/API/v3/whoami", API_TOKEN).await.0, 200);
}

#[tokio::test]
async fn rate_limit_answers_429_with_retry_after() {
    let sim = start_default().await;
    sim.faults().rate_limit_next(2);
    for _ in 0..2 {
        let resp = client()
            .get(format!("{}/API/v3/whoami", sim.base_url()))
            .header("X-API-TOKEN", API_TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 429);
        assert_eq!(resp.headers()["retry-after"], "1");
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["meta"]["httpStatus"], "429 - Too Many Requests");
        assert!(body["meta"]["error"]["errorCode"].is_string());
    }
    assert_eq!(get(&sim, "/API/v3/whoami", API_TOKEN).await.0, 200);
    let (_, state) = set_faults(&sim, json!({"rateLimitNext": 1})).await;
    assert_eq!(state["rateLimitNext"], 1);
    let resp = client()
        .get(format!("{}/__sim/stats", sim.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "control routes never faulted");
    assert_eq!(get(&sim, "/API/v3/surveys", API_TOKEN).await.0, 429);
    assert_eq!(get(&sim, "/API/v3/surveys", API_TOKEN).await.0, 200);
}

#[tokio::test]
async fn server_error_burst_alternates_503_and_500() {
    let sim = start_default().await;
    sim.faults().server_errors_next(2);
    let mut statuses = Vec::new();
    for _ in 0..2 {
        let (status, body) = get(&sim, "/API/v3/whoami", API_TOKEN).await;
        statuses.push(status);
        assert!(body["meta"]["error"]["instanceId"].is_string());
        assert!(body["meta"]["error"]["errorCode"].is_string());
        assert_eq!(
            body["meta"]["httpStatus"].as_str().unwrap()[..3],
            status.to_string()
        );
    }
    assert_eq!(statuses, [503, 500]);
    assert_eq!(get(&sim, "/API/v3/whoami", API_TOKEN).await.0, 200);
    set_faults(&sim, json!({"serverErrorsNext": 1})).await;
    assert_eq!(get(&sim, "/API/v3/whoami", API_TOKEN).await.0 / 100, 5);
}

#[tokio::test]
async fn slow_export_stays_in_progress() {
    let sim = start_with(50, 0).await;
    sim.faults().slow_export(Duration::from_millis(800));
    let started = Instant::now();
    let (_, _, polls) = run_export(&sim, ONBOARDING_SURVEY_ID, &json!({"format": "json"})).await;
    assert!(started.elapsed() >= Duration::from_millis(800));
    assert!(polls > 3);
    let (_, state) = set_faults(&sim, json!({"slowExportSecs": 0.0})).await;
    assert_eq!(state["slowExportSecs"], 0.0);
}

#[tokio::test]
async fn failed_exports_report_failed() {
    let sim = start_with(50, 0).await;
    set_faults(&sim, json!({"failExports": true})).await;
    let (_, started) = start_export(&sim, ONBOARDING_SURVEY_ID, &json!({"format": "json"})).await;
    let pid = started["result"]["progressId"].as_str().unwrap();
    let (status, p) = poll_export(&sim, ONBOARDING_SURVEY_ID, pid).await;
    assert_eq!(status, 200);
    assert_eq!(p["result"]["status"], "failed");
    assert!(p["result"].get("fileId").is_none());
    sim.faults().fail_exports(false);
    run_export(&sim, ONBOARDING_SURVEY_ID, &json!({"format": "json"})).await;
}

#[tokio::test]
async fn truncated_zip_is_corrupt() {
    let sim = start_with(200, 0).await;
    let (fid, _, _) = run_export(&sim, ONBOARDING_SURVEY_ID, &json!({"format": "json"})).await;
    let full = download_bytes(&sim, ONBOARDING_SURVEY_ID, &fid).await;
    sim.faults().truncate_zip(true);
    let cut = download_bytes(&sim, ONBOARDING_SURVEY_ID, &fid).await;
    assert!(cut.len() < full.len());
    assert!(
        zip::ZipArchive::new(std::io::Cursor::new(cut)).is_err(),
        "truncated archive must not open"
    );
    sim.faults().reset();
    let again = download_bytes(&sim, ONBOARDING_SURVEY_ID, &fid).await;
    assert_eq!(again, full);
}

#[tokio::test]
async fn fault_endpoint_reports_state_and_rejects_unknown_keys() {
    let sim = start_default().await;
    let state = control_get(&sim, "/__sim/faults").await;
    assert_eq!(
        state,
        json!({"revokeToken": false, "rateLimitNext": 0, "serverErrorsNext": 0, "slowExportSecs": 0.0,
               "failExports": false, "truncateZip": false, "cycleNextPage": false, "blackHole": false, "forbidApi": false, "rejectOauthClient": false})
    );
    let (_, state) = set_faults(
        &sim,
        json!({"failExports": true, "truncateZip": true, "slowExportSecs": 2.5}),
    )
    .await;
    assert_eq!(state["failExports"], true);
    assert_eq!(state["truncateZip"], true);
    assert_eq!(state["slowExportSecs"], 2.5);
    assert!(sim.faults().exports_fail() && sim.faults().zip_truncated());
    let (status, _) = set_faults(&sim, json!({"explode": true})).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn cycling_next_page_links_the_last_page_back_to_the_first() {
    let sim = start(SimConfig {
        page_size: 2,
        ..SimConfig::default()
    })
    .await;
    let (_, state) = set_faults(&sim, json!({"cycleNextPage": true})).await;
    assert_eq!(state["cycleNextPage"], true);
    let mut path = "/API/v3/surveys".to_string();
    let mut seen = Vec::new();
    for _ in 0..SURVEYS.len() {
        let (status, body) = get(&sim, &path, API_TOKEN).await;
        assert_eq!(status, 200, "{body}");
        let next = body["result"]["nextPage"]
            .as_str()
            .expect("nextPage never ends")
            .to_string();
        path = next[next.find("/API").unwrap()..].to_string();
        seen.push(path.clone());
    }
    assert!(
        seen.contains(&"/API/v3/surveys?offset=0".to_string()),
        "{seen:?}"
    );
    sim.faults().reset();
    let (_, body) = get(
        &sim,
        &format!("/API/v3/surveys?offset={}", SURVEYS.len() - 1),
        API_TOKEN,
    )
    .await;
    assert!(body["result"]["nextPage"].is_null());
}

#[tokio::test]
async fn black_hole_accepts_and_never_answers_until_switched_off() {
    let sim = start_default().await;
    set_faults(&sim, json!({"blackHole": true})).await;
    let request = client()
        .get(format!("{}/API/v3/whoami", sim.base_url()))
        .header("X-API-TOKEN", API_TOKEN)
        .timeout(Duration::from_millis(400))
        .send()
        .await;
    let err = request.expect_err("no answer while the black hole is on");
    assert!(err.is_timeout(), "{err}");
    assert!(
        !err.is_connect(),
        "the connection itself was accepted: {err}"
    );
    assert_eq!(
        control_get(&sim, "/__sim/faults").await["blackHole"],
        true,
        "control routes answer"
    );
    let pending = tokio::spawn({
        let url = format!("{}/API/v3/whoami", sim.base_url());
        async move {
            client()
                .get(url)
                .header("X-API-TOKEN", API_TOKEN)
                .send()
                .await
                .map(|r| r.status().as_u16())
        }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    sim.faults().black_hole(false);
    assert_eq!(
        pending.await.unwrap().unwrap(),
        200,
        "a waiting request is answered once off"
    );
}

#[tokio::test]
async fn forbid_api_answers_403_on_survey_and_export_routes_but_not_whoami() {
    let sim = start_default().await;
    let (status, state) = set_faults(&sim, json!({"forbidApi": true})).await;
    assert_eq!(status, 200);
    assert_eq!(state["forbidApi"], true);
    assert_eq!(get(&sim, "/API/v3/whoami", API_TOKEN).await.0, 200);
    // Bad credentials are still told apart first.
    assert_eq!(get(&sim, "/API/v3/surveys", "not-a-token").await.0, 401);
    let definition = format!("/API/v3/survey-definitions/{SUPPORT_SURVEY_ID}");
    for path in ["/API/v3/surveys", definition.as_str()] {
        let (status, body) = get(&sim, path, API_TOKEN).await;
        assert_eq!(status, 403, "{path}");
        assert_eq!(body["meta"]["httpStatus"], "403 - Forbidden");
        assert!(body["meta"]["error"]["errorMessage"].is_string());
        assert!(body.get("result").is_none());
    }
    let (status, body) = start_export(&sim, SUPPORT_SURVEY_ID, &json!({"format": "json"})).await;
    assert_eq!(status, 403, "{body}");
    set_faults(&sim, json!({"reset": true})).await;
    assert_eq!(get(&sim, "/API/v3/surveys", API_TOKEN).await.0, 200);
    sim.faults().forbid_api(true);
    assert_eq!(get(&sim, "/API/v3/surveys", API_TOKEN).await.0, 403);
}
