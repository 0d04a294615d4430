//! Refreshing a survey's cached responses from Qualtrics.
//!
//! Contract of [`Refresher::refresh_survey`]:
//! - [`RefreshMode::IfStale`] calls Qualtrics only when the last *attempt* (failed ones count)
//!   is older than [`STALE_AFTER`] (or there was none); `Force` and `FullResync` always do.
//!   `now` is passed in so the policy is testable.
//! - Every call that talks to Qualtrics records one row in `refresh_attempts` (mode, outcome,
//!   error kind, new responses, HTTP requests); a refresh whose future is dropped mid-way
//!   closes its row as failed ("interrupted") and keeps the cache.
//! - Incremental: the first export asks for a continuation token (`allowContinuation`), later
//!   ones send the stored `continuationToken`. `FullResync` sends no token and replaces the
//!   cached rows — inside the import transaction, so only if it succeeds.
//! - Each refresh also fetches the survey definition (questions) and the in-progress
//!   responses (`exportResponsesInProgress`), which replace the cached in-progress set.
//! - Cheap incremental refreshes: every refresh first reads the survey's `responseCounts`
//!   (legacy `GET /surveys/{id}`, one request). An incremental refresh (`IfStale` or `Force`
//!   with a continuation token) that sees the same recorded/deleted counts as after its last
//!   successful import stops there: nothing new, one HTTP request instead of two export flows
//!   (the cached in-progress set is then kept as it is). `FullResync` always exports.
//! - Deletions upstream: continuation exports never announce deleted responses, so when the
//!   `deleted` count grew since the last successful import, the refresh turns into a full one
//!   (no token; the cached rows are replaced on success), recorded and reported as `full`.
//! - A failed or interrupted refresh keeps every cached row, value and the old token (the
//!   importer's transaction is dropped). A 401 marks the connection `TokenRevoked`.
//! - After a successful refresh the values of the metric cards on that survey are recomputed
//!   and cached.
//! - Progress goes to the `on_progress` callback: Listing, Exporting{percent},
//!   Downloading{bytes}, Importing{rows}, Computing, Done.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use qualtrics::{Client, ExportPhase, ExportRequest};

use crate::connection::Connector;
use crate::dto::{RefreshMode, RefreshPhase, RefreshProgress, RefreshReport};
use crate::error::{Error, ErrorKind, Result};
use crate::metrics::MetricCardConfig;
use crate::store::{AttemptMode, AttemptOutcome, ResponseRow, Store};

/// A survey is stale when its last refresh attempt is older than this.
pub fn stale_after() -> Duration {
    Duration::hours(1)
}

/// Progress callback type.
pub type ProgressFn<'a> = &'a (dyn Fn(RefreshProgress) + Send + Sync);

/// Runs refreshes against the configured connection.
#[derive(Debug, Clone)]
pub struct Refresher {
    store: Arc<Store>,
    connector: Connector,
}

/// What the network part of one refresh produced.
#[derive(Default)]
struct Fetched {
    /// An incremental refresh turned into a full one (responses deleted upstream).
    turned_full: bool,
    new_responses: u64,
    total: u64,
    in_progress: u64,
    http_requests: u64,
}

impl Refresher {
    /// A refresher over the store and the connection.
    pub fn new(store: Arc<Store>, connector: Connector) -> Self {
        Self { store, connector }
    }

    /// Whether `survey_id` needs a refresh at `now` under the staleness policy.
    pub fn is_stale(&self, survey_id: &str, now: DateTime<Utc>) -> Result<bool> {
        Ok(match self.store.last_refresh_attempt_at(survey_id)? {
            Some(last) => now - last >= stale_after(),
            None => true,
        })
    }

