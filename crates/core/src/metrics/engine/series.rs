//! Series output: one point per time bucket (gaps filled with empty points), and for a split
//! series one line per group.
//!
//! Contract: a split keeps the 8 groups with the most answers as their own lines (in the
//! grouping's order: choices in order, field values by label) and folds the others into one "Other" line; every line spans the same
//! buckets, from the first bucket of any line to the last.

use chrono::NaiveDate;

use super::super::acc::{Acc, Plan};
use super::super::grouping::Grouping;
use super::super::time::{bucket_label, next_bucket};
use super::super::{SeriesGroup, SeriesPoint, TimeBucket};
use super::tally::Buckets;

/// Most lines a split series draws before folding the rest into "Other".
pub(crate) const MAX_SPLIT_LINES: usize = 8;
const MAX_POINTS: usize = 5_000;

/// The point of one bucket's accumulator.
pub(super) fn point(bucket: String, acc: &mut Acc, plan: Plan, min_n: u32) -> SeriesPoint {
    let ci = acc.interval(plan);
    SeriesPoint {
        bucket,
        value: acc.value(plan),
        n: acc.n,
        ci_low: ci.map(|c| c.low),
        ci_high: ci.map(|c| c.high),
        low_n: acc.n < u64::from(min_n),
    }
}

/// The points of `buckets`, from `span.0` to `span.1` (or its own first and last bucket).
pub(super) fn series(
    b: TimeBucket,
    buckets: &mut Buckets,
    span: Option<(NaiveDate, NaiveDate)>,
    plan: Plan,
    min_n: u32,
) -> Vec<SeriesPoint> {
    let mut order: Vec<usize> = (0..buckets.starts.len()).collect();
    order.sort_by_key(|&i| buckets.starts[i]);
    let (first, last) = match span {
        Some(s) => s,
        None => match (order.first(), order.last()) {
            (Some(&f), Some(&l)) => (buckets.starts[f], buckets.starts[l]),
            _ => return Vec::new(),
        },
    };
    let mut out = Vec::new();
    let mut next = order.into_iter().peekable();
    let mut at = first;
    while at <= last && out.len() < MAX_POINTS {
        match next.peek() {
            Some(&i) if buckets.starts[i] == at => {
                out.push(point(
                    bucket_label(at, b),
                    &mut buckets.accs[i],
                    plan,
                    min_n,
                ));
                next.next();
            }
            _ => out.push(SeriesPoint {
                bucket: bucket_label(at, b),
                low_n: true,
                ..SeriesPoint::default()
            }),
        }
        at = next_bucket(at, b);
    }
    out
}

/// One line per split group (see the module docs).
pub(super) fn split_lines(
    b: TimeBucket,
    grouping: &Grouping<'_>,
    lines: &mut Vec<Buckets>,
    plan: Plan,
    min_n: u32,
) -> Vec<SeriesGroup> {
    lines.resize(grouping.keys.len(), Buckets::default());
    let span = lines.iter().flat_map(|l| l.starts.iter().copied()).fold(
        None,
        |acc: Option<(NaiveDate, NaiveDate)>, s| match acc {
            None => Some((s, s)),
            Some((lo, hi)) => Some((lo.min(s), hi.max(s))),
        },
    );
    let totals: Vec<u64> = lines
        .iter()
        .map(|l| l.accs.iter().map(|a| a.n).sum())
        .collect();
    let mut by_n: Vec<usize> = (0..lines.len()).filter(|&i| totals[i] > 0).collect();
    by_n.sort_by_key(|&i| std::cmp::Reverse(totals[i]));
    let (kept, folded) = by_n.split_at(by_n.len().min(MAX_SPLIT_LINES));
    let mut kept = kept.to_vec();
    kept.sort_unstable();
    let mut out: Vec<SeriesGroup> = kept
        .iter()
        .map(|&i| SeriesGroup {
            key: grouping.keys[i].0.clone(),
            label: grouping.keys[i].1.clone(),
            points: series(b, &mut lines[i], span, plan, min_n),
        })
        .collect();
    if grouping.is_by_field() {
        out.sort_by_key(|g| g.label.to_lowercase());
    }
    if !folded.is_empty() {
        let mut other = Buckets::default();
        for &i in folded {
            other.absorb(&lines[i]);
        }
        out.push(SeriesGroup {
            key: "__other".into(),
            label: format!("Other ({} groups)", folded.len()),
            points: series(b, &mut other, span, plan, min_n),
        });
    }
    out
}
