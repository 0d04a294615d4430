//! The `Pulsemap` facade: the one entry point the Tauri app and the CLI call.
//!
//! Contract:
//! - [`Pulsemap`] is cheap to clone (an `Arc`), `Send + Sync`, and has no Tauri type; every
//!   method returns [`crate::Result`] whose error carries an [`crate::ErrorKind`].
//! - [`Pulsemap::open`] opens (creating) `<data_dir>/pulsemap.db`; secrets go to the OS
//!   keychain under `Options::keyring_service` unless a [`SecretStore`] is injected (tests).
//! - Network calls happen only in `connection_status`, `save_connection`, `list_surveys`
//!   and `refresh_survey*`; everything else paints from the SQLite cache (offline).
//! - The loopback developer switch is `Options::allow_loopback`; [`Options::new`] turns it on
//!   when `PULSEMAP_DEV_ALLOW_LOOPBACK` is `1` or `true` ([`dev_allow_loopback_env`], the
//!   one reader of that variable for the app and the CLI).
//! - One refresh per survey at a time in this process: a second `refresh_survey` of a survey
//!   whose refresh is running is refused with [`crate::ErrorKind::RefreshRunning`]; the claim
//!   is released when the refresh ends, fails, panics or is dropped.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::connection::Connector;
mod history;
mod map_files;
mod maps;
mod scope;

pub use history::{UndoState, UNDO_LIMIT};

use crate::debug_export;
use crate::dto::{
    ConnectionInput, ConnectionStatus, DebugExportOptions, DebugExportSummary, MetricPreview,
    RefreshMode, RefreshReport, SurveyQuestions, SurveySummaryDto,
};
use crate::error::Result;
use crate::ids::SurveyId;
use crate::metrics::{MetricCardConfig, MetricValue};
use crate::refresh::{ProgressFn, Refresher};
use crate::secrets::{KeyringSecretStore, SecretStore, DEFAULT_SERVICE};
use crate::store::{QuestionRow, Store};

/// Environment variable of the loopback developer switch.
pub const DEV_ALLOW_LOOPBACK_ENV: &str = "PULSEMAP_DEV_ALLOW_LOOPBACK";
/// File name of the cache inside the data dir.
pub const DB_FILE: &str = "pulsemap.db";

/// How to open Pulsemap.
#[derive(Debug, Clone)]
pub struct Options {
    /// Directory of the SQLite cache (created if missing).
    pub data_dir: PathBuf,
    /// Developer switch: allow loopback `http://` Qualtrics hosts (the simulator).
    pub allow_loopback: bool,
    /// Keychain service name (default `"pulsemap"`).
    pub keyring_service: String,
    /// Replaces the OS keychain (tests only); `None` uses the keychain.
    pub secret_store: Option<Arc<dyn SecretStore>>,
}

impl Options {
    /// Defaults for `data_dir`: the OS keychain under `"pulsemap"`, and the loopback switch
    /// as [`dev_allow_loopback_env`] reads it.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: data_dir.into(),
            allow_loopback: dev_allow_loopback_env(),
            keyring_service: DEFAULT_SERVICE.to_string(),
            secret_store: None,
        }
    }
}

/// Whether the environment turns the loopback developer switch on:
/// `PULSEMAP_DEV_ALLOW_LOOPBACK` set to `1` or `true` (surrounding spaces ignored).
pub fn dev_allow_loopback_env() -> bool {
    switch_on(std::env::var(DEV_ALLOW_LOOPBACK_ENV).ok().as_deref())
}

fn switch_on(value: Option<&str>) -> bool {
    matches!(value.map(str::trim), Some("1" | "true"))
}

/// The application facade; see the module docs.
#[derive(Debug, Clone)]
pub struct Pulsemap {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    store: Arc<Store>,
    connector: Connector,
    refresher: Refresher,
    data_dir: PathBuf,
    histories: history::Histories,
}

/// Surveys [`Pulsemap::refresh_surveys`] refreshes at once: a map on five surveys does not
/// wait for them one after the other, and Qualtrics sees a few exports at a time.
pub const REFRESH_CONCURRENCY: usize = 3;