    /// Refreshes one survey; see the module docs.
    pub async fn refresh_survey(
        &self,
        survey_id: &str,
        mode: RefreshMode,
        now: DateTime<Utc>,
        on_progress: ProgressFn<'_>,
    ) -> Result<RefreshReport> {
        if survey_id.trim().is_empty() {
            return Err(Error::invalid("a survey id is required"));
        }
        if mode == RefreshMode::IfStale && !self.is_stale(survey_id, now)? {
            let state = self.store.sync_state(survey_id)?;
            return Ok(RefreshReport {
                survey_id: survey_id.to_string(),
                refreshed: false,
                mode: None,
                new_responses: 0,
                total_responses: state.as_ref().map_or(0, |s| s.response_count as u32),
                in_progress_responses: self.store.in_progress_count(survey_id)? as u32,
                http_requests: 0,
                cards_recomputed: 0,
                last_attempt_at: self.store.last_refresh_attempt_at(survey_id)?,
            });
        }
        let token = match mode {
            RefreshMode::FullResync => None,
            _ => self
                .store
                .sync_state(survey_id)?
                .and_then(|s| s.continuation_token),
        };
        let attempt_mode = if token.is_some() {
            AttemptMode::Incremental
        } else {
            AttemptMode::Full
        };
        let attempt = self
            .store
            .begin_refresh_attempt(survey_id, attempt_mode, now)?;
        // Closes the attempt as interrupted if this future is dropped before it finishes.
        let mut guard = AttemptGuard {
            store: &self.store,
            attempt: Some(attempt),
        };
        self.store.record_sync_attempt(survey_id, now)?;
        let progress = |phase| {
            on_progress(RefreshProgress {
                survey_id: survey_id.into(),
                phase,
            })
        };

        let mut fetched = Fetched::default();
        let result = match self.connector.client() {
            Ok(client) => {
                let full = mode == RefreshMode::FullResync || token.is_none();
                let skip_when_unchanged = !full;
                self.fetch(
                    &client,
                    survey_id,
                    token,
                    full,
                    skip_when_unchanged,
                    &mut fetched,
                    &progress,
                )
                .await
            }
            Err(e) => Err(e),
        };
        let finished = Utc::now();
        guard.attempt = None;
        let attempt_mode = if fetched.turned_full {
            self.store
                .set_refresh_attempt_mode(attempt, AttemptMode::Full)?;
            AttemptMode::Full
        } else {
            attempt_mode
        };
        if let Err(err) = result {
            let err = self.classify(err);
            self.store.finish_refresh_attempt(
                attempt,
                &AttemptOutcome {
                    ok: false,
                    error_kind: Some(err.kind()),
                    error_message: Some(err.message().to_string()),
                    new_responses: 0,
                    http_requests: fetched.http_requests,
                },
                finished,
            )?;
            self.connector.record_failure(finished, "refresh", &err)?;
            return Err(err);
        }
        self.store.finish_refresh_attempt(
            attempt,
            &AttemptOutcome {
                ok: true,
                error_kind: None,
                error_message: None,
                new_responses: fetched.new_responses,
                http_requests: fetched.http_requests,
            },
            finished,
        )?;
        self.connector.record_success(
            finished,
            "refresh",
            &format!(
                "{survey_id}: {} new or updated responses, {} cached, {} HTTP requests",
                fetched.new_responses, fetched.total, fetched.http_requests
            ),
        )?;
        progress(RefreshPhase::Computing);
        let cards_recomputed = recompute_cards(&self.store, survey_id, Utc::now())?;
        progress(RefreshPhase::Done);
        Ok(RefreshReport {
            survey_id: survey_id.to_string(),
            refreshed: true,
            mode: Some(match attempt_mode {
                AttemptMode::Full => "full".into(),
                AttemptMode::Incremental => "incremental".into(),
            }),
            new_responses: fetched.new_responses as u32,
            total_responses: fetched.total as u32,
            in_progress_responses: fetched.in_progress as u32,
            http_requests: fetched.http_requests as u32,
            cards_recomputed: cards_recomputed as u32,
            last_attempt_at: Some(now),
        })
    }

    /// Fetches and caches only the survey definition (questions, embedded fields): one
    /// request, no responses. For building a card before the survey's first refresh.
    pub async fn fetch_definition(&self, survey_id: &str) -> Result<()> {
        if survey_id.trim().is_empty() {
            return Err(Error::invalid("a survey id is required"));
        }
        let client = self.connector.client()?;
        match client.survey_definition(survey_id).await {
            Ok(definition) => self.store.set_survey_definition(survey_id, &definition.raw),
            Err(e) => {
                let err = self.classify(e.into());
                self.connector
                    .record_failure(Utc::now(), "survey definition", &err)?;
                Err(err)
            }
        }
    }

