//! Shared test setup: a client pointed at a loopback server with fast retries and polling.

#![allow(dead_code)]

pub mod cassette;

use std::time::Duration;

use qualtrics::{BaseUrl, Client, Credentials, HostPolicy, PollPolicy, RetryPolicy};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const TOKEN: &str = "TESTtoken0123456789abcdefghijklmnopqrstu";

/// Retries quickly (no jitter) so tests stay fast.
pub fn fast_retry(max_retries: usize) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        min_delay: Duration::from_millis(5),
        max_delay: Duration::from_secs(5),
        jitter: false,
    }
}

pub fn fast_poll() -> PollPolicy {
    PollPolicy {
        first: Duration::ZERO,
        initial: Duration::from_millis(5),
        max: Duration::from_millis(40),
        factor: 2.0,
        timeout: Duration::from_secs(20),
    }
}

/// `uri` is `http://127.0.0.1:PORT` (wiremock) or a sim host.
pub fn base_for(uri: &str) -> BaseUrl {
    BaseUrl::parse(uri, HostPolicy::AllowLoopback).expect("loopback base URL")
}

pub fn client_with(uri: &str, credentials: Credentials, retries: usize) -> Client {
    Client::builder()
        .retry_policy(fast_retry(retries))
        .poll_policy(fast_poll())
        .request_timeout(Duration::from_secs(10))
        .build(base_for(uri), credentials)
        .expect("client")
}

pub fn token_client(uri: &str) -> Client {
    client_with(uri, Credentials::api_token(TOKEN), 3)
}

/// `{"result": result, "meta": {...}}`.
pub fn envelope(result: serde_json::Value) -> serde_json::Value {
    serde_json::json!({"result": result, "meta": {"httpStatus": "200 - OK", "requestId": "req-1"}})
}

/// An error body the way Qualtrics writes it.
pub fn error_body(status_line: &str, code: &str, message: &str) -> serde_json::Value {
    serde_json::json!({"meta": {"httpStatus": status_line, "requestId": "req-err",
        "error": {"errorCode": code, "errorMessage": message}}})
}

/// 200 with `result` in the Qualtrics envelope.
pub fn ok_json(result: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(envelope(result))
}

/// 200 `{"userId": "UR_1"}`: the smallest whoami answer.
pub fn whoami_ok() -> ResponseTemplate {
    ok_json(serde_json::json!({"userId": "UR_1"}))
}

/// The answer to an export start: job `progress_id` created, 0 % done.
pub fn export_started(progress_id: &str) -> ResponseTemplate {
    ok_json(serde_json::json!(
        {"progressId": progress_id, "percentComplete": 0.0, "status": "inProgress"}))
}

/// Answer the first request to `route` with `answer`; later requests fall through to
/// mocks mounted after this one.
pub async fn mount_once(server: &MockServer, route: &str, answer: ResponseTemplate) {
    Mock::given(path(route))
        .respond_with(answer)
        .up_to_n_times(1)
        .mount(server)
        .await;
}

/// Answer every request to `route` with `answer`.
pub async fn mount_always(server: &MockServer, route: &str, answer: ResponseTemplate) {
    Mock::given(path(route))
        .respond_with(answer)
        .mount(server)
        .await;
}
