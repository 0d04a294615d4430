//! Refresh attempts (every one, successful or not) and cached metric values.
//!
//! Contract: [`Store::begin_refresh_attempt`] records a `running` attempt and returns its id,
//! and holds its lease until [`Store::finish_refresh_attempt`] closes it with an outcome (a
//! `running` attempt whose process is gone is closed at the next start, see
//! `attempt_lease`). The refresh policy reads [`Store::list_refresh_attempts`] (failed
//! attempts count, for the back-off) and [`Store::last_full_sync_at`]. Metric values are
//! cached per card with the hash of the configuration that produced them, so a stale value can
//! be recognised after the card was edited.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use super::codes::{AttemptMode, AttemptStatus};
use super::{parse_opt_ts, parse_ts, ts, Store};
use crate::error::{Error, ErrorKind, Result};

/// How an attempt ended.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AttemptOutcome {
    pub ok: bool,
    /// Error kind when it failed.
    pub error_kind: Option<ErrorKind>,
    /// Error message (never a secret) when it failed.
    pub error_message: Option<String>,
    pub new_responses: u64,
    pub http_requests: u64,
}

/// One recorded refresh attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RefreshAttemptRow {
    #[ts(type = "number")]
    pub id: i64,
    pub survey_id: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub mode: AttemptMode,
    pub outcome: AttemptStatus,
    /// Why it failed, when the failure had a kind (an interruption has none).
    pub error_kind: Option<ErrorKind>,
    pub error_message: Option<String>,
    #[ts(type = "number")]
    pub new_responses: u64,
    #[ts(type = "number")]
    pub http_requests: u64,
}

/// A metric value cached for a card. The store keeps it as JSON and does not look inside:
/// `V` is the metric engine's value type.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CachedMetricValue<V> {
    pub card_id: String,
    /// Hash of the card configuration that produced it (`MetricCardConfig::config_hash`).
    pub config_hash: String,
    pub value: V,
    pub computed_at: DateTime<Utc>,
}

impl Store {
    /// Records the start of a refresh attempt; returns its id.
    pub fn begin_refresh_attempt(
        &self,
        survey_id: &str,
        mode: AttemptMode,
        started_at: DateTime<Utc>,
    ) -> Result<i64> {
        let db = self.path().map(std::path::Path::to_path_buf);
        // The lease is taken inside the write transaction that inserts the row, so the sweep
        // at start (also a write transaction) never sees the row without it.
        let (id, lease) = self.with_tx(|c| {
            c.execute(
                "INSERT INTO refresh_attempts (survey_id, started_at, mode, outcome)
                 VALUES (?1, ?2, ?3, ?4)",
                params![survey_id, ts(started_at), mode, AttemptStatus::Running],
            )?;
            let id = c.last_insert_rowid();
            let lease = db
                .as_deref()
                .map(|db| super::attempt_lease::acquire(db, id))
                .transpose()?;
            Ok((id, lease))
        })?;
        if let Some(lease) = lease {
            self.leases().insert(id, lease);
        }
        Ok(id)
    }

    /// Changes the mode of a running attempt (an incremental refresh that turned into a full
    /// one because responses were deleted upstream).
    pub fn set_refresh_attempt_mode(&self, attempt_id: i64, mode: AttemptMode) -> Result<()> {
        self.with_conn(|c| {
            c.execute(
                "UPDATE refresh_attempts SET mode = ?2 WHERE id = ?1",
                params![attempt_id, mode],
            )?;
            Ok(())
        })
    }

    /// Closes an attempt with its outcome.
    pub fn finish_refresh_attempt(
        &self,
        attempt_id: i64,
        outcome: &AttemptOutcome,
        finished_at: DateTime<Utc>,
    ) -> Result<()> {
        let changed = self.with_conn(|c| {
            Ok(c.execute(
                "UPDATE refresh_attempts SET finished_at = ?2, outcome = ?3, error_kind = ?4,
                    error_message = ?5, new_responses = ?6, http_requests = ?7 WHERE id = ?1",
                params![
                    attempt_id,
                    ts(finished_at),
                    super::codes::outcome_code(outcome.ok),
                    outcome.error_kind,
                    outcome.error_message,
                    outcome.new_responses as i64,
                    outcome.http_requests as i64
                ],
            )?)
        })?;
        self.leases().remove(&attempt_id);
        if changed == 0 {
            return Err(Error::not_found(format!(
                "refresh attempt {attempt_id} does not exist"
            )));
        }
        Ok(())
    }