    /// Definition, completed responses (incremental or full) and in-progress responses, all
    /// committed in one import transaction at the end.
    async fn fetch(
        &self,
        client: &Client,
        survey_id: &str,
        token: Option<String>,
        full: bool,
        skip_when_unchanged: bool,
        fetched: &mut Fetched,
        progress: &(dyn Fn(RefreshPhase) + Send + Sync),
    ) -> Result<()> {
        progress(RefreshPhase::Listing);
        let counts = client.legacy_survey(survey_id).await;
        fetched.http_requests += 1;
        let response_counts = counts?.response_counts;
        let counts = response_counts
            .as_ref()
            .map(|c| format!("{}:{}", c.auditable, c.deleted));
        let counts_key = format!("sync.{survey_id}.response_counts");
        let stored_counts = self.store.get_setting(&counts_key)?;
        if skip_when_unchanged && counts.is_some() && stored_counts == counts {
            let state = self.store.sync_state(survey_id)?;
            fetched.total = state.map_or(0, |s| s.response_count);
            fetched.in_progress = self.store.in_progress_count(survey_id)?;
            return Ok(());
        }
        let deleted_before = stored_counts
            .as_deref()
            .and_then(|c| c.split_once(':'))
            .and_then(|(_, deleted)| deleted.parse::<u64>().ok());
        if !full {
            if let (Some(before), Some(now)) = (deleted_before, &response_counts) {
                fetched.turned_full = now.deleted > before;
            }
        }
        let full = full || fetched.turned_full;
        let token = if full { None } else { token };
        let definition = if full || self.definition_outdated(survey_id)? {
            let fetched_definition = client.survey_definition(survey_id).await;
            fetched.http_requests += 1;
            Some(fetched_definition?)
        } else {
            None
        };

        let mut importer = self.store.importer(survey_id)?;
        if full {
            importer.replace_existing()?;
        }
        let request = match token {
            Some(t) => ExportRequest::new().continuation_token(t),
            None => ExportRequest::new().allow_continuation(true),
        };
        // Completed responses and the in-progress set (replaced by a fresh one each time) are
        // exported at the same time and stream into the one import transaction as their files
        // are read: one pass, since a corrupt file rolls the whole import back. The two
        // callbacks run on this task, one at a time, so the lock is never contended.
        importer.replace_in_progress()?;
        let in_progress_request = ExportRequest::new().in_progress(true);
        let shared = std::sync::Mutex::new(importer);
        let add = |row: ResponseRow| {
            shared
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .add(row)
        };
        let mut rows = 0u64;
        let mut import_error: Option<Error> = None;
        let mut in_progress_error: Option<Error> = None;
        let (summary, ip_summary) = tokio::join!(
            client.export_responses_streamed(
                survey_id,
                &request,
                |p: qualtrics::ExportProgress| progress(export_phase(&p)),
                |r: qualtrics::ExportedResponse| match to_row(r, false).and_then(add) {
                    Ok(()) => {
                        rows += 1;
                        Ok(())
                    }
                    Err(e) => {
                        import_error = Some(e);
                        Err(aborted())
                    }
                },
            ),
            client.export_responses_streamed(
                survey_id,
                &in_progress_request,
                |_p: qualtrics::ExportProgress| {},
                |r: qualtrics::ExportedResponse| {
                    to_row(r, true).and_then(add).map_err(|e| {
                        in_progress_error = Some(e);
                        aborted()
                    })
                },
            ),
        );
        if let Some(e) = import_error.or(in_progress_error) {
            return Err(e);
        }
        let summary = summary?;
        let ip_summary = ip_summary?;
        fetched.http_requests +=
            u64::from(summary.http_requests) + u64::from(ip_summary.http_requests);
        let new_token = summary.continuation_token.clone();
        let importer = shared
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        progress(RefreshPhase::Importing { rows });
        let summary = importer.commit(new_token.as_deref(), Utc::now())?;
        // The counts seen before this export; a response recorded meanwhile makes the next
        // comparison differ, so nothing is ever skipped by mistake.
        match &counts {
            Some(c) => self.store.set_setting(&counts_key, c)?,
            None => {
                self.store.delete_setting(&counts_key)?;
            }
        }
        // After the import committed (the importer holds the write lock until then).
        if let Some(definition) = definition {
            self.store
                .set_survey_definition(survey_id, &definition.raw)?;
        }
        fetched.new_responses = summary.inserted + summary.updated;
        fetched.total = summary.total_responses;
        fetched.in_progress = summary.in_progress;
        Ok(())
    }

