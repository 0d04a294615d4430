//! [`Client`]: the cloneable entry point, its builder, and the read endpoints
//! (`whoami`, survey list, definitions, legacy survey, filters).
//!
//! Contract: every method is one logical call through the retry layer; list endpoints are
//! exposed as a [`Page`] stream that follows `nextPage` verbatim, refusing links to any host
//! but the configured one ([`BaseUrl::allows`]), links back to a page already fetched, and
//! chains longer than [`ClientBuilder::max_pages`] (a server whose `nextPage` cycles must not
//! make the client page forever). Redirects are followed only to the configured host too.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use futures::{Stream, TryStreamExt};
use serde::de::DeserializeOwned;
use url::Url;

use crate::auth::{Credentials, TokenCache};
use crate::base_url::BaseUrl;
use crate::envelope::Envelope;
use crate::error::Error;
use crate::http::{Attempts, Call, Inner, RequestMeter, RetryPolicy};
use crate::models::definition::SurveyDefinition;
use crate::models::legacy::LegacySurvey;
use crate::models::survey::{Filter, SurveySummary, WhoAmI};
use crate::page::Page;

/// How an export is polled: the first progress check `first` after the start (default at
/// once: a small export is often ready by then), then waits of `initial`, multiplied by
/// `factor` after each poll up to `max`; give up after `timeout`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PollPolicy {
    /// Wait before the first progress check (default 0: check at once).
    pub first: Duration,
    /// Wait after the first check that was not complete (default 200 ms).
    pub initial: Duration,
    /// Longest wait (default 3 s).
    pub max: Duration,
    /// Growth per poll (default 1.5).
    pub factor: f64,
    /// Give up (ExportFailed) after this long (default 30 min).
    pub timeout: Duration,
}

impl Default for PollPolicy {
    fn default() -> Self {
        PollPolicy {
            first: Duration::ZERO,
            initial: Duration::from_millis(200),
            max: Duration::from_secs(3),
            factor: 1.5,
            timeout: Duration::from_secs(30 * 60),
        }
    }
}

/// Configures a [`Client`].
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    connect_timeout: Duration,
    request_timeout: Duration,
    read_timeout: Duration,
    validation_timeout: Duration,
    retry: RetryPolicy,
    poll: PollPolicy,
    max_pages: usize,
    user_agent: String,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(60),
            read_timeout: Duration::from_secs(60),
            validation_timeout: Duration::from_secs(15),
            retry: RetryPolicy::default(),
            poll: PollPolicy::default(),
            max_pages: 10_000,
            user_agent: concat!("pulsemap-qualtrics/", env!("CARGO_PKG_VERSION")).to_string(),
        }
    }
}

impl ClientBuilder {
    /// TCP/TLS connect timeout (default 5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Timeout of each JSON call (default 60 s). File downloads have no overall timeout.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Longest silence while reading a body, downloads included (default 60 s).
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// Overall timeout of [`Client::validate`], which is never retried (default 15 s): the
    /// user is waiting on it, and a host that accepts connections but never answers must
    /// fail fast instead of after every retry of a 60 s request.
    pub fn validation_timeout(mut self, timeout: Duration) -> Self {
        self.validation_timeout = timeout;
        self
    }

    /// Most pages a list may have (default 10,000); beyond that paging stops with a
    /// [`crate::ErrorKind::Malformed`] error.
    pub fn max_pages(mut self, pages: usize) -> Self {
        self.max_pages = pages.max(1);
        self
    }

    /// Retry policy (default: 4 retries, 500 ms doubling, capped at 30 s, jitter).
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Export polling policy.
    pub fn poll_policy(mut self, poll: PollPolicy) -> Self {
        self.poll = poll;
        self
    }

    /// Shorthand: poll interval bounds.
    pub fn poll_interval(mut self, initial: Duration, max: Duration) -> Self {
        self.poll.initial = initial;
        self.poll.max = max.max(initial);
        self
    }

    /// `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Builds the client.
    pub fn build(self, base: BaseUrl, credentials: Credentials) -> Result<Client, Error> {
        credentials.validate()?;
        let redirect_base = base.clone();
        let redirects = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() >= 10 {
                attempt.error("too many redirects")
            } else if redirect_base.allows(attempt.url()) {
                attempt.follow()
            } else {
                attempt.stop()
            }
        });
        let http = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .read_timeout(self.read_timeout)
            .user_agent(self.user_agent)
            .redirect(redirects)
            .https_only(!base.is_loopback())
            .build()
            .map_err(|e| Error::network("building the HTTP client", e))?;
        Ok(Client {
            inner: Arc::new(Inner {
                base,
                http,
                credentials,
                tokens: TokenCache::default(),
                retry: self.retry,
                poll: self.poll,
                request_timeout: self.request_timeout,
                validation_timeout: self.validation_timeout,
                max_pages: self.max_pages,
            }),
            meter: None,
        })
    }
}

