//! Cached survey responses, the bulk importer and the per-survey sync state.
//!
//! Contract:
//! * Recorded responses are deduplicated by `responseId` (a re-exported response replaces the
//!   stored one); in-progress responses live apart (`responses_in_progress`) and are never
//!   read by metrics; when a response that was in progress arrives completed it moves to the
//!   recorded ones. An in-progress response re-delivered unchanged is not stored again, and
//!   a replacing in-progress export deletes the ones it no longer holds (`in_progress`). Every response's raw export text (values and labels, as delivered) is kept
//!   in compressed pages (`pages`), with a narrow row per response saying where it is, whether
//!   it finished and a digest of its text; its dates are read from its values.
//! * [`Importer`] writes through its own connection inside one `BEGIN IMMEDIATE` transaction
//!   with cached prepared statements (no per-row transaction). It holds the database's write
//!   lock from [`Store::importer`] to commit or drop, so callers open it only once the rows
//!   are at hand (the refresh downloads the export files first), never across a wait on the
//!   network. Its connection waits up to [`IMPORT_BUSY_TIMEOUT`] for the lock (another
//!   survey's import may be running), longer than ordinary writes. [`Importer::commit`] commits the
//!   rows and the new sync state (continuation token, success time, count, generation) at once;
//!   dropping an importer without committing rolls everything back, so a failed or killed
//!   refresh leaves the previous rows and token untouched.
//! * An import into a survey with no cached responses inserts without looking anything up.
//!   A full re-read of a cached survey looks each response up by id first, and one whose
//!   digest is unchanged is neither stored again nor counted as changed. A continuation
//!   import (new responses, rarely one edited since) stores them unread; its commit finds the
//!   few already cached (`ids`): an unchanged one keeps its row and counts as unchanged, its
//!   new copy is a dead slot, and a page left with no row is deleted at commit.
//! * Responses are found by id through `response_ids`, which the commit fills in key order
//!   (`ids`); a response delivered twice by one import is stored once, as its later copy.
//! * `sync_state.generation` grows only when a commit changed recorded rows (in-progress ones
//!   never count); metric column caches key
//!   on it. The commit also records whether it only *appended* responses (no full resync, no
//!   update of a cached response, no delete — a full re-read that finds nothing changed is
//!   one too): metric columns of the generation it extends are
//!   then kept and extended with the new rows instead of re-extracted (`store::lineage`).

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use serde::Serialize;

mod ids;
pub(crate) use ids::fill_index as fill_id_index;
mod in_progress;

use super::lineage;
use super::pages::{self, Compressor, PageBuilder};
use super::{ts, Store};
use super::{ResponseCounts, ResponseRow};
use crate::error::{Error, ErrorKind, Result};

/// How long an import waits for the write lock (another import may be committing).
pub const IMPORT_BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

/// What one committed import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportSummary {
    /// Recorded responses that were not cached before.
    pub inserted: u64,
    /// Recorded responses that replaced a different cached copy.
    pub updated: u64,
    /// Recorded responses re-delivered identical to their cached copy (nothing written).
    pub unchanged: u64,
    /// In-progress responses delivered (stored apart).
    pub in_progress: u64,
    /// In-progress responses re-delivered identical to their cached copy (nothing written).
    pub in_progress_unchanged: u64,
    /// Cached in-progress responses a replacing in-progress export no longer held (finished
    /// or discarded upstream), deleted.
    pub in_progress_removed: u64,
    /// Recorded responses cached for the survey after the commit.
    pub total_responses: u64,
    /// Sync generation after the commit.
    pub generation: u64,
}

