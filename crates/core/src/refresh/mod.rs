//! Refreshing a survey's cached responses from Qualtrics.
//!
//! Contract of [`Refresher::refresh_survey`]:
//! - [`RefreshMode::IfStale`] calls Qualtrics only when the survey is due under the policy of
//!   [`policy`] (1 h after a successful attempt; after a failed or interrupted one a back-off
//!   from 5 min, doubling, capped at 1 h). `Force` and `FullResync` always do. `now` is
//!   passed in so the policy is testable.
//! - Every call that talks to Qualtrics records one row in `refresh_attempts` (mode, outcome,
//!   error kind, new responses, HTTP requests — every request sent, retries, polls and token
//!   fetches included, failed refreshes too); a refresh whose future is dropped mid-way
//!   closes its row as failed ("interrupted") and keeps the cache, and one whose process was
//!   killed is closed so at the next start (see `store::attempt_lease`).
//! - Incremental (`IfStale`, `Incremental`): the first export asks for a continuation token
//!   (`allowContinuation`), later ones send the stored `continuationToken`. Continuation
//!   exports carry new responses only — never edits to existing ones, nor deletions.
//! - Full: `Force` ("Refresh now", `refresh --force`) and `FullResync` send no token, re-read
//!   every response and replace the cached rows — inside the import transaction, so only if
//!   it succeeds. Upstream edits to existing responses therefore show at once on "Refresh
//!   now". An automatic refresh is full too when the last successful full one is older than
//!   [`policy::full_sync_every`] (24 h), so edits reach the cache within a day anyway.
//! - Each refresh also fetches the survey definition (questions) when it changed and the
//!   in-progress responses (`exportResponsesInProgress`), which become the cached set (only
//!   the new or changed ones are stored; see `store::responses`);
//!   the legacy view's `"analyze": false` choices are then marked not analysed.
//! - Cheap incremental refreshes: every refresh first reads the survey's `responseCounts`
//!   (legacy `GET /surveys/{id}`, one request). An incremental refresh that sees the same
//!   recorded/deleted counts as after its last successful import stops there: nothing new,
//!   one HTTP request instead of two export flows (the cached in-progress set is then kept).
//! - Deletions upstream: when the `deleted` count grew since the last successful import, an
//!   incremental refresh turns into a full one, recorded and reported as `full`.
//! - Locking: both exports are prepared by Qualtrics and downloaded first, holding no
//!   database lock; only then does the import take the write lock (its own connection, one
//!   transaction) to store the rows. Every other write (map edits, connection, another
//!   survey's refresh) goes on while Qualtrics prepares an export.
//! - A failed or interrupted refresh keeps every cached row, value and the old token (the
//!   importer's transaction is dropped). A 401 marks the connection `TokenRevoked`.
//! - After a successful refresh the members of the saved filters the survey's cards use are
//!   re-read by a full filtered export (Qualtrics refuses `filterId` with continuation; see
//!   `filters`), then the values of the metric cards on that survey are recomputed and cached.
//! - Progress goes to the `on_progress` callback: Listing, Exporting{percent},
//!   Downloading{bytes}, Importing{rows}, Computing, Done.
//! - One refresh per survey at a time per [`Refresher`] (the app's facade): a second call
//!   for a survey whose refresh runs is refused with `RefreshRunning`, before any request or
//!   attempt row. The claim is a drop guard, so it is released however the refresh ends —
//!   success, error, panic, or its future dropped.

mod cards;
mod filters;
pub mod policy;
mod progress;

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};
use qualtrics::{Client, ExportPhase, ExportRequest, PreparedExport, RequestMeter};

use crate::connection::Connector;
use crate::dto::{RefreshMode, RefreshPhase, RefreshProgress, RefreshReport};
use crate::error::{Error, ErrorKind, Result};
use crate::ids::SurveyId;
use crate::store::{
    AttemptMode, AttemptOutcome, AttemptStatus, Importer, ResponseCounts, ResponseRow, Store,
};

pub use cards::{metric_cards_for_survey, recompute_cards};
pub use policy::stale_after;

/// Progress callback type.
pub type ProgressFn<'a> = &'a (dyn Fn(RefreshProgress) + Send + Sync);

