//! Reading the cache back: responses as stored, per-survey sync state and counts.
//!
//! The write side is [`super::Importer`]; rows are read through the compressed pages, so a
//! caller never sees how they are laid out.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::pages::{self, PageReader};
use super::{parse_opt_ts, parse_ts, ts, Store};
use crate::error::{Error, ErrorKind, Result};

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

impl Store {
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
        self.with_conn(|c| {
            Ok(match pages::survey_key(c, survey_id)? {
                Some(key) => pages::recorded_count(c, key)? as u64,
                None => 0,
            })
        })
    }

    /// In-progress responses cached for a survey.
    pub fn in_progress_count(&self, survey_id: &str) -> Result<u64> {
        self.with_conn(|c| {
            let n: i64 = c.query_row(
                "SELECT COUNT(*) FROM responses_in_progress WHERE survey_key =
                    (SELECT key FROM response_surveys WHERE survey_id = ?1)",
                [survey_id],
                |r| r.get(0),
            )?;
            Ok(n as u64)
        })
    }

    /// Streams every cached recorded response of a survey to `f`, in storage order.
    pub fn for_each_response(
        &self,
        survey_id: &str,
        mut f: impl FnMut(StoredResponse) -> Result<()>,
    ) -> Result<()> {
        let conn = self.open_extra_connection()?;
        let Some(key) = pages::survey_key(&conn, survey_id)? else {
            return Ok(());
        };
        let (lo, hi) = pages::survey_range(key);
        let mut stmt = conn.prepare(
            "SELECT pos, response_id, finished FROM responses
             WHERE pos BETWEEN ?1 AND ?2 ORDER BY pos",
        )?;
        let mut rows = stmt.query([lo, hi])?;
        let mut reader = PageReader::default();
        while let Some(r) = rows.next()? {
            let pos: i64 = r.get(0)?;
            let (raw, imported_at) = reader.read(&conn, pos)?;
            f(stored(
                r.get(1)?,
                r.get(2)?,
                false,
                raw.values,
                raw.labels,
                imported_at,
            )?)?;
        }
        Ok(())
    }

    /// The cached in-progress responses of a survey (by response id).
    pub fn list_in_progress(&self, survey_id: &str) -> Result<Vec<StoredResponse>> {
        let conn = self.open_extra_connection()?;
        let Some(key) = pages::survey_key(&conn, survey_id)? else {
            return Ok(Vec::new());
        };
        let mut stmt = conn.prepare(
            "SELECT pos, response_id FROM responses_in_progress WHERE survey_key = ?1 ORDER BY pos",
        )?;
        let mut rows = stmt.query([key])?;
        let mut reader = PageReader::default();
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let (raw, imported_at) = reader.read(&conn, r.get(0)?)?;
            out.push(stored(
                r.get(1)?,
                false,
                true,
                raw.values,
                None,
                imported_at,
            )?);
        }
        out.sort_by(|a, b| a.response_id.cmp(&b.response_id));
        Ok(out)
    }
}

/// A stored response from its row and raw text (dates read from the values).
fn stored(
    response_id: String,
    finished: bool,
    in_progress: bool,
    values: &str,
    labels: Option<&str>,
    imported_at: &str,
) -> Result<StoredResponse> {
    let dates: RowDates = serde_json::from_str(values).unwrap_or_default();
    Ok(StoredResponse {
        response_id,
        finished,
        in_progress,
        start_date: dates.start_date,
        end_date: dates.end_date,
        recorded_date: dates.recorded_date,
        values: parse_map(values)?,
        labels: labels.map(parse_map).transpose()?,
        imported_at: parse_ts(imported_at),
    })
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

/// The dates of a response, read from its values.
#[derive(Deserialize, Default)]
struct RowDates {
    #[serde(rename = "startDate", default)]
    start_date: Option<String>,
    #[serde(rename = "endDate", default)]
    end_date: Option<String>,
    #[serde(rename = "recordedDate", default)]
    recorded_date: Option<String>,
}
