//! Export bookkeeping: the opt-in reuse of already-written export files and the per-export
//! record `GET /__sim/stats` reports.
//!
//! Contract:
//! - A [`ReuseKey`] is everything that decides an export file's bytes and its continuation
//!   resume point: survey, the survey's data version (bumped by every
//!   `POST /__sim/responses`), the resolved index range (date window and continuation start
//!   already applied), finished vs in-progress, saved filter, limit, field selection, format,
//!   `useLabels` and `compress`. Options the simulator validates but does not render
//!   (`includeDisplayOrder`, `timeZone`, `allowContinuation`, ...) are not part of it: they
//!   do not change the bytes.
//! - With `SimConfig::reuse_export_files` on, [`ExportLedger::remember`] keeps each written
//!   file (an `Arc`, so it is deleted only once neither the cache nor any file id holds it)
//!   and [`ExportLedger::lookup`] hands it to a later export with an equal key. Entries of a
//!   survey are forgotten when responses are added to it; at most [`MAX_REUSED`] are kept.
//!   Faults never alter a stored file (`truncateZip` cuts the download stream, not the
//!   file), so a reused file is always the complete one.
//! - Every started export gets an [`ExportRecord`] (reused or not, writer time in ms from
//!   the start request to the file being written); the last [`MAX_RECORDS`] are kept.

use std::collections::{HashMap, VecDeque};
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;

use crate::data::render::Selection;
use crate::export::options::Format;
use crate::export::writer::ExportPlan;
use crate::state::{lock, ExportFile};

/// Written files kept for reuse (oldest forgotten first).
pub const MAX_REUSED: usize = 64;
/// Export records kept for `/__sim/stats`.
pub const MAX_RECORDS: usize = 256;

/// What makes two exports' files identical.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReuseKey {
    survey_id: &'static str,
    data_version: u64,
    range: Range<u64>,
    in_progress: bool,
    filter: Option<&'static str>,
    limit: Option<u64>,
    selection: Selection,
    format: Format,
    use_labels: bool,
    compress: bool,
}

impl ReuseKey {
    /// The key of `plan`, resolved while the survey's data was at `data_version`.
    pub fn of(plan: &ExportPlan, data_version: u64) -> ReuseKey {
        ReuseKey {
            survey_id: plan.spec.id,
            data_version,
            range: plan.range.clone(),
            in_progress: plan.in_progress,
            filter: plan.filter.map(|f| f.id),
            limit: plan.limit,
            selection: plan.selection.clone(),
            format: plan.format,
            use_labels: plan.use_labels,
            compress: plan.compress,
        }
    }

    /// The survey the key belongs to.
    pub fn survey_id(&self) -> &'static str {
        self.survey_id
    }

    /// The data version the key was taken at.
    pub fn data_version(&self) -> u64 {
        self.data_version
    }
}

/// A written export file and where a continuation of it resumes.
#[derive(Debug, Clone)]
pub struct WrittenExport {
    /// The file (shared by every file id that serves it).
    pub file: Arc<ExportFile>,
    /// First index not covered.
    pub resume_at: u64,
}

/// One started export, as `/__sim/stats` lists it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportRecord {
    /// `ES_...`.
    pub progress_id: String,
    /// Survey exported.
    pub survey_id: &'static str,
    /// Served from an already-written file.
    pub reused: bool,
    /// Start request to file written, in ms (`None` while writing, when reused, or if the
    /// writer failed).
    pub writer_ms: Option<f64>,
}

/// Reuse cache plus export records and counters.
#[derive(Debug, Default)]
pub struct ExportLedger {
    cache: Mutex<HashMap<ReuseKey, WrittenExport>>,
    cache_order: Mutex<VecDeque<ReuseKey>>,
    records: Mutex<VecDeque<ExportRecord>>,
    started: AtomicU64,
    reused: AtomicU64,
}

impl ExportLedger {
    /// The already-written export for `key`, if any.
    pub fn lookup(&self, key: &ReuseKey) -> Option<WrittenExport> {
        lock(&self.cache).get(key).cloned()
    }

    /// Keep a written export for later lookups, forgetting the oldest beyond [`MAX_REUSED`].
    pub fn remember(&self, key: ReuseKey, written: WrittenExport) {
        let mut order = lock(&self.cache_order);
        let mut cache = lock(&self.cache);
        if cache.insert(key.clone(), written).is_none() {
            order.push_back(key);
        }
        while order.len() > MAX_REUSED {
            if let Some(old) = order.pop_front() {
                cache.remove(&old);
            }
        }
    }

    /// Drop every kept file of a survey (its data changed; no later key can match them).
    pub fn forget_survey(&self, survey_id: &str) {
        let mut order = lock(&self.cache_order);
        let mut cache = lock(&self.cache);
        cache.retain(|k, _| k.survey_id != survey_id);
        order.retain(|k| k.survey_id != survey_id);
    }

    /// Record a started export.
    pub fn record_start(&self, progress_id: &str, survey_id: &'static str, reused: bool) {
        self.started.fetch_add(1, Ordering::Relaxed);
        if reused {
            self.reused.fetch_add(1, Ordering::Relaxed);
        }
        let mut records = lock(&self.records);
        records.push_back(ExportRecord {
            progress_id: progress_id.to_string(),
            survey_id,
            reused,
            writer_ms: None,
        });
        while records.len() > MAX_RECORDS {
            records.pop_front();
        }
    }

    /// Record how long the writer of `progress_id` took.
    pub fn record_written(&self, progress_id: &str, took: Duration) {
        if let Some(r) = lock(&self.records)
            .iter_mut()
            .rev()
            .find(|r| r.progress_id == progress_id)
        {
            r.writer_ms = Some(took.as_secs_f64() * 1000.0);
        }
    }

    /// Exports started so far.
    pub fn started(&self) -> u64 {
        self.started.load(Ordering::Relaxed)
    }

    /// Exports served from an already-written file so far.
    pub fn reused(&self) -> u64 {
        self.reused.load(Ordering::Relaxed)
    }

    /// The kept export records, oldest first.
    pub fn records(&self) -> Vec<ExportRecord> {
        lock(&self.records).iter().cloned().collect()
    }
}
