//! Shared server state: runtime-added responses, OAuth grants, export jobs,
//! export files, continuation tokens, export bookkeeping and request statistics.
//!
//! Contract: the only mutable state of the simulator. Responses themselves are
//! never stored — only how many were added per survey, which indices were
//! deleted, which were edited (embedded-data values set on them, and when), and a
//! per-survey data version that every addition, deletion or edit bumps;
//! everything else is regenerated on demand.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use chrono::{DateTime, Utc};

use crate::data::catalog::UserSpec;
use crate::data::model::{QuestionKind, SurveySpec};
use crate::data::timeline;
use crate::faults::Faults;
use crate::reuse::{ExportLedger, ReuseKey, WrittenExport};
use crate::SimConfig;

/// An issued OAuth access token.
#[derive(Debug, Clone, Copy)]
pub struct Grant {
    /// Token owner.
    pub user: &'static UserSpec,
    /// Expiry instant.
    pub expires: Instant,
}

/// Result of a finished export job.
#[derive(Debug, Clone)]
pub enum JobResult {
    /// File written; `resume_at` is the continuation position.
    Done {
        /// `<uuid>-def`.
        file_id: String,
        /// Continuation position (first index not covered).
        resume_at: u64,
    },
    /// Writing failed (I/O).
    Error(String),
}

/// One export started with `POST export-responses`.
#[derive(Debug)]
pub struct ExportJob {
    /// Survey exported.
    pub survey_id: &'static str,
    /// Start time (for the slow-export fault).
    pub started: Instant,
    /// Number of progress polls answered so far.
    pub polls: u32,
    /// Indices scanned so far.
    pub scanned: Arc<AtomicU64>,
    /// Indices to scan.
    pub to_scan: u64,
    /// Set when the writer finishes.
    pub result: Arc<Mutex<Option<JobResult>>>,
    /// Whether a continuation token must be returned.
    pub wants_token: bool,
    /// The token issued on completion (created once).
    pub token: Option<String>,
    /// Whether the failed-export fault hit this job.
    pub failed: bool,
}

/// A downloadable export file.
#[derive(Debug)]
pub struct ExportFile {
    /// Survey the file belongs to.
    pub survey_id: &'static str,
    /// On-disk content: an anonymous temporary file (no name on disk), so the system frees
    /// it whenever the simulator ends, killed or not (named files outlived killed
    /// simulators: gigabytes of stale exports in the temp folder after benchmark runs).
    pub file: std::fs::File,
    /// Download name (`{Survey Name}.zip` or the raw member name).
    pub download_name: String,
    /// Content type.
    pub content_type: &'static str,
}

/// What a continuation token remembers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenPos {
    /// Survey the token belongs to.
    pub survey_id: &'static str,
    /// First index not yet exported.
    pub resume_at: u64,
}

/// What an edit changes on a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditField {
    /// An embedded-data field, by name (Data & Analysis, or the update-response API).
    Embedded(&'static str),
    /// The typed answer of a text entry question (`QIDn_TEXT`), by QID: an owner
    /// correcting a response's text in Data & Analysis, where the question's content
    /// validation (e.g. `ValidNumber`) is not applied.
    Text(&'static str),
}

impl EditField {
    /// The field `name` of `spec` that an edit can change: an embedded-data field, or the
    /// `QIDn_TEXT` answer of a single-line text entry question.
    pub fn of(spec: &'static SurveySpec, name: &str) -> Option<EditField> {
        if let Some(f) = spec.embedded.iter().find(|f| **f == name) {
            return Some(EditField::Embedded(f));
        }
        let qid = name.strip_suffix("_TEXT")?;
        spec.questions
            .iter()
            .find(|q| q.qid == qid)
            .filter(|q| {
                matches!(
                    q.kind,
                    QuestionKind::Text | QuestionKind::NumberEntry { .. }
                )
            })
            .map(|q| EditField::Text(q.qid))
    }
}

/// How a response was edited after it was recorded (as a survey owner does in Qualtrics'
/// Data & Analysis, or through the update-response API).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// Embedded-data values set on the response, by field name.
    pub embedded: BTreeMap<&'static str, String>,
    /// Text entry answers set on the response, by QID (shown questions only).
    pub texts: BTreeMap<&'static str, String>,
    /// When it was last modified (the response's `lastModifiedDate` in Qualtrics).
    pub modified: DateTime<Utc>,
}

