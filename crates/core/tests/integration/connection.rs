//! Connection save / status / edit / delete against the simulator over loopback.

use std::sync::Arc;

use crate::app_support::*;
use pulsemap_core::dto::{AuthMethod, ConnectionState};
use pulsemap_core::ErrorKind;
use qualtrics_sim::catalog::{
    API_TOKEN, BRAND_ID, NO_SURVEYS_TOKEN, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET,
};

const BAD_TOKEN: &str = "BadToken0000000000000000000000000000wxyz";

#[tokio::test]
async fn not_configured_at_first() {
    let dir = tempfile::tempdir().unwrap();
    let app = open_app(dir.path(), Arc::new(MemorySecrets::default()));
    let status = app.connection_status().await.unwrap();
    assert_eq!(status.state, ConnectionState::NotConfigured);
    assert!(status.message.is_some());
}

#[tokio::test]
async fn good_token_saves_masked_settings_and_lists_surveys() {
    let t = connected().await;
    let status = t.app.cached_connection_status().unwrap();
    assert_eq!(status.state, ConnectionState::Connected);
    assert_eq!(status.auth_method, Some(AuthMethod::ApiToken));
    let tail = &API_TOKEN[API_TOKEN.len() - 4..];
    assert_eq!(
        status.masked_secret.as_deref(),
        Some(format!("••••{tail}").as_str())
    );
    assert_eq!(status.brand_id.as_deref(), Some(BRAND_ID));
    assert!(status.survey_count.unwrap() > 0);
    assert!(status.validated_at.is_some());
    assert_eq!(t.secrets.raw("api-token").as_deref(), Some(API_TOKEN));
    // Live re-check agrees.
    let live = t.app.connection_status().await.unwrap();
    assert_eq!(live.state, ConnectionState::Connected);
    // Nor in any Debug output of the facade (with its cached client).
    t.app.list_surveys().await.unwrap();
    let debug = format!("{:?} {:?}", t.app, status);
    assert!(!debug.contains(API_TOKEN), "{debug}");
    // The token is nowhere on disk.
    for (path, bytes) in all_bytes_under(t.dir.path()) {
        assert!(
            !contains(&bytes, API_TOKEN.as_bytes()),
            "token found in {}",
            path.display()
        );
    }
}

#[tokio::test]
async fn bad_token_is_rejected_and_nothing_is_stored() {
    let sim = start_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemorySecrets::default());
    let app = open_app(dir.path(), secrets.clone());
    let err = app
        .save_connection(token_input(&sim.host(), BAD_TOKEN))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized);
    assert!(!err.message().contains(BAD_TOKEN));
    assert!(secrets.is_empty());
    assert_eq!(
        app.cached_connection_status().unwrap().state,
        ConnectionState::NotConfigured
    );
    assert_eq!(
        pulsemap_core::connection::state_for_error(err.kind()),
        ConnectionState::TokenRejected
    );
    // The failure is logged, without the token.
    let log = app.store().list_connection_log(10).unwrap();
    assert!(log
        .iter()
        .any(|e| !e.ok && e.error_kind == Some(ErrorKind::Unauthorized)));
    for e in &log {
        assert!(!e.message.clone().unwrap_or_default().contains(BAD_TOKEN));
    }
}

#[tokio::test]
async fn failed_edit_keeps_the_previous_good_configuration() {
    let t = connected().await;
    let before = t.app.cached_connection_status().unwrap();
    let err = t
        .app
        .save_connection(token_input(&t.sim.host(), BAD_TOKEN))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized);
    assert_eq!(t.secrets.raw("api-token").as_deref(), Some(API_TOKEN));
    let after = t.app.cached_connection_status().unwrap();
    assert_eq!(after.masked_secret, before.masked_secret);
    assert_eq!(after.base_url, before.base_url);
    assert_eq!(after.state, ConnectionState::Connected);
    // Invalid host: also untouched.
    let err = t
        .app
        .save_connection(token_input("evil.example.com", API_TOKEN))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidBaseUrl);
    assert_eq!(
        t.app.cached_connection_status().unwrap().base_url,
        before.base_url
    );
}

