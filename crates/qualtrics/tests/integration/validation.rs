//! `Client::validate`: one attempt, a short overall timeout, and the right datacenter.

use std::time::{Duration, Instant};

use crate::common::{base_for, fast_retry};
use qualtrics::{Client, Credentials, ErrorKind, Secret};
use qualtrics_sim::catalog::{API_TOKEN, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET};
use qualtrics_sim::{SimConfig, SimHandle};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer};

fn client(host: &str, credentials: Credentials, timeout: Duration) -> Client {
    Client::builder()
        .retry_policy(fast_retry(4))
        .validation_timeout(timeout)
        .build(base_for(host), credentials)
        .unwrap()
}

fn oauth() -> Credentials {
    Credentials::OAuth {
        client_id: OAUTH_CLIENT_ID.into(),
        client_secret: Secret::new(OAUTH_CLIENT_SECRET),
        scope: None,
    }
}

#[tokio::test]
async fn a_host_that_never_answers_fails_after_one_attempt_within_the_timeout() {
    let sim = SimHandle::start(SimConfig::default()).await.unwrap();
    sim.faults().black_hole(true);
    for credentials in [Credentials::api_token(API_TOKEN), oauth()] {
        let before = sim.request_count();
        let started = Instant::now();
        let err = client(&sim.host(), credentials, Duration::from_millis(500))
            .validate()
            .await
            .unwrap_err();
        let waited = started.elapsed();
        assert_eq!(err.kind(), ErrorKind::Network, "{err}");
        assert!(err.to_string().contains("timed out"), "{err}");
        assert_eq!(sim.request_count() - before, 1, "sent once, never retried");
        assert!(waited < Duration::from_secs(3), "gave up after {waited:?}");
    }
}

#[tokio::test]
async fn a_server_error_is_not_retried_while_the_user_waits() {
    let sim = SimHandle::start(SimConfig::default()).await.unwrap();
    sim.faults().server_errors_next(1);
    let c = client(
        &sim.host(),
        Credentials::api_token(API_TOKEN),
        Duration::from_secs(5),
    );
    assert_eq!(c.validate().await.unwrap_err().kind(), ErrorKind::Network);
    assert_eq!(sim.request_count(), 1);
    let ok = c.validate().await.unwrap();
    assert!(ok.whoami.user_id.starts_with("UR_"));
    assert_eq!((ok.notice, ok.right_host), (None, None));
}

#[tokio::test]
async fn a_proxied_answer_names_the_right_datacenter_host() {
    let sim = SimHandle::start(SimConfig {
        datacenter: "iad1".into(),
        host_datacenter: Some("fra1".into()),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let c = client(
        &sim.host(),
        Credentials::api_token(API_TOKEN),
        Duration::from_secs(5),
    );
    let v = c.validate().await.unwrap();
    assert_eq!(v.whoami.datacenter.as_deref(), Some("iad1"));
    assert!(v.notice.as_deref().unwrap().starts_with("Request proxied"));
    assert_eq!(
        v.right_host.map(|h| h.host().to_string()).as_deref(),
        Some("iad1.qualtrics.com")
    );
}

#[tokio::test]
async fn a_notice_naming_something_else_than_a_qualtrics_host_is_ignored() {
    let server = MockServer::start().await;
    for notice in [
        "Request proxied. For faster response times, use this host instead: evil.example.com",
        "This endpoint is deprecated; see api.qualtrics.com for details.",
    ] {
        server.reset().await;
        let body = serde_json::json!({"result": {"userId": "UR_1", "datacenter": "iad1"},
            "meta": {"httpStatus": "200 - OK", "requestId": "r", "notice": notice}});
        Mock::given(path("/API/v3/whoami"))
            .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(body))
            .mount(&server)
            .await;
        let v = client(
            &server.uri(),
            Credentials::api_token(API_TOKEN),
            Duration::from_secs(5),
        )
        .validate()
        .await
        .unwrap();
        assert_eq!(v.right_host, None, "{notice}");
        assert_eq!(v.notice.as_deref(), Some(notice));
    }
}

#[test]
fn the_right_host_comes_from_the_notice_or_from_whoami_datacenter() {
    use qualtrics::{BaseUrl, HostPolicy, Validation, WhoAmI};
    let base = |h: &str| BaseUrl::parse(h, HostPolicy::QualtricsOnly).unwrap();
    let me = |dc: Option<&str>| WhoAmI {
        brand_id: None,
        user_id: "UR_1".into(),
        user_name: None,
        account_type: None,
        first_name: None,
        last_name: None,
        email: None,
        datacenter: dc.map(str::to_string),
    };
    let right = |b: &str, dc: Option<&str>, notice: Option<&str>| {
        Validation::right_host_for(&base(b), &me(dc), notice).map(|h| h.host().to_string())
    };
    assert_eq!(
        right("fra1.qualtrics.com", Some("iad1"), None).as_deref(),
        Some("iad1.qualtrics.com")
    );
    assert_eq!(
        right("brand.fra1.qualtrics.com", Some("IAD1"), None).as_deref(),
        Some("iad1.qualtrics.com")
    );
    assert_eq!(right("iad1.qualtrics.com", Some("iad1"), None), None);
    assert_eq!(right("brand.iad1.qualtrics.com", Some("iad1"), None), None);
    assert_eq!(
        right("umiami.qualtrics.com", Some("iad1"), None),
        None,
        "a vanity host names no datacenter"
    );
    assert_eq!(right("fra1.qualtrics.com", None, None), None);
    let notice =
        "Request proxied. For faster response times, use this host instead: pdx1.qualtrics.com";
    assert_eq!(
        right("umiami.qualtrics.com", Some("iad1"), Some(notice)).as_deref(),
        Some("pdx1.qualtrics.com"),
        "Qualtrics' own notice wins"
    );
    assert_eq!(
        right("pdx1.qualtrics.com", Some("pdx1"), Some(notice)),
        None
    );
}