impl Pulsemap {
    /// Opens the cache in `options.data_dir` and wires the keychain.
    pub fn open(options: Options) -> Result<Pulsemap> {
        crate::store::prepare_data_dir(&options.data_dir)?;
        let store = Arc::new(Store::open(&options.data_dir.join(DB_FILE))?);
        let secrets: Arc<dyn SecretStore> = match options.secret_store {
            Some(s) => s,
            None => Arc::new(KeyringSecretStore::new(options.keyring_service)),
        };
        let connector = Connector::new(store.clone(), secrets, options.allow_loopback);
        let refresher = Refresher::new(store.clone(), connector.clone());
        Ok(Pulsemap {
            inner: Arc::new(Inner {
                store,
                connector,
                refresher,
                data_dir: options.data_dir,
                histories: Default::default(),
            }),
        })
    }

    /// The underlying store (for read-only helpers and tests).
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The data directory.
    pub fn data_dir(&self) -> &Path {
        &self.inner.data_dir
    }

    fn histories(&self) -> &history::Histories {
        &self.inner.histories
    }

    // ---- connection -------------------------------------------------------------------

    /// Re-checks the saved connection against Qualtrics (whoami + survey list).
    pub async fn connection_status(&self) -> Result<ConnectionStatus> {
        self.inner.connector.status().await
    }

    /// The last known connection status, without network or keychain access.
    pub fn cached_connection_status(&self) -> Result<ConnectionStatus> {
        self.inner.connector.cached_status()
    }

    /// [`Pulsemap::cached_connection_status`] with the reminder computed as of `now`.
    pub fn cached_connection_status_at(&self, now: DateTime<Utc>) -> Result<ConnectionStatus> {
        self.inner.connector.cached_status_at(now)
    }

    /// Sets after how many days an unrotated secret shows the reminder (1..=3650; default
    /// 90); returns the cached status with the reminder recomputed.
    pub fn set_rotation_reminder_days(&self, days: u32) -> Result<ConnectionStatus> {
        self.inner.connector.set_rotation_days(days)?;
        self.inner.connector.cached_status()
    }

    /// The rotation reminder period in days.
    pub fn rotation_reminder_days(&self) -> Result<u32> {
        self.inner.connector.rotation_days()
    }

    /// Validates and saves a connection (see [`crate::connection`]).
    pub async fn save_connection(&self, input: ConnectionInput) -> Result<ConnectionStatus> {
        self.inner.connector.save(input).await
    }

    /// Deletes the connection: keychain entries and settings (the cache stays).
    pub fn delete_connection(&self) -> Result<()> {
        self.inner.connector.delete()
    }

    // ---- surveys ----------------------------------------------------------------------

    /// Refreshes the survey list from Qualtrics when possible (falls back to the cache on any
    /// failure, recording it), then returns the cached list.
    pub async fn list_surveys(&self) -> Result<Vec<SurveySummaryDto>> {
        match self.sync_surveys().await {
            Ok(list) => Ok(list),
            // The failure is recorded (banner + connection log); the cache still paints.
            Err(e) if e.kind() != crate::ErrorKind::Storage => self.cached_surveys(),
            Err(e) => Err(e),
        }
    }

    /// Fetches the survey list from Qualtrics, caches it and returns the cached list; any
    /// failure is recorded (a 401 as a revoked token) and returned, never hidden behind the
    /// cache (`pulsemap surveys`). Not configured is an error too.
    pub async fn sync_surveys(&self) -> Result<Vec<SurveySummaryDto>> {
        let connector = &self.inner.connector;
        if connector.cached_status()?.state == crate::dto::ConnectionState::NotConfigured {
            return Err(crate::Error::new(
                crate::ErrorKind::NotConfigured,
                "no Qualtrics connection is configured; connect first",
            ));
        }
        let now = Utc::now();
        let listed = match connector.client() {
            Ok(client) => client.list_surveys().await.map_err(crate::Error::from),
            Err(e) => Err(e),
        };
        match listed {
            Ok(surveys) => {
                let infos: Vec<_> = surveys.iter().map(crate::connection::survey_info).collect();
                self.inner.store.upsert_surveys(&infos, now)?;
                self.cached_surveys()
            }
            Err(err) => {
                let err = if err.kind() == crate::ErrorKind::Unauthorized {
                    crate::Error::new(crate::ErrorKind::TokenRevoked, err.message())
                        .with_origin_of(&err)
                } else {
                    err
                };
                connector.record_failure(now, "list_surveys", &err)?;
                Err(err)
            }
        }
    }

