//! Cached survey responses, the bulk importer and the per-survey sync state.
//!
//! Contract:
//! * `responses` holds recorded responses deduplicated by `responseId` (a re-exported response
//!   replaces the stored one); in-progress responses live apart in `responses_in_progress` and
//!   are never read by metrics; when a response that was in progress arrives completed it
//!   moves to `responses`.
//! * [`Importer`] writes through its own connection inside one `BEGIN IMMEDIATE` transaction
//!   with cached prepared statements (no per-row transaction). It holds the database's write
//!   lock from [`Store::importer`] to commit or drop, so callers open it only once the rows
//!   are at hand (the refresh downloads the export files first), never across a wait on the
//!   network. Its connection waits up to [`IMPORT_BUSY_TIMEOUT`] for the lock (another
//!   survey's import may be running), longer than ordinary writes. [`Importer::commit`] commits the
//!   rows and the new sync state (continuation token, success time, count, generation) at once;
//!   dropping an importer without committing rolls everything back, so a failed or killed
//!   refresh leaves the previous rows and token untouched.
//! * `sync_state.generation` grows only when a commit changed rows; metric column caches key
//!   on it. The commit also records whether it only *appended* responses (no full resync, no
//!   update of a cached response, no delete — a full re-read that finds nothing changed is
//!   one too): metric columns of the generation it extends are
//!   then kept and extended with the new rows instead of re-extracted (`metrics::lineage`).

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{parse_opt_ts, parse_ts, ts, Store};
use crate::error::{Error, ErrorKind, Result};
use crate::metrics::lineage;

/// How long an import waits for the write lock (another import may be committing).
pub const IMPORT_BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

/// One response to import (one element of an export's `responses`).
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseRow {
    pub response_id: String,
    /// `values.finished` of the export.
    pub finished: bool,
    /// Came from an `exportResponsesInProgress` export (kept apart, never in metrics).
    pub in_progress: bool,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub recorded_date: Option<String>,
    /// `values` of the export (answers, metadata, embedded data) as JSON object text, stored
    /// as it is.
    pub values_json: String,
    /// `labels` of the export as JSON object text.
    pub labels_json: Option<String>,
}

/// The fields of `values` the cache keeps in columns of their own (other fields are skipped
/// by the parser without being decoded).
#[derive(Deserialize)]
struct RowMeta<'a> {
    #[serde(rename = "startDate", borrow, default)]
    start_date: Option<Cow<'a, str>>,
    #[serde(rename = "endDate", borrow, default)]
    end_date: Option<Cow<'a, str>>,
    #[serde(rename = "recordedDate", borrow, default)]
    recorded_date: Option<Cow<'a, str>>,
    #[serde(default)]
    finished: Option<Value>,
}

impl ResponseRow {
    /// Builds a row from one element of a JSON export (`{"responseId", "values", "labels"}`).
    /// Returns `None` when `responseId` or `values` is missing.
    pub fn from_export_json(element: &Value, in_progress: bool) -> Option<ResponseRow> {
        let response_id = element.get("responseId")?.as_str()?.to_owned();
        let values_json = serde_json::to_string(element.get("values")?.as_object()?).ok()?;
        let labels_json = match element.get("labels").and_then(Value::as_object) {
            Some(labels) => Some(serde_json::to_string(labels).ok()?),
            None => None,
        };
        Self::from_json_parts(response_id, values_json, labels_json, in_progress).ok()
    }

    /// Builds a row from an export response's parts, taking the JSON texts as they are; the
    /// dates and `finished` are read from `values_json`, which must be a JSON object.
    pub fn from_json_parts(
        response_id: String,
        values_json: String,
        labels_json: Option<String>,
        in_progress: bool,
    ) -> Result<ResponseRow> {
        let meta: RowMeta<'_> = serde_json::from_str(&values_json).map_err(|e| {
            Error::new(
                ErrorKind::Malformed,
                format!("response {response_id} has unreadable values: {e}"),
            )
        })?;
        let finished = match meta.finished {
            Some(Value::Bool(b)) => b,
            Some(Value::Number(n)) => n.as_f64() == Some(1.0),
            Some(Value::String(s)) => s == "1" || s.eq_ignore_ascii_case("true"),
            _ => false,
        };
        Ok(ResponseRow {
            finished,
            in_progress,
            start_date: meta.start_date.map(Cow::into_owned),
            end_date: meta.end_date.map(Cow::into_owned),
            recorded_date: meta.recorded_date.map(Cow::into_owned),
            response_id,
            values_json,
            labels_json,
        })
    }
}

