//! The client's one error type and its stable [`ErrorKind`].
//!
//! Contract: every failure maps to exactly one [`ErrorKind`] that callers branch on; the
//! message is specific ("Qualtrics rejected the API token (DCD_7: Unrecognized
//! X-API-TOKEN.)") and never contains a token or client secret — requests carry secrets only
//! in headers, and headers never reach an error or a log line. Qualtrics' own
//! `errorCode`/`errorMessage`/`httpStatus`/`requestId` are kept in [`ApiErrorInfo`].

/// What went wrong, as a stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// Qualtrics could not be reached, or answered 5xx after retries.
    Network,
    /// The base URL is not a Qualtrics datacenter host.
    InvalidBaseUrl,
    /// 401: the token / client credentials were rejected.
    Unauthorized,
    /// 403: the credentials lack a permission or scope.
    Forbidden,
    /// 404: survey, export or file does not exist.
    NotFound,
    /// 429 after all retries.
    RateLimited,
    /// The export failed, or its file was unreadable.
    ExportFailed,
    /// Qualtrics answered something this client cannot parse.
    Malformed,
    /// 400 (or another 4xx), or a request this client refuses to send.
    BadRequest,
}

/// What Qualtrics said about a failed call (all fields optional except the status).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiErrorInfo {
    /// HTTP status code.
    pub status: u16,
    /// `meta.httpStatus`, e.g. `"401 - Unauthorized"`.
    pub http_status: Option<String>,
    /// `meta.error.errorCode`, e.g. `"DCD_7"`.
    pub error_code: Option<String>,
    /// `meta.error.errorMessage`.
    pub error_message: Option<String>,
    /// `meta.requestId` (quote it to Qualtrics support).
    pub request_id: Option<String>,
}

impl ApiErrorInfo {
    /// `"CODE: message"`, `"message"`, `"CODE"` or `"<status line>"`.
    pub fn summary(&self) -> String {
        match (&self.error_code, &self.error_message) {
            (Some(code), Some(msg)) => format!("{code}: {msg}"),
            (None, Some(msg)) => msg.clone(),
            (Some(code), None) => code.clone(),
            (None, None) => self
                .http_status
                .clone()
                .unwrap_or_else(|| format!("HTTP {}", self.status)),
        }
    }
}

/// Every fallible operation of this crate returns this error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The base URL was rejected by [`crate::BaseUrl::parse`].
    #[error("invalid Qualtrics base URL: {0}")]
    InvalidBaseUrl(String),
    /// Qualtrics answered with an error status.
    #[error("{message}")]
    Api {
        /// Unauthorized, Forbidden, NotFound, RateLimited, BadRequest or Network (5xx).
        kind: ErrorKind,
        /// Human-readable, secret-free.
        message: String,
        /// What Qualtrics said.
        info: Box<ApiErrorInfo>,
    },
    /// Transport failure (DNS, connect, TLS, timeout, broken body).
    #[error("{message}")]
    Network {
        /// Human-readable, secret-free.
        message: String,
        /// The underlying transport error.
        #[source]
        source: Option<reqwest::Error>,
    },
    /// The export failed on Qualtrics' side or its file could not be read.
    #[error("response export failed: {0}")]
    ExportFailed(String),
    /// A body that does not have the documented shape.
    #[error("Qualtrics sent something this client cannot read: {0}")]
    Malformed(String),
    /// A request this client refuses to send (checked locally before any HTTP call).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The OAuth access-token request (`POST /oauth2/token`) failed with this error: the
    /// client credentials themselves, not the API call they were meant for, are in trouble.
    #[error("{0}")]
    TokenRequest(Box<Error>),
}

