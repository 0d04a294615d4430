//! The one error type of `pulsemap-core`.
//!
//! Contract: every error carries an [`ErrorKind`] that front ends (the Tauri app, the CLI)
//! branch on; the message is for people only and never contains a secret. An error that came
//! from elsewhere keeps its cause as its `source()` (the chain a log prints), and one that
//! came from a Qualtrics answer keeps Qualtrics' `meta.requestId` ([`Error::request_id`]),
//! which [`Error::detail`] adds to what the connection log and refresh attempts record, so a
//! debug bundle can quote it to Qualtrics support.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What went wrong, as a stable code the UI acts on (never parse the message).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ErrorKind {
    /// Qualtrics could not be reached (DNS, TLS, refused, timeout).
    Network,
    /// The base URL is not a Qualtrics datacenter host.
    InvalidBaseUrl,
    /// The token or client credentials were rejected (401) on first validation.
    Unauthorized,
    /// A token that used to work is now rejected (401 after a successful validation).
    TokenRevoked,
    /// The token lacks a permission or scope (403).
    Forbidden,
    /// A survey, question, map or card does not exist (any more).
    NotFound,
    /// Qualtrics rate limit (429) after retries.
    RateLimited,
    /// A response export failed or its file was unreadable.
    ExportFailed,
    /// Qualtrics answered something this client cannot parse.
    Malformed,
    /// The token works but sees no surveys.
    NoSurveys,
    /// The credentials belong to another Qualtrics datacenter than the host configured (the
    /// status names the right host in `suggestedBaseUrl`).
    WrongDatacenter,
    /// No OS keychain (Secret Service) is available; secrets are never stored elsewhere.
    KeychainUnavailable,
    /// No Qualtrics connection is configured yet.
    NotConfigured,
    /// The caller passed invalid input (empty name, unknown calculation, ...).
    InvalidInput,
    /// The local SQLite store failed.
    Storage,
    /// A bug or an unexpected state.
    Internal,
    /// A `.pulsemap` file is corrupt, hostile or not a map file (nothing was imported).
    MapFileInvalid,
    /// A `.pulsemap` file was written by a newer Pulsemap (format version too new).
    MapFileTooNew,
    /// The map is a read-only workshop pack; duplicate it to edit.
    MapReadOnly,
    /// This survey's refresh is already running in this app (the caller waits for its
    /// result instead of starting another).
    RefreshRunning,
}

/// Error of every fallible core operation.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    kind: ErrorKind,
    message: String,
    /// The SQLite result code behind a storage error, so the store can explain it with the
    /// database path (disk full, read-only, ...).
    sqlite: Option<rusqlite::ErrorCode>,
    /// The failure came from the OAuth access-token request (not the API call itself).
    token_request: bool,
    /// Qualtrics' `meta.requestId` of the failed answer.
    request_id: Option<String>,
    /// What caused it (shared, so a re-worded error keeps the same cause).
    #[source]
    source: Option<Arc<dyn std::error::Error + Send + Sync + 'static>>,
}

impl Error {
    /// Builds an error; `message` must already be free of secrets.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            sqlite: None,
            token_request: false,
            request_id: None,
            source: None,
        }
    }

    /// Qualtrics' request id (`meta.requestId`) when the error came from a Qualtrics answer
    /// that carried one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The message plus the Qualtrics request id when there is one: what the connection log
    /// and the refresh attempts record (never a secret).
    pub fn detail(&self) -> String {
        match &self.request_id {
            Some(id) => format!("{} (Qualtrics request id {id})", self.message),
            None => self.message.clone(),
        }
    }

    /// This error caused by `source` (kept as its `source()`).
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Arc::new(source));
        self
    }

    /// Whether this failure happened while requesting an OAuth access token: the client
    /// credentials themselves are in trouble (a rotated or deleted client, an outage of the
    /// token endpoint), which the connection reminder reports.
    pub fn is_oauth_token_request(&self) -> bool {
        self.token_request
    }

    /// This error re-worded from `cause`, keeping where `cause` happened.
    pub fn with_origin_of(mut self, cause: &Error) -> Self {
        self.token_request = cause.token_request;
        self.request_id.clone_from(&cause.request_id);
        self.source = cause.source.clone();
        self
    }

    /// The SQLite result code when this error came from SQLite.
    pub(crate) fn sqlite_code(&self) -> Option<rusqlite::ErrorCode> {
        self.sqlite
    }

    /// The stable code front ends branch on.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Human-readable explanation.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Shorthand for [`ErrorKind::InvalidInput`].
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidInput, message)
    }

    /// Shorthand for [`ErrorKind::NotFound`].
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, message)
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        let mut err = Self::new(ErrorKind::Storage, format!("local database error: {e}"));
        err.sqlite = e.sqlite_error_code();
        err.with_source(e)
    }
}

impl From<rusqlite_migration::Error> for Error {
    fn from(e: rusqlite_migration::Error) -> Self {
        Self::new(
            ErrorKind::Storage,
            format!("local database migration failed: {e}"),
        )
        .with_source(e)
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Self::new(ErrorKind::Internal, format!("invalid stored JSON: {e}")).with_source(e)
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Self::new(ErrorKind::Internal, format!("file error: {e}")).with_source(e)
    }
}

/// Result alias of the core crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<qualtrics::Error> for Error {
    fn from(e: qualtrics::Error) -> Self {
        use qualtrics::ErrorKind as Q;
        let kind = match e.kind() {
            Q::Network => ErrorKind::Network,
            Q::InvalidBaseUrl => ErrorKind::InvalidBaseUrl,
            Q::Unauthorized => ErrorKind::Unauthorized,
            Q::Forbidden => ErrorKind::Forbidden,
            Q::NotFound => ErrorKind::NotFound,
            Q::RateLimited => ErrorKind::RateLimited,
            Q::ExportFailed => ErrorKind::ExportFailed,
            Q::Malformed => ErrorKind::Malformed,
            Q::BadRequest => ErrorKind::InvalidInput,
        };
        // The client guarantees its messages are secret-free.
        let mut err = Self::new(kind, e.to_string());
        err.token_request = e.is_token_request();
        err.request_id = e.request_id().map(str::to_owned);
        err.with_source(e)
    }
}
