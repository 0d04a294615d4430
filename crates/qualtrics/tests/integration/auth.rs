//! Authentication: token header, OAuth client-credentials exchange, token cache and renewal,
//! and secrets never leaking into Debug output or errors.

use crate::common;

use std::time::Duration;

use crate::common::{client_with, envelope, error_body, token_client, TOKEN};
use qualtrics::{Client, Credentials, ErrorKind, Secret};
use wiremock::matchers::{body_string_contains, header, header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLIENT_ID: &str = "client-id-123";
const CLIENT_SECRET: &str = "SECRETclientvalue987654321";

fn whoami_body() -> serde_json::Value {
    envelope(
        serde_json::json!({"brandId": "mybrand", "userId": "UR_1", "userName": "jane@x.com#mybrand",
        "accountType": "UT_BRANDADMIN", "firstName": "Jane", "lastName": "Doe", "email": "jane@x.com",
        "datacenter": "iad1", "language": "EN"}),
    )
}

fn oauth_client(uri: &str) -> Client {
    client_with(
        uri,
        Credentials::OAuth {
            client_id: CLIENT_ID.into(),
            client_secret: Secret::new(CLIENT_SECRET),
            scope: Some("read:surveys read:survey_responses".into()),
        },
        2,
    )
}

fn basic_auth_value() -> String {
    use base64::Engine;
    let raw = format!("{CLIENT_ID}:{CLIENT_SECRET}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

fn token_answer(token: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "access_token": token, "token_type": "Bearer", "expires_in": expires_in, "scope": "read:surveys"}))
}

fn whoami_answer() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(whoami_body())
}

/// The 401 Qualtrics gives a token it does not recognise.
fn unrecognized_token() -> ResponseTemplate {
    ResponseTemplate::new(401).set_body_json(error_body(
        "401 - Unauthorized",
        "DCD_7",
        "Unrecognized X-API-TOKEN.",
    ))
}

/// The token endpoint hands out `first` exactly once, then `then` exactly once.
async fn mount_token_sequence(server: &MockServer, first: (&str, u64), then: (&str, u64)) {
    Mock::given(path("/oauth2/token"))
        .respond_with(token_answer(first.0, first.1))
        .up_to_n_times(1)
        .expect(1)
        .mount(server)
        .await;
    Mock::given(path("/oauth2/token"))
        .respond_with(token_answer(then.0, then.1))
        .expect(1)
        .mount(server)
        .await;
}

/// whoami sent with `Bearer {bearer}` is answered with `answer`, exactly once.
async fn mount_whoami_for(server: &MockServer, bearer: &str, answer: ResponseTemplate) {
    Mock::given(path("/API/v3/whoami"))
        .and(header("authorization", format!("Bearer {bearer}").as_str()))
        .respond_with(answer)
        .expect(1)
        .mount(server)
        .await;
}

#[test]
fn secrets_never_print() {
    let s = Secret::new("  abcdefghijklmnop1234 ");
    assert_eq!(s.expose(), "abcdefghijklmnop1234");
    assert_eq!(format!("{s}"), "***");
    assert_eq!(format!("{s:?}"), "***");
    assert_eq!(s.masked(), "••••1234");
    assert_eq!(Secret::new("abcd").masked(), "••••cd");
    let creds = Credentials::OAuth {
        client_id: "id".into(),
        client_secret: Secret::new(CLIENT_SECRET),
        scope: None,
    };
    assert!(!format!("{creds:?}").contains(CLIENT_SECRET));
    let creds = Credentials::api_token(TOKEN);
    assert!(!format!("{creds:?}").contains(TOKEN));
}

#[tokio::test]
async fn api_token_goes_in_the_x_api_token_header() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/API/v3/whoami"))
        .and(header("x-api-token", TOKEN))
        .respond_with(whoami_answer())
        .expect(1)
        .mount(&server)
        .await;
    let me = token_client(&server.uri()).whoami().await.unwrap();
    assert_eq!(me.user_id, "UR_1");
    assert_eq!(me.brand_id.as_deref(), Some("mybrand"));
    assert_eq!(me.datacenter.as_deref(), Some("iad1"));
    assert_eq!(me.account_type.as_deref(), Some("UT_BRANDADMIN"));
    let client = token_client(&server.uri());
    assert!(!format!("{client:?}").contains(TOKEN));
}

