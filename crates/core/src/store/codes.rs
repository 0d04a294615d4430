//! The text codes the store writes for its enums, and back: every SQL text <-> enum
//! conversion of the store lives here.
//!
//! Contract: each enum is written as one fixed code (`full`, `running`, `tokenRevoked`, ...)
//! through [`ToSql`] and read back through [`FromSql`]; an unknown code in a column is a
//! storage error naming the column's type and the code, never a silent default. Error kinds
//! are written as their camelCase serde name, which is also what the UI receives.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::ErrorKind;

/// Whether a refresh started from scratch or from a continuation token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum AttemptMode {
    Full,
    Incremental,
}

/// Where a refresh attempt stands: running, or how it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum AttemptStatus {
    Running,
    Ok,
    /// Failed, or interrupted (cancelled, the app closed, the process was killed).
    Failed,
}

/// Outcome column of the connection log: `ok` or `failed`.
pub(crate) fn outcome_code(ok: bool) -> AttemptStatus {
    if ok {
        AttemptStatus::Ok
    } else {
        AttemptStatus::Failed
    }
}

impl AttemptMode {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            AttemptMode::Full => "full",
            AttemptMode::Incremental => "incremental",
        }
    }

    fn parse(code: &str) -> Option<Self> {
        [AttemptMode::Full, AttemptMode::Incremental]
            .into_iter()
            .find(|m| m.code() == code)
    }
}

impl AttemptStatus {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            AttemptStatus::Running => "running",
            AttemptStatus::Ok => "ok",
            AttemptStatus::Failed => "failed",
        }
    }

    fn parse(code: &str) -> Option<Self> {
        [
            AttemptStatus::Running,
            AttemptStatus::Ok,
            AttemptStatus::Failed,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

/// The stored (and IPC) code of an error kind: its camelCase name.
pub fn kind_code(kind: ErrorKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| format!("{kind:?}"))
}

/// Parses [`kind_code`].
pub fn parse_kind(code: &str) -> Option<ErrorKind> {
    serde_json::from_value(serde_json::Value::String(code.to_owned())).ok()
}

fn read<T>(value: ValueRef<'_>, what: &str, parse: impl Fn(&str) -> Option<T>) -> FromSqlResult<T> {
    let text = value.as_str()?;
    parse(text).ok_or_else(|| {
        FromSqlError::Other(format!("unknown {what} code {text:?} in the database").into())
    })
}

impl ToSql for AttemptMode {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.code()))
    }
}

impl FromSql for AttemptMode {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        read(value, "refresh mode", AttemptMode::parse)
    }
}

impl ToSql for AttemptStatus {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.code()))
    }
}

impl FromSql for AttemptStatus {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        read(value, "attempt outcome", AttemptStatus::parse)
    }
}

impl ToSql for ErrorKind {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(kind_code(*self)))
    }
}

impl FromSql for ErrorKind {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        read(value, "error kind", parse_kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_as_what_was_written() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let back =
            |v: &dyn ToSql| -> String { conn.query_row("SELECT ?1", [v], |r| r.get(0)).unwrap() };
        for m in [AttemptMode::Full, AttemptMode::Incremental] {
            assert_eq!(AttemptMode::parse(&back(&m)), Some(m));
        }
        for s in [
            AttemptStatus::Running,
            AttemptStatus::Ok,
            AttemptStatus::Failed,
        ] {
            assert_eq!(AttemptStatus::parse(&back(&s)), Some(s));
        }
        assert_eq!(back(&ErrorKind::TokenRevoked), "tokenRevoked");
        assert_eq!(parse_kind("exportFailed"), Some(ErrorKind::ExportFailed));
        let unknown: rusqlite::Result<AttemptStatus> =
            conn.query_row("SELECT 'maybe'", [], |r| r.get(0));
        assert!(unknown.unwrap_err().to_string().contains("\"maybe\""));
    }
}
