//! The connection's keychain entries through the real OS keychain (run under
//! `scripts/with-keyring.sh`): one entry per data dir, the migration from the entry older
//! versions shared, the masked-hint check, and atomic saves.

use chrono::Utc;
use std::path::Path;
use std::sync::Arc;

use crate::app_support::*;
use pulsemap_core::app::{Options, Pulsemap, DB_FILE};
use pulsemap_core::connection::KEY_ID_SETTING;
use pulsemap_core::dto::ConnectionState;
use pulsemap_core::secrets::{KeyringSecretStore, SecretStore};
use pulsemap_core::ErrorKind;
use qualtrics::Secret;
use qualtrics_sim::catalog::{API_TOKEN, NO_SURVEYS_TOKEN};

/// A keychain service of its own, standing for the shared `"pulsemap"` one.
fn service() -> String {
    format!("pulsemap-keys-test-{}", uuid::Uuid::new_v4())
}

fn keychain_app(dir: &Path, service: &str) -> Pulsemap {
    let mut options = Options::new(dir);
    options.allow_loopback = true;
    options.keyring_service = service.to_string();
    Pulsemap::open(options).expect("open app")
}

fn keyed_account(app: &Pulsemap) -> String {
    let id = app.store().get_setting(KEY_ID_SETTING).unwrap().unwrap();
    format!("api-token:{id}")
}

#[tokio::test]
async fn two_data_dirs_never_share_a_keychain_secret() {
    let sim = start_sim().await;
    let service = service();
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = keychain_app(dir_a.path(), &service);
    let b = keychain_app(dir_b.path(), &service);
    let saved_a = a
        .save_connection(token_input(&sim.host(), API_TOKEN))
        .await
        .unwrap();
    assert_eq!(saved_a.state, ConnectionState::Connected);
    // Another data dir connects another account (same keychain service).
    let saved_b = b
        .save_connection(token_input(&sim.host(), NO_SURVEYS_TOKEN))
        .await
        .unwrap();
    assert_eq!(saved_b.state, ConnectionState::NoSurveys);
    assert_ne!(saved_a.user_name, saved_b.user_name);

    // A still works as its own user, and its surveys are not marked deleted.
    let live_a = a.connection_status().await.unwrap();
    assert_eq!(
        live_a.state,
        ConnectionState::Connected,
        "{:?}",
        live_a.message
    );
    assert_eq!(live_a.user_name, saved_a.user_name);
    let surveys = a.cached_surveys().unwrap();
    assert!(!surveys.is_empty());
    assert!(surveys.iter().all(|s| !s.deleted), "{surveys:?}");

    let keychain = KeyringSecretStore::new(&service);
    assert_ne!(keyed_account(&a), keyed_account(&b));
    assert_eq!(
        keychain.get(&keyed_account(&a)).unwrap().unwrap().expose(),
        API_TOKEN
    );
    a.delete_connection().unwrap();
    assert!(keychain.get(&keyed_account(&a)).unwrap().is_none());
    assert_eq!(
        b.connection_status().await.unwrap().state,
        ConnectionState::NoSurveys
    );
    b.delete_connection().unwrap();
    assert!(keychain.get(&keyed_account(&b)).unwrap().is_none());
}

#[tokio::test]
async fn the_shared_entry_of_older_versions_is_migrated_on_first_use() {
    let sim = start_sim().await;
    let service = service();
    let dir = tempfile::tempdir().unwrap();
    let app = keychain_app(dir.path(), &service);
    app.save_connection(token_input(&sim.host(), API_TOKEN))
        .await
        .unwrap();
    // What an older version left behind: the secret only under the shared account.
    let keychain = KeyringSecretStore::new(&service);
    let own = keyed_account(&app);
    keychain.delete(&own).unwrap();
    keychain.set("api-token", &Secret::new(API_TOKEN)).unwrap();
    let app = keychain_app(dir.path(), &service);

    let status = app.connection_status().await.unwrap();
    assert_eq!(
        status.state,
        ConnectionState::Connected,
        "{:?}",
        status.message
    );
    assert_eq!(keychain.get(&own).unwrap().unwrap().expose(), API_TOKEN);
    let log = app.store().list_connection_log(20).unwrap();
    assert!(log.iter().any(|e| e.event == "migrate_secret" && e.ok));
    // Deleting the connection forgets that secret everywhere.
    app.delete_connection().unwrap();
    assert!(keychain.get(&own).unwrap().is_none());
    assert!(keychain.get("api-token").unwrap().is_none());
}

#[tokio::test]
async fn a_keychain_secret_that_does_not_match_the_hint_is_never_used() {
    let sim = start_sim().await;
    let service = service();
    let dir = tempfile::tempdir().unwrap();
    let app = keychain_app(dir.path(), &service);
    let saved = app
        .save_connection(token_input(&sim.host(), API_TOKEN))
        .await
        .unwrap();
    let keychain = KeyringSecretStore::new(&service);
    // The shared entry now holds another account's token (another data dir connected with an
    // older version), and this data dir has no entry of its own.
    keychain.delete(&keyed_account(&app)).unwrap();
    keychain
        .set("api-token", &Secret::new(NO_SURVEYS_TOKEN))
        .unwrap();
    let app = keychain_app(dir.path(), &service);
    let requests = sim.request_count();
    let status = app.connection_status().await.unwrap();
    assert_eq!(sim.request_count(), requests, "nothing may be sent");
    assert_eq!(status.error_kind, Some(ErrorKind::NotConfigured));
    let msg = status.message.unwrap_or_default();
    assert!(
        msg.contains("not the one this connection was saved with"),
        "{msg}"
    );
    assert!(!msg.contains(NO_SURVEYS_TOKEN) && !msg.contains(API_TOKEN));
    assert_eq!(status.user_name, saved.user_name);
    assert!(app.cached_surveys().unwrap().iter().all(|s| !s.deleted));
    // The same holds for this data dir's own entry replaced behind its back.
    keychain
        .set(&keyed_account(&app), &Secret::new(NO_SURVEYS_TOKEN))
        .unwrap();
    let survey = app.cached_surveys().unwrap()[0].id.clone();
    let err = app
        .refresh_survey(
            &survey,
            pulsemap_core::dto::RefreshMode::Force,
            Utc::now(),
            &|_| {},
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotConfigured, "{err}");
    assert_eq!(sim.request_count(), requests, "nothing may be sent");
    keychain.delete("api-token").unwrap();
    app.delete_connection().unwrap();
}

#[tokio::test]
async fn a_failed_settings_write_leaves_keychain_and_settings_as_they_were() {
    let sim = start_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemorySecrets::default());
    let app = open_app(dir.path(), secrets.clone());
    app.save_connection(token_input(&sim.host(), API_TOKEN))
        .await
        .unwrap();
    let before = app.cached_connection_status().unwrap();
    // Another process holds the database's write lock for longer than the busy timeout.
    let blocker = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let err = app
        .save_connection(token_input(&sim.host(), NO_SURVEYS_TOKEN))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Storage, "{err}");
    blocker.execute_batch("ROLLBACK").unwrap();
    drop(blocker);

    assert_eq!(secrets.raw("api-token").as_deref(), Some(API_TOKEN));
    let after = app.cached_connection_status().unwrap();
    assert_eq!(after.masked_secret, before.masked_secret);
    assert_eq!(after.user_name, before.user_name);
    assert_eq!(
        app.connection_status().await.unwrap().state,
        ConnectionState::Connected
    );
}