/// Typed async Qualtrics API v3 client. Cheap to clone (shared connection pool and token cache).
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
    /// Set on a [`Client::metered`] handle: counts its requests apart from other handles.
    meter: Option<RequestMeter>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.inner.base.to_string())
            .field("credentials", &self.inner.credentials)
            .finish()
    }
}

impl Client {
    /// A client with default settings.
    pub fn new(base: BaseUrl, credentials: Credentials) -> Result<Client, Error> {
        ClientBuilder::default().build(base, credentials)
    }

    /// A builder for timeouts, retry policy, polling and user agent.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A handle on the same connection pool and token cache whose requests are also counted
    /// on the returned meter (every HTTP request sent: retries, export polls, downloads and
    /// token fetches included, whether the call succeeds or not). Other handles, and their
    /// concurrent calls, are not counted.
    pub fn metered(&self) -> (Client, RequestMeter) {
        let meter = RequestMeter::default();
        let client = Client {
            inner: self.inner.clone(),
            meter: Some(meter.clone()),
        };
        (client, meter)
    }

    /// A per-call attempt counter linked to this handle's meter.
    pub(crate) fn attempts(&self) -> Attempts {
        Attempts::metered(self.meter.clone())
    }

    /// The datacenter this client talks to.
    pub fn base_url(&self) -> &BaseUrl {
        &self.inner.base
    }

    /// `GET /whoami`: validates the credentials and says whose they are.
    pub async fn whoami(&self) -> Result<WhoAmI, Error> {
        let url = self.endpoint(&["whoami"])?;
        self.get_result(url, "whoami", &self.attempts()).await
    }

