//! Sending requests: authentication, the retry layer (backon) and request logging.
//!
//! Contract: [`Inner::send`] makes one logical call. 429, 5xx and transport errors are
//! retried with exponential backoff + jitter, honouring `Retry-After` (seconds), within
//! [`RetryPolicy`] (default 4 retries, at most 30 s apart); starting an export (a POST) is
//! retried only on 429/503 and connect failures, where no job can have been created;
//! 400/401/403/404 are never retried. An OAuth bearer token rejected with 401 is renewed
//! once. Validation calls (`RetryClass::Never`) are sent once, their OAuth token fetch
//! included. Each HTTP attempt logs method, path, status and elapsed time at debug level —
//! never headers, bodies or tokens.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use backon::{ExponentialBuilder, Retryable};
use futures::future::BoxFuture;
use reqwest::{Method, Response, StatusCode};
use serde_json::Value;
use url::Url;

use crate::auth::{auth_header, AccessToken, Credentials, TokenAnswer, TokenCache};
use crate::base_url::BaseUrl;
use crate::envelope::error_info;
use crate::error::{api_error, ApiErrorInfo, AuthLabel, Error};
use crate::secret::Secret;

/// How failed calls are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: usize,
    /// First backoff delay.
    pub min_delay: Duration,
    /// Cap for any delay, including a `Retry-After` value.
    pub max_delay: Duration,
    /// Randomise delays so clients do not retry in lockstep.
    pub jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 4,
            min_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    fn backoff(&self) -> ExponentialBuilder {
        let builder = ExponentialBuilder::default()
            .with_min_delay(self.min_delay)
            .with_max_delay(self.max_delay)
            .with_factor(2.0)
            .with_max_times(self.max_retries);
        if self.jitter {
            builder.with_jitter()
        } else {
            builder
        }
    }
}

/// Which failures a call may retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryClass {
    /// Reads (and the token fetch): 429, 5xx, any transport error.
    Safe,
    /// Export start: only 429, 503 and connect errors (nothing was created).
    StartExport,
    /// Never retried: a validation call the user is waiting on, where a silent retry of a
    /// host that does not answer only multiplies the wait.
    Never,
}

/// Request body.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    None,
    Json(Value),
    Form(Vec<(&'static str, String)>),
}

/// One logical call.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    pub(crate) method: Method,
    pub(crate) url: Url,
    pub(crate) body: Body,
    pub(crate) retry: RetryClass,
    /// `None` means no overall timeout (downloads); the read timeout still applies.
    pub(crate) timeout: Option<Duration>,
    /// True only for the OAuth token request (HTTP Basic with the client credentials).
    pub(crate) client_auth: bool,
}

impl Call {
    pub(crate) fn get(url: Url, timeout: Duration) -> Call {
        Call {
            method: Method::GET,
            url,
            body: Body::None,
            retry: RetryClass::Safe,
            timeout: Some(timeout),
            client_auth: false,
        }
    }
}

/// Counts HTTP requests actually sent (including retries and token fetches), for one logical
/// call or flow, and also on the [`RequestMeter`] of a metered client.
#[derive(Debug, Default)]
pub(crate) struct Attempts {
    count: AtomicU32,
    meter: Option<RequestMeter>,
}

impl Attempts {
    /// A counter that also counts on `meter`.
    pub(crate) fn metered(meter: Option<RequestMeter>) -> Attempts {
        Attempts {
            count: AtomicU32::new(0),
            meter,
        }
    }

    pub(crate) fn get(&self) -> u32 {
        self.count.load(Ordering::Relaxed)
    }

