//! Non-secret key/value settings and the connection event log.
//!
//! Contract: values are plain text chosen by the caller (base URL, auth method, masked hint,
//! whoami facts...). Callers must never pass a secret; nothing here masks values.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use super::codes::{outcome_code, AttemptStatus};
use super::{parse_ts, ts, Store};
use crate::error::{ErrorKind, Result};

/// One connection event (validation, whoami, survey listing, refresh error...).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConnectionLogEntry {
    /// Row id (0 before it is stored).
    #[ts(type = "number")]
    pub id: i64,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// What was attempted, e.g. `"validate"`, `"list_surveys"`, `"refresh"`.
    pub event: String,
    /// `true` for outcome `ok`, `false` for `failed`.
    pub ok: bool,
    /// Why it failed.
    pub error_kind: Option<ErrorKind>,
    /// Human message (never a secret).
    pub message: Option<String>,
}

impl Store {
    /// Reads a setting.
    pub fn get_setting(&self, key: &str) -> Result<Option<String>> {
        self.with_conn(|c| {
            Ok(
                c.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                    r.get(0)
                })
                .optional()?,
            )
        })
    }

    /// Writes (inserts or replaces) a setting.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.with_conn(|c| {
            c.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )?;
            Ok(())
        })
    }

    /// Deletes a setting; returns whether it existed.
    pub fn delete_setting(&self, key: &str) -> Result<bool> {
        self.with_conn(|c| Ok(c.execute("DELETE FROM settings WHERE key = ?1", [key])? > 0))
    }

    /// All settings whose key starts with `prefix`, sorted by key.
    pub fn list_settings(&self, prefix: &str) -> Result<Vec<(String, String)>> {
        self.with_conn(|c| {
            let mut stmt = c.prepare(
                "SELECT key, value FROM settings WHERE substr(key, 1, length(?1)) = ?1 ORDER BY key",
            )?;
            let rows = stmt.query_map([prefix], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// Deletes every setting whose key starts with `prefix`; returns how many.
    pub fn delete_settings(&self, prefix: &str) -> Result<usize> {
        self.with_conn(|c| {
            Ok(c.execute(
                "DELETE FROM settings WHERE substr(key, 1, length(?1)) = ?1",
                [prefix],
            )?)
        })
    }

    /// Appends a connection event; returns its id.
    pub fn append_connection_log(
        &self,
        at: DateTime<Utc>,
        event: &str,
        ok: bool,
        error_kind: Option<ErrorKind>,
        message: Option<&str>,
    ) -> Result<i64> {
        self.with_conn(|c| {
            c.execute(
                "INSERT INTO connection_log (at, event, outcome, error_kind, message)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![ts(at), event, outcome_code(ok), error_kind, message],
            )?;
            Ok(c.last_insert_rowid())
        })
    }

    /// The most recent `limit` connection events, newest first.
    pub fn list_connection_log(&self, limit: usize) -> Result<Vec<ConnectionLogEntry>> {
        self.with_conn(|c| {
            let mut stmt = c.prepare(
                "SELECT id, at, event, outcome, error_kind, message FROM connection_log
                 ORDER BY at DESC, id DESC LIMIT ?1",
            )?;
            let rows = stmt.query_map([limit as i64], |r| {
                let at: String = r.get(1)?;
                let outcome: AttemptStatus = r.get(3)?;
                Ok(ConnectionLogEntry {
                    id: r.get(0)?,
                    at: parse_ts(&at).unwrap_or_default(),
                    event: r.get(2)?,
                    ok: outcome == AttemptStatus::Ok,
                    error_kind: r.get(4)?,
                    message: r.get(5)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }
}