    /// The cached survey list (no network).
    pub fn cached_surveys(&self) -> Result<Vec<SurveySummaryDto>> {
        let store = &self.inner.store;
        let mut out = Vec::new();
        for s in store.list_surveys()? {
            // Ids come from Qualtrics' survey list; one that is not a survey id could never
            // be refreshed (it cannot go into a request path), so it is not offered.
            let id = match SurveyId::try_from(s.id) {
                Ok(id) => id,
                Err(e) => {
                    tracing::warn!("cached survey skipped: {e}");
                    continue;
                }
            };
            let sync = store.sync_state(&id)?;
            out.push(SurveySummaryDto {
                response_count: store.response_count(&id)? as u32,
                last_refreshed_at: sync.as_ref().and_then(|st| st.last_success_at),
                last_attempt_at: store.last_refresh_attempt_at(&id)?,
                last_full_sync_at: store.last_full_sync_at(&id)?,
                id,
                name: s.name,
                is_active: s.is_active,
                deleted: s.deleted,
            });
        }
        Ok(out)
    }

    /// The cached questions of a survey (known after its first refresh).
    pub fn survey_questions(&self, survey_id: &SurveyId) -> Result<Vec<QuestionRow>> {
        self.inner.store.list_questions(survey_id)
    }

    /// Questions and embedded fields of a survey for the card modal. When none are cached
    /// yet (the survey was never refreshed) only its definition is fetched — one request, so
    /// the modal fills at once even for a huge survey. `responses_cached` says whether the
    /// survey's responses were ever imported; when not, the caller refreshes it in the
    /// background (the preview shows n = 0 until then).
    pub async fn load_survey_questions(&self, survey_id: &SurveyId) -> Result<SurveyQuestions> {
        if self.survey_questions(survey_id)?.is_empty() {
            self.inner.refresher.fetch_definition(survey_id).await?;
        }
        let store = &self.inner.store;
        Ok(SurveyQuestions {
            questions: self.survey_questions(survey_id)?,
            embedded_fields: store.list_embedded_fields(survey_id)?,
            responses_cached: store
                .sync_state(survey_id)?
                .is_some_and(|s| s.last_success_at.is_some()),
        })
    }

    // ---- metrics ----------------------------------------------------------------------

    /// Computes a card configuration from the cache without saving anything (the metric
    /// modal's live preview; also `pulsemap metric`).
    pub fn preview_metric(&self, config: &MetricCardConfig) -> Result<MetricValue> {
        crate::metrics::compute(&self.inner.store, config)
    }

    /// [`Pulsemap::preview_metric`] with the card's chart as the map draws it (card size,
    /// [`crate::charts::render_svg`]); no chart when the configuration's chart kind is `none`.
    pub fn preview_metric_card(&self, config: &MetricCardConfig) -> Result<MetricPreview> {
        let value = self.preview_metric(config)?;
        let chart_svg = match config.chart.kind {
            crate::metrics::ChartKind::None => None,
            _ => Some(crate::charts::render_svg(
                config,
                &value,
                crate::charts::CARD_CHART_WIDTH,
                crate::charts::CARD_CHART_HEIGHT,
            )?),
        };
        Ok(MetricPreview { value, chart_svg })
    }

    // ---- refresh ----------------------------------------------------------------------