/// Bulk import of one survey's responses in one transaction on a dedicated connection.
pub struct Importer {
    conn: Connection,
    survey_id: String,
    survey_key: i64,
    imported_at: String,
    summary: ImportSummary,
    rows: u64,
    changed: bool,
    /// The commit deleted cached responses (not append-only).
    replaced: bool,
    /// `replace_existing` was called: responses not re-delivered are deleted at commit.
    sweep: bool,
    /// The survey had recorded responses when the import began (look each one up).
    had_rows: bool,
    /// A stored page holds a copy no row points at (a response found unchanged only when
    /// its row was inserted): pages left with no row are swept at commit.
    dead_slots: bool,
    /// Finished recorded responses inserted (not replacing a cached copy).
    inserted_finished: u64,
    /// Largest position of the survey's finished responses when the import began (0: none).
    base_max_finished_rowid: i64,
    /// Recorded responses cached when the import began, as the last commit counted them
    /// (`None`: unknown, counted at commit).
    base_total: Option<i64>,
    clear_in_progress_on_complete: bool,
    recorded: Pending,
    in_progress: Pending,
    in_progress_state: in_progress::InProgressState,
    /// Recorded rows stored by this import, entered into `response_ids` at commit.
    new_ids: ids::NewIds,
    /// Written to `sync_state` by the commit (see [`Importer::set_response_counts`]).
    response_counts: Option<ResponseCounts>,
    open: bool,
}

/// A page being filled and the rows that will point into it, then the pages being
/// compressed (their rows are inserted once the page is stored, in the order pages were
/// filled, so the result is the same as writing each page at once).
#[derive(Default)]
struct Pending {
    page: PageBuilder,
    rows: Vec<PendingRow>,
    /// Started on the first full page.
    compressor: Option<Compressor>,
    /// Rows of the pages sent to the compressor, oldest first.
    sealed: std::collections::VecDeque<Vec<PendingRow>>,
}

/// Pages compressing at once before the importer waits for the oldest.
const PAGES_IN_FLIGHT: usize = 2;

impl Pending {
    /// Sends the page being filled to the compressor.
    fn seal(&mut self) -> Result<()> {
        if self.page.is_empty() {
            return Ok(());
        }
        let compressor = match &mut self.compressor {
            Some(c) => c,
            None => self.compressor.insert(Compressor::start()?),
        };
        let spare = compressor.spare();
        compressor.send(self.page.take_raw(spare))?;
        self.sealed.push_back(std::mem::take(&mut self.rows));
        Ok(())
    }

    /// Pages compressing now.
    fn in_flight(&self) -> usize {
        self.compressor.as_ref().map_or(0, |c| c.in_flight)
    }

    /// The oldest compressed page and its rows.
    fn oldest(&mut self) -> Result<(Vec<u8>, Vec<PendingRow>)> {
        let c = self
            .compressor
            .as_mut()
            .ok_or_else(|| Error::new(ErrorKind::Storage, "no page is compressing"))?;
        let data = c.recv()?;
        let rows = self.sealed.pop_front().unwrap_or_default();
        Ok((data, rows))
    }
}

struct PendingRow {
    response_id: String,
    finished: bool,
    digest: i64,
    /// The position of the cached copy this response replaces.
    replaces: Option<i64>,
}

impl std::fmt::Debug for Importer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Importer")
            .field("survey_id", &self.survey_id)
            .field("rows", &self.rows)
            .finish()
    }
}

/// A 64-bit digest of a response's text (values, then labels): XXH3, a fixed algorithm (the
/// digests are stored, so they must not change with the Rust release, as `std`'s hasher
/// may), several GB/s.
fn digest(values: &str, labels: Option<&str>) -> i64 {
    use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};
    let v = xxh3_64(values.as_bytes());
    let d = match labels {
        Some(l) => xxh3_64_with_seed(l.as_bytes(), v),
        None => v ^ 0x9e37_79b9_7f4a_7c15,
    };
    d as i64
}

const INSERT_RESPONSE: &str =
    "INSERT INTO responses (pos, survey_key, response_id, finished, digest)
     VALUES (?1, ?2, ?3, ?4, ?5)";
const MOVE_RESPONSE: &str =
    "UPDATE responses SET pos = ?2, finished = ?3, digest = ?4 WHERE pos = ?1";
