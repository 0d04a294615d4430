//! The saved connection's non-secret settings, loaded and saved as one [`SavedConnection`].
//!
//! Contract: the settings live in SQLite under the `connection.` keys (one text value per
//! field, the same keys older versions wrote, so nothing migrates); [`SavedConnection::load`]
//! reads all of them at once (`None`: no connection saved), [`SavedConnection::save`] writes
//! the whole set in one transaction (every `connection.` key not in it is removed), and
//! [`SavedConnection::update`] changes fields of the saved one inside one transaction. The
//! base URL is a [`BaseUrl`] (read back under the loopback policy, since it was validated
//! under the switch in force when it was saved; a client re-validates it under its own).
//! No secret is ever a field: only the masked hint.

use chrono::{DateTime, Utc};
use qualtrics::{BaseUrl, HostPolicy};
use rusqlite::Connection;

use crate::dto::{AuthMethod, ConnectionState};
use crate::error::{ErrorKind, Result};
use crate::store::{kind_code, parse_kind, Store};

/// Prefix of every key.
pub(super) const PREFIX: &str = "connection.";
const K_BASE_URL: &str = "connection.base_url";
const K_METHOD: &str = "connection.auth_method";
const K_CLIENT_ID: &str = "connection.client_id";
const K_MASKED: &str = "connection.masked_secret";
/// Setting of the connected Qualtrics user name (the debug export scrubs it).
pub const USER_NAME_SETTING: &str = "connection.user_name";
const K_BRAND: &str = "connection.brand_id";
const K_DC: &str = "connection.datacenter";
const K_VALIDATED: &str = "connection.validated_at";
const K_STATE: &str = "connection.state";
const K_MESSAGE: &str = "connection.message";
const K_ERROR_KIND: &str = "connection.error_kind";
const K_SURVEYS: &str = "connection.survey_count";
const K_CHECKED: &str = "connection.checked_at";
const K_SUGGESTED: &str = "connection.suggested_base_url";
const K_SECRET_SAVED: &str = "connection.secret_saved_at";
const K_OAUTH_FAILING: &str = "connection.oauth_failing_since";

/// Everything saved about the connection except the secret (see the module docs).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SavedConnection {
    pub base_url: BaseUrl,
    pub auth_method: AuthMethod,
    pub client_id: Option<String>,
    /// The secret's masked hint (`••••abcd`).
    pub masked_secret: Option<String>,
    pub user_name: Option<String>,
    pub brand_id: Option<String>,
    pub datacenter: Option<String>,
    pub validated_at: Option<DateTime<Utc>>,
    pub secret_saved_at: Option<DateTime<Utc>>,
    /// The banner: last known state, its message and error kind, when it was checked.
    pub state: Option<ConnectionState>,
    pub message: Option<String>,
    pub error_kind: Option<ErrorKind>,
    pub checked_at: Option<DateTime<Utc>>,
    pub survey_count: Option<u32>,
    /// The right datacenter host when the credentials belong to another one.
    pub suggested_base_url: Option<String>,
    /// The first failed OAuth access-token request since the last success.
    pub oauth_failing_since: Option<DateTime<Utc>>,
}

impl SavedConnection {
    /// A freshly validated connection: no banner yet, no whoami facts.
    pub fn new(base_url: BaseUrl, auth_method: AuthMethod) -> Self {
        Self {
            base_url,
            auth_method,
            client_id: None,
            masked_secret: None,
            user_name: None,
            brand_id: None,
            datacenter: None,
            validated_at: None,
            secret_saved_at: None,
            state: None,
            message: None,
            error_kind: None,
            checked_at: None,
            survey_count: None,
            suggested_base_url: None,
            oauth_failing_since: None,
        }
    }

    /// The saved connection, `None` when none is saved.
    pub fn load(store: &Store) -> Result<Option<Self>> {
        store.with_conn(read)
    }

    /// Replaces the saved connection with `self`, in one transaction.
    pub fn save(&self, store: &Store) -> Result<()> {
        store.with_tx(|tx| write(tx, self))
    }

    /// Applies `change` to the saved connection in one transaction; `false` (and nothing
    /// written) when none is saved.
    pub fn update(store: &Store, change: impl FnOnce(&mut SavedConnection)) -> Result<bool> {
        store.with_tx(|tx| {
            let Some(mut saved) = read(tx)? else {
                return Ok(false);
            };
            change(&mut saved);
            write(tx, &saved)?;
            Ok(true)
        })
    }
}

