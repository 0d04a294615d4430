//! What a connection check concludes beyond "the token works": the datacenter the
//! credentials belong to, a survey list that cannot be read, and a list failure reported
//! instead of hidden behind the cache.

use std::sync::Arc;
use std::time::Duration;

use crate::app_support::*;
use pulsemap_core::dto::ConnectionState;
use pulsemap_core::ErrorKind;
use qualtrics_sim::catalog::API_TOKEN;
use qualtrics_sim::{SimConfig, SimHandle};

async fn sim(config: SimConfig) -> SimHandle {
    SimHandle::start(config).await.expect("simulator starts")
}

#[tokio::test]
async fn credentials_of_another_datacenter_are_saved_naming_the_right_host() {
    let wrong = sim(SimConfig {
        datacenter: "iad1".into(),
        host_datacenter: Some("fra1".into()),
        ..Default::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let app = open_app(dir.path(), Arc::new(MemorySecrets::default()));
    let status = app
        .save_connection(token_input(&wrong.host(), API_TOKEN))
        .await
        .unwrap();
    assert_eq!(status.state, ConnectionState::WrongDatacenter, "{status:?}");
    assert_eq!(status.error_kind, Some(ErrorKind::WrongDatacenter));
    assert_eq!(
        status.suggested_base_url.as_deref(),
        Some("iad1.qualtrics.com")
    );
    assert_eq!(status.datacenter.as_deref(), Some("iad1"));
    assert!(status.survey_count.unwrap() > 0, "proxied calls work");
    assert!(status
        .message
        .as_deref()
        .unwrap()
        .contains("iad1.qualtrics.com"));
    // Painted from SQLite alike, and kept by a later successful refresh of the list.
    app.list_surveys().await.unwrap();
    let cached = app.cached_connection_status().unwrap();
    assert_eq!(cached.state, ConnectionState::WrongDatacenter);
    assert_eq!(cached.suggested_base_url, status.suggested_base_url);
    let log = app.store().list_connection_log(20).unwrap();
    assert!(log.iter().any(|e| e.event == "datacenter"), "{log:?}");

    // The same credentials on their own datacenter: plain connected, nothing suggested.
    let right = sim(SimConfig {
        host_datacenter: Some("iad1".into()),
        ..Default::default()
    })
    .await;
    let status = app
        .save_connection(token_input(&right.host(), ""))
        .await
        .unwrap();
    assert_eq!(status.state, ConnectionState::Connected, "{status:?}");
    assert_eq!(status.suggested_base_url, None);
    assert_eq!(status.error_kind, None);
}

#[tokio::test]
async fn a_survey_list_that_cannot_be_read_is_not_connected() {
    let s = sim(SimConfig {
        page_size: 2,
        ..Default::default()
    })
    .await;
    s.faults().cycle_next_page(true);
    let dir = tempfile::tempdir().unwrap();
    let app = open_app(dir.path(), Arc::new(MemorySecrets::default()));
    let save = app.save_connection(token_input(&s.host(), API_TOKEN));
    let status = tokio::time::timeout(Duration::from_secs(30), save)
        .await
        .expect("paging stops at the cycle")
        .unwrap();
    assert_eq!(
        status.state,
        ConnectionState::ConnectionFailed,
        "{status:?}"
    );
    assert_eq!(status.error_kind, Some(ErrorKind::Malformed));
    assert!(
        status
            .message
            .as_deref()
            .unwrap()
            .contains("survey list could not be read"),
        "{status:?}"
    );
    let err = app.sync_surveys().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Malformed);

    s.faults().reset();
    let live = app.connection_status().await.unwrap();
    assert_eq!(
        live.state,
        ConnectionState::Connected,
        "a later success clears it"
    );
}

#[tokio::test]
async fn sync_surveys_reports_a_revoked_token_and_list_surveys_falls_back_to_the_cache() {
    let t = connected().await;
    let before = t.app.sync_surveys().await.unwrap();
    t.sim.faults().revoke_token(true);
    let err = t.app.sync_surveys().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TokenRevoked);
    assert_eq!(
        t.app.cached_connection_status().unwrap().state,
        ConnectionState::TokenRevoked
    );
    assert_eq!(
        t.app.list_surveys().await.unwrap(),
        before,
        "the UI still paints the cache"
    );
    let dir = tempfile::tempdir().unwrap();
    let fresh = open_app(dir.path(), Arc::new(MemorySecrets::default()));
    assert_eq!(
        fresh.sync_surveys().await.unwrap_err().kind(),
        ErrorKind::NotConfigured
    );
    assert!(fresh.list_surveys().await.unwrap().is_empty());
}