/// New rows inserted by one statement (a page's 1024 rows are 16 statements).
const INSERT_CHUNK: usize = 64;

impl Importer {
    /// Adds (upserts) one response; in-progress rows go to `responses_in_progress`.
    pub fn add(&mut self, row: ResponseRow) -> Result<()> {
        self.rows += 1;
        if row.in_progress {
            return self.add_in_progress(row);
        }
        if self.sweep {
            self.conn
                .prepare_cached("INSERT OR IGNORE INTO temp.delivered (response_id) VALUES (?1)")?
                .execute([&row.response_id])?;
        }
        if self.clear_in_progress_on_complete {
            self.in_progress_completed(&row.response_id)?;
        }
        let digest = digest(&row.values_json, row.labels_json.as_deref());
        let mut replaces = None;
        // A full re-read of a cached survey re-delivers nearly every response unchanged:
        // look each up first so an unchanged one is not stored again. A continuation import
        // delivers new responses (rarely one edited since): they go straight to a page, and
        // the commit finds the few already cached (`ids`).
        if self.had_rows && self.sweep {
            match ids::find(&self.conn, self.survey_key, &row.response_id)? {
                Some(c) if c.digest == digest => {
                    self.summary.unchanged += 1;
                    return Ok(());
                }
                Some(c) => replaces = Some(c.pos),
                None => {}
            }
        }
        self.recorded
            .page
            .push(&row.values_json, row.labels_json.as_deref());
        self.recorded.rows.push(PendingRow {
            response_id: row.response_id,
            finished: row.finished,
            digest,
            replaces,
        });
        if self.recorded.page.is_full() {
            self.recorded.seal()?;
            while self.recorded.in_flight() > PAGES_IN_FLIGHT {
                self.store_recorded_page()?;
            }
        }
        Ok(())
    }

    /// Writes every pending page of recorded responses and points their rows at it.
    fn flush_recorded(&mut self) -> Result<()> {
        self.recorded.seal()?;
        while self.recorded.in_flight() > 0 {
            self.store_recorded_page()?;
        }
        Ok(())
    }

    /// Stores the oldest compressed page of recorded responses and inserts its rows.
    fn store_recorded_page(&mut self) -> Result<()> {
        let (data, rows) = self.recorded.oldest()?;
        let page = pages::store_page(&self.conn, self.survey_key, false, &self.imported_at, &data)?;
        let mut rows = rows.into_iter().enumerate().peekable();
        while rows.peek().is_some() {
            let chunk: Vec<(usize, PendingRow)> = rows.by_ref().take(INSERT_CHUNK).collect();
            if chunk.len() == INSERT_CHUNK && chunk.iter().all(|(_, r)| r.replaces.is_none()) {
                self.insert_chunk(page, chunk)?;
                continue;
            }
            for (slot, r) in chunk {
                self.store_row(pages::pos(self.survey_key, page, slot), r)?;
            }
        }
        Ok(())
    }

    /// Inserts [`INSERT_CHUNK`] new rows in one statement (a statement per row was a fifth
    /// of a big import's time). Positions are new, so nothing can conflict: whether a
    /// response was cached or repeated is settled at commit (`ids`).
    fn insert_chunk(&mut self, page: i64, chunk: Vec<(usize, PendingRow)>) -> Result<()> {
        static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let sql = SQL.get_or_init(|| {
            format!(
                "INSERT INTO responses (pos, survey_key, response_id, finished, digest)
                 VALUES {}",
                vec!["(?,?,?,?,?)"; INSERT_CHUNK].join(",")
            )
        });
        let mut st = self.conn.prepare_cached(sql)?;
        for (k, (slot, r)) in chunk.iter().enumerate() {
            let at = k * 5;
            let pos = pages::pos(self.survey_key, page, *slot);
            st.raw_bind_parameter(at + 1, pos)?;
            st.raw_bind_parameter(at + 2, self.survey_key)?;
            st.raw_bind_parameter(at + 3, r.response_id.as_str())?;
            st.raw_bind_parameter(at + 4, r.finished)?;
            st.raw_bind_parameter(at + 5, r.digest)?;
            self.new_ids.push(&r.response_id, pos);
        }
        st.raw_execute()?;
        let finished = chunk.iter().filter(|(_, r)| r.finished).count() as u64;
        self.summary.inserted += chunk.len() as u64;
        self.inserted_finished += finished;
        Ok(())
    }