fn read(c: &Connection) -> Result<Option<SavedConnection>> {
    let mut stmt =
        c.prepare("SELECT key, value FROM settings WHERE substr(key, 1, length(?1)) = ?1")?;
    let rows = stmt.query_map([PREFIX], |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))?;
    let pairs: Vec<(String, String)> = rows.collect::<rusqlite::Result<_>>()?;
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    let at = |k: &str| {
        get(k)
            .and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
            .map(|d| d.with_timezone(&Utc))
    };
    let Some(base_url) = get(K_BASE_URL) else {
        return Ok(None);
    };
    let Ok(base_url) = BaseUrl::parse(&base_url, HostPolicy::AllowLoopback) else {
        tracing::warn!("the saved base URL no longer parses; treating the connection as unset");
        return Ok(None);
    };
    let auth_method = get(K_METHOD)
        .as_deref()
        .and_then(AuthMethod::parse)
        .unwrap_or(AuthMethod::ApiToken);
    Ok(Some(SavedConnection {
        base_url,
        auth_method,
        client_id: get(K_CLIENT_ID),
        masked_secret: get(K_MASKED),
        user_name: get(USER_NAME_SETTING),
        brand_id: get(K_BRAND),
        datacenter: get(K_DC),
        validated_at: at(K_VALIDATED),
        secret_saved_at: at(K_SECRET_SAVED),
        state: get(K_STATE).and_then(|s| serde_json::from_value(s.into()).ok()),
        message: get(K_MESSAGE),
        error_kind: get(K_ERROR_KIND).as_deref().and_then(parse_kind),
        checked_at: at(K_CHECKED),
        survey_count: get(K_SURVEYS).and_then(|s| s.parse().ok()),
        suggested_base_url: get(K_SUGGESTED),
        oauth_failing_since: at(K_OAUTH_FAILING),
    }))
}

fn write(c: &Connection, s: &SavedConnection) -> Result<()> {
    c.execute(
        "DELETE FROM settings WHERE substr(key, 1, length(?1)) = ?1",
        [PREFIX],
    )?;
    let put = |k: &str, v: Option<String>| -> Result<()> {
        if let Some(v) = v {
            c.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)",
                [k, v.as_str()],
            )?;
        }
        Ok(())
    };
    let at = |t: Option<DateTime<Utc>>| t.map(|t| t.to_rfc3339());
    let state = s.state.and_then(|st| {
        serde_json::to_value(st)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
    });
    put(K_BASE_URL, Some(s.base_url.host().to_owned()))?;
    put(K_METHOD, Some(s.auth_method.as_str().to_owned()))?;
    put(K_CLIENT_ID, s.client_id.clone())?;
    put(K_MASKED, s.masked_secret.clone())?;
    put(USER_NAME_SETTING, s.user_name.clone())?;
    put(K_BRAND, s.brand_id.clone())?;
    put(K_DC, s.datacenter.clone())?;
    put(K_VALIDATED, at(s.validated_at))?;
    put(K_SECRET_SAVED, at(s.secret_saved_at))?;
    put(K_STATE, state)?;
    put(K_MESSAGE, s.message.clone())?;
    put(K_ERROR_KIND, s.error_kind.map(kind_code))?;
    put(K_CHECKED, at(s.checked_at))?;
    put(K_SURVEYS, s.survey_count.map(|n| n.to_string()))?;
    put(K_SUGGESTED, s.suggested_base_url.clone())?;
    put(K_OAUTH_FAILING, at(s.oauth_failing_since))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_whole_connection_round_trips_and_updates_touch_only_a_saved_one() {
        let store = Store::open_in_memory().unwrap();
        assert!(!SavedConnection::update(&store, |s| s.message = Some("x".into())).unwrap());
        assert_eq!(SavedConnection::load(&store).unwrap(), None);
        assert!(store.list_settings(PREFIX).unwrap().is_empty());

        let at = DateTime::parse_from_rfc3339("2026-03-01T10:00:00+00:00")
            .unwrap()
            .with_timezone(&Utc);
        let base = BaseUrl::parse(
            "https://IAD1.qualtrics.com/API/v3/",
            HostPolicy::AllowLoopback,
        );
        let full = SavedConnection {
            client_id: Some("client".into()),
            masked_secret: Some("••••abcd".into()),
            user_name: Some("ana".into()),
            brand_id: Some("brand".into()),
            datacenter: Some("iad1".into()),
            validated_at: Some(at),
            secret_saved_at: Some(at),
            state: Some(ConnectionState::TokenRevoked),
            message: Some("revoked".into()),
            error_kind: Some(ErrorKind::TokenRevoked),
            checked_at: Some(at),
            survey_count: Some(12),
            suggested_base_url: Some("fra1.qualtrics.com".into()),
            oauth_failing_since: Some(at),
            ..SavedConnection::new(base.unwrap(), AuthMethod::OAuth)
        };
        full.save(&store).unwrap();
        assert_eq!(SavedConnection::load(&store).unwrap().as_ref(), Some(&full));
        assert_eq!(
            store.get_setting(K_BASE_URL).unwrap().as_deref(),
            Some("iad1.qualtrics.com"),
            "the host is stored as before"
        );

        assert!(SavedConnection::update(&store, |s| {
            s.error_kind = None;
            s.suggested_base_url = None;
        })
        .unwrap());
        let now = SavedConnection::load(&store).unwrap().unwrap();
        assert_eq!((now.error_kind, now.suggested_base_url), (None, None));
        assert_eq!(now.survey_count, Some(12));
        assert_eq!(
            store.get_setting(K_ERROR_KIND).unwrap(),
            None,
            "cleared keys go"
        );
    }
}
