//! How often import progress is reported.
//!
//! Contract: [`Throttled`] passes on a running count at most once per [`INTERVAL`] (the first
//! call always), so a million-response import reports a few dozen times instead of ten
//! thousand (the export parser counts every hundred responses). Every report costs the app
//! an IPC event and a UI render, and the CLI a line on stderr; the refresh reports the final
//! count itself once the import is done, so nothing is lost by skipping in between.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Least time between two reports.
pub const INTERVAL: Duration = Duration::from_millis(200);

/// A progress callback that passes on at most one count per [`INTERVAL`].
pub struct Throttled<'a> {
    report: &'a (dyn Fn(u64) + Send + Sync),
    last: Mutex<Option<Instant>>,
}

impl<'a> Throttled<'a> {
    pub fn new(report: &'a (dyn Fn(u64) + Send + Sync)) -> Throttled<'a> {
        Throttled {
            report,
            last: Mutex::new(None),
        }
    }

    /// Reports `count` unless the last report was less than [`INTERVAL`] ago.
    pub fn count(&self, count: u64) {
        let now = Instant::now();
        {
            let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
            if last.is_some_and(|t| now.duration_since(t) < INTERVAL) {
                return;
            }
            *last = Some(now);
        }
        (self.report)(count);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    #[test]
    fn a_burst_reports_once_and_a_later_count_again() {
        let reports = AtomicU64::new(0);
        let seen = AtomicU64::new(0);
        let report = |n: u64| {
            reports.fetch_add(1, Ordering::SeqCst);
            seen.store(n, Ordering::SeqCst);
        };
        let t = Throttled::new(&report);
        for n in (100..=10_000).step_by(100) {
            t.count(n);
        }
        assert_eq!(reports.load(Ordering::SeqCst), 1);
        assert_eq!(seen.load(Ordering::SeqCst), 100);
        std::thread::sleep(INTERVAL + Duration::from_millis(20));
        t.count(10_100);
        assert_eq!(reports.load(Ordering::SeqCst), 2);
        assert_eq!(seen.load(Ordering::SeqCst), 10_100);
    }
}