    /// Start time of the latest successful *full* refresh of a survey (one that re-read every
    /// response, so edits made in Qualtrics to older responses are in the cache since then).
    pub fn last_full_sync_at(&self, survey_id: &str) -> Result<Option<DateTime<Utc>>> {
        self.with_conn(|c| {
            let s: Option<String> = c.query_row(
                "SELECT MAX(started_at) FROM refresh_attempts
                 WHERE survey_id = ?1 AND mode = ?2 AND outcome = ?3",
                params![survey_id, AttemptMode::Full, AttemptStatus::Ok],
                |r| r.get(0),
            )?;
            Ok(parse_opt_ts(s))
        })
    }

    /// The most recent `limit` attempts (of one survey, or of all when `None`), newest first.
    pub fn list_refresh_attempts(
        &self,
        survey_id: Option<&str>,
        limit: usize,
    ) -> Result<Vec<RefreshAttemptRow>> {
        self.with_conn(|c| {
            let mut stmt = c.prepare(
                "SELECT id, survey_id, started_at, finished_at, mode, outcome, error_kind,
                        error_message, new_responses, http_requests
                 FROM refresh_attempts WHERE ?1 IS NULL OR survey_id = ?1
                 ORDER BY started_at DESC, id DESC LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![survey_id, limit as i64], |r| {
                let started: String = r.get(2)?;
                Ok(RefreshAttemptRow {
                    id: r.get(0)?,
                    survey_id: r.get(1)?,
                    started_at: parse_ts(&started).unwrap_or_default(),
                    finished_at: parse_opt_ts(r.get(3)?),
                    mode: r.get(4)?,
                    outcome: r.get(5)?,
                    error_kind: r.get(6)?,
                    error_message: r.get(7)?,
                    new_responses: r.get::<_, i64>(8)? as u64,
                    http_requests: r.get::<_, i64>(9)? as u64,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// Start time of the latest attempt for a survey, whatever its outcome.
    pub fn last_refresh_attempt_at(&self, survey_id: &str) -> Result<Option<DateTime<Utc>>> {
        self.with_conn(|c| {
            let s: Option<Option<String>> = c
                .query_row(
                    "SELECT MAX(started_at) FROM refresh_attempts WHERE survey_id = ?1",
                    [survey_id],
                    |r| r.get(0),
                )
                .optional()?;
            Ok(parse_opt_ts(s.flatten()))
        })
    }

    /// Caches the value computed for a card (replacing the previous one).
    pub fn put_metric_value(
        &self,
        card_id: &str,
        config_hash: &str,
        value: &impl Serialize,
        computed_at: DateTime<Utc>,
    ) -> Result<()> {
        let json = serde_json::to_string(value)?;
        self.with_conn(|c| {
            c.execute(
                "INSERT INTO metric_values (card_id, config_hash, value_json, computed_at)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(card_id) DO UPDATE SET config_hash = excluded.config_hash,
                    value_json = excluded.value_json, computed_at = excluded.computed_at",
                params![card_id, config_hash, json, ts(computed_at)],
            )
            .map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::ConstraintViolation) => {
                    Error::not_found(format!("card {card_id} does not exist"))
                }
                _ => e.into(),
            })?;
            Ok(())
        })
    }

    /// The cached value of a card, if any.
    pub fn get_metric_value<V: serde::de::DeserializeOwned>(
        &self,
        card_id: &str,
    ) -> Result<Option<CachedMetricValue<V>>> {
        let row: Option<(String, String, String)> = self.with_conn(|c| {
            Ok(c.query_row(
                "SELECT config_hash, value_json, computed_at FROM metric_values WHERE card_id = ?1",
                [card_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?)
        })?;
        row.map(|(config_hash, json, at)| {
            Ok(CachedMetricValue {
                card_id: card_id.to_owned(),
                config_hash,
                value: serde_json::from_str(&json)?,
                computed_at: parse_ts(&at).unwrap_or_default(),
            })
        })
        .transpose()
    }
}