    /// All pages of `GET /surveys`, following `nextPage`.
    pub fn survey_pages(
        &self,
    ) -> impl Stream<Item = Result<Page<SurveySummary>, Error>> + Send + 'static {
        self.pages(self.endpoint(&["surveys"]), "survey list")
    }

    /// Every survey the credentials can see, page after page.
    pub fn surveys(&self) -> impl Stream<Item = Result<SurveySummary, Error>> + Send + 'static {
        self.survey_pages()
            .map_ok(|page| futures::stream::iter(page.elements.into_iter().map(Ok)))
            .try_flatten()
    }

    /// [`Client::surveys`] collected.
    pub async fn list_surveys(&self) -> Result<Vec<SurveySummary>, Error> {
        self.surveys().try_collect().await
    }

    /// `GET /survey-definitions/{id}`.
    pub async fn survey_definition(&self, survey_id: &str) -> Result<SurveyDefinition, Error> {
        let url = self.endpoint(&["survey-definitions", survey_id])?;
        let raw = self
            .get_result(url, "survey definition", &self.attempts())
            .await?;
        SurveyDefinition::from_value(raw)
    }

    /// `GET /survey-definitions/{id}?format=qsf`: the survey as a QSF document (the
    /// envelope's `result`, untouched), e.g. for support exports.
    pub async fn survey_qsf(&self, survey_id: &str) -> Result<serde_json::Value, Error> {
        let mut url = self.endpoint(&["survey-definitions", survey_id])?;
        url.query_pairs_mut().append_pair("format", "qsf");
        let raw: serde_json::Value = self.get_result(url, "survey QSF", &self.attempts()).await?;
        if raw.get("SurveyElements").is_none_or(|e| !e.is_array()) {
            return Err(Error::Malformed(
                "the QSF answer has no SurveyElements list".into(),
            ));
        }
        Ok(raw)
    }

    /// Legacy `GET /surveys/{id}` (questions, export column map, response counts).
    pub async fn legacy_survey(&self, survey_id: &str) -> Result<LegacySurvey, Error> {
        let url = self.endpoint(&["surveys", survey_id])?;
        let raw = self
            .get_result(url, "legacy survey", &self.attempts())
            .await?;
        LegacySurvey::from_value(raw)
    }

    /// `GET /surveys/{id}/filters` (all pages).
    pub async fn filters(&self, survey_id: &str) -> Result<Vec<Filter>, Error> {
        let url = self.endpoint(&["surveys", survey_id, "filters"]);
        self.pages::<Filter>(url, "filter list")
            .map_ok(|page| futures::stream::iter(page.elements.into_iter().map(Ok)))
            .try_flatten()
            .try_collect()
            .await
    }

    /// `https://host/API/v3/<segments...>`, each segment percent-encoded.
    pub(crate) fn endpoint(&self, segments: &[&str]) -> Result<Url, Error> {
        if let Some(empty) = segments.iter().position(|s| s.trim().is_empty()) {
            let what = if empty == 0 {
                "path"
            } else {
                segments[empty - 1]
            };
            return Err(Error::InvalidRequest(format!(
                "an id in the {what} path is empty"
            )));
        }
        let mut url = self.inner.base.api_root();
        url.path_segments_mut()
            .map_err(|_| Error::InvalidRequest("the base URL cannot take a path".into()))?
            .pop_if_empty()
            .extend(segments);
        Ok(url)
    }

    /// GET an envelope and return its `result`.
    pub(crate) async fn get_result<T: DeserializeOwned>(
        &self,
        url: Url,
        what: &str,
        attempts: &Attempts,
    ) -> Result<T, Error> {
        let call = Call::get(url, self.inner.request_timeout);
        let response = self.inner.send(&call, attempts).await?;
        read_result(response, what).await
    }

    fn pages<T: DeserializeOwned + Send + 'static>(
        &self,
        first: Result<Url, Error>,
        what: &'static str,
    ) -> impl Stream<Item = Result<Page<T>, Error>> + Send + 'static {
        let client = self.clone();
        // State: the next page to fetch (`None` when done, or an error to report next: a bad
        // `nextPage` link is reported after the page that carried it) and the pages fetched.
        let start = (first.map(Some), HashSet::new());
        futures::stream::try_unfold(
            start,
            move |(state, mut seen): (Result<Option<Url>, Error>, HashSet<Url>)| {
                let client = client.clone();
                async move {
                    let Some(url) = state? else { return Ok(None) };
                    let page: Page<T> = client
                        .get_result(url.clone(), what, &client.attempts())
                        .await?;
                    seen.insert(url.clone());
                    let next = match page
                        .next_page
                        .as_deref()
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                    {
                        None => Ok(None),
                        Some(link) => client.next_page_url(link, &url, &seen, what).map(Some),
                    };
                    Ok(Some((page, (next, seen))))
                }
            },
        )
    }

    fn next_page_url(
        &self,
        link: &str,
        current: &Url,
        seen: &HashSet<Url>,
        what: &str,
    ) -> Result<Url, Error> {
        let next = current
            .join(link)
            .map_err(|e| Error::malformed("nextPage is not a URL", e))?;
        if !self.inner.base.allows(&next) {
            return Err(Error::Malformed(format!(
                "nextPage of the {what} points to {}, not to the configured host {}; not sending credentials there",
                next.host_str().unwrap_or("an unknown host"),
                self.inner.base.host()
            )));
        }
        if &next == current {
            return Err(Error::Malformed(format!(
                "nextPage of the {what} repeats the current page"
            )));
        }
        if seen.contains(&next) {
            return Err(Error::Malformed(format!(
                "nextPage of the {what} leads back to a page already fetched ({}); stopped after {} pages instead of looping",
                path_and_query(&next),
                seen.len()
            )));
        }
        if seen.len() >= self.inner.max_pages {
            return Err(Error::Malformed(format!(
                "the {what} goes on beyond {} pages; stopped paging (nextPage {})",
                self.inner.max_pages,
                path_and_query(&next)
            )));
        }
        Ok(next)
    }
}

/// `/API/v3/surveys?offset=100`: enough to recognise a page, without scheme or host.
fn path_and_query(url: &Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    }
}

/// Reads an envelope body and returns its `result`.
pub(crate) async fn read_result<T: DeserializeOwned>(
    response: reqwest::Response,
    what: &str,
) -> Result<T, Error> {
    Ok(read_envelope(response, what).await?.result)
}

/// Reads an envelope body (`result` and `meta`).
pub(crate) async fn read_envelope<T: DeserializeOwned>(
    response: reqwest::Response,
    what: &str,
) -> Result<Envelope<T>, Error> {
    let path = response.url().path().to_string();
    let bytes = response
        .bytes()
        .await
        .map_err(|e| Error::network(&format!("reading the {what}"), e))?;
    serde_json::from_slice(&bytes).map_err(|e| Error::malformed(&format!("{what} ({path})"), e))
}
