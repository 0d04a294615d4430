//! Resolving a card's [`DateRange`] to days and to UTC instants in the user's time zone.
//!
//! Contract:
//! * Relative ranges resolve against *today in the clock's zone* ([`Clock`]: the system zone
//!   in the app, `--tz` in the CLI). "Last N days" is today and the N − 1 days before it;
//!   "this month" runs from the 1st to today; "previous month" is the whole month before;
//!   weeks are ISO weeks (Monday to Sunday).
//! * A day runs from local midnight to the next local midnight, so a range's UTC bounds move
//!   with the zone and its daylight-saving changes: response dates (UTC, as Qualtrics exports
//!   them) are compared against `[start, end)` in seconds since the epoch. A midnight that
//!   does not exist locally (a DST gap) starts at the first instant after the gap.
//! * [`Window::previous`] is the period of the same length just before; [`Window::year_earlier`]
//!   the same dates a year before (29 Feb → 28 Feb).

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

use super::scope::{DateRange, RangeUnit, ResolvedRange};
use crate::error::{Error, Result};

/// "Now" and the zone whose calendar relative ranges follow.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Clock {
    pub now: DateTime<Utc>,
    pub tz: Tz,
}

impl Clock {
    /// The current time in the system's time zone (UTC when it cannot be told).
    pub fn system() -> Clock {
        let tz = iana_time_zone::get_timezone()
            .ok()
            .and_then(|name| name.parse::<Tz>().ok())
            .unwrap_or(Tz::UTC);
        Clock {
            now: Utc::now(),
            tz,
        }
    }

    /// `now` in the IANA zone `name` (e.g. `America/Los_Angeles`); `InvalidInput` otherwise.
    pub fn in_zone(now: DateTime<Utc>, name: &str) -> Result<Clock> {
        let tz = name.trim().parse::<Tz>().map_err(|_| {
            Error::invalid(format!(
                "unknown time zone {name:?}: use an IANA zone name such as Europe/Paris, \
                 America/Los_Angeles or UTC"
            ))
        })?;
        Ok(Clock { now, tz })
    }

    /// Today's date in the clock's zone.
    pub fn today(&self) -> NaiveDate {
        self.now.with_timezone(&self.tz).date_naive()
    }
}

/// Days `from..=to` of a resolved range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Window {
    fn len_days(self) -> u64 {
        (self.to - self.from).num_days().max(0) as u64 + 1
    }

    /// The period of the same length just before.
    pub fn previous(self) -> Window {
        let len = self.len_days();
        Window {
            from: self.from - Days::new(len),
            to: self.from - Days::new(1),
        }
    }

    /// The same dates one year earlier.
    pub fn year_earlier(self) -> Window {
        Window {
            from: self.from - Months::new(12),
            to: self.to - Months::new(12),
        }
    }

    /// `[start, end)` in seconds since the epoch: local midnight of `from` to local midnight
    /// after `to`.
    pub fn bounds(self, tz: Tz) -> (i64, i64) {
        (
            local_midnight(tz, self.from),
            local_midnight(tz, self.to + Days::new(1)),
        )
    }

    /// "1 Sep – 29 Nov 2026" (the year once when both ends share it).
    pub fn span_label(self) -> String {
        if self.from == self.to {
            return self.from.format("%-d %b %Y").to_string();
        }
        if self.from.year() == self.to.year() {
            format!(
                "{} – {}",
                self.from.format("%-d %b"),
                self.to.format("%-d %b %Y")
            )
        } else {
            format!(
                "{} – {}",
                self.from.format("%-d %b %Y"),
                self.to.format("%-d %b %Y")
            )
        }
    }

    /// The resolved-range DTO with a label naming the range kind.
    pub fn resolved(self, kind: &str) -> ResolvedRange {
        ResolvedRange {
            from: Some(self.from.to_string()),
            to: Some(self.to.to_string()),
            label: format!("{kind} ({})", self.span_label()),
        }
    }
}

/// Seconds since the epoch of local midnight starting `day` in `tz`.
pub(crate) fn local_midnight(tz: Tz, day: NaiveDate) -> i64 {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    match tz.from_local_datetime(&midnight).earliest() {
        Some(t) => t.timestamp(),
        // No local midnight (a DST gap at 00:00): the day starts when the gap ends; gaps are
        // at most a few hours, so the first representable hour is that instant.
        None => (1..=3)
            .find_map(|h| {
                tz.from_local_datetime(&(midnight + chrono::Duration::hours(h)))
                    .earliest()
            })
            .map_or_else(|| midnight.and_utc().timestamp(), |t| t.timestamp()),
    }
}

fn parse_day(s: &str, which: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        Error::invalid(format!(
            "the range's {which} date {s:?} is not an ISO date (YYYY-MM-DD)"
        ))
    })
}

fn unit_start(today: NaiveDate, unit: RangeUnit) -> NaiveDate {
    match unit {
        RangeUnit::Week => today - Days::new(u64::from(today.weekday().num_days_from_monday())),
        RangeUnit::Month => today.with_day(1).unwrap_or(today),
        RangeUnit::Quarter => {
            NaiveDate::from_ymd_opt(today.year(), today.month0() / 3 * 3 + 1, 1).unwrap_or(today)
        }
        RangeUnit::Year => NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today),
    }
}

fn unit_step(start: NaiveDate, unit: RangeUnit) -> NaiveDate {
    match unit {
        RangeUnit::Week => start - Days::new(7),
        RangeUnit::Month => start - Months::new(1),
        RangeUnit::Quarter => start - Months::new(3),
        RangeUnit::Year => start - Months::new(12),
    }
}

