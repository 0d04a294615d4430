//! Secrets (API tokens, OAuth client secrets) in the OS keychain.
//!
//! Contract:
//! - [`SecretStore`] gets, sets and deletes one secret per *account* name (e.g. `"api-token"`).
//! - [`KeyringSecretStore`] is the only production implementation: it talks to the OS keychain
//!   through the `keyring` crate (Secret Service over D-Bus on Linux) under a configurable
//!   service name (`"pulsemap"` by default; tests use their own). Each desktop uses its own
//!   keychain: Secret Service on Linux/BSD, the macOS Keychain, the Windows Credential Manager
//!   (target-specific `keyring` features in `Cargo.toml`).
//! - It never uses `keyring`'s in-memory mock store (what `keyring` falls back to on a target
//!   built without a back end, and which forgets the token on restart): an entry that would be
//!   a mock fails with [`ErrorKind::KeychainUnavailable`] instead. [`keychain_backend`] names
//!   the back end in use.
//! - When no keychain is reachable (no Secret Service on the session bus, the collection is
//!   locked, access denied...) every operation fails with [`ErrorKind::KeychainUnavailable`]
//!   and a message saying what to do. There is **no plaintext fallback**, ever.
//! - Secret values travel as [`Secret`] (Debug prints `***`) and never appear in an error
//!   message.
//! - `delete` of an absent entry succeeds (idempotent); `get` of an absent entry is `Ok(None)`.

use std::fmt;

use qualtrics::Secret;

use crate::error::{Error, ErrorKind, Result};

/// Default keychain service name under which Pulsemap stores its secrets.
pub const DEFAULT_SERVICE: &str = "pulsemap";

/// Storage of secrets by account name. Implementations must never persist in plaintext.
pub trait SecretStore: Send + Sync + fmt::Debug {
    /// The secret stored for `account`, or `None` when there is none.
    fn get(&self, account: &str) -> Result<Option<Secret>>;
    /// Stores (or replaces) the secret for `account`.
    fn set(&self, account: &str, secret: &Secret) -> Result<()>;
    /// Removes the secret for `account`; succeeds when there is none.
    fn delete(&self, account: &str) -> Result<()>;
}

/// The OS keychain, through the `keyring` crate.
#[derive(Debug, Clone)]
pub struct KeyringSecretStore {
    service: String,
}

impl KeyringSecretStore {
    /// A store that files entries under `service` (e.g. [`DEFAULT_SERVICE`]).
    pub fn new(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }

    /// The keychain service name entries are filed under.
    pub fn service(&self) -> &str {
        &self.service
    }

    fn entry(&self, account: &str) -> Result<keyring::Entry> {
        if account.is_empty() {
            return Err(Error::invalid("keychain account name must not be empty"));
        }
        refuse_mock(keyring::Entry::new(&self.service, account).map_err(map_keyring_error)?)
    }
}

/// The keychain back end a default [`KeyringSecretStore`] uses on this build, e.g.
/// `"secret-service"`, `"macos-keychain"`, `"windows-credential-manager"`; `None` when this
/// build has no OS keychain (then every store operation fails with
/// [`ErrorKind::KeychainUnavailable`]).
pub fn keychain_backend() -> Option<&'static str> {
    let builder = keyring::default::default_credential_builder();
    if matches!(
        builder.persistence(),
        keyring::credential::CredentialPersistence::EntryOnly
    ) || builder
        .as_any()
        .is::<keyring::mock::MockCredentialBuilder>()
    {
        return None;
    }
    Some(if cfg!(target_os = "macos") {
        "macos-keychain"
    } else if cfg!(target_os = "windows") {
        "windows-credential-manager"
    } else {
        "secret-service"
    })
}

/// Refuses an entry backed by `keyring`'s in-memory mock (it would lose the secret on exit).
fn refuse_mock(entry: keyring::Entry) -> Result<keyring::Entry> {
    if entry.get_credential().is::<keyring::mock::MockCredential>() {
        return Err(Error::new(
            ErrorKind::KeychainUnavailable,
            "this build of Pulsemap has no OS keychain back end (it would only keep the secret \
             in memory until it exits); install a Pulsemap build for your platform",
        ));
    }
    Ok(entry)
}

impl Default for KeyringSecretStore {
    fn default() -> Self {
        Self::new(DEFAULT_SERVICE)
    }
}

impl SecretStore for KeyringSecretStore {
    fn get(&self, account: &str) -> Result<Option<Secret>> {
        get_from(&self.entry(account)?)
    }

    fn set(&self, account: &str, secret: &Secret) -> Result<()> {
        set_on(&self.entry(account)?, secret)
    }

    fn delete(&self, account: &str) -> Result<()> {
        delete_from(&self.entry(account)?)
    }
}

fn get_from(entry: &keyring::Entry) -> Result<Option<Secret>> {
    match entry.get_password() {
        Ok(value) => Ok(Some(Secret::new(value))),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(map_keyring_error(e)),
    }
}

fn set_on(entry: &keyring::Entry, secret: &Secret) -> Result<()> {
    if secret.expose().is_empty() {
        return Err(Error::invalid(
            "refusing to store an empty secret in the keychain",
        ));
    }
    entry
        .set_password(secret.expose())
        .map_err(map_keyring_error)
}

fn delete_from(entry: &keyring::Entry) -> Result<()> {
    match entry.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(map_keyring_error(e)),
    }
}