#[tokio::test]
async fn edit_with_empty_token_keeps_stored_secret_and_new_token_replaces_it() {
    let t = connected().await;
    let status = t
        .app
        .save_connection(token_input(&t.sim.host(), ""))
        .await
        .unwrap();
    assert_eq!(status.state, ConnectionState::Connected);
    assert_eq!(t.secrets.raw("api-token").as_deref(), Some(API_TOKEN));
    // Switch to the no-surveys user's token: replaces the secret, state NoSurveys with advice.
    let status = t
        .app
        .save_connection(token_input(&t.sim.host(), NO_SURVEYS_TOKEN))
        .await
        .unwrap();
    assert_eq!(
        t.secrets.raw("api-token").as_deref(),
        Some(NO_SURVEYS_TOKEN)
    );
    assert_eq!(status.state, ConnectionState::NoSurveys);
    assert_eq!(status.survey_count, Some(0));
    let msg = status.message.unwrap();
    assert!(msg.contains("Share your surveys"), "{msg}");
    assert!(msg.contains(status.user_name.as_deref().unwrap()), "{msg}");
}

#[tokio::test]
async fn oauth_client_credentials_validate_and_store_the_client_secret() {
    let sim = start_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemorySecrets::default());
    let app = open_app(dir.path(), secrets.clone());
    let input = oauth_input(&sim.host(), OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET);
    assert!(!format!("{input:?}").contains(OAUTH_CLIENT_SECRET));
    let status = app.save_connection(input).await.unwrap();
    assert_eq!(status.state, ConnectionState::Connected);
    assert_eq!(status.auth_method, Some(AuthMethod::OAuth));
    assert_eq!(status.client_id.as_deref(), Some(OAUTH_CLIENT_ID));
    assert_eq!(
        secrets.raw("oauth-client-secret").as_deref(),
        Some(OAUTH_CLIENT_SECRET)
    );
    assert!(secrets.raw("api-token").is_none());
    let bad = oauth_input(&sim.host(), OAUTH_CLIENT_ID, "nope-nope");
    assert_eq!(
        app.save_connection(bad).await.unwrap_err().kind(),
        ErrorKind::Unauthorized
    );
    assert_eq!(
        secrets.raw("oauth-client-secret").as_deref(),
        Some(OAUTH_CLIENT_SECRET)
    );
}

#[tokio::test]
async fn revoked_token_is_reported_as_revoked() {
    let t = connected().await;
    t.sim.faults().revoke_token(true);
    let status = t.app.connection_status().await.unwrap();
    assert_eq!(status.state, ConnectionState::TokenRevoked);
    assert_eq!(status.error_kind, Some(ErrorKind::Unauthorized));
    // The saved configuration is kept (the user edits it with a new token).
    assert!(status.masked_secret.is_some());
    t.sim.faults().revoke_token(false);
    assert_eq!(
        t.app.connection_status().await.unwrap().state,
        ConnectionState::Connected
    );
}

#[tokio::test]
async fn loopback_needs_the_developer_switch() {
    let sim = start_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let mut options = pulsemap_core::app::Options::new(dir.path());
    options.allow_loopback = false;
    options.secret_store = Some(Arc::new(MemorySecrets::default()));
    let app = pulsemap_core::app::Pulsemap::open(options).unwrap();
    let err = app
        .save_connection(token_input(&sim.host(), API_TOKEN))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidBaseUrl);
    assert_eq!(
        sim.request_count(),
        0,
        "no request may leave without the switch"
    );
}

#[tokio::test]
async fn delete_removes_secret_and_settings() {
    let t = connected().await;
    t.app.delete_connection().unwrap();
    assert!(t.secrets.is_empty());
    assert_eq!(
        t.app.connection_status().await.unwrap().state,
        ConnectionState::NotConfigured
    );
    assert!(t
        .app
        .store()
        .list_settings("connection.")
        .unwrap()
        .is_empty());
}