fn unit_word(unit: RangeUnit) -> &'static str {
    match unit {
        RangeUnit::Week => "week",
        RangeUnit::Month => "month",
        RangeUnit::Quarter => "quarter",
        RangeUnit::Year => "year",
    }
}

/// Longest "last N days" accepted (ten years).
pub(crate) const MAX_LAST_DAYS: u32 = 3_660;

impl DateRange {
    /// Checks the range's own values; `InvalidInput` naming what is wrong.
    pub fn validate(&self) -> Result<()> {
        match self {
            DateRange::Last { days } if *days == 0 || *days > MAX_LAST_DAYS => Err(Error::invalid(
                format!("a \"last N days\" range needs 1 to {MAX_LAST_DAYS} days, not {days}"),
            )),
            DateRange::Custom { from, to } => {
                let (f, t) = (parse_day(from, "start")?, parse_day(to, "end")?);
                if f > t {
                    return Err(Error::invalid(format!(
                        "the range starts ({from}) after it ends ({to})"
                    )));
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// The days the range covers on `today` (`None`: all time).
    pub(crate) fn window(&self, today: NaiveDate) -> Result<Option<Window>> {
        Ok(Some(match self {
            DateRange::All => return Ok(None),
            DateRange::Last { days } => {
                self.validate()?;
                Window {
                    from: today - Days::new(u64::from(*days) - 1),
                    to: today,
                }
            }
            DateRange::This { unit } => Window {
                from: unit_start(today, *unit),
                to: today,
            },
            DateRange::Previous { unit } => {
                let this = unit_start(today, *unit);
                Window {
                    from: unit_step(this, *unit),
                    to: this - Days::new(1),
                }
            }
            DateRange::Custom { from, to } => {
                self.validate()?;
                Window {
                    from: parse_day(from, "start")?,
                    to: parse_day(to, "end")?,
                }
            }
        }))
    }

    /// Name of the range kind, e.g. "Last 90 days", "This month", "Previous quarter".
    pub fn kind_label(&self) -> String {
        match self {
            DateRange::All => "All time".into(),
            DateRange::Last { days: 1 } => "Today".into(),
            DateRange::Last { days } => format!("Last {days} days"),
            DateRange::This { unit } => format!("This {}", unit_word(*unit)),
            DateRange::Previous { unit } => format!("Previous {}", unit_word(*unit)),
            DateRange::Custom { .. } => "Custom range".into(),
        }
    }

    /// The range resolved on the clock's today.
    pub fn resolve(&self, clock: &Clock) -> Result<ResolvedRange> {
        Ok(match self.window(clock.today())? {
            None => ResolvedRange {
                from: None,
                to: None,
                label: self.kind_label(),
            },
            Some(w) => w.resolved(&self.kind_label()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn windows_on_a_known_day() {
        let today = d("2026-11-29"); // a Sunday
        let w = |r: DateRange| r.window(today).unwrap().unwrap();
        assert_eq!(
            w(DateRange::Last { days: 90 }),
            Window {
                from: d("2026-09-01"),
                to: today
            }
        );
        let week = w(DateRange::This {
            unit: RangeUnit::Week,
        });
        assert_eq!(week.from, d("2026-11-23"));
        let prev_q = w(DateRange::Previous {
            unit: RangeUnit::Quarter,
        });
        assert_eq!((prev_q.from, prev_q.to), (d("2026-07-01"), d("2026-09-30")));
        assert_eq!(prev_q.previous().to, d("2026-06-30"));
        assert_eq!(prev_q.previous().from, d("2026-03-31"), "92 days before");
        let leap = Window {
            from: d("2028-02-29"),
            to: d("2028-02-29"),
        };
        assert_eq!(leap.year_earlier().from, d("2027-02-28"));
        assert_eq!(
            w(DateRange::Last { days: 90 })
                .resolved("Last 90 days")
                .label,
            "Last 90 days (1 Sep – 29 Nov 2026)"
        );
    }

    #[test]
    fn days_follow_daylight_saving_and_midnight_gaps() {
        let utc = |s: &str| s.parse::<DateTime<Utc>>().unwrap().timestamp();
        // Los Angeles springs forward on 9 March 2025: a 23-hour day, PST start, PDT end.
        let la: Tz = "America/Los_Angeles".parse().unwrap();
        let day = Window {
            from: d("2025-03-09"),
            to: d("2025-03-09"),
        };
        assert_eq!(
            day.bounds(la),
            (utc("2025-03-09T08:00:00Z"), utc("2025-03-10T07:00:00Z"))
        );
        // Santiago skips 00:00–01:00 on 8 September 2024: the day starts at 01:00 (UTC−3).
        let scl: Tz = "America/Santiago".parse().unwrap();
        let gap = Window {
            from: d("2024-09-08"),
            to: d("2024-09-08"),
        };
        assert_eq!(gap.bounds(scl).0, utc("2024-09-08T04:00:00Z"));
    }

    #[test]
    fn bad_ranges_are_refused_with_their_reason() {
        let e = DateRange::Custom {
            from: "2026-12-01".into(),
            to: "2026-11-01".into(),
        }
        .validate()
        .unwrap_err();
        assert!(e.message().contains("after it ends"), "{e}");
        let e = DateRange::Custom {
            from: "1/2/2026".into(),
            to: "2026-11-01".into(),
        }
        .validate()
        .unwrap_err();
        assert!(e.message().contains("start date"), "{e}");
        assert!(DateRange::Last { days: 0 }.validate().is_err());
        assert!(Clock::in_zone(Utc::now(), "Mars/Olympus").is_err());
    }
}