    /// Stores one row of a stored page: a new response, or the new copy of a cached one
    /// (its row moves to the new copy).
    fn store_row(&mut self, pos: i64, r: PendingRow) -> Result<()> {
        match r.replaces {
            None => {
                self.conn.prepare_cached(INSERT_RESPONSE)?.execute(params![
                    pos,
                    self.survey_key,
                    r.response_id,
                    r.finished,
                    r.digest
                ])?;
                self.summary.inserted += 1;
                self.inserted_finished += u64::from(r.finished);
            }
            Some(old) => {
                self.conn
                    .prepare_cached(MOVE_RESPONSE)?
                    .execute(params![old, pos, r.finished, r.digest])?;
                ids::forget(&self.conn, self.survey_key, &r.response_id, old)?;
                self.summary.updated += 1;
            }
        }
        self.new_ids.push(&r.response_id, pos);
        Ok(())
    }

    /// Rows added so far (recorded and in progress).
    pub fn count(&self) -> u64 {
        self.rows
    }

    /// Full resync: the rows added to this import become the survey's whole cached set — at
    /// commit every cached response, recorded or in progress ([`Importer::replace_in_progress`]),
    /// that was not re-delivered is deleted (deleted upstream), all inside this import, so
    /// only if it commits. Re-delivered identical responses are left as they are, so a full
    /// re-read that finds nothing changed changes nothing (same generation, same columns),
    /// and the summary counts only real inserts and updates.
    pub fn replace_existing(&mut self) -> Result<()> {
        self.conn.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS delivered (response_id TEXT PRIMARY KEY)
                 WITHOUT ROWID;
             DELETE FROM temp.delivered;",
        )?;
        self.replace_in_progress()?;
        // A survey with no cached responses has nothing that could be left undelivered:
        // skip recording every delivered id (a B-tree insert per response).
        self.sweep = self.had_rows;
        Ok(())
    }

    /// Records the survey's response counts this import was taken against; [`Importer::commit`]
    /// stores them in `sync_state` with the rows (`None` clears them).
    pub fn set_response_counts(&mut self, counts: Option<ResponseCounts>) {
        self.response_counts = counts;
    }

    /// Commits the rows and the new sync state (token, success time, count, the response
    /// counts of [`Importer::set_response_counts`]) atomically.
    pub fn commit(
        mut self,
        continuation_token: Option<&str>,
        completed_at: DateTime<Utc>,
    ) -> Result<ImportSummary> {
        self.flush_recorded()?;
        self.enter_new_ids()?;
        self.commit_in_progress()?;
        let sid = self.survey_id.clone();
        let key = self.survey_key;
        if self.sweep {
            let gone = self.sweep_undelivered()?;
            if gone > 0 {
                self.changed = true;
                self.replaced = true;
            }
        }
        if self.replaced || self.summary.updated > 0 || self.dead_slots {
            // Pages no recorded response points at any more (updated or deleted since).
            self.conn.execute(
                "DELETE FROM response_pages WHERE survey_key = ?1 AND in_progress = 0
                   AND NOT EXISTS (SELECT 1 FROM responses
                       WHERE pos BETWEEN (?1 << 40) | (response_pages.id << 16)
                                     AND (?1 << 40) | (response_pages.id << 16) | 65535)",
                [key],
            )?;
        }
        // Without a full resync nothing deletes recorded rows, so the count is the last
        // commit's plus what was inserted (counting a big survey's rows costs ~40 ms per
        // million); a full resync, which reads everything anyway, counts them again.
        let total: i64 = match self.base_total {
            Some(base) if !self.sweep => base + self.summary.inserted as i64,
            _ => pages::recorded_count(&self.conn, key)?,
        };
        let at = ts(completed_at);
        self.conn.execute(
            "INSERT INTO sync_state (survey_id, continuation_token, last_attempt_at,
                last_success_at, response_count, generation, counted_recorded, counted_deleted)
                VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT(survey_id) DO UPDATE SET continuation_token = excluded.continuation_token,
                last_attempt_at = excluded.last_attempt_at,
                last_success_at = excluded.last_success_at,
                response_count = excluded.response_count,
                generation = sync_state.generation + ?5,
                counted_recorded = excluded.counted_recorded,
                counted_deleted = excluded.counted_deleted",
            params![
                sid,
                continuation_token,
                at,
                total,
                i64::from(self.changed),
                self.response_counts.map(|c| c.recorded as i64),
                self.response_counts.map(|c| c.deleted as i64),
            ],
        )?;
        let generation: i64 = self.conn.query_row(
            "SELECT generation FROM sync_state WHERE survey_id = ?1",
            [&sid],
            |r| r.get(0),
        )?;
        if self.changed {
            let change = lineage::ImportChange {
                appended: !self.replaced && self.summary.updated == 0,
                base_max_finished_rowid: self.base_max_finished_rowid,
                inserted_finished: self.inserted_finished,
            };
            lineage::record(&self.conn, &sid, key, generation, &change)?;
        }
        self.conn.execute_batch("COMMIT")?;
        self.open = false;
        self.summary.total_responses = total as u64;
        self.summary.generation = generation as u64;
        Ok(self.summary)
    }
}

