//! Which `running` refresh attempts are still alive, across processes (the desktop app and
//! the CLI share one database).
//!
//! Contract:
//! * While an attempt runs, the process running it holds a *lease*: an exclusive lock on a
//!   small file `<database>-attempts/attempt-<id>.lock` in the database's folder. The lock is
//!   taken with SQLite's own file locking (an empty SQLite file held in `BEGIN EXCLUSIVE`), so
//!   it works wherever the cache itself does, and the OS drops it when the process ends —
//!   also on `kill -9` or a crash.
//! * [`Store::open`](super::Store::open) closes every `running` attempt whose lease is not held
//!   (file missing or lockable) as failed, "interrupted", and removes lock files no running
//!   attempt owns. A live attempt of another process keeps its `running` row. The lease is
//!   created in the same write transaction as the attempt row and the sweep runs in a write
//!   transaction, so a sweep never sees a new row without its lease.
//! * In-memory stores have no leases and nothing to sweep (nothing outlives them).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::Utc;
use rusqlite::{params, Connection, TransactionBehavior};

use super::codes::AttemptStatus;
use super::{ts, Store};
use crate::error::Result;

/// Message of an attempt closed because its process is gone.
const INTERRUPTED: &str = "interrupted: the process running this refresh stopped (killed, \
    crashed or closed) before it finished; cached data was kept";

/// The lock held for one running attempt; dropping it releases the lock and removes the file.
#[derive(Debug)]
pub(crate) struct AttemptLease {
    conn: Option<Connection>,
    path: PathBuf,
}

impl Drop for AttemptLease {
    fn drop(&mut self) {
        // Close (and so unlock) before removing: on Windows an open file cannot be removed.
        drop(self.conn.take());
        if let Err(e) = std::fs::remove_file(&self.path) {
            if e.kind() != std::io::ErrorKind::NotFound {
                tracing::debug!("removing a refresh lock file failed: {e}");
            }
        }
    }
}

/// Leases held by this store, by attempt id.
pub(crate) type Leases = HashMap<i64, AttemptLease>;

/// The lock folder of the database at `db`.
fn lock_dir(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push("-attempts");
    db.with_file_name(name)
}

fn lock_path(dir: &Path, attempt_id: i64) -> PathBuf {
    dir.join(format!("attempt-{attempt_id}.lock"))
}

/// Takes the lease of `attempt_id` (creating its lock file).
pub(crate) fn acquire(db: &Path, attempt_id: i64) -> Result<AttemptLease> {
    let dir = lock_dir(db);
    std::fs::create_dir_all(&dir)?;
    let path = lock_path(&dir, attempt_id);
    let conn = Connection::open(&path)?;
    conn.execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE")?;
    Ok(AttemptLease {
        conn: Some(conn),
        path,
    })
}

/// Whether some process (this one included) holds the lease of the lock file at `path`.
fn held(path: &Path) -> bool {
    if !path.exists() {
        return false;
    }
    let Ok(conn) = Connection::open(path) else {
        return false;
    };
    if conn.busy_timeout(Duration::ZERO).is_err() {
        return false;
    }
    // Busy: another connection holds the exclusive lock. Anything else (it could be
    // taken, the file is unreadable) means nobody holds it.
    match conn.execute_batch("BEGIN EXCLUSIVE") {
        Ok(()) => {
            let _ = conn.execute_batch("ROLLBACK");
            false
        }
        Err(e) => e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy),
    }
}

impl Store {
    /// Closes the `running` attempts no live process owns (see the module docs); returns how
    /// many. Called by [`Store::open`].
    pub fn close_abandoned_attempts(&self) -> Result<usize> {
        let Some(db) = self.path().map(Path::to_path_buf) else {
            return Ok(0);
        };
        let dir = lock_dir(&db);
        let mut conn = self.lock()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let running: Vec<i64> = {
            let mut stmt = tx.prepare("SELECT id FROM refresh_attempts WHERE outcome = ?1")?;
            let ids = stmt.query_map([AttemptStatus::Running], |r| r.get(0))?;
            ids.collect::<rusqlite::Result<_>>()?
        };
        let mut alive = Vec::new();
        let mut closed = 0;
        for id in running {
            if held(&lock_path(&dir, id)) {
                alive.push(id);
                continue;
            }
            closed += tx.execute(
                "UPDATE refresh_attempts SET outcome = ?4, finished_at = ?2,
                    error_message = ?3 WHERE id = ?1 AND outcome = ?5",
                params![
                    id,
                    ts(Utc::now()),
                    INTERRUPTED,
                    AttemptStatus::Failed,
                    AttemptStatus::Running
                ],
            )?;
        }
        // Inside the write transaction: no lease is being created meanwhile (see above).
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for entry in entries.flatten() {
                let name = entry.file_name();
                let owner = name
                    .to_str()
                    .and_then(|n| n.strip_prefix("attempt-"))
                    .and_then(|n| n.split('.').next())
                    .and_then(|n| n.parse::<i64>().ok());
                if owner.is_some_and(|id| alive.contains(&id)) || held(&entry.path()) {
                    continue;
                }
                let _ = std::fs::remove_file(entry.path());
            }
        }
        tx.commit()?;
        if closed > 0 {
            tracing::info!("closed {closed} refresh attempt(s) left running by a stopped process");
        }
        Ok(closed)
    }
}
