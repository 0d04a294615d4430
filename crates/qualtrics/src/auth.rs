//! Credentials and the OAuth access-token cache.
//!
//! Contract: an API token goes out as `X-API-TOKEN`; OAuth client credentials are exchanged
//! at `POST /oauth2/token` (HTTP Basic + `grant_type=client_credentials&scope=...`) for a
//! bearer token that is cached and renewed before it expires (margin: 60 s or 10 % of its
//! lifetime, whichever is smaller), or at once when Qualtrics answers 401 to it. Header
//! values are marked sensitive; nothing here logs or formats a secret.

use std::time::{Duration, Instant};

use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION};
use serde::Deserialize;
use tokio::sync::Mutex;

use crate::error::{AuthLabel, Error};
use crate::secret::Secret;
use crate::serde_ext::opt_string;

/// How the client authenticates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    /// A personal API token (header `X-API-TOKEN`).
    ApiToken(Secret),
    /// OAuth 2.0 client credentials.
    OAuth {
        /// OAuth client id (not secret).
        client_id: String,
        /// OAuth client secret.
        client_secret: Secret,
        /// Space-separated scopes, e.g. `read:surveys read:survey_responses`.
        scope: Option<String>,
    },
}

impl Credentials {
    /// Shorthand for [`Credentials::ApiToken`].
    pub fn api_token(token: impl Into<Secret>) -> Self {
        Credentials::ApiToken(token.into())
    }

    /// Whether these are OAuth client credentials.
    pub fn is_oauth(&self) -> bool {
        matches!(self, Credentials::OAuth { .. })
    }

    pub(crate) fn label(&self) -> AuthLabel {
        match self {
            Credentials::ApiToken(_) => AuthLabel::ApiToken,
            Credentials::OAuth { .. } => AuthLabel::OAuthAccessToken,
        }
    }

    pub(crate) fn validate(&self) -> Result<(), Error> {
        match self {
            Credentials::ApiToken(token) if token.is_empty() => {
                Err(Error::InvalidRequest("the API token is empty".into()))
            }
            Credentials::ApiToken(token) if HeaderValue::from_str(token.expose()).is_err() => {
                Err(Error::InvalidRequest(
                    "the API token contains characters a token cannot have".into(),
                ))
            }
            Credentials::OAuth { client_id, .. } if client_id.trim().is_empty() => {
                Err(Error::InvalidRequest("the OAuth client id is empty".into()))
            }
            Credentials::OAuth { client_secret, .. } if client_secret.is_empty() => Err(
                Error::InvalidRequest("the OAuth client secret is empty".into()),
            ),
            _ => Ok(()),
        }
    }
}

/// The access token currently in use.
#[derive(Clone)]
pub(crate) struct AccessToken {
    pub(crate) token: Secret,
    renew_at: Instant,
}

/// Answer of `/oauth2/token` (plain OAuth JSON, no envelope).
#[derive(Deserialize)]
pub(crate) struct TokenAnswer {
    pub(crate) access_token: String,
    #[serde(default, deserialize_with = "opt_string")]
    pub(crate) expires_in: Option<String>,
}

/// Cache of the OAuth bearer token.
#[derive(Default)]
pub(crate) struct TokenCache {
    current: Mutex<Option<AccessToken>>,
}

impl TokenCache {
    /// The cached token if it is not due for renewal.
    pub(crate) async fn fresh(&self) -> Option<Secret> {
        let guard = self.current.lock().await;
        guard
            .as_ref()
            .filter(|t| Instant::now() < t.renew_at)
            .map(|t| t.token.clone())
    }

    /// Holds the cache lock while a new token is fetched, so concurrent callers wait for
    /// one fetch instead of each starting their own.
    pub(crate) async fn lock(&self) -> tokio::sync::MutexGuard<'_, Option<AccessToken>> {
        self.current.lock().await
    }

    /// Forgets `token` if it is still the cached one (after a 401).
    pub(crate) async fn invalidate(&self, token: &Secret) {
        let mut guard = self.current.lock().await;
        if guard.as_ref().is_some_and(|t| &t.token == token) {
            *guard = None;
        }
    }
}

impl AccessToken {
    pub(crate) fn from_answer(answer: TokenAnswer) -> Result<AccessToken, Error> {
        if answer.access_token.trim().is_empty() {
            return Err(Error::Malformed(
                "the OAuth token answer has an empty access_token".into(),
            ));
        }
        let lifetime = answer
            .expires_in
            .as_deref()
            .and_then(|s| s.trim().parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s > 0.0)
            .map(Duration::from_secs_f64)
            .unwrap_or(Duration::from_secs(3600));
        let margin = (lifetime / 10).min(Duration::from_secs(60));
        Ok(AccessToken {
            token: Secret::new(answer.access_token),
            renew_at: Instant::now() + lifetime - margin,
        })
    }

    pub(crate) fn is_fresh(&self) -> bool {
        Instant::now() < self.renew_at
    }
}

/// A header carrying a credential, marked sensitive.
pub(crate) fn auth_header(
    creds: &Credentials,
    bearer: Option<&Secret>,
) -> Result<(HeaderName, HeaderValue), Error> {
    let (name, text) = match (creds, bearer) {
        (Credentials::ApiToken(token), _) => (
            HeaderName::from_static("x-api-token"),
            token.expose().to_string(),
        ),
        (Credentials::OAuth { .. }, Some(bearer)) => {
            (AUTHORIZATION, format!("Bearer {}", bearer.expose()))
        }
        (Credentials::OAuth { .. }, None) => {
            return Err(Error::InvalidRequest(
                "no OAuth access token available".into(),
            ))
        }
    };
    let mut value = HeaderValue::from_str(&text).map_err(|_| {
        Error::Malformed("the access token contains invalid header characters".into())
    })?;
    value.set_sensitive(true);
    Ok((name, value))
}