impl Edit {
    /// Applies the edit to a generated response.
    pub fn apply(&self, g: &mut crate::data::generate::Generated) {
        for (name, value) in &self.embedded {
            match g.embedded.iter_mut().find(|(n, _)| n == name) {
                Some((_, v)) => v.clone_from(value),
                None => g.embedded.push((name, value.clone())),
            }
        }
        for (qid, text) in &self.texts {
            let answer = crate::data::generate::Answer::Text(text.clone());
            if let Some((_, a)) = g.answers.iter_mut().find(|(q, _)| q.qid == *qid) {
                *a = answer;
            } else if let Some(q) = g.displayed.iter().find(|q| q.qid == *qid) {
                g.answers.push((q, answer));
            }
        }
    }
}

/// What changed in one survey's data at runtime.
#[derive(Debug, Default, Clone)]
struct RuntimeData {
    /// Responses added after the seeded ones.
    added: u64,
    /// Bumped by every addition, deletion and edit.
    version: u64,
    /// Deleted response indices (left out of every export, counted as `deleted`).
    deleted: Arc<BTreeSet<u64>>,
    /// Edited responses by index.
    edits: Arc<BTreeMap<u64, Edit>>,
}

/// A survey's responses as one export sees them, read together.
#[derive(Debug, Clone)]
pub struct DataSnapshot {
    /// Responses ever recorded or started (seeded + added), deleted ones included.
    pub total: u64,
    /// Data version (0 until responses are added or deleted).
    pub version: u64,
    /// Deleted response indices.
    pub deleted: Arc<BTreeSet<u64>>,
    /// Edited responses by index.
    pub edits: Arc<BTreeMap<u64, Edit>>,
}

/// Export files kept for download; older ones are deleted (Qualtrics expires
/// files after a week; a long-running simulator must not fill the disk).
pub const MAX_FILES: usize = 64;
/// Export jobs remembered for polling.
pub const MAX_JOBS: usize = 256;

/// All mutable simulator state. Its `Debug` output never shows tokens.
pub struct SimState {
    /// Immutable configuration.
    pub config: SimConfig,
    /// Fault switches.
    pub faults: Arc<Faults>,
    /// Per survey: what changed at runtime.
    data: Mutex<HashMap<&'static str, RuntimeData>>,
    /// OAuth grants by access token.
    pub grants: Mutex<HashMap<String, Grant>>,
    /// Export jobs by progress id.
    pub jobs: Mutex<HashMap<String, ExportJob>>,
    /// Files by file id.
    pub files: Mutex<HashMap<String, Arc<ExportFile>>>,
    /// Continuation tokens.
    pub tokens: Mutex<HashMap<String, TokenPos>>,
    /// Reusable export files and per-export records.
    pub exports: ExportLedger,
    stats: Mutex<BTreeMap<String, u64>>,
    api_requests: AtomicU64,
    file_order: Mutex<VecDeque<String>>,
    job_order: Mutex<VecDeque<String>>,
}

impl std::fmt::Debug for SimState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimState")
            .field("config", &self.config)
            .field("faults", &self.faults.snapshot())
            .field("oauth_grants", &lock(&self.grants).len())
            .field("jobs", &lock(&self.jobs).len())
            .field("files", &lock(&self.files).len())
            .field("continuation_tokens", &lock(&self.tokens).len())
            .field("api_requests", &self.api_requests())
            .finish()
    }
}