/// A response as cached.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredResponse {
    pub response_id: String,
    pub finished: bool,
    pub in_progress: bool,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub recorded_date: Option<String>,
    pub values: Map<String, Value>,
    pub labels: Option<Map<String, Value>>,
    pub imported_at: Option<DateTime<Utc>>,
}

/// Incremental sync state of one survey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncState {
    pub survey_id: String,
    pub continuation_token: Option<String>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub last_success_at: Option<DateTime<Utc>>,
    /// Recorded responses cached for the survey after the last successful import.
    pub response_count: u64,
    /// Grows by one each time an import changed the cached responses.
    pub generation: u64,
    /// The survey's response counts the last successful import was taken against (`None`
    /// before one, or when Qualtrics reported none).
    pub response_counts: Option<ResponseCounts>,
}

/// A survey's `responseCounts` as Qualtrics reports them (legacy survey view): what an
/// incremental refresh compares to know whether anything was recorded or deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResponseCounts {
    /// Recorded responses (`auditable`).
    pub recorded: u64,
    /// Deleted responses.
    pub deleted: u64,
}

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
    /// In-progress responses stored apart.
    pub in_progress: u64,
    /// Recorded responses cached for the survey after the commit.
    pub total_responses: u64,
    /// Sync generation after the commit.
    pub generation: u64,
}

/// Bulk import of one survey's responses in one transaction on a dedicated connection.
pub struct Importer {
    conn: Connection,
    survey_id: String,
    imported_at: String,
    summary: ImportSummary,
    rows: u64,
    changed: bool,
    /// The commit deleted cached responses (not append-only).
    replaced: bool,
    /// `replace_existing` was called: responses not re-delivered are deleted at commit.
    sweep: bool,
    /// Finished recorded responses inserted (not replacing a cached copy).
    inserted_finished: u64,
    /// Largest rowid of the survey's finished responses when the import began (0: none).
    base_max_finished_rowid: i64,
    clear_in_progress_on_complete: bool,
    /// Written to `sync_state` by the commit (see [`Importer::set_response_counts`]).
    response_counts: Option<ResponseCounts>,
    open: bool,
}

impl std::fmt::Debug for Importer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Importer")
            .field("survey_id", &self.survey_id)
            .field("rows", &self.rows)
            .finish()
    }
}

const INSERT_RESPONSE: &str = "INSERT OR IGNORE INTO responses (survey_id, response_id, finished,
    start_date, end_date, recorded_date, values_json, labels_json, imported_at)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
/// Replaces a cached copy only when the re-delivered response differs from it, so that an
/// identical re-delivery changes nothing (and keeps an import append-only).
const UPDATE_RESPONSE: &str = "UPDATE responses SET finished = ?3, start_date = ?4, end_date = ?5,
    recorded_date = ?6, values_json = ?7, labels_json = ?8, imported_at = ?9
    WHERE survey_id = ?1 AND response_id = ?2
      AND (finished IS NOT ?3 OR start_date IS NOT ?4 OR end_date IS NOT ?5
           OR recorded_date IS NOT ?6 OR values_json IS NOT ?7 OR labels_json IS NOT ?8)";
const DELETE_IN_PROGRESS: &str =
    "DELETE FROM responses_in_progress WHERE survey_id = ?1 AND response_id = ?2";
const UPSERT_IN_PROGRESS: &str = "INSERT INTO responses_in_progress (survey_id, response_id,
    start_date, values_json, imported_at) VALUES (?1, ?2, ?3, ?4, ?5)
    ON CONFLICT(survey_id, response_id) DO UPDATE SET start_date = excluded.start_date,
    values_json = excluded.values_json, imported_at = excluded.imported_at";

