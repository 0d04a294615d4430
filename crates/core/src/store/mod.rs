//! The local SQLite cache of Pulsemap.
//!
//! Contract:
//! * [`Store::open`] opens (or creates) the database file in WAL mode with a 5 s busy timeout
//!   and foreign keys on, then applies the embedded, append-only migrations of
//!   `crates/core/migrations/*.sql` (via `rusqlite_migration`), and closes the refresh
//!   attempts a stopped process left `running` (`attempt_lease`).
//! * Writes are short: the only long transaction is an import ([`Store::importer`]), which
//!   starts once the export files are on disk, never while Qualtrics prepares them.
//! * A [`Store`] is `Send + Sync`: one general connection behind a mutex, shared by the app and
//!   its async tasks. Big response imports use their own connection ([`Store::importer`]) so the
//!   cache stays readable meanwhile (WAL), and commit responses plus the new sync state in one
//!   transaction; dropping an importer rolls everything back.
//! * No secret (token, client secret) is ever written here.
//! * Local-disk problems (data dir is a file or read-only, disk full, database from a newer
//!   Pulsemap) get messages naming the path and the fix; a read-only data dir still opens for
//!   reading (see `local`).
//!
//! Sub-modules group the typed row structs and methods per table family: `settings`
//! (settings + connection log), `surveys` (surveys, questions, embedded fields), `definition`
//! (raw survey-definition JSON → question rows), `responses` (importer, sync state, reads),
//! `refresh_log` (refresh attempts and cached metric values).

mod analysis;
mod attempt_lease;
mod cache_size;
mod cached_responses;
mod codes;
pub mod columns;
mod definition;
mod filters;
mod flow;
mod html;
mod json_scan;
pub(crate) mod lineage;
mod local;
mod pages;
mod refresh_log;
mod response_row;
mod responses;
mod settings;
mod surveys;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OpenFlags, Transaction};
use rusqlite_migration::{Migrations, M};

use crate::error::{Error, ErrorKind, Result};

pub use cache_size::SurveyCacheSize;
pub use cached_responses::{ResponseCounts, StoredResponse, SyncState};
pub use codes::{kind_code, parse_kind, AttemptMode, AttemptStatus};
pub use definition::{parse_definition, ParsedDefinition};
pub use filters::SavedFilter;
pub use html::strip_html;
pub use local::prepare_data_dir;
pub use refresh_log::{AttemptOutcome, CachedMetricValue, RefreshAttemptRow};
pub use response_row::ResponseRow;
pub use responses::{ImportSummary, Importer};
pub use settings::ConnectionLogEntry;
pub use surveys::{Choice, QuestionRow, SubQuestion, SurveyInfo, SurveyRow};

/// The schema migrations, in order. Append only: never edit a shipped file.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/0001_init.sql"),
    include_str!("../../migrations/0002_sync_generation.sql"),
    include_str!("../../migrations/0003_responses_rowid.sql"),
    include_str!("../../migrations/0004_metric_columns.sql"),
    include_str!("../../migrations/0005_response_generations.sql"),
    include_str!("../../migrations/0006_map_packs.sql"),
    include_str!("../../migrations/0007_survey_filters.sql"),
    include_str!("../../migrations/0008_sync_response_counts.sql"),
    include_str!("../../migrations/0009_numeric_entry.sql"),
    include_str!("../../migrations/0010_card_survey.sql"),
    include_str!("../../migrations/0011_response_pages.sql"),
    include_str!("../../migrations/0012_in_progress_digest.sql"),
    include_str!("../../migrations/0013_response_ids.sql"),
];

/// The first `version` schema migrations, in order: for tests that build a database as an
/// older release left it, then open it with this one.
#[doc(hidden)]
pub fn migrations_through(version: usize) -> &'static [&'static str] {
    &MIGRATIONS[..version]
}

/// Busy timeout of every connection.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Where the database lives; in-memory stores use a shared-cache URI so the importer can open
/// a second connection onto the same data.
#[derive(Debug, Clone)]
enum Location {
    File(PathBuf),
    /// A database in a data dir that cannot be written: opened read-only and immutable.
    ReadOnlyFile(PathBuf),
    Memory(String),
}

/// The SQLite cache. Cheap to share behind an `Arc`; all methods take `&self`.
pub struct Store {
    conn: Mutex<Connection>,
    location: Location,
    pub(crate) columns: columns::ColumnCache,
    /// Leases of the refresh attempts this store is running (see `attempt_lease`).
    leases: Mutex<attempt_lease::Leases>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens or creates the database at `path` and migrates it to the latest schema.
    ///
    /// When the data dir cannot be written but the database exists, it opens read-only (reads
    /// work, writes fail saying why); see the module docs.
    pub fn open(path: &Path) -> Result<Store> {
        let dir = path.parent().unwrap_or(Path::new(""));
        prepare_data_dir(dir)?;
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let location = if path.is_file() && !local::dir_is_writable(dir) {
            Location::ReadOnlyFile(path.to_path_buf())
        } else {
            Location::File(path.to_path_buf())
        };
        let writable = matches!(location, Location::File(_));
        let store = open_connection(&location)
            .and_then(|conn| Self::from_connection(conn, location))
            .map_err(|e| local::explain(path, false, e))?;
        if writable {
            // A read-only store runs no refresh and cannot close anything.
            store.close_abandoned_attempts()?;
        }
        Ok(store)
    }

