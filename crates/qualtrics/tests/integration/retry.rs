//! The retry layer: what is retried, how often, how long it waits.

use crate::common;

use std::time::{Duration, Instant};

use crate::common::{
    client_with, error_body, export_started, mount_always, mount_once, ok_json, whoami_ok, TOKEN,
};
use qualtrics::{Credentials, ErrorKind, ExportRequest};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer, retries: usize) -> qualtrics::Client {
    client_with(&server.uri(), Credentials::api_token(TOKEN), retries)
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

const WHOAMI: &str = "/API/v3/whoami";

/// The first whoami is a 429 with `Retry-After: {retry_after}`; every later one succeeds.
async fn rate_limited_once_then_ok(server: &MockServer, retry_after: &str) {
    mount_once(
        server,
        WHOAMI,
        ResponseTemplate::new(429).insert_header("retry-after", retry_after),
    )
    .await;
    mount_always(server, WHOAMI, whoami_ok()).await;
}

#[tokio::test]
async fn rate_limit_honours_retry_after_then_succeeds() {
    let server = MockServer::start().await;
    rate_limited_once_then_ok(&server, "1").await;
    let started = Instant::now();
    let me = client(&server, 3).whoami().await.unwrap();
    assert_eq!(me.user_id, "UR_1");
    // The backoff alone would wait 5 ms; Retry-After asks for 1 s.
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn retry_after_is_capped_by_the_policy() {
    let server = MockServer::start().await;
    rate_limited_once_then_ok(&server, "3600").await;
    let policy = qualtrics::RetryPolicy {
        max_delay: Duration::from_millis(50),
        ..common::fast_retry(2)
    };
    let c = qualtrics::Client::builder()
        .retry_policy(policy)
        .build(
            common::base_for(&server.uri()),
            Credentials::api_token(TOKEN),
        )
        .unwrap();
    let started = Instant::now();
    c.whoami().await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn server_error_burst_is_retried() {
    let server = MockServer::start().await;
    for status in [503, 500, 502] {
        mount_once(&server, WHOAMI, ResponseTemplate::new(status)).await;
    }
    mount_always(&server, WHOAMI, whoami_ok()).await;
    client(&server, 4).whoami().await.unwrap();
    assert_eq!(requests(&server).await, 4);
}

#[tokio::test]
async fn gives_up_after_max_retries() {
    let server = MockServer::start().await;
    mount_always(
        &server,
        WHOAMI,
        ResponseTemplate::new(503).set_body_json(error_body(
            "503 - Service Unavailable",
            "SVC_1",
            "Down.",
        )),
    )
    .await;
    let err = client(&server, 2).whoami().await.unwrap_err();
    assert_eq!(requests(&server).await, 3, "first attempt + 2 retries");
    assert_eq!(err.kind(), ErrorKind::Network);
    assert!(err.to_string().contains("after 3 attempt(s)"), "{err}");

    let server = MockServer::start().await;
    mount_always(&server, WHOAMI, ResponseTemplate::new(429)).await;
    let err = client(&server, 4).whoami().await.unwrap_err();
    assert_eq!(requests(&server).await, 5);
    assert!(err.is_rate_limited(), "{err}");
}

#[tokio::test]
async fn client_errors_are_never_retried() {
    for status in [400, 401, 403, 404] {
        let server = MockServer::start().await;
        mount_always(&server, WHOAMI, ResponseTemplate::new(status)).await;
        let err = client(&server, 4).whoami().await.unwrap_err();
        assert_eq!(
            requests(&server).await,
            1,
            "status {status} must not be retried"
        );
        assert_eq!(err.status(), Some(status));
    }
}

#[tokio::test]
async fn export_start_is_retried_only_where_no_job_can_exist() {
    let started = export_started("ES_9");
    // 503 / 429: the job was not created, retrying is safe.
    for status in [503, 429] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(status))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .respond_with(started.clone())
            .mount(&server)
            .await;
        let start = client(&server, 3)
            .start_export("SV_1", &ExportRequest::new())
            .await
            .unwrap();
        assert_eq!(start.progress_id, "ES_9");
        assert_eq!(requests(&server).await, 2);
    }
    // 500 / 502: a job may have been created; do not start a second one.
    for status in [500, 502] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(status))
            .mount(&server)
            .await;
        let err = client(&server, 3)
            .start_export("SV_1", &ExportRequest::new())
            .await
            .unwrap_err();
        assert_eq!(requests(&server).await, 1);
        assert_eq!(err.kind(), ErrorKind::Network);
    }
}

#[tokio::test]
async fn polls_and_downloads_are_retried_inside_the_flow() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(export_started("ES_1"))
        .mount(&server)
        .await;
    Mock::given(path("/API/v3/surveys/SV_1/export-responses/ES_1"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(path("/API/v3/surveys/SV_1/export-responses/ES_1"))
        .respond_with(ok_json(serde_json::json!(
            {"percentComplete": 100.0, "status": "complete", "fileId": "F-def"})))
        .mount(&server)
        .await;
    mount_once(
        &server,
        "/API/v3/surveys/SV_1/export-responses/F-def/file",
        ResponseTemplate::new(429).insert_header("retry-after", "0"),
    )
    .await;
    Mock::given(path("/API/v3/surveys/SV_1/export-responses/F-def/file"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"responses":[{"responseId":"R_1","values":{}}]}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let summary = client(&server, 3)
        .export_responses(
            "SV_1",
            &ExportRequest::new().compress(false),
            |_| {},
            |_| Ok(()),
        )
        .await
        .unwrap();
    assert_eq!(summary.responses, 1);
    assert_eq!(summary.http_requests, 1 + 3 + 2);
}