impl Importer {
    /// Adds (upserts) one response; in-progress rows go to `responses_in_progress`.
    pub fn add(&mut self, row: ResponseRow) -> Result<()> {
        let values = row.values_json;
        let sid = self.survey_id.as_str();
        if row.in_progress {
            let mut st = self.conn.prepare_cached(UPSERT_IN_PROGRESS)?;
            st.execute(params![
                sid,
                row.response_id,
                row.start_date,
                values,
                self.imported_at
            ])?;
            self.summary.in_progress += 1;
            self.clear_in_progress_on_complete = true;
        } else {
            let labels = row.labels_json;
            let p = params![
                sid,
                row.response_id,
                row.finished,
                row.start_date,
                row.end_date,
                row.recorded_date,
                values,
                labels,
                self.imported_at
            ];
            if self.sweep {
                self.conn
                    .prepare_cached(
                        "INSERT OR IGNORE INTO temp.delivered (response_id) VALUES (?1)",
                    )?
                    .execute([&row.response_id])?;
            }
            let inserted = self.conn.prepare_cached(INSERT_RESPONSE)?.execute(p)?;
            if inserted == 1 {
                self.summary.inserted += 1;
                self.inserted_finished += u64::from(row.finished);
                self.changed = true;
            } else if self.conn.prepare_cached(UPDATE_RESPONSE)?.execute(p)? == 1 {
                self.summary.updated += 1;
                self.changed = true;
            } else {
                self.summary.unchanged += 1;
            }
            if self.clear_in_progress_on_complete {
                self.conn
                    .prepare_cached(DELETE_IN_PROGRESS)?
                    .execute(params![sid, row.response_id])?;
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// Rows added so far (recorded and in progress).
    pub fn count(&self) -> u64 {
        self.rows
    }

    /// Full resync: the rows added to this import become the survey's whole cached set —
    /// the in-progress ones are deleted now, and at commit every cached recorded response
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
        self.sweep = true;
        Ok(())
    }

    /// Deletes the cached in-progress responses of the survey inside this import (call before
    /// adding a fresh in-progress export).
    pub fn replace_in_progress(&mut self) -> Result<()> {
        self.conn.execute(
            "DELETE FROM responses_in_progress WHERE survey_id = ?1",
            [&self.survey_id],
        )?;
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
        let sid = self.survey_id.clone();
        if self.sweep {
            let gone = self.conn.execute(
                "DELETE FROM responses WHERE survey_id = ?1
                   AND response_id NOT IN (SELECT response_id FROM temp.delivered)",
                [&sid],
            )?;
            self.conn.execute_batch("DELETE FROM temp.delivered")?;
            if gone > 0 {
                self.changed = true;
                self.replaced = true;
            }
        }
        let total: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM responses WHERE survey_id = ?1",
            [&sid],
            |r| r.get(0),
        )?;
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
            lineage::record(&self.conn, &sid, generation, &change)?;
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
        let had_in_progress: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM responses_in_progress WHERE survey_id = ?1)",
            [survey_id],
            |r| r.get(0),
        )?;
        let base_max_finished_rowid = lineage::max_finished_rowid(&conn, survey_id)?;
        Ok(Importer {
            conn,
            survey_id: survey_id.to_owned(),
            imported_at: ts(Utc::now()),
            summary: ImportSummary::default(),
            rows: 0,
            changed: false,
            replaced: false,
            sweep: false,
            inserted_finished: 0,
            base_max_finished_rowid,
            clear_in_progress_on_complete: had_in_progress,
            response_counts: None,
            open: true,
        })
    }

    /// The sync state of a survey (`None` before its first successful import).
    pub fn sync_state(&self, survey_id: &str) -> Result<Option<SyncState>> {
        self.with_conn(|c| {
            Ok(c.query_row(
                "SELECT survey_id, continuation_token, last_attempt_at, last_success_at,
                        response_count, generation, counted_recorded, counted_deleted
                   FROM sync_state WHERE survey_id = ?1",
                [survey_id],
                |r| {
                    Ok(SyncState {
                        survey_id: r.get(0)?,
                        continuation_token: r.get(1)?,
                        last_attempt_at: parse_opt_ts(r.get(2)?),
                        last_success_at: parse_opt_ts(r.get(3)?),
                        response_count: r.get::<_, i64>(4)? as u64,
                        generation: r.get::<_, i64>(5)? as u64,
                        response_counts: match (
                            r.get::<_, Option<i64>>(6)?,
                            r.get::<_, Option<i64>>(7)?,
                        ) {
                            (Some(recorded), Some(deleted)) => Some(ResponseCounts {
                                recorded: recorded as u64,
                                deleted: deleted as u64,
                            }),
                            _ => None,
                        },
                    })
                },
            )
            .optional()?)
        })
    }

    /// Records a sync attempt time without touching the data or the token.
    pub fn record_sync_attempt(&self, survey_id: &str, at: DateTime<Utc>) -> Result<()> {
        self.with_conn(|c| {
            c.execute(
                "INSERT INTO sync_state (survey_id, last_attempt_at) VALUES (?1, ?2)
                 ON CONFLICT(survey_id) DO UPDATE SET last_attempt_at = excluded.last_attempt_at",
                params![survey_id, ts(at)],
            )?;
            Ok(())
        })
    }

    /// Recorded responses cached for a survey (finished or not).
    pub fn response_count(&self, survey_id: &str) -> Result<u64> {
        self.count_where(
            "SELECT COUNT(*) FROM responses WHERE survey_id = ?1",
            survey_id,
        )
    }

    /// In-progress responses cached for a survey.
    pub fn in_progress_count(&self, survey_id: &str) -> Result<u64> {
        self.count_where(
            "SELECT COUNT(*) FROM responses_in_progress WHERE survey_id = ?1",
            survey_id,
        )
    }

    fn count_where(&self, sql: &str, survey_id: &str) -> Result<u64> {
        self.with_conn(|c| Ok(c.query_row(sql, [survey_id], |r| r.get::<_, i64>(0))? as u64))
    }

    /// Streams every cached recorded response of a survey (by response id) to `f`.
    pub fn for_each_response(
        &self,
        survey_id: &str,
        mut f: impl FnMut(StoredResponse) -> Result<()>,
    ) -> Result<()> {
        self.with_conn(|c| {
            let mut stmt = c.prepare(
                "SELECT response_id, finished, start_date, end_date, recorded_date, values_json,
                        labels_json, imported_at
                 FROM responses WHERE survey_id = ?1 ORDER BY response_id",
            )?;
            let mut rows = stmt.query([survey_id])?;
            while let Some(r) = rows.next()? {
                let labels: Option<String> = r.get(6)?;
                let imported: String = r.get(7)?;
                f(StoredResponse {
                    response_id: r.get(0)?,
                    finished: r.get(1)?,
                    in_progress: false,
                    start_date: r.get(2)?,
                    end_date: r.get(3)?,
                    recorded_date: r.get(4)?,
                    values: parse_map(&r.get::<_, String>(5)?)?,
                    labels: labels.as_deref().map(parse_map).transpose()?,
                    imported_at: parse_ts(&imported),
                })?;
            }
            Ok(())
        })
    }

    /// The cached in-progress responses of a survey (by response id).
    pub fn list_in_progress(&self, survey_id: &str) -> Result<Vec<StoredResponse>> {
        self.with_conn(|c| {
            let mut stmt = c.prepare(
                "SELECT response_id, start_date, values_json, imported_at
                 FROM responses_in_progress WHERE survey_id = ?1 ORDER BY response_id",
            )?;
            let mut rows = stmt.query([survey_id])?;
            let mut out = Vec::new();
            while let Some(r) = rows.next()? {
                let imported: String = r.get(3)?;
                out.push(StoredResponse {
                    response_id: r.get(0)?,
                    finished: false,
                    in_progress: true,
                    start_date: r.get(1)?,
                    end_date: None,
                    recorded_date: None,
                    values: parse_map(&r.get::<_, String>(2)?)?,
                    labels: None,
                    imported_at: parse_ts(&imported),
                });
            }
            Ok(out)
        })
    }
}

fn parse_map(s: &str) -> Result<Map<String, Value>> {
    match serde_json::from_str(s)? {
        Value::Object(m) => Ok(m),
        _ => Err(Error::new(
            ErrorKind::Storage,
            "a cached response is not a JSON object",
        )),
    }
}
