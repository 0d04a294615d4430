//! The real OS keychain (run under `scripts/with-keyring.sh`), and the no-keychain path.

use pulsemap_core::secrets::{KeyringSecretStore, SecretStore};
use pulsemap_core::ErrorKind;
use qualtrics::Secret;

const CHILD_ENV: &str = "PULSEMAP_SECRETS_TEST_CHILD";

fn service() -> String {
    format!("pulsemap-test-{}", uuid::Uuid::new_v4())
}

#[test]
fn real_keychain_round_trip() {
    if std::env::var_os(CHILD_ENV).is_some() {
        return;
    }
    let store = KeyringSecretStore::new(service());
    let account = "api-token";
    assert!(store.get(account).expect("keychain reachable").is_none());
    store
        .set(account, &Secret::new("first-token-0001"))
        .unwrap();
    assert_eq!(
        store.get(account).unwrap().unwrap().expose(),
        "first-token-0001"
    );
    store
        .set(account, &Secret::new("second-token-0002"))
        .unwrap();
    assert_eq!(
        store.get(account).unwrap().unwrap().expose(),
        "second-token-0002"
    );
    // A different service name does not see it.
    let other = KeyringSecretStore::new(service());
    assert!(other.get(account).unwrap().is_none());
    store.delete(account).unwrap();
    assert!(store.get(account).unwrap().is_none());
    store.delete(account).unwrap();
}

/// Runs inside a child process whose session bus points nowhere.
#[test]
fn child_no_keychain() {
    if std::env::var_os(CHILD_ENV).is_none() {
        return;
    }
    let store = KeyringSecretStore::new(service());
    let err = store
        .set("api-token", &Secret::new("must-not-be-stored-9876"))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::KeychainUnavailable, "{err}");
    assert!(!err.message().contains("must-not-be-stored-9876"));
    assert!(err.message().contains("keychain"), "{}", err.message());
    let err = store.get("api-token").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::KeychainUnavailable);
    println!("CHILD_SAW_KEYCHAIN_UNAVAILABLE");
}

#[test]
fn no_secret_service_is_keychain_unavailable() {
    if std::env::var_os(CHILD_ENV).is_some() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "secrets_keychain::child_no_keychain",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, "1")
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            format!("unix:path={}/no-bus", dir.path().display()),
        )
        .env_remove("DBUS_STARTER_ADDRESS")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "child failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("CHILD_SAW_KEYCHAIN_UNAVAILABLE"),
        "{stdout}"
    );
}