/// Runs refreshes against the configured connection.
#[derive(Debug, Clone)]
pub struct Refresher {
    store: Arc<Store>,
    connector: Connector,
    /// Refreshes running side by side (`Pulsemap::refresh_surveys`) prepare and download
    /// their exports at once, but write one at a time: an import holds SQLite's write lock
    /// for seconds on a big survey, longer than another refresh's short writes would wait.
    writes: Arc<tokio::sync::Mutex<()>>,
    /// Surveys whose refresh is running (see [`RunningClaim`]).
    running: Arc<Mutex<HashSet<String>>>,
}

/// A survey's place in [`Refresher::running`], held for the whole refresh and given back on
/// drop — also when the refresh fails, panics or its future is dropped mid-way.
struct RunningClaim {
    running: Arc<Mutex<HashSet<String>>>,
    survey_id: String,
}

impl RunningClaim {
    fn take(running: &Arc<Mutex<HashSet<String>>>, survey_id: &str) -> Result<RunningClaim> {
        let mut set = running.lock().unwrap_or_else(PoisonError::into_inner);
        if !set.insert(survey_id.to_owned()) {
            return Err(Error::new(
                ErrorKind::RefreshRunning,
                format!("survey {survey_id} is already being refreshed"),
            ));
        }
        Ok(RunningClaim {
            running: running.clone(),
            survey_id: survey_id.to_owned(),
        })
    }
}

impl Drop for RunningClaim {
    fn drop(&mut self) {
        self.running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.survey_id);
    }
}

/// What one refresh's network part is to do.
struct FetchPlan<'a> {
    /// The metered client of this refresh.
    client: &'a Client,
    survey_id: &'a str,
    /// The stored continuation token of an incremental refresh; `None` for a full one.
    token: Option<String>,
    progress: &'a (dyn Fn(RefreshPhase) + Send + Sync),
}

/// What the network part of one refresh produced.
#[derive(Default)]
struct Fetched {
    /// The refresher's write gate, held from the import to the end of the refresh.
    writing: Option<tokio::sync::OwnedMutexGuard<()>>,
    /// An incremental refresh turned into a full one (responses deleted upstream).
    turned_full: bool,
    new_responses: u64,
    total: u64,
    in_progress: u64,
}

impl Refresher {
    /// A refresher over the store and the connection.
    pub fn new(store: Arc<Store>, connector: Connector) -> Self {
        Self {
            store,
            connector,
            writes: Arc::default(),
            running: Arc::default(),
        }
    }

    /// When the next automatic refresh of `survey_id` is due (`None`: now, never refreshed).
    pub fn next_refresh_at(&self, survey_id: &str) -> Result<Option<DateTime<Utc>>> {
        let attempts = self
            .store
            .list_refresh_attempts(Some(survey_id), policy::ATTEMPTS_FOR_POLICY)?;
        Ok(policy::next_due(&attempts))
    }

    /// Whether `survey_id` needs a refresh at `now` under the policy (see [`policy`]).
    pub fn is_stale(&self, survey_id: &str, now: DateTime<Utc>) -> Result<bool> {
        Ok(self
            .next_refresh_at(survey_id)?
            .is_none_or(|due| now >= due))
    }

