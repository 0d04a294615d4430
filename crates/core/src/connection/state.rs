//! The connection banner: the last known [`ConnectionStatus`] kept in SQLite settings, how
//! outcomes change it, and the connection log.
//!
//! Contract: [`Connector::cached_status`] paints from SQLite only (no network, no keychain).
//! A 401 with a stored configuration means [`ConnectionState::TokenRevoked`]; a 403 means
//! [`ConnectionState::PermissionMissing`] (the Brand Administrator's API permission, never
//! "check the base URL"); a failed OAuth token request also starts the reminder; network-level
//! failures mean [`ConnectionState::ConnectionFailed`]; survey-level failures (an export that
//! failed, an unreadable file) are logged but leave the banner alone; a later success clears
//! a failed banner. A survey list that cannot be read right after a successful whoami is a
//! failed connection whatever the error (never "connected"). Credentials of another
//! datacenter leave the state [`ConnectionState::WrongDatacenter`] naming the right host
//! (`suggested_base_url`), which successes do not clear. Every outcome is appended to the
//! connection log, never with a secret. A failed connection whose error was a network one
//! (no route, DNS, timeout) is shown as [`ConnectionState::Offline`] when cached data exists,
//! with `cached_data_as_of` (the latest successful sync of any survey).

use chrono::{DateTime, Utc};

use super::*;

impl Connector {
    /// The last known status, from SQLite only (no network, no keychain).
    pub fn cached_status(&self) -> Result<ConnectionStatus> {
        self.cached_status_at(Utc::now())
    }

    /// [`Connector::cached_status`] with the reminder computed as of `now`.
    pub fn cached_status_at(&self, now: DateTime<Utc>) -> Result<ConnectionStatus> {
        let Some(saved) = SavedConnection::load(&self.store)? else {
            return Ok(ConnectionStatus {
                rotation_days: self.rotation_days()?,
                ..ConnectionStatus::bare(
                    ConnectionState::NotConfigured,
                    Some("Connect Qualtrics: enter your datacenter host and an API token.".into()),
                )
            });
        };
        let state = saved.state.unwrap_or(ConnectionState::Connected);
        let error_kind = saved.error_kind;
        let cached_data_as_of = self.store.latest_data_as_of()?;
        // Unreachable with a cache to show: offline, not broken (the stored state stays
        // ConnectionFailed, so the next success clears it as before).
        let offline = state == ConnectionState::ConnectionFailed
            && error_kind == Some(ErrorKind::Network)
            && cached_data_as_of.is_some();
        let (state, message) = match (offline, cached_data_as_of) {
            (true, Some(at)) => (
                ConnectionState::Offline,
                Some(format!(
                    "Offline: showing data from {}. Qualtrics could not be reached; cached \
                     values stay available and Retry checks again.",
                    at.format("%Y-%m-%d %H:%M UTC")
                )),
            ),
            _ => (state, saved.message),
        };
        Ok(ConnectionStatus {
            state,
            base_url: Some(saved.base_url.to_string()),
            auth_method: Some(saved.auth_method),
            client_id: saved.client_id,
            masked_secret: saved.masked_secret,
            user_name: saved.user_name,
            brand_id: saved.brand_id,
            datacenter: saved.datacenter,
            suggested_base_url: saved.suggested_base_url,
            survey_count: saved.survey_count,
            message,
            error_kind,
            validated_at: saved.validated_at,
            checked_at: saved.checked_at,
            secret_saved_at: saved.secret_saved_at,
            reminder: self.reminder_at(now)?,
            rotation_days: self.rotation_days()?,
            cached_data_as_of,
        })
    }

    /// Records that an operation with the stored configuration failed with `err` (a 401 marks
    /// the token revoked). Used by refresh.
    pub fn record_failure(&self, at: DateTime<Utc>, event: &str, err: &Error) -> Result<()> {
        self.log(at, event, Err(err))?;
        if SavedConnection::load(&self.store)?.is_none() {
            return Ok(());
        }
        if err.is_oauth_token_request() {
            self.note_token_request_failure(at)?;
        }
        let (state, message) = match err.kind() {
            ErrorKind::Unauthorized | ErrorKind::TokenRevoked => (
                ConnectionState::TokenRevoked,
                "Qualtrics no longer accepts the saved credentials: the token was regenerated \
                 or revoked, or the Qualtrics account it belongs to was deactivated. Edit the \
                 connection with a token from an active account (ideally a dedicated connector \
                 account); cached values stay available."
                    .to_string(),
            ),
            // Authenticated but not allowed: a permission only a Brand Administrator grants,
            // not a reachability problem (the base URL is fine).
            ErrorKind::Forbidden => (
                ConnectionState::PermissionMissing,
                format!(
                    "Qualtrics accepted the credentials but refused the request: the user lacks \
                     the API permission. Ask your Brand Administrator to enable \"Access API\" \
                     for this user (or the read scopes for the OAuth client). Qualtrics said: \
                     {err} Cached values stay available."
                ),
            ),
            ErrorKind::KeychainUnavailable => (
                ConnectionState::KeychainUnavailable,
                err.message().to_string(),
            ),
            ErrorKind::Network
            | ErrorKind::RateLimited
            | ErrorKind::NotConfigured
            | ErrorKind::InvalidBaseUrl => (
                ConnectionState::ConnectionFailed,
                format!(
                    "Could not use the Qualtrics connection: {err} Cached values stay available."
                ),
            ),
            // Survey-level failures (export failed, unreadable file, unknown survey, local
            // storage) say nothing about the connection itself: logged only.
            _ => return Ok(()),
        };
        self.set_state(at, state, &message, Some(err.kind()))
    }