impl Drop for Importer {
    fn drop(&mut self) {
        if self.open {
            if let Err(e) = self.conn.execute_batch("ROLLBACK") {
                tracing::warn!("rolling back an abandoned import failed: {e}");
            }
        }
    }
}

impl Store {
    /// Starts a bulk import for `survey_id` on a dedicated connection (see [`Importer`]).
    /// Waits up to the busy timeout if another import is writing.
    pub fn importer(&self, survey_id: &str) -> Result<Importer> {
        if survey_id.trim().is_empty() {
            return Err(Error::invalid(
                "a survey id is required to import responses",
            ));
        }
        let conn = self.open_extra_connection()?;
        conn.busy_timeout(IMPORT_BUSY_TIMEOUT)?;
        conn.execute_batch("PRAGMA cache_size = -65536; BEGIN IMMEDIATE")?;
        let survey_key = pages::ensure_survey_key(&conn, survey_id)?;
        let had_in_progress: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM responses_in_progress WHERE survey_key = ?1)",
            [survey_key],
            |r| r.get(0),
        )?;
        let (lo, hi) = pages::survey_range(survey_key);
        let had_rows: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM responses WHERE pos BETWEEN ?1 AND ?2)",
            [lo, hi],
            |r| r.get(0),
        )?;
        let base_max_finished_rowid = lineage::max_finished_rowid(&conn, survey_key)?;
        let base_total = if had_rows {
            conn.query_row(
                "SELECT response_count FROM sync_state WHERE survey_id = ?1",
                [survey_id],
                |r| r.get(0),
            )
            .optional()?
        } else {
            Some(0)
        };
        Ok(Importer {
            conn,
            survey_id: survey_id.to_owned(),
            survey_key,
            imported_at: ts(Utc::now()),
            summary: ImportSummary::default(),
            rows: 0,
            changed: false,
            replaced: false,
            sweep: false,
            had_rows,
            dead_slots: false,
            inserted_finished: 0,
            base_max_finished_rowid,
            base_total,
            clear_in_progress_on_complete: had_in_progress,
            recorded: Pending::default(),
            in_progress: Pending::default(),
            in_progress_state: Default::default(),
            new_ids: Default::default(),
            response_counts: None,
            open: true,
        })
    }
}
