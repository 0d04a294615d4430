//! When a survey is due for an automatic refresh, and when that refresh must re-read
//! everything.
//!
//! Contract (all times from the recorded attempts, `now` passed in so it is testable):
//! - No attempt yet: due now.
//! - Last attempt succeeded (or is still running): due [`stale_after`] (1 h) after it started.
//! - Last attempt failed or was interrupted: due after a back-off measured from when it ended
//!   — [`FIRST_RETRY_AFTER`] (5 min) after one failure, doubling with each consecutive
//!   failure, never more than [`stale_after`]. A failure is not a fresh cache.
//! - An automatic refresh is incremental (continuation token, stopping at unchanged
//!   `responseCounts`), except that it re-reads every response when the last successful full
//!   refresh is older than [`full_sync_every`] (24 h): continuation exports never carry edits
//!   to existing responses, so upstream edits reach the cache within a day (and at once with
//!   "Refresh now", which always re-reads everything).

use chrono::{DateTime, Duration, Utc};

use crate::store::{AttemptStatus, RefreshAttemptRow};

/// A survey is stale when its last successful refresh attempt is older than this.
pub fn stale_after() -> Duration {
    Duration::hours(1)
}

/// Wait before retrying after one failed attempt (doubles per consecutive failure).
pub const FIRST_RETRY_AFTER: Duration = Duration::minutes(5);

/// Longest time an automatic refresh stays incremental: after this, it re-reads everything.
pub fn full_sync_every() -> Duration {
    Duration::hours(24)
}

/// When the next automatic refresh is due, from the survey's attempts (newest first);
/// `None` when there was none (due now).
pub fn next_due(attempts: &[RefreshAttemptRow]) -> Option<DateTime<Utc>> {
    let latest = attempts.first()?;
    if latest.outcome != AttemptStatus::Failed {
        return Some(latest.started_at + stale_after());
    }
    let failures = attempts
        .iter()
        .take_while(|a| a.outcome == AttemptStatus::Failed)
        .count()
        .clamp(1, 16) as u32;
    let backoff = (FIRST_RETRY_AFTER * 2i32.pow(failures - 1)).min(stale_after());
    let ended = latest
        .finished_at
        .map_or(latest.started_at, |f| f.max(latest.started_at));
    Some(ended + backoff)
}

/// Attempts read for the back-off (enough consecutive failures to reach the 1 h cap).
pub const ATTEMPTS_FOR_POLICY: usize = 8;

/// Whether an automatic refresh at `now` must re-read every response.
pub fn full_sync_due(last_full_sync: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    last_full_sync.is_none_or(|at| now - at >= full_sync_every())
}