    /// Refreshes one survey; see the module docs.
    pub async fn refresh_survey(
        &self,
        survey_id: &SurveyId,
        mode: RefreshMode,
        now: DateTime<Utc>,
        on_progress: ProgressFn<'_>,
    ) -> Result<RefreshReport> {
        let _claim = RunningClaim::take(&self.running, survey_id)?;
        if mode == RefreshMode::IfStale && !self.is_stale(survey_id, now)? {
            let state = self.store.sync_state(survey_id)?;
            return Ok(RefreshReport {
                survey_id: survey_id.clone(),
                refreshed: false,
                mode: None,
                new_responses: 0,
                total_responses: state.as_ref().map_or(0, |s| s.response_count as u32),
                in_progress_responses: self.store.in_progress_count(survey_id)? as u32,
                http_requests: 0,
                cards_recomputed: 0,
                last_attempt_at: self.store.last_refresh_attempt_at(survey_id)?,
                last_attempt_failed: self.last_attempt_failed(survey_id)?,
                next_refresh_at: self.next_refresh_at(survey_id)?,
                last_full_sync_at: self.store.last_full_sync_at(survey_id)?,
            });
        }
        let token = match mode {
            RefreshMode::Incremental => self
                .store
                .sync_state(survey_id)?
                .and_then(|s| s.continuation_token),
            RefreshMode::IfStale
                if !policy::full_sync_due(self.store.last_full_sync_at(survey_id)?, now) =>
            {
                self.store
                    .sync_state(survey_id)?
                    .and_then(|s| s.continuation_token)
            }
            _ => None,
        };
        let attempt_mode = if token.is_some() {
            AttemptMode::Incremental
        } else {
            AttemptMode::Full
        };
        let gate = self.writes.lock().await;
        let attempt = self
            .store
            .begin_refresh_attempt(survey_id, attempt_mode, now)?;
        // Closes the attempt as interrupted if this future is dropped before it finishes.
        let mut guard = AttemptGuard {
            store: &self.store,
            attempt: Some(attempt),
            meter: None,
        };
        self.store.record_sync_attempt(survey_id, now)?;
        drop(gate);
        let progress = |phase| {
            on_progress(RefreshProgress {
                survey_id: survey_id.clone(),
                phase,
            })
        };

        let mut fetched = Fetched::default();
        let result = match self.connector.client() {
            Ok(client) => {
                let (client, meter) = client.metered();
                guard.meter = Some(meter);
                let full = token.is_none();
                let plan = FetchPlan {
                    client: &client,
                    survey_id,
                    token,
                    progress: &progress,
                };
                let result = self.fetch(plan, &mut fetched).await;
                if result.is_ok() {
                    let changed = full || fetched.turned_full || fetched.new_responses > 0;
                    if let Err(e) =
                        filters::refresh_members(&client, &self.store, survey_id, changed).await
                    {
                        tracing::warn!(survey = %survey_id, "saved filters not re-read: {e}");
                    }
                }
                result
            }
            Err(e) => Err(e),
        };
        if fetched.writing.is_none() {
            fetched.writing = Some(self.writes.clone().lock_owned().await);
        }
        let finished = Utc::now();
        let http_requests = guard.meter.take().map_or(0, |m| m.get());
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
                    error_message: Some(err.detail()),
                    new_responses: 0,
                    http_requests,
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
                http_requests,
            },
            finished,
        )?;
        self.connector.record_success(
            finished,
            "refresh",
            &format!(
                "{survey_id}: {} new or updated responses, {} cached, {http_requests} HTTP \
                 requests",
                fetched.new_responses, fetched.total
            ),
        )?;
        progress(RefreshPhase::Computing);
        let cards_recomputed = recompute_cards(&self.store, survey_id, Utc::now())?;
        progress(RefreshPhase::Done);
        Ok(RefreshReport {
            survey_id: survey_id.clone(),
            refreshed: true,
            mode: Some(attempt_mode),
            new_responses: fetched.new_responses as u32,
            total_responses: fetched.total as u32,
            in_progress_responses: fetched.in_progress as u32,
            http_requests: http_requests as u32,
            cards_recomputed: cards_recomputed as u32,
            last_attempt_at: Some(now),
            last_attempt_failed: false,
            next_refresh_at: self.next_refresh_at(survey_id)?,
            last_full_sync_at: self.store.last_full_sync_at(survey_id)?,
        })
    }

    /// Reads the members of every listed saved filter of the survey now (full filtered
    /// exports); returns how many members each has, in list order.
    pub async fn read_filter_members(&self, survey_id: &str) -> Result<Vec<(String, usize)>> {
        let client = self.connector.client()?;
        let mut out = Vec::new();
        for f in self.store.survey_filters(survey_id)? {
            let n = filters::read_members(&client, &self.store, survey_id, &f.id)
                .await
                .map_err(|e| self.classify(e))?;
            out.push((f.id, n));
        }
        Ok(out)
    }

    /// Whether the survey's latest attempt failed (or was interrupted).
    fn last_attempt_failed(&self, survey_id: &str) -> Result<bool> {
        Ok(self
            .store
            .list_refresh_attempts(Some(survey_id), 1)?
            .first()
            .is_some_and(|a| a.outcome == AttemptStatus::Failed))
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

    /// Definition, completed responses (incremental when `token` is set, else full) and
    /// in-progress responses. The exports are prepared and downloaded first, with no
    /// database lock held; the import transaction then stores everything at once.
    async fn fetch(&self, plan: FetchPlan<'_>, fetched: &mut Fetched) -> Result<()> {
        let FetchPlan {
            client,
            survey_id,
            token,
            progress,
        } = plan;
        progress(RefreshPhase::Listing);
        let legacy = client.legacy_survey(survey_id).await?;
        let counts = legacy.response_counts.as_ref().map(|c| ResponseCounts {
            recorded: c.auditable,
            deleted: c.deleted,
        });
        let state = self.store.sync_state(survey_id)?;
        let counted = state.as_ref().and_then(|s| s.response_counts);
        if token.is_some() && counts.is_some() && counted == counts {
            fetched.total = state.map_or(0, |s| s.response_count);
            fetched.in_progress = self.store.in_progress_count(survey_id)?;
            return Ok(());
        }
        if token.is_some() {
            if let (Some(before), Some(now)) = (counted, counts) {
                fetched.turned_full = now.deleted > before.deleted;
            }
        }
        let full = token.is_none() || fetched.turned_full;
        let token = if full { None } else { token };
        let definition = if full || self.definition_outdated(survey_id)? {
            Some(client.survey_definition(survey_id).await?)
        } else {
            None
        };
        let request = match token {
            Some(t) => ExportRequest::new().continuation_token(t),
            None => ExportRequest::new().allow_continuation(true),
        };
        // The in-progress set is re-read whole each time (only a whole set shows which
        // responses left it); the import stores only what changed in it. Both exports run at
        // once; no lock is held while Qualtrics prepares them (minutes on a big survey).
        let in_progress_request = ExportRequest::new().in_progress(true);
        let (main, in_progress) = tokio::join!(
            client.prepare_export(survey_id, &request, |p| progress(export_phase(&p))),
            client.prepare_export(survey_id, &in_progress_request, |_| {}),
        );
        let (main, in_progress) = (main?, in_progress?);
        let new_token = main.continuation_token.clone();

        // Both files are on disk: now the write lock, for the import alone. Each file is read
        // once, streaming into the transaction (a corrupt file rolls the whole import back).
        fetched.writing = Some(self.writes.clone().lock_owned().await);
        let mut importer = self.store.importer(survey_id)?;
        if full {
            importer.replace_existing()?;
        }
        importer.replace_in_progress()?;
        let report = |rows| progress(RefreshPhase::Importing { rows });
        let throttled = progress::Throttled::new(&report);
        let rows = import_file(&mut importer, main, false, &|rows| throttled.count(rows)).await?;
        import_file(&mut importer, in_progress, true, &|_| {}).await?;
        progress(RefreshPhase::Importing { rows });
        // The counts seen before this export, committed with the rows; a response recorded
        // meanwhile makes the next comparison differ, so nothing is ever skipped by mistake.
        importer.set_response_counts(counts);
        let summary = importer.commit(new_token.as_deref(), Utc::now())?;
        if let Some(definition) = definition {
            self.store
                .set_survey_definition(survey_id, &definition.raw)?;
        }
        // The legacy view marks "exclude from analysis" on every choice; definitions often
        // carry no mark at all, so a choice is analysed only when neither excludes it.
        self.store.apply_legacy_analysis(survey_id, &legacy.raw)?;
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
            .with_origin_of(&err)
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
    /// Requests sent so far by this refresh.
    meter: Option<RequestMeter>,
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
                http_requests: self.meter.as_ref().map_or(0, RequestMeter::get),
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

/// Stops an export whose rows could not be imported (the real error is kept aside).
fn aborted() -> qualtrics::Error {
    qualtrics::Error::InvalidRequest("import into the local cache failed".into())
}

/// Streams one downloaded export file into the import; returns the rows read.
async fn import_file(
    importer: &mut Importer,
    export: PreparedExport,
    in_progress: bool,
    on_rows: &(dyn Fn(u64) + Send + Sync),
) -> Result<u64> {
    let mut import_error: Option<Error> = None;
    let read = export
        .file
        .stream_responses(export.format, on_rows, |r| {
            to_row(r, in_progress)
                .and_then(|row| importer.add(row))
                .map_err(|e| {
                    import_error = Some(e);
                    aborted()
                })
        })
        .await;
    match (import_error, read) {
        (Some(e), _) => Err(e),
        (None, Err(e)) => Err(e.into()),
        (None, Ok(rows)) => Ok(rows),
    }
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
    Ok(ResponseRow::from_export_parts(
        response_id,
        values,
        Some(labels),
        in_progress,
    ))
}
