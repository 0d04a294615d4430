//! Auth errors, whoami shape, OAuth client credentials and expiry, unknown routes.

use std::time::Duration;

use crate::common::*;
use qualtrics_sim::catalog::{
    self, API_TOKEN, NO_SURVEYS_TOKEN, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET,
};
use qualtrics_sim::SimConfig;
use serde_json::Value;

/// `GET /API/v3/whoami` with `Authorization: Bearer {token}`.
async fn whoami_bearer(sim: &qualtrics_sim::SimHandle, token: &str) -> reqwest::Response {
    client()
        .get(format!("{}/API/v3/whoami", sim.base_url()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn missing_auth_is_400_atp_2() {
    let sim = start_default().await;
    let resp = client()
        .get(format!("{}/API/v3/whoami", sim.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["meta"]["httpStatus"], "400 - Bad Request");
    assert_eq!(body["meta"]["error"]["errorCode"], "ATP_2");
    assert!(body["meta"]["error"]["errorMessage"]
        .as_str()
        .unwrap()
        .starts_with("Expected authorization in headers, but none"));
    assert!(body.get("result").is_none());
    assert!(body["meta"]["requestId"].is_string());
}

#[tokio::test]
async fn unknown_token_is_401_dcd_7() {
    let sim = start_default().await;
    let (status, body) = get(&sim, "/API/v3/whoami", "x".repeat(40).as_str()).await;
    assert_eq!(status, 401);
    assert_eq!(body["meta"]["httpStatus"], "401 - Unauthorized");
    assert_eq!(body["meta"]["error"]["errorCode"], "DCD_7");
    assert_eq!(
        body["meta"]["error"]["errorMessage"],
        "Unrecognized X-API-TOKEN."
    );
    let (status, _) = get(&sim, "/API/v3/surveys", "nope").await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn whoami_has_documented_fields_and_configured_datacenter() {
    let sim = start(SimConfig {
        datacenter: "fra1".into(),
        ..SimConfig::default()
    })
    .await;
    let (status, body) = get(&sim, "/API/v3/whoami", API_TOKEN).await;
    assert_eq!(status, 200);
    assert_eq!(body["meta"]["httpStatus"], "200 - OK");
    let r = &body["result"];
    for key in [
        "brandId",
        "userId",
        "userName",
        "accountType",
        "firstName",
        "lastName",
        "email",
        "datacenter",
    ] {
        assert!(r[key].is_string(), "whoami.{key} missing: {r}");
    }
    assert_eq!(r["datacenter"], "fra1");
    assert_eq!(r["userId"], catalog::MAIN_USER_ID);
    assert!(r["userName"]
        .as_str()
        .unwrap()
        .ends_with(&format!("#{}", r["brandId"].as_str().unwrap())));
    let (_, other) = get(&sim, "/API/v3/whoami", NO_SURVEYS_TOKEN).await;
    assert_eq!(other["result"]["userId"], catalog::NO_SURVEYS_USER_ID);
}

async fn oauth(
    sim: &qualtrics_sim::SimHandle,
    id: &str,
    secret: &str,
    basic: bool,
) -> reqwest::Response {
    let mut req = client().post(format!("{}/oauth2/token", sim.base_url()));
    let mut form = vec![
        ("grant_type", "client_credentials"),
        ("scope", "read:surveys read:survey_responses"),
    ];
    if basic {
        req = req.basic_auth(id, Some(secret));
    } else {
        form.push(("client_id", id));
        form.push(("client_secret", secret));
    }
    req.form(&form).send().await.unwrap()
}

#[tokio::test]
async fn oauth_client_credentials_issue_bearer_tokens() {
    let sim = start_default().await;
    for basic in [true, false] {
        let resp = oauth(&sim, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, basic).await;
        assert_eq!(resp.status(), 200);
        let body: Value = resp.json().await.unwrap();
        assert!(body.get("meta").is_none(), "plain OAuth JSON, no envelope");
        assert_eq!(body["token_type"], "Bearer");
        assert_eq!(body["expires_in"], 3600);
        assert_eq!(body["scope"], "read:surveys read:survey_responses");
        let token = body["access_token"].as_str().unwrap();
        let who: Value = whoami_bearer(&sim, token).await.json().await.unwrap();
        assert_eq!(who["result"]["userId"], catalog::MAIN_USER_ID);
    }
}

#[tokio::test]
async fn oauth_bad_client_is_401_invalid_client() {
    let sim = start_default().await;
    let resp = oauth(&sim, OAUTH_CLIENT_ID, "wrong-secret", true).await;
    assert_eq!(resp.status(), 401);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"], "invalid_client");
    assert!(body["error_description"].is_string());
    assert!(
        !body.to_string().contains("wrong-secret"),
        "secret never echoed"
    );
    let resp = client()
        .post(format!("{}/oauth2/token", sim.base_url()))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
}

#[tokio::test]
async fn oauth_tokens_expire() {
    let sim = start(SimConfig {
        oauth_expires_in: 1,
        ..SimConfig::default()
    })
    .await;
    let body: Value = oauth(&sim, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, true)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["expires_in"], 1);
    let token = body["access_token"].as_str().unwrap().to_string();
    assert_eq!(whoami_bearer(&sim, &token).await.status(), 200);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let resp = whoami_bearer(&sim, &token).await;
    assert_eq!(resp.status(), 401);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["meta"]["error"]["errorCode"], "DCD_7");
    let resp = whoami_bearer(&sim, "not-issued").await;
    assert_eq!(resp.status(), 401);
}

#[tokio::test]
async fn unknown_route_is_404_envelope() {
    let sim = start_default().await;
    let (status, body) = get(&sim, "/API/v3/no-such-thing", API_TOKEN).await;
    assert_eq!(status, 404);
    assert_eq!(body["meta"]["httpStatus"], "404 - Not Found");
    assert_eq!(
        body["meta"]["error"]["errorMessage"],
        "The requested resource does not exist."
    );
    assert!(body["meta"]["error"]["errorCode"].is_string());
}

#[tokio::test]
async fn handle_debug_output_never_shows_tokens() {
    let sim = start_default().await;
    let body: Value = oauth(&sim, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, true)
        .await
        .json()
        .await
        .unwrap();
    let token = body["access_token"].as_str().unwrap();
    let debug = format!("{sim:?}");
    assert!(debug.contains("oauth_grants: 1"), "{debug}");
    for secret in [token, API_TOKEN, OAUTH_CLIENT_SECRET] {
        assert!(!debug.contains(secret), "secret leaked into Debug output");
    }
}

#[tokio::test]
async fn api_token_calls_to_the_wrong_datacenter_are_proxied_with_a_notice() {
    let sim = start(SimConfig {
        datacenter: "iad1".into(),
        host_datacenter: Some("fra1".into()),
        ..SimConfig::default()
    })
    .await;
    let (status, body) = get(&sim, "/API/v3/whoami", API_TOKEN).await;
    assert_eq!(status, 200);
    assert_eq!(body["result"]["datacenter"], "iad1");
    assert_eq!(
        body["meta"]["notice"],
        "Request proxied. For faster response times, use this host instead: iad1.qualtrics.com"
    );
    assert!(body["meta"]["requestId"].is_string());
    let (_, list) = get(&sim, "/API/v3/surveys", API_TOKEN).await;
    assert!(
        list["meta"]["notice"].is_string(),
        "every API-token call is proxied"
    );
    let (status, err) = get(&sim, "/API/v3/surveys/SV_nope", API_TOKEN).await;
    assert_eq!(status, 404);
    assert!(
        err["meta"].get("notice").is_none(),
        "errors are left as they are"
    );
    let form = format!("grant_type=client_credentials&client_id={OAUTH_CLIENT_ID}&client_secret={OAUTH_CLIENT_SECRET}");
    let token: Value = client()
        .post(format!("{}/oauth2/token", sim.base_url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let bearer: Value = whoami_bearer(&sim, token["access_token"].as_str().unwrap())
        .await
        .json()
        .await
        .unwrap();
    assert!(
        bearer["meta"].get("notice").is_none(),
        "OAuth calls are not proxied"
    );

    let home = start(SimConfig {
        host_datacenter: Some("iad1".into()),
        ..SimConfig::default()
    })
    .await;
    let (_, body) = get(&home, "/API/v3/whoami", API_TOKEN).await;
    assert!(
        body["meta"].get("notice").is_none(),
        "the right datacenter adds no notice"
    );
}

#[tokio::test]
async fn reject_oauth_client_fault_refuses_new_tokens_but_not_issued_ones() {
    let sim = start_default().await;
    let resp = oauth(&sim, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, true).await;
    let issued: Value = resp.json().await.unwrap();
    let issued = issued["access_token"].as_str().unwrap().to_string();
    sim.faults().reject_oauth_client(true);
    let resp = oauth(&sim, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, true).await;
    assert_eq!(resp.status(), 401);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"], "invalid_client");
    assert_eq!(whoami_bearer(&sim, &issued).await.status(), 200);
    sim.faults().reset();
    let resp = oauth(&sim, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, true).await;
    assert_eq!(resp.status(), 200);
}