impl Error {
    /// The stable code callers branch on.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidBaseUrl(_) => ErrorKind::InvalidBaseUrl,
            Error::Api { kind, .. } => *kind,
            Error::Network { .. } => ErrorKind::Network,
            Error::ExportFailed(_) => ErrorKind::ExportFailed,
            Error::Malformed(_) => ErrorKind::Malformed,
            Error::InvalidRequest(_) => ErrorKind::BadRequest,
            Error::TokenRequest(inner) => inner.kind(),
        }
    }

    /// Whether this failure happened while requesting an OAuth access token.
    pub fn is_token_request(&self) -> bool {
        matches!(self, Error::TokenRequest(_))
    }

    /// Qualtrics' error details, when the error came from an HTTP answer.
    pub fn api_info(&self) -> Option<&ApiErrorInfo> {
        match self {
            Error::Api { info, .. } => Some(info),
            Error::TokenRequest(inner) => inner.api_info(),
            _ => None,
        }
    }

    /// HTTP status of the failed answer, if any.
    pub fn status(&self) -> Option<u16> {
        self.api_info().map(|i| i.status)
    }

    /// `meta.error.errorCode`, if any.
    pub fn error_code(&self) -> Option<&str> {
        self.api_info().and_then(|i| i.error_code.as_deref())
    }

    /// `meta.requestId`, if any.
    pub fn request_id(&self) -> Option<&str> {
        self.api_info().and_then(|i| i.request_id.as_deref())
    }

    /// 401: token or client credentials rejected.
    pub fn is_unauthorized(&self) -> bool {
        self.kind() == ErrorKind::Unauthorized
    }

    /// 403.
    pub fn is_forbidden(&self) -> bool {
        self.kind() == ErrorKind::Forbidden
    }

    /// 404.
    pub fn is_not_found(&self) -> bool {
        self.kind() == ErrorKind::NotFound
    }

    /// 429 after retries.
    pub fn is_rate_limited(&self) -> bool {
        self.kind() == ErrorKind::RateLimited
    }

    /// Transport failure or 5xx.
    pub fn is_network(&self) -> bool {
        self.kind() == ErrorKind::Network
    }

    /// Whether retrying the same call later may succeed (network, 5xx, 429).
    pub fn is_transient(&self) -> bool {
        matches!(self.kind(), ErrorKind::Network | ErrorKind::RateLimited)
    }

    pub(crate) fn network(context: &str, source: reqwest::Error) -> Error {
        let what = if source.is_timeout() {
            "timed out"
        } else if source.is_connect() {
            "could not connect"
        } else if source.is_body() || source.is_decode() {
            "the connection broke while reading the answer"
        } else {
            "request failed"
        };
        Error::Network {
            message: format!("could not reach Qualtrics ({context}): {what}: {source}"),
            source: Some(source),
        }
    }

    pub(crate) fn malformed(context: &str, err: impl std::fmt::Display) -> Error {
        Error::Malformed(format!("{context}: {err}"))
    }
}

/// Which credential a 401 refers to (for the message only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AuthLabel {
    ApiToken,
    OAuthAccessToken,
    OAuthClient,
}

/// Builds the error for a non-success HTTP answer.
pub(crate) fn api_error(
    status: u16,
    method: &str,
    path: &str,
    info: ApiErrorInfo,
    auth: AuthLabel,
    attempts: u32,
) -> Error {
    let summary = info.summary();
    let (kind, message) = match status {
        401 => {
            let who = match auth {
                AuthLabel::ApiToken => "the API token",
                AuthLabel::OAuthAccessToken => "the OAuth access token",
                AuthLabel::OAuthClient => "the OAuth client credentials",
            };
            (ErrorKind::Unauthorized, format!("Qualtrics rejected {who} ({summary})"))
        }
        403 => (
            ErrorKind::Forbidden,
            format!("the Qualtrics credentials lack permission for {method} {path} ({summary})"),
        ),
        404 => (
            ErrorKind::NotFound,
            format!("Qualtrics has no such resource: {method} {path} ({summary})"),
        ),
        429 => (
            ErrorKind::RateLimited,
            format!(
                "Qualtrics rate limit hit on {method} {path}; gave up after {attempts} attempt(s) ({summary})"
            ),
        ),
        500..=599 => (
            ErrorKind::Network,
            format!(
                "Qualtrics server error {status} on {method} {path} after {attempts} attempt(s) ({summary})"
            ),
        ),
        _ => (
            ErrorKind::BadRequest,
            format!("Qualtrics refused {method} {path} with {status} ({summary})"),
        ),
    };
    Error::Api {
        kind,
        message,
        info: Box::new(info),
    }
}