/// Message shown whenever the keychain cannot be used.
pub const KEYCHAIN_UNAVAILABLE_HINT: &str = "No OS keychain is available to store the Qualtrics \
     secret. On Linux, Pulsemap needs a running, unlocked Secret Service (e.g. GNOME Keyring or \
     KWallet) on the session D-Bus. Start or unlock your keyring and try again; Pulsemap never \
     stores secrets anywhere else.";

/// Maps a keyring error to a core error; never includes secret bytes.
fn map_keyring_error(e: keyring::Error) -> Error {
    match e {
        keyring::Error::PlatformFailure(inner) | keyring::Error::NoStorageAccess(inner) => {
            Error::new(
                ErrorKind::KeychainUnavailable,
                format!("{KEYCHAIN_UNAVAILABLE_HINT} (keychain said: {inner})"),
            )
        }
        keyring::Error::NoEntry => Error::not_found("no secret stored in the keychain"),
        keyring::Error::BadEncoding(_) => Error::new(
            ErrorKind::Internal,
            "the secret stored in the keychain is not valid UTF-8; delete the connection and \
             save it again",
        ),
        keyring::Error::TooLong(attr, limit) => Error::invalid(format!(
            "keychain attribute '{attr}' is longer than the platform limit of {limit}"
        )),
        keyring::Error::Invalid(attr, reason) => {
            Error::invalid(format!("keychain attribute '{attr}' is invalid: {reason}"))
        }
        keyring::Error::Ambiguous(items) => Error::new(
            ErrorKind::Internal,
            format!(
                "{} keychain entries match the Pulsemap account; remove the duplicates",
                items.len()
            ),
        ),
        other => Error::new(
            ErrorKind::KeychainUnavailable,
            format!("{KEYCHAIN_UNAVAILABLE_HINT} (keychain said: {other})"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keyring::mock::MockCredential;

    fn mock_entry() -> keyring::Entry {
        keyring::Entry::new_with_credential(Box::new(MockCredential::default()))
    }

    fn mock_of(entry: &keyring::Entry) -> &MockCredential {
        entry
            .get_credential()
            .downcast_ref::<MockCredential>()
            .expect("mock credential")
    }

    #[test]
    fn round_trip_and_idempotent_delete() {
        let entry = mock_entry();
        assert!(get_from(&entry).unwrap().is_none());
        set_on(&entry, &Secret::new("tok-1234".to_string())).unwrap();
        assert_eq!(get_from(&entry).unwrap().unwrap().expose(), "tok-1234");
        set_on(&entry, &Secret::new("tok-5678".to_string())).unwrap();
        assert_eq!(get_from(&entry).unwrap().unwrap().expose(), "tok-5678");
        delete_from(&entry).unwrap();
        assert!(get_from(&entry).unwrap().is_none());
        delete_from(&entry).unwrap();
    }

    #[test]
    fn empty_secret_is_refused() {
        let entry = mock_entry();
        let err = set_on(&entry, &Secret::new(String::new())).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
    }

    #[test]
    fn storage_failures_map_to_keychain_unavailable() {
        let entry = mock_entry();
        mock_of(&entry).set_error(keyring::Error::NoStorageAccess(
            "collection is locked".into(),
        ));
        let err = get_from(&entry).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::KeychainUnavailable);
        assert!(
            err.message().contains("Secret Service"),
            "{}",
            err.message()
        );

        mock_of(&entry).set_error(keyring::Error::PlatformFailure("no dbus".into()));
        let err = set_on(&entry, &Secret::new("tok-9999".to_string())).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::KeychainUnavailable);
        // Nothing was stored after the failure.
        assert!(get_from(&entry).unwrap().is_none());
    }

    #[test]
    fn bad_encoding_never_leaks_bytes() {
        let entry = mock_entry();
        mock_of(&entry).set_error(keyring::Error::BadEncoding(b"SECRETBYTES\xff".to_vec()));
        let err = get_from(&entry).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Internal);
        assert!(!err.message().contains("SECRETBYTES"));
        assert!(!format!("{err:?}").contains("SECRETBYTES"));
    }

    #[test]
    fn default_credential_builder_is_a_persistent_os_keychain() {
        // Fails on a build whose keyring has no back end for this target (keyring then
        // defaults to its in-memory mock, which forgets the token on restart).
        let builder = keyring::default::default_credential_builder();
        assert!(
            !builder
                .as_any()
                .is::<keyring::mock::MockCredentialBuilder>(),
            "keyring's default credential builder is the in-memory mock"
        );
        assert!(matches!(
            builder.persistence(),
            keyring::credential::CredentialPersistence::UntilDelete
        ));
        assert!(keychain_backend().is_some());
        // A store entry is built by the real back end, not refused as a mock.
        let store = KeyringSecretStore::new("pulsemap-unit");
        let entry = store.entry("api-token").expect("entry of the OS keychain");
        assert!(!entry.get_credential().is::<keyring::mock::MockCredential>());
    }

    #[test]
    fn a_mock_entry_is_refused() {
        let err = refuse_mock(mock_entry()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::KeychainUnavailable);
    }

    #[test]
    fn empty_account_is_invalid() {
        let store = KeyringSecretStore::new("pulsemap-unit");
        assert_eq!(store.get("").unwrap_err().kind(), ErrorKind::InvalidInput);
    }
}
