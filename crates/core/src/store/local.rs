//! Local-disk problems, said plainly: the data dir and database file checks done on open, and
//! the messages that replace SQLite's terse ones ("disk I/O error", "attempt to write a
//! readonly database") with what happened, where, and what to do.
//!
//! Contract:
//! - [`prepare_data_dir`] creates the data dir, or fails with [`ErrorKind::Storage`] naming it
//!   when it is a file or cannot be created.
//! - A data dir that cannot be written (read-only mount, no permission) still opens, read-only
//!   and *immutable* (SQLite cannot create its WAL index there): cached data can be shown,
//!   and every write fails with a message naming the data dir and the fix.
//! - A database whose schema is newer than this build's migrations is refused with a "newer
//!   Pulsemap" message instead of being touched.
//! - [`explain`] rewrites storage errors carrying a SQLite code (disk full, I/O error,
//!   read-only, cannot open, corrupt) into messages naming the database path and the fix.

use std::path::Path;

use rusqlite::ErrorCode;

use crate::error::{Error, ErrorKind, Result};

/// Creates `dir` (and parents) or explains why it cannot be.
pub fn prepare_data_dir(dir: &Path) -> Result<()> {
    if dir.as_os_str().is_empty() {
        return Ok(());
    }
    if dir.exists() && !dir.is_dir() {
        return Err(Error::new(
            ErrorKind::Storage,
            format!(
                "the data dir {} is a file, not a directory; move or rename that file, or \
                 choose another data dir (--data-dir or PULSEMAP_DATA_DIR)",
                dir.display()
            ),
        ));
    }
    std::fs::create_dir_all(dir).map_err(|e| {
        Error::new(
            ErrorKind::Storage,
            format!(
                "could not create the data dir {}: {e}; check that its parent is a writable \
                 directory, or choose another data dir (--data-dir or PULSEMAP_DATA_DIR)",
                dir.display()
            ),
        )
    })
}

/// Whether new files can be created in `dir` (what SQLite needs for its WAL files).
pub(super) fn dir_is_writable(dir: &Path) -> bool {
    tempfile::Builder::new()
        .prefix(".pulsemap-write-check")
        .tempfile_in(dir)
        .is_ok()
}

/// A `file:` URI opening `path` read-only and immutable (no WAL index needed).
pub(super) fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for c in path.to_string_lossy().chars() {
        match c {
            '%' => uri.push_str("%25"),
            '?' => uri.push_str("%3f"),
            '#' => uri.push_str("%23"),
            c => uri.push(c),
        }
    }
    uri.push_str("?mode=ro&immutable=1");
    uri
}

/// Refuses a schema this build cannot use: newer than it knows, or older while read-only.
pub(super) fn check_schema(path: &Path, found: i64, known: i64, read_only: bool) -> Result<()> {
    if found > known {
        return Err(Error::new(
            ErrorKind::Storage,
            format!(
                "the database {} was written by a newer Pulsemap (schema version {found}; this \
                 version knows up to {known}). Update Pulsemap to open it, or choose another \
                 data dir; the file was left untouched.",
                path.display()
            ),
        ));
    }
    if read_only && found < known {
        return Err(read_only_error(
            path,
            "the database must be upgraded by this version of Pulsemap first",
        ));
    }
    Ok(())
}

fn read_only_error(db: &Path, what: &str) -> Error {
    let dir = db.parent().unwrap_or(db);
    Error::new(
        ErrorKind::Storage,
        format!(
            "the data dir {} (or its database file {}) is read-only, so {what}. Make it writable \
             (e.g. chmod u+w on both, or remount the disk read-write), or choose another data \
             dir.",
            dir.display(),
            db.file_name()
                .map_or_else(|| db.display().to_string(), |n| n.to_string_lossy().into())
        ),
    )
}

/// Rewrites a storage error of the database at `db` into a message naming it and the fix;
/// other errors pass unchanged.
pub(super) fn explain(db: &Path, read_only: bool, err: Error) -> Error {
    let Some(code) = err.sqlite_code() else {
        return err;
    };
    let dir = db.parent().unwrap_or(db).display();
    let message = match code {
        ErrorCode::ReadOnly => {
            return read_only_error(db, "cached data can be shown but nothing can be saved");
        }
        _ if read_only => {
            return read_only_error(db, &format!("it could not be used ({})", err.message()));
        }
        ErrorCode::DiskFull => format!(
            "the disk holding the data dir {dir} is full, so the local database could not be \
             saved. Free some space on that disk and try again; the data saved before is kept."
        ),
        ErrorCode::SystemIoFailure => format!(
            "could not read or write the local database {} (disk I/O error). The disk may be \
             full, removed or failing: free some space or check the disk, then try again.",
            db.display()
        ),
        ErrorCode::CannotOpen | ErrorCode::PermissionDenied => format!(
            "could not open the local database {}: check that the data dir {dir} is a writable \
             directory you own, or choose another data dir.",
            db.display()
        ),
        ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt => format!(
            "the local database {} is damaged or not a Pulsemap database. Move it away (the \
             cache is rebuilt from Qualtrics on the next refresh) or choose another data dir.",
            db.display()
        ),
        _ => return err,
    };
    Error::new(ErrorKind::Storage, message)
}