#[tokio::test]
async fn rejected_token_is_unauthorized_with_qualtrics_code_and_no_token_in_message() {
    let server = MockServer::start().await;
    Mock::given(path("/API/v3/whoami"))
        .respond_with(unrecognized_token())
        .expect(1)
        .mount(&server)
        .await;
    let err = token_client(&server.uri()).whoami().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized);
    assert!(err.is_unauthorized());
    assert_eq!(
        err.to_string(),
        "Qualtrics rejected the API token (DCD_7: Unrecognized X-API-TOKEN.)"
    );
    assert_eq!(err.error_code(), Some("DCD_7"));
    assert_eq!(err.request_id(), Some("req-err"));
    assert_eq!(err.status(), Some(401));
    assert!(!format!("{err} {err:?}").contains(TOKEN));
}

#[tokio::test]
async fn empty_credentials_are_refused_before_any_request() {
    let server = MockServer::start().await;
    let base = common::base_for(&server.uri());
    let err = Client::new(base.clone(), Credentials::api_token("   ")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadRequest);
    let err = Client::new(
        base,
        Credentials::OAuth {
            client_id: "id".into(),
            client_secret: Secret::new(""),
            scope: None,
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("client secret is empty"));
}

#[tokio::test]
async fn oauth_exchanges_client_credentials_once_and_reuses_the_bearer_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .and(header("authorization", basic_auth_value().as_str()))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string_contains("grant_type=client_credentials"))
        .and(body_string_contains(
            "scope=read%3Asurveys+read%3Asurvey_responses",
        ))
        .respond_with(token_answer("bearer-one", 3600))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/API/v3/whoami"))
        .and(header("authorization", "Bearer bearer-one"))
        .respond_with(whoami_answer())
        .expect(3)
        .mount(&server)
        .await;
    let client = oauth_client(&server.uri());
    for _ in 0..3 {
        client.clone().whoami().await.unwrap();
    }
}

#[tokio::test]
async fn oauth_token_is_renewed_before_it_expires() {
    let server = MockServer::start().await;
    mount_token_sequence(&server, ("short-lived", 1), ("second", 3600)).await;
    mount_whoami_for(&server, "short-lived", whoami_answer()).await;
    mount_whoami_for(&server, "second", whoami_answer()).await;
    let client = oauth_client(&server.uri());
    client.whoami().await.unwrap();
    // Lifetime 1 s, renewal margin 10 % → renewed after 0.9 s, before Qualtrics would reject it.
    tokio::time::sleep(Duration::from_millis(950)).await;
    client.whoami().await.unwrap();
}

#[tokio::test]
async fn oauth_token_rejected_with_401_is_renewed_once() {
    let server = MockServer::start().await;
    mount_token_sequence(&server, ("stale", 3600), ("fresh", 3600)).await;
    mount_whoami_for(&server, "stale", unrecognized_token()).await;
    mount_whoami_for(&server, "fresh", whoami_answer()).await;
    oauth_client(&server.uri()).whoami().await.unwrap();
}

#[tokio::test]
async fn oauth_401_after_renewal_is_unauthorized_not_a_loop() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth2/token"))
        .respond_with(token_answer("any", 3600))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(path("/API/v3/whoami"))
        .and(header_exists("authorization"))
        .respond_with(unrecognized_token())
        .expect(2)
        .mount(&server)
        .await;
    let err = oauth_client(&server.uri()).whoami().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized);
    assert!(err.to_string().contains("OAuth access token"), "{err}");
    assert!(
        !err.is_token_request(),
        "the token request itself succeeded; the API call failed"
    );
}

#[tokio::test]
async fn rejected_client_credentials_are_unauthorized_without_the_secret() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth2/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "error": "invalid_client", "error_description": "Client authentication failed"})))
        .expect(1)
        .mount(&server)
        .await;
    let err = oauth_client(&server.uri()).whoami().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized);
    assert_eq!(
        err.to_string(),
        "Qualtrics rejected the OAuth client credentials (invalid_client: Client authentication failed)"
    );
    assert!(!format!("{err} {err:?}").contains(CLIENT_SECRET));
    assert!(
        err.is_token_request(),
        "the failure came from POST /oauth2/token"
    );
    assert_eq!(err.status(), Some(401));
}