    /// Whether the cached definition is missing or older than the survey's `lastModified`
    /// from the survey list (an incremental refresh skips the definition request otherwise).
    fn definition_outdated(&self, survey_id: &str) -> Result<bool> {
        let parse = |s: &str| chrono::DateTime::parse_from_rfc3339(s).ok();
        let Some(cached) = self.store.survey_definition(survey_id)? else {
            return Ok(true);
        };
        let listed = self
            .store
            .get_survey(survey_id)?
            .and_then(|s| s.last_modified);
        let stored = cached
            .get("LastModified")
            .and_then(serde_json::Value::as_str);
        Ok(
            match (listed.as_deref().and_then(parse), stored.and_then(parse)) {
                (Some(listed), Some(stored)) => listed > stored,
                _ => true,
            },
        )
    }

    /// A 401 on a configuration that validated before is a revoked token.
    fn classify(&self, err: Error) -> Error {
        if err.kind() == ErrorKind::Unauthorized {
            Error::new(
                ErrorKind::TokenRevoked,
                format!(
                    "Qualtrics no longer accepts the saved credentials ({}). Edit the \
                     connection with a new token; cached values are kept.",
                    err.message()
                ),
            )
        } else {
            err
        }
    }
}

/// Marks a refresh attempt `failed` ("interrupted") when the refresh is dropped mid-way
/// (cancelled task, app shutting down), so no attempt stays `running` forever.
struct AttemptGuard<'a> {
    store: &'a Store,
    attempt: Option<i64>,
}

impl Drop for AttemptGuard<'_> {
    fn drop(&mut self) {
        if let Some(attempt) = self.attempt.take() {
            let outcome = AttemptOutcome {
                ok: false,
                error_kind: None,
                error_message: Some(
                    "interrupted: the refresh stopped before it finished (cancelled or the \
                     app closed); cached data was kept"
                        .into(),
                ),
                new_responses: 0,
                http_requests: 0,
            };
            if let Err(e) = self
                .store
                .finish_refresh_attempt(attempt, &outcome, Utc::now())
            {
                tracing::warn!("recording an interrupted refresh failed: {e}");
            }
        }
    }
}

/// The metric cards (id, config) whose survey is `survey_id`, on any map.
pub fn metric_cards_for_survey(
    store: &Store,
    survey_id: &str,
) -> Result<Vec<(String, MetricCardConfig)>> {
    let rows: Vec<(String, String)> = store.with_conn(|c| {
        let mut stmt = c.prepare(
            "SELECT id, config_json FROM cards
             WHERE kind = 'metric' AND config_json IS NOT NULL ORDER BY map_id, position, id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })?;
    let mut out = Vec::new();
    for (id, json) in rows {
        match serde_json::from_str::<MetricCardConfig>(&json) {
            Ok(config) if config.survey_id == survey_id => out.push((id, config)),
            Ok(_) => {}
            Err(e) => tracing::warn!(card = %id, "unreadable card configuration: {e}"),
        }
    }
    Ok(out)
}

/// Recomputes and caches the values of the metric cards on `survey_id`; returns how many.
/// A card whose computation fails (question gone...) keeps its previous cached value.
pub fn recompute_cards(store: &Store, survey_id: &str, at: DateTime<Utc>) -> Result<usize> {
    let mut done = 0;
    for (card_id, config) in metric_cards_for_survey(store, survey_id)? {
        match crate::metrics::compute(store, &config) {
            Ok(value) => {
                store.put_metric_value(&card_id, &config.config_hash(), &value, at)?;
                done += 1;
            }
            Err(e) => tracing::warn!(card = %card_id, kind = ?e.kind(), "card not recomputed: {e}"),
        }
    }
    Ok(done)
}

/// Stops an export whose rows could not be imported (the real error is kept aside).
fn aborted() -> qualtrics::Error {
    qualtrics::Error::InvalidRequest("import into the local cache failed".into())
}

fn export_phase(p: &qualtrics::ExportProgress) -> RefreshPhase {
    match p.phase {
        ExportPhase::Exporting { percent } => RefreshPhase::Exporting { percent },
        ExportPhase::Downloading { bytes } => RefreshPhase::Downloading { bytes },
        ExportPhase::Parsing { responses } => RefreshPhase::Importing { rows: responses },
    }
}

fn to_row(r: qualtrics::ExportedResponse, in_progress: bool) -> Result<ResponseRow> {
    if r.response_id.is_empty() {
        return Err(Error::new(
            ErrorKind::Malformed,
            "the export holds a response without responseId",
        ));
    }
    let (response_id, values, labels) = r.into_json_parts();
    ResponseRow::from_json_parts(response_id, values, Some(labels), in_progress)
}