    /// After a survey list failed right after whoami: the usual failure recording, and a
    /// failed banner even for errors that say nothing about the connection elsewhere (an
    /// unreadable list means nothing works).
    pub(super) fn record_listing_failure(
        &self,
        at: DateTime<Utc>,
        user: &str,
        err: &Error,
    ) -> Result<()> {
        self.record_failure(at, "list_surveys", err)?;
        let state = self.cached_status()?.state;
        if matches!(
            state,
            ConnectionState::Connected
                | ConnectionState::NoSurveys
                | ConnectionState::WrongDatacenter
        ) {
            let detail = err.message().trim_end_matches('.');
            let message = format!(
                "Qualtrics accepted the credentials of {user}, but the survey list could not be \
                 read: {detail}. Cached values stay available."
            );
            self.set_state(
                at,
                ConnectionState::ConnectionFailed,
                &message,
                Some(err.kind()),
            )?;
        }
        Ok(())
    }

    /// Records which datacenter the credentials belong to: the wrong-datacenter state (with
    /// the right host) when it is not the configured one, and nothing otherwise.
    pub(super) fn note_datacenter(
        &self,
        at: DateTime<Utc>,
        client: &Client,
        facts: &Validated,
    ) -> Result<()> {
        SavedConnection::update(&self.store, |s| {
            s.suggested_base_url.clone_from(&facts.right_host);
        })?;
        let Some(right) = facts.right_host.as_deref() else {
            return Ok(());
        };
        let typed = client.base_url().host();
        let message = format!(
            "These credentials belong to the Qualtrics datacenter {right}, but the connection \
             uses {typed}: Qualtrics forwards every call there, which is slower. Use {right} as \
             the base URL."
        );
        self.log(at, "datacenter", Ok(&message))?;
        self.set_state(
            at,
            ConnectionState::WrongDatacenter,
            &message,
            Some(ErrorKind::WrongDatacenter),
        )
    }

    pub(super) fn set_state(
        &self,
        at: DateTime<Utc>,
        state: ConnectionState,
        message: &str,
        kind: Option<ErrorKind>,
    ) -> Result<()> {
        SavedConnection::update(&self.store, |s| {
            s.state = Some(state);
            s.message = Some(message.to_owned());
            s.checked_at = Some(at);
            s.error_kind = kind;
            if kind.is_none() {
                s.oauth_failing_since = None;
            }
        })?;
        Ok(())
    }

    /// Appends a successful event to the connection log (e.g. a refresh), without secrets,
    /// and clears a failed / revoked banner: the stored configuration demonstrably works.
    pub fn record_success(&self, at: DateTime<Utc>, event: &str, message: &str) -> Result<()> {
        self.log(at, event, Ok(message))?;
        self.clear_token_request_failure()?;
        let failed = matches!(
            self.cached_status()?.state,
            ConnectionState::ConnectionFailed
                | ConnectionState::TokenRevoked
                | ConnectionState::KeychainUnavailable
                | ConnectionState::PermissionMissing
        );
        if failed {
            self.set_state(
                at,
                ConnectionState::Connected,
                "Connected to Qualtrics.",
                None,
            )?;
        }
        Ok(())
    }

    pub(super) fn log(
        &self,
        at: DateTime<Utc>,
        event: &str,
        outcome: Result<&str, &Error>,
    ) -> Result<()> {
        match outcome {
            Ok(msg) => self
                .store
                .append_connection_log(at, event, true, None, Some(msg)),
            Err(e) => self.store.append_connection_log(
                at,
                event,
                false,
                Some(e.kind()),
                Some(&e.detail()),
            ),
        }
        .map(|_| ())
    }
}

/// The banner state a failed save/check with this error kind shows.
pub fn state_for_error(kind: ErrorKind) -> ConnectionState {
    match kind {
        ErrorKind::Unauthorized => ConnectionState::TokenRejected,
        ErrorKind::TokenRevoked => ConnectionState::TokenRevoked,
        ErrorKind::NoSurveys => ConnectionState::NoSurveys,
        ErrorKind::WrongDatacenter => ConnectionState::WrongDatacenter,
        ErrorKind::KeychainUnavailable => ConnectionState::KeychainUnavailable,
        ErrorKind::NotConfigured => ConnectionState::NotConfigured,
        ErrorKind::Forbidden => ConnectionState::PermissionMissing,
        _ => ConnectionState::ConnectionFailed,
    }
}