    fn bump(&self) {
        self.count.fetch_add(1, Ordering::Relaxed);
        if let Some(meter) = &self.meter {
            meter.0.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Counts every HTTP request a metered [`crate::Client`] sends — retries, polls, downloads
/// and OAuth token fetches included, failed calls too (see [`crate::Client::metered`]).
#[derive(Debug, Clone, Default)]
pub struct RequestMeter(Arc<AtomicU64>);

impl RequestMeter {
    /// Requests sent so far.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// Why one attempt failed.
enum Failure {
    Transport(reqwest::Error),
    Status {
        status: u16,
        retry_after: Option<Duration>,
        info: ApiErrorInfo,
        location: Option<String>,
    },
    Fatal(Error),
}

impl Failure {
    fn retryable(&self, class: RetryClass) -> bool {
        match (self, class) {
            (Failure::Fatal(_), _) | (_, RetryClass::Never) => false,
            (Failure::Transport(e), RetryClass::Safe) => !e.is_builder() && !e.is_redirect(),
            (Failure::Transport(e), RetryClass::StartExport) => e.is_connect(),
            (Failure::Status { status, .. }, RetryClass::Safe) => {
                *status == 429 || (500..=599).contains(status)
            }
            (Failure::Status { status, .. }, RetryClass::StartExport) => {
                matches!(status, 429 | 503)
            }
        }
    }
}

/// Shared state behind [`crate::Client`].
pub(crate) struct Inner {
    pub(crate) base: BaseUrl,
    pub(crate) http: reqwest::Client,
    pub(crate) credentials: Credentials,
    pub(crate) tokens: TokenCache,
    pub(crate) retry: RetryPolicy,
    pub(crate) poll: crate::client::PollPolicy,
    pub(crate) request_timeout: Duration,
    /// Overall timeout of a validation call (whoami when saving or checking).
    pub(crate) validation_timeout: Duration,
    /// Most pages a list may have before paging stops (a `nextPage` chain that never ends).
    pub(crate) max_pages: usize,
}

impl Inner {
    /// Sends `call` with retries; returns the successful (2xx) response.
    pub(crate) async fn send(&self, call: &Call, attempts: &Attempts) -> Result<Response, Error> {
        let tries = AtomicU32::new(0);
        let max_delay = self.retry.max_delay;
        let outcome = (|| async {
            tries.fetch_add(1, Ordering::Relaxed);
            self.attempt(call, attempts).await
        })
        .retry(self.retry.backoff())
        .when(|f: &Failure| f.retryable(call.retry))
        .adjust(move |f: &Failure, delay| {
            delay.map(|d| match f {
                Failure::Status { retry_after: Some(after), .. } => (*after).min(max_delay),
                _ => d,
            })
        })
        .notify(|f: &Failure, delay| {
            let why = match f {
                Failure::Status { status, .. } => format!("status {status}"),
                Failure::Transport(_) => "transport error".to_string(),
                Failure::Fatal(_) => "error".to_string(),
            };
            tracing::debug!(method = %call.method, path = %call.url.path(), %why, delay_ms = delay.as_millis() as u64, "retrying Qualtrics request");
        })
        .await;
        outcome.map_err(|f| self.to_error(f, call, tries.load(Ordering::Relaxed)))
    }

    async fn attempt(&self, call: &Call, attempts: &Attempts) -> Result<Response, Failure> {
        let bearer = self.bearer(call, attempts).await.map_err(Failure::Fatal)?;
        let response = self.send_once(call, bearer.as_ref(), attempts).await?;
        if response.status() == StatusCode::UNAUTHORIZED {
            if let Some(old) = bearer {
                // The cached bearer token was rejected: renew it once and try again.
                self.tokens.invalidate(&old).await;
                let renewed = self.bearer(call, attempts).await.map_err(Failure::Fatal)?;
                let response = self.send_once(call, renewed.as_ref(), attempts).await?;
                return check(response).await;
            }
        }
        check(response).await
    }

    async fn send_once(
        &self,
        call: &Call,
        bearer: Option<&Secret>,
        attempts: &Attempts,
    ) -> Result<Response, Failure> {
        let mut builder = self.http.request(call.method.clone(), call.url.clone());
        if let Some(timeout) = call.timeout {
            builder = builder.timeout(timeout);
        }
        if call.client_auth {
            if let Credentials::OAuth {
                client_id,
                client_secret,
                ..
            } = &self.credentials
            {
                builder = builder.basic_auth(client_id, Some(client_secret.expose()));
            }
        } else {
            let (name, value) = auth_header(&self.credentials, bearer).map_err(Failure::Fatal)?;
            builder = builder.header(name, value);
        }
        builder = match &call.body {
            Body::None => builder,
            Body::Json(v) => builder.json(v),
            Body::Form(fields) => builder.form(fields),
        };
        attempts.bump();
        let started = Instant::now();
        match builder.send().await {
            Ok(response) => {
                tracing::debug!(
                    method = %call.method,
                    path = %call.url.path(),
                    status = response.status().as_u16(),
                    elapsed_ms = started.elapsed().as_millis() as u64,
                    "Qualtrics request"
                );
                Ok(response)
            }
            Err(err) => {
                tracing::debug!(
                    method = %call.method,
                    path = %call.url.path(),
                    timeout = err.is_timeout(),
                    connect = err.is_connect(),
                    elapsed_ms = started.elapsed().as_millis() as u64,
                    "Qualtrics request failed"
                );
                Err(Failure::Transport(err))
            }
        }
    }

    /// The bearer token to use (OAuth only), fetching or renewing it as needed.
    async fn bearer(&self, call: &Call, attempts: &Attempts) -> Result<Option<Secret>, Error> {
        if call.client_auth || !self.credentials.is_oauth() {
            return Ok(None);
        }
        if let Some(token) = self.tokens.fresh().await {
            return Ok(Some(token));
        }
        let mut guard = self.tokens.lock().await;
        if let Some(current) = guard.as_ref().filter(|t| t.is_fresh()) {
            return Ok(Some(current.token.clone()));
        }
        let fetched = self.fetch_token(call, attempts).await?;
        let token = fetched.token.clone();
        *guard = Some(fetched);
        Ok(Some(token))
    }

    /// `POST /oauth2/token` (boxed: it goes through [`Inner::send`] itself) on behalf of
    /// `for_call`: a call that must not be retried gets a token fetch that is not retried
    /// either, within the same timeout.
    fn fetch_token<'a>(
        &'a self,
        for_call: &'a Call,
        attempts: &'a Attempts,
    ) -> BoxFuture<'a, Result<AccessToken, Error>> {
        Box::pin(async move {
            let Credentials::OAuth { scope, .. } = &self.credentials else {
                return Err(Error::InvalidRequest("not OAuth credentials".into()));
            };
            let mut form = vec![("grant_type", "client_credentials".to_string())];
            if let Some(scope) = scope.as_ref().filter(|s| !s.trim().is_empty()) {
                form.push(("scope", scope.clone()));
            }
            let (retry, timeout) = match for_call.retry {
                RetryClass::Never => (RetryClass::Never, for_call.timeout),
                _ => (RetryClass::Safe, Some(self.request_timeout)),
            };
            let call = Call {
                method: Method::POST,
                url: self.base.oauth_token_url(),
                body: Body::Form(form),
                retry,
                timeout,
                client_auth: true,
            };
            let fetched = async {
                let response = self.send(&call, attempts).await?;
                let bytes = response
                    .bytes()
                    .await
                    .map_err(|e| Error::network("POST /oauth2/token", e))?;
                let answer: TokenAnswer = serde_json::from_slice(&bytes)
                    .map_err(|e| Error::malformed("OAuth token answer", e))?;
                AccessToken::from_answer(answer)
            };
            fetched.await.map_err(|e| Error::TokenRequest(Box::new(e)))
        })
    }

    fn to_error(&self, failure: Failure, call: &Call, tries: u32) -> Error {
        let method = call.method.as_str();
        let path = call.url.path();
        match failure {
            Failure::Fatal(err) => err,
            Failure::Transport(err) => Error::network(&format!("{method} {path}"), err),
            Failure::Status { status, location, .. } if (300..400).contains(&status) => Error::Malformed(format!(
                "Qualtrics redirected {method} {path} ({status}) to {}, which this client does not follow",
                location.unwrap_or_else(|| "an unknown location".into())
            )),
            Failure::Status { status, info, .. } => {
                let label = if call.client_auth { AuthLabel::OAuthClient } else { self.credentials.label() };
                api_error(status, method, path, info, label, tries)
            }
        }
    }
}

/// Turns a non-2xx answer into a [`Failure::Status`].
async fn check(response: Response) -> Result<Response, Failure> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64);
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| Url::parse(v).ok())
        .and_then(|u| u.host_str().map(str::to_string));
    let body = response.bytes().await.unwrap_or_default();
    Err(Failure::Status {
        status: status.as_u16(),
        retry_after,
        info: error_info(status.as_u16(), &body),
        location,
    })
}
