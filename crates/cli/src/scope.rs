//! Parsers of the card-scope flags of `pulsemap metric` (issue 13): `--range`,
//! `--date-field`, `--filter`, `--better`, `--compare`, `--tz`.
//!
//! Contract: each is a clap value parser, so a bad value is a usage error (exit 2) naming the
//! flag, the value and what is accepted. Question ids in filters are resolved later against
//! the survey's questions (QID or export tag, `QID6.1` for a matrix row).

use chrono::NaiveDate;
use pulsemap_core::metrics::{Better, ComparisonSpec, DateField, DateRange, Period, RangeUnit};

/// `--filter` before question ids are resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterArg {
    Field {
        name: String,
        values: Vec<String>,
    },
    Question {
        question: String,
        choices: Vec<String>,
    },
    Saved {
        filter_id: String,
    },
}

fn unit(s: &str) -> Option<RangeUnit> {
    Some(match s {
        "week" => RangeUnit::Week,
        "month" => RangeUnit::Month,
        "quarter" => RangeUnit::Quarter,
        "year" => RangeUnit::Year,
        _ => return None,
    })
}

fn iso(s: &str) -> Result<String, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(|d| d.to_string())
        .map_err(|_| format!("{s:?} is not an ISO date (YYYY-MM-DD)"))
}

/// `all`, `last:90d`, `this:month`, `previous:quarter`, `FROM..TO` (ISO dates, inclusive).
pub fn parse_range(s: &str) -> Result<DateRange, String> {
    const HELP: &str = "use all, last:Nd (e.g. last:90d), this:week|month|quarter|year, \
                        previous:week|month|quarter|year or FROM..TO with ISO dates";
    let s = s.trim();
    let range = if s == "all" {
        DateRange::All
    } else if let Some(days) = s.strip_prefix("last:") {
        let n = days
            .strip_suffix('d')
            .and_then(|n| n.parse::<u32>().ok())
            .ok_or_else(|| format!("{s:?}: the number of days must look like 90d; {HELP}"))?;
        DateRange::Last { days: n }
    } else if let Some(u) = s.strip_prefix("this:") {
        DateRange::This {
            unit: unit(u).ok_or_else(|| format!("{s:?}: unknown unit {u:?}; {HELP}"))?,
        }
    } else if let Some(u) = s.strip_prefix("previous:") {
        DateRange::Previous {
            unit: unit(u).ok_or_else(|| format!("{s:?}: unknown unit {u:?}; {HELP}"))?,
        }
    } else if let Some((from, to)) = s.split_once("..") {
        DateRange::Custom {
            from: iso(from)?,
            to: iso(to)?,
        }
    } else {
        return Err(format!("{s:?} is not a range; {HELP}"));
    };
    range.validate().map_err(|e| e.message().to_string())?;
    Ok(range)
}

/// `recorded`, `end` or `start`.
pub fn parse_date_field(s: &str) -> Result<DateField, String> {
    match s.trim() {
        "recorded" => Ok(DateField::RecordedDate),
        "end" => Ok(DateField::EndDate),
        "start" => Ok(DateField::StartDate),
        other => Err(format!("{other:?}: use recorded, end or start")),
    }
}

fn list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `field:NAME=V1,V2`, `question:QID=C1,C2` or `saved:FILTER_ID`.
pub fn parse_filter(s: &str) -> Result<FilterArg, String> {
    const HELP: &str = "use field:NAME=V1,V2, question:QID=C1,C2 or saved:FILTER_ID";
    let (kind, rest) = s
        .split_once(':')
        .ok_or_else(|| format!("{s:?} is not a filter; {HELP}"))?;
    match kind {
        "saved" if !rest.trim().is_empty() => Ok(FilterArg::Saved {
            filter_id: rest.trim().to_owned(),
        }),
        "field" | "question" => {
            let (name, values) = rest
                .split_once('=')
                .ok_or_else(|| format!("{s:?}: name the values after '='; {HELP}"))?;
            let (name, values) = (name.trim().to_owned(), list(values));
            if name.is_empty() || values.is_empty() {
                return Err(format!(
                    "{s:?}: needs a name and at least one value; {HELP}"
                ));
            }
            Ok(if kind == "field" {
                FilterArg::Field { name, values }
            } else {
                FilterArg::Question {
                    question: name,
                    choices: values,
                }
            })
        }
        _ => Err(format!("{s:?}: unknown filter kind {kind:?}; {HELP}")),
    }
}

/// `higher` or `lower`.
pub fn parse_better(s: &str) -> Result<Better, String> {
    match s.trim() {
        "higher" => Ok(Better::Higher),
        "lower" => Ok(Better::Lower),
        other => Err(format!("{other:?}: use higher or lower")),
    }
}

/// A finite number (`--target`, `--amber`).
pub fn parse_number(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!("{s:?} is not a number")),
    }
}

/// An IANA time zone name, checked.
pub fn parse_tz(s: &str) -> Result<String, String> {
    pulsemap_core::metrics::Clock::in_zone(chrono::Utc::now(), s)
        .map(|_| s.trim().to_owned())
        .map_err(|e| e.message().to_string())
}

/// `previous-range`, `year-earlier`, `target`, `previous:month|quarter|year` (calendar period
/// of the latest response) or `A,B` (two groups of the Group by).
pub fn parse_compare(spec: &str) -> Result<ComparisonSpec, String> {
    const HELP: &str = "use previous-range, year-earlier, target, previous:month|quarter|year \
                        or GROUP_A,GROUP_B";
    match spec.trim() {
        "previous-range" => return Ok(ComparisonSpec::PreviousRange),
        "year-earlier" => return Ok(ComparisonSpec::YearEarlier),
        "target" => return Ok(ComparisonSpec::Target),
        _ => {}
    }
    if let Some(period) = spec.strip_prefix("previous:") {
        let period = match period {
            "month" => Period::Month,
            "quarter" => Period::Quarter,
            "year" => Period::Year,
            _ => return Err(format!("unknown period {period:?}; {HELP}")),
        };
        return Ok(ComparisonSpec::PreviousPeriod { period });
    }
    match spec.split_once(',') {
        Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() => {
            Ok(ComparisonSpec::Groups {
                a: a.trim().to_string(),
                b: b.trim().to_string(),
            })
        }
        _ => Err(format!("{spec:?}: {HELP}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_parse_or_say_why_not() {
        assert_eq!(parse_range("last:90d"), Ok(DateRange::Last { days: 90 }));
        assert_eq!(
            parse_range("previous:quarter"),
            Ok(DateRange::Previous {
                unit: RangeUnit::Quarter
            })
        );
        assert!(parse_range("last:90").unwrap_err().contains("90d"));
        assert!(parse_range("2026-02-30..2026-03-01")
            .unwrap_err()
            .contains("not an ISO date"));
        assert!(parse_range("2026-03-02..2026-03-01")
            .unwrap_err()
            .contains("after it ends"));
        assert_eq!(
            parse_filter("field:Region=EMEA, APAC"),
            Ok(FilterArg::Field {
                name: "Region".into(),
                values: vec!["EMEA".into(), "APAC".into()]
            })
        );
        assert!(parse_filter("field:Region").unwrap_err().contains("'='"));
        assert!(parse_filter("segment:x=1")
            .unwrap_err()
            .contains("unknown filter kind"));
        assert!(parse_tz("Mars/Base").is_err());
        assert_eq!(parse_compare("target"), Ok(ComparisonSpec::Target));
        assert!(parse_number("NaN").is_err());
    }
}
