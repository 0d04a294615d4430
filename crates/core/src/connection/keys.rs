//! Which keychain entry holds this data dir's secret, the migration from the shared entry of
//! older versions, and the check that the keychain secret is the one the settings describe.
//!
//! Contract:
//! - Every data dir gets its own random *keychain id* (a UUID kept in its SQLite settings
//!   under [`KEY_ID_SETTING`], created on first use and never shown). Its secrets live under
//!   the accounts `api-token:<id>` and `oauth-client-secret:<id>`, so two data dirs never
//!   share a secret: connecting in one never switches another's account.
//! - Older versions kept ONE entry for every data dir (accounts `api-token` and
//!   `oauth-client-secret`). When this data dir has a saved connection but no entry of its
//!   own, the shared entry is adopted (copied to this data dir's key) only if its masked form
//!   equals the stored masked hint; it is left in place for the other data dirs of the old
//!   install, and removed only when a connection using that same secret is deleted.
//! - A keychain secret whose masked form differs from the stored hint is never used: the
//!   caller gets [`ErrorKind::NotConfigured`] saying to re-enter the secret, before any
//!   request is sent with the wrong account (which would mark this data dir's surveys
//!   deleted).

use qualtrics::Secret;

use super::{Connector, SavedConnection, CLIENT_SECRET_ACCOUNT, TOKEN_ACCOUNT};
use crate::dto::AuthMethod;
use crate::error::{Error, ErrorKind, Result};

/// Setting holding this data dir's keychain id (not under `connection.`, so deleting and
/// re-saving a connection keeps the same keychain entries).
pub const KEY_ID_SETTING: &str = "keychain.id";

impl Connector {
    /// This data dir's keychain id, created on first use.
    fn key_id(&self) -> Result<String> {
        if let Some(id) = self.store.get_setting(KEY_ID_SETTING)? {
            return Ok(id);
        }
        let id = uuid::Uuid::new_v4().simple().to_string();
        self.store.set_setting(KEY_ID_SETTING, &id)?;
        Ok(id)
    }

    /// The masked hint of the saved secret.
    fn saved_hint(&self) -> Result<Option<String>> {
        Ok(SavedConnection::load(&self.store)?.and_then(|s| s.masked_secret))
    }

    /// The keychain account of `method`'s secret for this data dir.
    pub(super) fn account(&self, method: AuthMethod) -> Result<String> {
        Ok(format!("{}:{}", legacy_account(method), self.key_id()?))
    }

    /// The stored secret of `method` for this data dir, adopting the shared entry of older
    /// versions when it matches the stored hint. `None` when there is none.
    pub(super) fn stored_secret(&self, method: AuthMethod) -> Result<Option<Secret>> {
        let account = self.account(method)?;
        if let Some(secret) = self.secrets.get(&account)? {
            return Ok(Some(secret));
        }
        let Some(hint) = self.saved_hint()? else {
            return Ok(None);
        };
        let Some(shared) = self.secrets.get(legacy_account(method))? else {
            return Ok(None);
        };
        if shared.masked() != hint {
            return Err(mismatch(&hint, &shared));
        }
        self.secrets.set(&account, &shared)?;
        self.log(
            chrono::Utc::now(),
            "migrate_secret",
            Ok("moved the secret from the keychain entry shared by all data dirs to this data dir's own entry"),
        )?;
        Ok(Some(shared))
    }

    /// The secret to use for the saved connection: present and matching the stored hint.
    pub(super) fn checked_secret(&self, method: AuthMethod) -> Result<Secret> {
        let secret = self.stored_secret(method)?.ok_or_else(|| {
            Error::new(
                ErrorKind::NotConfigured,
                "the Qualtrics secret is missing from the keychain; edit the connection and \
                 enter it again",
            )
        })?;
        match self.saved_hint()? {
            Some(hint) if hint != secret.masked() => Err(mismatch(&hint, &secret)),
            _ => Ok(secret),
        }
    }

    /// Removes this data dir's entries, and the shared entry of older versions when it holds
    /// the very secret of this connection (the user asked to forget it).
    pub(super) fn delete_secrets(&self) -> Result<()> {
        let hint = self.saved_hint()?;
        for method in [AuthMethod::ApiToken, AuthMethod::OAuth] {
            self.secrets.delete(&self.account(method)?)?;
            let legacy = legacy_account(method);
            if let (Some(hint), Some(shared)) = (&hint, self.secrets.get(legacy)?) {
                if shared.masked() == *hint {
                    self.secrets.delete(legacy)?;
                }
            }
        }
        Ok(())
    }
}

/// The account name older versions used for every data dir.
fn legacy_account(method: AuthMethod) -> &'static str {
    match method {
        AuthMethod::ApiToken => TOKEN_ACCOUNT,
        AuthMethod::OAuth => CLIENT_SECRET_ACCOUNT,
    }
}

fn mismatch(hint: &str, found: &Secret) -> Error {
    Error::new(
        ErrorKind::NotConfigured,
        format!(
            "the Qualtrics secret in the keychain ({}) is not the one this connection was saved \
             with ({hint}); it belongs to another account or data dir. Edit the connection and \
             enter this data dir's secret again; nothing was sent to Qualtrics.",
            found.masked()
        ),
    )
}