    /// Refreshes several surveys (a map's), [`REFRESH_CONCURRENCY`] at a time: their exports
    /// are prepared and downloaded side by side, their imports take the write lock one after
    /// the other. `on_finished` gets each survey's outcome as it ends (in any order).
    pub async fn refresh_surveys(
        &self,
        survey_ids: &[SurveyId],
        mode: RefreshMode,
        on_progress: ProgressFn<'_>,
        mut on_finished: impl FnMut(&SurveyId, Result<RefreshReport>),
    ) {
        use futures::StreamExt;
        // Owned ids: a closure over borrowed ones trips the `Send` check of a spawned future.
        let mut running = futures::stream::iter(survey_ids.to_vec())
            .map(|id| async move {
                let result = self
                    .refresh_survey(&id, mode, Utc::now(), on_progress)
                    .await;
                (id, result)
            })
            .buffer_unordered(REFRESH_CONCURRENCY);
        while let Some((id, result)) = running.next().await {
            on_finished(&id, result);
        }
    }

    /// Refreshes one survey per `mode`, deciding staleness as of `now` (the caller's clock:
    /// `Utc::now()`, or another instant in tests of the policy); progress goes to
    /// `on_progress`. Refused with `RefreshRunning` while this survey's refresh runs.
    pub async fn refresh_survey(
        &self,
        survey_id: &SurveyId,
        mode: RefreshMode,
        now: DateTime<Utc>,
        on_progress: ProgressFn<'_>,
    ) -> Result<RefreshReport> {
        self.inner
            .refresher
            .refresh_survey(survey_id, mode, now, on_progress)
            .await
    }

    /// Whether a survey is stale (last attempt older than one hour) at `now`.
    pub fn is_survey_stale(&self, survey_id: &SurveyId, now: DateTime<Utc>) -> Result<bool> {
        self.inner.refresher.is_stale(survey_id, now)
    }

    // ---- response cache -----------------------------------------------------------------

    /// Disk taken by each survey's cached responses (Settings lists it).
    pub fn response_cache_sizes(&self) -> Result<Vec<crate::store::SurveyCacheSize>> {
        self.inner.store.response_cache_sizes()
    }

    /// Deletes a survey's cached responses and its cards' cached values: the next refresh
    /// fetches everything again, and until then its cards say no data is cached. Returns the
    /// cache sizes after clearing.
    pub fn clear_cached_responses(
        &self,
        survey_id: &SurveyId,
    ) -> Result<Vec<crate::store::SurveyCacheSize>> {
        self.inner.store.clear_responses(survey_id)?;
        self.inner.store.response_cache_sizes()
    }

    // ---- support ----------------------------------------------------------------------

    /// Writes the support debug bundle of a survey (see [`crate::debug_export`]).
    pub fn debug_export(
        &self,
        survey_id: &SurveyId,
        dest: &Path,
        options: DebugExportOptions,
    ) -> Result<DebugExportSummary> {
        debug_export::debug_export(&self.inner.store, survey_id, dest, options)
    }

    /// The configured support address (`None` until the user or org sets one).
    pub fn support_address(&self) -> Result<Option<String>> {
        crate::support::address(&self.inner.store)
    }

    /// Validates and saves the support address; returns it normalised.
    pub fn set_support_address(&self, address: &str) -> Result<String> {
        crate::support::set_address(&self.inner.store, address)
    }

    /// Removes the support address; returns whether one was set.
    pub fn clear_support_address(&self) -> Result<bool> {
        crate::support::clear_address(&self.inner.store)
    }

    /// The support email, naming a saved debug bundle if given (`None` when no address is set).
    pub fn support_mail(
        &self,
        bundle: Option<&Path>,
    ) -> Result<Option<crate::support::SupportMail>> {
        crate::support::support_mail(&self.inner.store, bundle, env!("CARGO_PKG_VERSION"))
    }
}

#[cfg(test)]
mod tests {
    use super::switch_on;

    #[test]
    fn the_loopback_switch_is_on_for_1_or_true_only() {
        for on in ["1", "true", " 1 "] {
            assert!(switch_on(Some(on)), "{on:?}");
        }
        for off in ["", "0", "false", "yes", "TRUE1"] {
            assert!(!switch_on(Some(off)), "{off:?}");
        }
        assert!(!switch_on(None));
    }
}