/// Lock a mutex, recovering from poisoning (state stays usable after a panic).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl SimState {
    /// Fresh state for a config.
    pub fn new(config: SimConfig, faults: Arc<Faults>) -> Self {
        SimState {
            config,
            faults,
            data: Mutex::default(),
            grants: Mutex::default(),
            jobs: Mutex::default(),
            files: Mutex::default(),
            tokens: Mutex::default(),
            exports: ExportLedger::default(),
            stats: Mutex::default(),
            api_requests: AtomicU64::new(0),
            file_order: Mutex::default(),
            job_order: Mutex::default(),
        }
    }

    /// Register an export job, forgetting the oldest beyond [`MAX_JOBS`].
    pub fn insert_job(&self, id: String, job: ExportJob) {
        let mut order = lock(&self.job_order);
        order.push_back(id.clone());
        let mut jobs = lock(&self.jobs);
        jobs.insert(id, job);
        while order.len() > MAX_JOBS {
            if let Some(old) = order.pop_front() {
                jobs.remove(&old);
            }
        }
    }

    /// Register a written file under a file id, forgetting the oldest id beyond
    /// [`MAX_FILES`] (the file itself is deleted once nothing holds it).
    pub fn insert_file(&self, id: String, file: Arc<ExportFile>) {
        let mut order = lock(&self.file_order);
        order.push_back(id.clone());
        let mut files = lock(&self.files);
        files.insert(id, file);
        while order.len() > MAX_FILES {
            if let Some(old) = order.pop_front() {
                files.remove(&old);
            }
        }
    }

    /// Responses of a survey now: seeded plus added at runtime (deleted ones included).
    pub fn total(&self, spec: &SurveySpec) -> u64 {
        self.snapshot(spec).total
    }

    /// Responses of a survey now, its data version and its deleted indices, read together.
    pub fn snapshot(&self, spec: &SurveySpec) -> DataSnapshot {
        let data = lock(&self.data).get(spec.id).cloned().unwrap_or_default();
        DataSnapshot {
            total: timeline::base_count(&self.config, spec) + data.added,
            version: data.version,
            deleted: data.deleted,
            edits: data.edits,
        }
    }

    /// Add `count` responses to a survey (recorded after all existing ones); bumps its data
    /// version and forgets its reusable export files.
    pub fn add(&self, spec: &'static SurveySpec, count: u64) {
        let mut data = lock(&self.data);
        let entry = data.entry(spec.id).or_default();
        entry.added += count;
        entry.version += 1;
        // Under the same lock as `remember_export`, so no stale file slips in after this.
        self.exports.forget_survey(spec.id);
    }

    /// Delete the responses at `indices` (each below the survey's total); returns how many
    /// were not deleted before. Bumps the data version and forgets reusable export files
    /// when anything changed.
    pub fn delete(&self, spec: &'static SurveySpec, indices: &[u64]) -> u64 {
        let base = timeline::base_count(&self.config, spec);
        let mut data = lock(&self.data);
        let entry = data.entry(spec.id).or_default();
        let total = base + entry.added;
        let mut deleted = (*entry.deleted).clone();
        let before = deleted.len();
        deleted.extend(indices.iter().copied().filter(|&i| i < total));
        let newly = (deleted.len() - before) as u64;
        if newly > 0 {
            entry.deleted = Arc::new(deleted);
            entry.version += 1;
            self.exports.forget_survey(spec.id);
        }
        newly
    }

    /// Sets `field` (an embedded-data field or a text entry answer) to `value` on the
    /// responses at `indices` (each below the survey's total, not deleted) and marks them
    /// modified now; returns how many were edited. The response counts do not change (as in Qualtrics); the data version
    /// is bumped and reusable export files forgotten.
    pub fn edit(
        &self,
        spec: &'static SurveySpec,
        indices: &[u64],
        field: EditField,
        value: &str,
    ) -> u64 {
        let base = timeline::base_count(&self.config, spec);
        let mut data = lock(&self.data);
        let entry = data.entry(spec.id).or_default();
        let total = base + entry.added;
        let mut edits = (*entry.edits).clone();
        let modified = Utc::now();
        let mut edited = 0;
        for &i in indices {
            if i >= total || entry.deleted.contains(&i) {
                continue;
            }
            let edit = edits.entry(i).or_insert_with(|| Edit {
                embedded: BTreeMap::new(),
                texts: BTreeMap::new(),
                modified,
            });
            match field {
                EditField::Embedded(name) => edit.embedded.insert(name, value.to_string()),
                EditField::Text(qid) => edit.texts.insert(qid, value.to_string()),
            };
            edit.modified = modified;
            edited += 1;
        }
        if edited > 0 {
            entry.edits = Arc::new(edits);
            entry.version += 1;
            self.exports.forget_survey(spec.id);
        }
        edited
    }

    /// Keep a written export for reuse, unless its survey's data changed since the export
    /// was started (then no later export could match it).
    pub fn remember_export(&self, key: ReuseKey, written: WrittenExport) {
        let data = lock(&self.data);
        let version = data.get(key.survey_id()).map_or(0, |d| d.version);
        if version == key.data_version() {
            self.exports.remember(key, written);
        }
    }

    /// Count one request on a route key (`METHOD /path/{template}`).
    pub fn record(&self, route: String, is_control: bool) {
        *lock(&self.stats).entry(route).or_insert(0) += 1;
        if !is_control {
            self.api_requests.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Requests per route so far.
    pub fn stats(&self) -> BTreeMap<String, u64> {
        lock(&self.stats).clone()
    }

    /// The host API-token calls are proxied to (`{datacenter}.qualtrics.com`) when this
    /// simulator plays another datacenter than its accounts live on.
    pub fn proxied_to(&self) -> Option<String> {
        let here = self.config.host_datacenter.as_deref()?;
        (!here.eq_ignore_ascii_case(&self.config.datacenter))
            .then(|| format!("{}.qualtrics.com", self.config.datacenter))
    }

    /// Requests outside `/__sim` so far.
    pub fn api_requests(&self) -> u64 {
        self.api_requests.load(Ordering::Relaxed)
    }
}
