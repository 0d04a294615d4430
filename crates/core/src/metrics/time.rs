//! UTC time buckets and calendar periods.
//!
//! Contract: a timestamp (seconds since the epoch, UTC) falls in exactly one bucket, identified
//! by the bucket's first day; labels are `2026-02-14` (day), `2026-W07` (ISO week, ISO year),
//! `2026-02` (month), `2026-Q1` (quarter), `2026` (year), and sort chronologically.

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc};

use super::{Period, TimeBucket};

#[cfg(test)]
use crate::store::columns::parse_epoch;

fn date_of(epoch: i64) -> NaiveDate {
    DateTime::<Utc>::from_timestamp(epoch, 0)
        .unwrap_or_default()
        .date_naive()
}

/// First day of the bucket holding `epoch`.
pub(crate) fn bucket_start(epoch: i64, bucket: TimeBucket) -> NaiveDate {
    let d = date_of(epoch);
    match bucket {
        TimeBucket::Day => d,
        TimeBucket::Week => d - Days::new(u64::from(d.weekday().num_days_from_monday())),
        TimeBucket::Month => d.with_day(1).unwrap_or(d),
        TimeBucket::Quarter => quarter_start(d),
    }
}

fn quarter_start(d: NaiveDate) -> NaiveDate {
    let month = (d.month0() / 3) * 3 + 1;
    NaiveDate::from_ymd_opt(d.year(), month, 1).unwrap_or(d)
}

/// First day of the bucket after the one starting at `start`.
pub(crate) fn next_bucket(start: NaiveDate, bucket: TimeBucket) -> NaiveDate {
    match bucket {
        TimeBucket::Day => start + Days::new(1),
        TimeBucket::Week => start + Days::new(7),
        TimeBucket::Month => start + Months::new(1),
        TimeBucket::Quarter => start + Months::new(3),
    }
}

/// Label of the bucket starting at `start`.
pub fn bucket_label(start: NaiveDate, bucket: TimeBucket) -> String {
    match bucket {
        TimeBucket::Day => start.format("%Y-%m-%d").to_string(),
        TimeBucket::Week => {
            let w = start.iso_week();
            format!("{}-W{:02}", w.year(), w.week())
        }
        TimeBucket::Month => start.format("%Y-%m").to_string(),
        TimeBucket::Quarter => format!("{}-Q{}", start.year(), start.month0() / 3 + 1),
    }
}

/// First day of the calendar period holding `epoch`.
pub(crate) fn period_start(epoch: i64, period: Period) -> NaiveDate {
    let d = date_of(epoch);
    match period {
        Period::Month => d.with_day(1).unwrap_or(d),
        Period::Quarter => quarter_start(d),
        Period::Year => NaiveDate::from_ymd_opt(d.year(), 1, 1).unwrap_or(d),
    }
}

/// First day of the period before the one starting at `start`.
pub(crate) fn previous_period(start: NaiveDate, period: Period) -> NaiveDate {
    match period {
        Period::Month => start - Months::new(1),
        Period::Quarter => start - Months::new(3),
        Period::Year => start - Months::new(12),
    }
}

/// Label of the period starting at `start`.
pub(crate) fn period_label(start: NaiveDate, period: Period) -> String {
    match period {
        Period::Month => bucket_label(start, TimeBucket::Month),
        Period::Quarter => bucket_label(start, TimeBucket::Quarter),
        Period::Year => start.year().to_string(),
    }
}

/// Seconds since the epoch of the start of `day` (UTC).
pub(crate) fn day_epoch(day: NaiveDate) -> i64 {
    day.and_hms_opt(0, 0, 0)
        .map(|d| d.and_utc().timestamp())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(s: &str) -> i64 {
        parse_epoch(s).unwrap()
    }

    #[test]
    fn labels() {
        let t = e("2026-02-14T23:59:59Z");
        assert_eq!(
            bucket_label(bucket_start(t, TimeBucket::Day), TimeBucket::Day),
            "2026-02-14"
        );
        assert_eq!(
            bucket_label(bucket_start(t, TimeBucket::Week), TimeBucket::Week),
            "2026-W07"
        );
        assert_eq!(
            bucket_label(bucket_start(t, TimeBucket::Month), TimeBucket::Month),
            "2026-02"
        );
        assert_eq!(
            bucket_label(bucket_start(t, TimeBucket::Quarter), TimeBucket::Quarter),
            "2026-Q1"
        );
        // ISO week year differs from the calendar year at the edges.
        let t = e("2027-01-01T10:00:00.123Z");
        assert_eq!(
            bucket_label(bucket_start(t, TimeBucket::Week), TimeBucket::Week),
            "2026-W53"
        );
        assert_eq!(
            period_label(
                previous_period(period_start(t, Period::Quarter), Period::Quarter),
                Period::Quarter
            ),
            "2026-Q4"
        );
    }
}
