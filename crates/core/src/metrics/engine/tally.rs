//! The one pass over the rows: every accumulator a card needs, fed row by row.
//!
//! Contract: a row counts for the card's value, groups, buckets and split lines when it is
//! selected (range and filters, `MetricInput::selected`); each comparison side counts the
//! rows of its own mask, selected or not. Unusable answers feed nothing; those of a numeric
//! text entry that are not numbers are counted (`unreadable`).

use std::collections::HashMap;

use chrono::NaiveDate;

use super::super::acc::{Acc, Plan, Resolved, Resolver};
use super::super::grouping::Grouping;
use super::super::time::{bucket_of_day, day_epoch, period_start, previous_period, LocalDays};
use super::super::{Period, TimeBucket};
use super::{MetricInput, Side};

/// Accumulators of one time bucketing (a series, or one line of a split series).
#[derive(Clone, Default)]
pub(super) struct Buckets {
    slots: HashMap<i64, usize>,
    pub starts: Vec<NaiveDate>,
    pub accs: Vec<Acc>,
}

impl Buckets {
    /// The accumulator of the bucket holding local day `day` (see `LocalDays`).
    fn acc(&mut self, day: i64, bucket: TimeBucket, choices: usize) -> &mut Acc {
        let slot = match self.slots.get(&day) {
            Some(s) => *s,
            None => {
                let start = bucket_of_day(day, bucket);
                let s = match self.starts.iter().position(|s| *s == start) {
                    Some(p) => p,
                    None => {
                        self.starts.push(start);
                        self.accs.push(Acc::new(choices));
                        self.starts.len() - 1
                    }
                };
                self.slots.insert(day, s);
                s
            }
        };
        &mut self.accs[slot]
    }
}

impl Buckets {
    /// Adds the accumulators of `other` bucket by bucket (folding split lines together).
    pub fn absorb(&mut self, other: &Buckets) {
        for (start, acc) in other.starts.iter().zip(&other.accs) {
            match self.starts.iter().position(|s| s == start) {
                Some(p) => self.accs[p].merge(acc),
                None => {
                    self.starts.push(*start);
                    self.accs.push(acc.clone());
                }
            }
        }
    }
}

/// The calendar periods of a previous-period comparison: `[prev, cur)` and `[cur, next)`.
#[derive(Clone, Copy)]
pub(super) struct Periods {
    pub prev_start: i64,
    pub cur_start: i64,
    pub next_start: i64,
    pub prev: NaiveDate,
    pub cur: NaiveDate,
    pub period: Period,
}

impl Periods {
    /// The period holding the latest selected date and the one before it.
    pub fn anchored(
        input: &MetricInput<'_>,
        dates: &[Option<i64>],
        period: Period,
    ) -> Option<Self> {
        let anchor = dates
            .iter()
            .enumerate()
            .filter(|(i, _)| input.selected.is_none_or(|s| s[*i]))
            .filter_map(|(_, d)| *d)
            .max()?;
        let cur = period_start(anchor, period, input.tz);
        let prev = previous_period(cur, period);
        let next = super::next_period(cur, period);
        Some(Periods {
            prev_start: day_epoch(prev, input.tz),
            cur_start: day_epoch(cur, input.tz),
            next_start: day_epoch(next, input.tz),
            prev,
            cur,
            period,
        })
    }
}

/// Everything accumulated in the pass.
pub(super) struct Tally<'a> {
    pub plan: Plan,
    pub choices: usize,
    pub overall: Acc,
    pub grouping: Option<Grouping<'a>>,
    pub group_accs: Vec<Acc>,
    pub bucket: Option<TimeBucket>,
    pub buckets: Buckets,
    /// Split series: the split's grouping and one bucketing per split slot.
    pub split: Option<(Grouping<'a>, Vec<Buckets>)>,
    /// Local days of response dates in the card's zone.
    pub days: LocalDays,
    pub periods: Option<(Periods, Acc, Acc)>,
    pub sides: Option<([Side<'a>; 2], [Acc; 2])>,
    /// Selected answers of a numeric text entry left out for not being numbers.
    pub unreadable: u64,
}

impl<'a> Tally<'a> {
    /// Feeds every row (see the module docs).
    pub fn run(&mut self, input: &MetricInput<'a>, res: &Resolver<'_>) {
        let (plan, choices) = (self.plan, self.choices);
        let mut buf = Vec::new();
        let mut slots = Vec::new();
        let count_unreadable = res.question.is_numeric_entry() && plan.needs_number();
        for i in 0..input.answers.len() {
            let selected = input.selected.is_none_or(|s| s[i]);
            let on_side = self
                .sides
                .as_ref()
                .is_some_and(|(s, _)| s[0].rows[i] || s[1].rows[i]);
            if !selected && !on_side {
                continue;
            }
            let r = res.resolve(&input.answers.cells[i], &mut buf);
            if let Some((s, accs)) = self.sides.as_mut() {
                for k in 0..2 {
                    if s[k].rows[i] {
                        accs[k].feed(plan, &r, &buf, res);
                    }
                }
            }
            if !selected {
                continue;
            }
            if !self.overall.feed(plan, &r, &buf, res) {
                if count_unreadable && matches!(r, Resolved::Single { number: None, .. }) {
                    self.unreadable += 1;
                }
                continue;
            }
            if let Some(g) = self.grouping.as_mut() {
                let col = g.col;
                g.slots(&col.cells[i], &mut slots);
                for &s in &slots {
                    if self.group_accs.len() <= s {
                        self.group_accs.resize(s + 1, Acc::new(choices));
                    }
                    self.group_accs[s].feed(plan, &r, &buf, res);
                }
            }
            let Some(at) = input.dates.and_then(|d| d[i]) else {
                continue;
            };
            if let Some(b) = self.bucket {
                let day = self.days.day(at);
                self.buckets.acc(day, b, choices).feed(plan, &r, &buf, res);
                if let Some((g, lines)) = self.split.as_mut() {
                    let col = g.col;
                    g.slots(&col.cells[i], &mut slots);
                    for &s in &slots {
                        if lines.len() <= s {
                            lines.resize(s + 1, Buckets::default());
                        }
                        lines[s].acc(day, b, choices).feed(plan, &r, &buf, res);
                    }
                }
            }
            if let Some((p, cur, prev)) = self.periods.as_mut() {
                if (p.cur_start..p.next_start).contains(&at) {
                    cur.feed(plan, &r, &buf, res);
                } else if (p.prev_start..p.cur_start).contains(&at) {
                    prev.feed(plan, &r, &buf, res);
                }
            }
        }
    }
}