    /// Opens a fresh private in-memory database (tests, previews).
    ///
    /// In-memory databases cannot use WAL: while an [`Importer`] is open, reads through the
    /// store may fail with a storage error instead of seeing the old data.
    pub fn open_in_memory() -> Result<Store> {
        let uri = format!(
            "file:pulsemap-{}?mode=memory&cache=shared",
            uuid::Uuid::new_v4()
        );
        let location = Location::Memory(uri);
        let conn = open_connection(&location)?;
        Self::from_connection(conn, location)
    }

    fn from_connection(mut conn: Connection, location: Location) -> Result<Store> {
        if let Location::File(path) | Location::ReadOnlyFile(path) = &location {
            let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            let read_only = matches!(location, Location::ReadOnlyFile(_));
            local::check_schema(path, found, MIGRATIONS.len() as i64, read_only)?;
            if read_only {
                return Ok(Self::with_location(conn, location));
            }
        }
        let migrations = Migrations::new(
            MIGRATIONS
                .iter()
                .enumerate()
                .map(|(i, sql)| match i + 1 {
                    // v13's index needs each id's hash, computed in Rust.
                    13 => M::up_with_hook(sql, responses::fill_id_index),
                    _ => M::up(sql),
                })
                .collect(),
        );
        migrations.to_latest(&mut conn)?;
        Ok(Self::with_location(conn, location))
    }

    fn with_location(conn: Connection, location: Location) -> Store {
        Store {
            conn: Mutex::new(conn),
            location,
            columns: columns::ColumnCache::default(),
            leases: Mutex::default(),
        }
    }

    /// The cached responses of a survey as aligned columns: one per field of `fields` (a key of
    /// the export's `values`: question, embedded data field...) and the `date` asked for, at the
    /// survey's current sync generation (see `columns::cache`).
    pub fn load_columns(
        &self,
        survey_id: &str,
        fields: &[&str],
        date: Option<columns::ResponseDate>,
    ) -> Result<columns::LoadedColumns> {
        self.columns.load(self, survey_id, fields, date)
    }

    /// What the column cache read from the cached responses since the store was opened.
    pub fn column_reads(&self) -> columns::ColumnReads {
        self.columns.reads()
    }

    fn leases(&self) -> MutexGuard<'_, attempt_lease::Leases> {
        self.leases.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The database file, or `None` for an in-memory store.
    pub fn path(&self) -> Option<&Path> {
        match &self.location {
            Location::File(p) | Location::ReadOnlyFile(p) => Some(p),
            Location::Memory(_) => None,
        }
    }

    /// Whether the store was opened read-only (its data dir cannot be written).
    pub fn is_read_only(&self) -> bool {
        matches!(self.location, Location::ReadOnlyFile(_))
    }

    /// Explains a storage error with the database path (see `local`).
    fn explain(&self, err: Error) -> Error {
        match self.path() {
            Some(path) => local::explain(path, self.is_read_only(), err),
            None => err,
        }
    }

    /// Schema version (number of applied migrations).
    pub fn schema_version(&self) -> Result<i64> {
        self.with_conn(|c| Ok(c.query_row("PRAGMA user_version", [], |r| r.get(0))?))
    }

    /// Runs `f` on the shared connection (no transaction).
    pub fn with_conn<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = self.lock()?;
        f(&conn).map_err(|e| self.explain(e))
    }

    /// Runs `f` inside one transaction on the shared connection: committed when `f` returns
    /// `Ok`, rolled back when it returns `Err` (or panics).
    pub fn with_tx<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.lock()?;
        let run = |conn: &mut Connection| -> Result<T> {
            let tx = conn.transaction()?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        };
        run(&mut conn).map_err(|e| self.explain(e))
    }

    /// Runs `PRAGMA integrity_check` and returns its first line (`"ok"` when healthy).
    pub fn integrity_check(&self) -> Result<String> {
        self.with_conn(|c| Ok(c.query_row("PRAGMA integrity_check", [], |r| r.get(0))?))
    }

    fn lock(&self) -> Result<MutexGuard<'_, Connection>> {
        self.conn.lock().map_err(|_| {
            Error::new(
                ErrorKind::Internal,
                "the database connection lock is poisoned",
            )
        })
    }

    /// Opens an extra connection on the same database (importer, long reads).
    pub(crate) fn open_extra_connection(&self) -> Result<Connection> {
        open_connection(&self.location).map_err(|e| self.explain(e))
    }
}

fn open_connection(location: &Location) -> Result<Connection> {
    let conn = match location {
        Location::File(path) => Connection::open(path)?,
        Location::ReadOnlyFile(path) => Connection::open_with_flags(
            local::immutable_uri(path),
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?,
        Location::Memory(uri) => Connection::open_with_flags(
            uri,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?,
    };
    conn.busy_timeout(BUSY_TIMEOUT)?;
    if matches!(location, Location::File(_)) {
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::new(
                ErrorKind::Storage,
                format!("the local database could not switch to WAL mode (got {mode})"),
            ));
        }
        conn.pragma_update(None, "synchronous", "NORMAL")?;
    }
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

/// Formats a timestamp the way every table stores it (RFC 3339, UTC, milliseconds).
pub(crate) fn ts(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Parses a stored timestamp; unreadable values become `None`.
pub(crate) fn parse_ts(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

/// Parses an optional stored timestamp column.
pub(crate) fn parse_opt_ts(s: Option<String>) -> Option<DateTime<Utc>> {
    s.as_deref().and_then(parse_ts)
}
