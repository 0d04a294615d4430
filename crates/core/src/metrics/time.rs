//! Time buckets and calendar periods in the user's time zone.
//!
//! Contract: a timestamp (seconds since the epoch, UTC) falls in exactly one bucket of a zone,
//! the one holding its *local* date (the same calendar days date ranges use, see `range`), and
//! a bucket or period starts at local midnight of its first day; buckets are identified by
//! that day; labels are `2026-02-14` (day), `2026-W07` (ISO week, ISO year),
//! `2026-02` (month), `2026-Q1` (quarter), `2026` (year), and sort chronologically.

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc};
use chrono_tz::Tz;

use super::{Period, TimeBucket};

#[cfg(test)]
use crate::store::columns::parse_epoch;

/// The date in `tz` at `epoch`.
fn date_of(epoch: i64, tz: Tz) -> NaiveDate {
    DateTime::<Utc>::from_timestamp(epoch, 0)
        .unwrap_or_default()
        .with_timezone(&tz)
        .date_naive()
}

/// Local day numbers (days since 1970-01-01 in a zone) of instants, remembering each UTC
/// day's offset: a day without a transition (all but a few a year) needs no zone lookup.
pub(crate) struct LocalDays {
    tz: Tz,
    /// UTC day → its offset in seconds when the same all day.
    offsets: std::collections::HashMap<i64, Option<i64>>,
}

impl LocalDays {
    pub fn new(tz: Tz) -> Self {
        LocalDays {
            tz,
            offsets: std::collections::HashMap::new(),
        }
    }

    fn offset_at(&self, epoch: i64) -> i64 {
        use chrono::{Offset, TimeZone};
        let utc = DateTime::<Utc>::from_timestamp(epoch, 0).unwrap_or_default();
        i64::from(
            self.tz
                .offset_from_utc_datetime(&utc.naive_utc())
                .fix()
                .local_minus_utc(),
        )
    }

    /// The local day holding `epoch`.
    pub fn day(&mut self, epoch: i64) -> i64 {
        let utc_day = epoch.div_euclid(86_400);
        let offset = match self.offsets.get(&utc_day) {
            Some(o) => *o,
            None => {
                let start = self.offset_at(utc_day * 86_400);
                let end = self.offset_at(utc_day * 86_400 + 86_399);
                let o = (start == end).then_some(start);
                self.offsets.insert(utc_day, o);
                o
            }
        };
        let offset = offset.unwrap_or_else(|| self.offset_at(epoch));
        (epoch + offset).div_euclid(86_400)
    }
}

/// First day of the bucket holding local day `day` (see [`LocalDays`]).
pub(crate) fn bucket_of_day(day: i64, bucket: TimeBucket) -> NaiveDate {
    bucket_start(day * 86_400, bucket, Tz::UTC)
}

/// First day of the bucket holding `epoch` in `tz`.
pub(crate) fn bucket_start(epoch: i64, bucket: TimeBucket, tz: Tz) -> NaiveDate {
    let d = date_of(epoch, tz);
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

/// First day of the calendar period holding `epoch` in `tz`.
pub(crate) fn period_start(epoch: i64, period: Period, tz: Tz) -> NaiveDate {
    let d = date_of(epoch, tz);
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

/// Seconds since the epoch of the start of `day` in `tz` (local midnight, see `range`).
pub(crate) fn day_epoch(day: NaiveDate, tz: Tz) -> i64 {
    super::range::local_midnight(tz, day)
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
            bucket_label(bucket_start(t, TimeBucket::Day, Tz::UTC), TimeBucket::Day),
            "2026-02-14"
        );
        assert_eq!(
            bucket_label(bucket_start(t, TimeBucket::Week, Tz::UTC), TimeBucket::Week),
            "2026-W07"
        );
        assert_eq!(
            bucket_label(
                bucket_start(t, TimeBucket::Month, Tz::UTC),
                TimeBucket::Month
            ),
            "2026-02"
        );
        assert_eq!(
            bucket_label(
                bucket_start(t, TimeBucket::Quarter, Tz::UTC),
                TimeBucket::Quarter
            ),
            "2026-Q1"
        );
        // ISO week year differs from the calendar year at the edges.
        let t = e("2027-01-01T10:00:00.123Z");
        assert_eq!(
            bucket_label(bucket_start(t, TimeBucket::Week, Tz::UTC), TimeBucket::Week),
            "2026-W53"
        );
        assert_eq!(
            period_label(
                previous_period(period_start(t, Period::Quarter, Tz::UTC), Period::Quarter),
                Period::Quarter
            ),
            "2026-Q4"
        );
    }

    #[test]
    fn local_days_hold_on_a_utc_day_with_a_transition() {
        // Auckland leaves daylight saving at 2025-04-05T14:00Z (03:00 NZDT → 02:00 NZST).
        let akl: Tz = "Pacific/Auckland".parse().unwrap();
        let mut days = LocalDays::new(akl);
        let date = |days: &mut LocalDays, s: &str| {
            bucket_of_day(days.day(e(s)), TimeBucket::Day).to_string()
        };
        assert_eq!(date(&mut days, "2025-04-05T10:59:59Z"), "2025-04-05"); // 23:59:59 +13
        assert_eq!(date(&mut days, "2025-04-05T11:00:00Z"), "2025-04-06"); // 00:00 +13
        assert_eq!(date(&mut days, "2025-04-05T23:59:59Z"), "2025-04-06"); // 11:59:59 +12
        assert_eq!(date(&mut days, "2025-04-06T12:00:00Z"), "2025-04-07"); // 00:00 +12
        assert_eq!(date(&mut days, "2025-04-06T11:59:59Z"), "2025-04-06");
    }
}
