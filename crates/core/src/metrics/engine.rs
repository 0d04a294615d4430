//! The pure metric engine: columns + question metadata + config → [`MetricValue`].
//!
//! Contract: [`compute_on`] makes one pass over the rows, feeding the overall accumulator and,
//! as configured, one accumulator per group, per time bucket and per compared period. It does
//! no I/O; [`super::compute`] prepares its input from the store.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::acc::{Acc, Plan, Resolver};
use super::columns::{Cell, ValueColumn};
use super::formula::describe;
use super::grouping::Grouping;
use super::time::{
    bucket_label, bucket_start, day_epoch, next_bucket, period_label, period_start, previous_period,
};
use super::{
    problem, CardType, ComparisonSpec, ComparisonValue, DateField, DistributionBin, GroupBy,
    MetricCardConfig, MetricValue, ProblemKind, SeriesPoint, TimeBucket, Unit,
};
use crate::error::{Error, ErrorKind, Result};
use crate::store::QuestionRow;

/// Everything [`compute_on`] reads. All columns have one cell per finished response, aligned.
#[derive(Debug, Clone, Copy)]
pub struct MetricInput<'a> {
    /// The measured question.
    pub question: &'a QuestionRow,
    /// Its answers (the `QIDn`, `QIDn_TEXT` or `QIDn_row` field).
    pub answers: &'a ValueColumn,
    /// The Group by question, for `GroupBy::Question`.
    pub group_question: Option<&'a QuestionRow>,
    /// The Group by column, for `GroupBy::Question` and `GroupBy::Field`.
    pub groups: Option<&'a ValueColumn>,
    /// Response dates (seconds since the epoch) for series and period comparisons.
    pub dates: Option<&'a [Option<i64>]>,
}

/// The date column a config needs, if any.
pub(crate) fn date_field_of(config: &MetricCardConfig) -> Option<DateField> {
    let time_field = match config.group_by {
        GroupBy::Time { date_field, .. } => Some(date_field),
        _ => None,
    };
    let series = config.card_type == CardType::Series;
    let period = config.card_type == CardType::Comparison
        && matches!(
            config.comparison,
            Some(ComparisonSpec::PreviousPeriod { .. })
        );
    match time_field {
        Some(f) => Some(f),
        None if series || period => Some(DateField::EndDate),
        None => None,
    }
}

fn unit_of(config: &MetricCardConfig) -> Unit {
    use super::Calculation as C;
    match config.calculation {
        C::Nps | C::CesAverage => Unit::Score,
        C::CsatTop2
        | C::CesPercentEasy
        | C::Distribution
        | C::TopBox { .. }
        | C::BottomBox { .. } => Unit::Percent,
        C::Count | C::Average | C::Sum | C::Min | C::Max | C::Median => Unit::Number,
    }
}

/// Computes a card's value on prepared columns (see the module docs of [`super`]).
pub fn compute_on(input: &MetricInput<'_>, config: &MetricCardConfig) -> Result<MetricValue> {
    let q = input.question;
    let rows = input.answers.len();
    let misaligned = input.groups.is_some_and(|g| g.len() != rows)
        || input.dates.is_some_and(|d| d.len() != rows);
    if misaligned {
        return Err(Error::new(
            ErrorKind::Internal,
            "metric columns are not aligned",
        ));
    }
    let res = Resolver::new(q, input.answers);
    let scale = res.scale();
    let mut value = MetricValue {
        value: None,
        n: 0,
        unit: unit_of(config),
        formula: String::new(),
        groups: Vec::new(),
        series: Vec::new(),
        comparison: None,
        distribution: Vec::new(),
        problems: Vec::new(),
    };
    if q.deleted {
        value.problems.push(problem(
            ProblemKind::QuestionDeleted,
            format!(
                "Question {} was removed from the survey; showing cached answers.",
                q.short_name()
            ),
        ));
    }
    if let Some(g) = input.group_question.filter(|g| g.deleted) {
        value.problems.push(problem(
            ProblemKind::GroupQuestionDeleted,
            format!(
                "Group-by question {} was removed from the survey.",
                g.short_name()
            ),
        ));
    }
    let refused = super::applicable::refusal(q, config.calculation).or_else(|| {
        input
            .group_question
            .filter(|_| matches!(config.group_by, GroupBy::Question { .. }))
            .and_then(super::applicable::group_refusal)
    });
    if let Some(msg) = refused {
        value.formula = describe(config, q, input.group_question, &scale, 0);
        value
            .problems
            .push(problem(ProblemKind::NotApplicable, msg));
        return Ok(value);
    }
    let plan = match Plan::of(config.calculation, &scale, q.is_multi_select()) {
        Ok(p) => p,
        Err(msg) => {
            value.formula = describe(config, q, input.group_question, &scale, 0);
            value
                .problems
                .push(problem(ProblemKind::NotApplicable, msg));
            return Ok(value);
        }
    };
    let choices = q.choices.len();
    let mut grouping = match (&config.group_by, input.groups) {
        (GroupBy::Question { .. }, Some(col)) => {
            input.group_question.map(|g| Grouping::by_question(g, col))
        }
        (GroupBy::Field { .. }, Some(col)) => Some(Grouping::by_field(col)),
        _ => None,
    };
    let bucket = match config.group_by {
        GroupBy::Time { bucket, .. } => Some(bucket),
        _ if config.card_type == CardType::Series => Some(TimeBucket::Month),
        _ => None,
    };
    let dates = input
        .dates
        .filter(|_| bucket.is_some() || config.card_type == CardType::Comparison);
    let periods = match (&config.comparison, dates, config.card_type) {
        (Some(ComparisonSpec::PreviousPeriod { period }), Some(d), CardType::Comparison) => {
            d.iter().flatten().max().map(|&anchor| {
                let cur = period_start(anchor, *period);
                let prev = previous_period(cur, *period);
                let next = next_period(cur, *period);
                (
                    day_epoch(prev),
                    day_epoch(cur),
                    day_epoch(next),
                    prev,
                    cur,
                    *period,
                )
            })
        }
        _ => None,
    };

    let mut overall = Acc::new(choices);
    let mut group_accs: Vec<Acc> = Vec::new();
    let mut bucket_slots: HashMap<i64, usize> = HashMap::new();
    let mut bucket_starts: Vec<NaiveDate> = Vec::new();
    let mut bucket_accs: Vec<Acc> = Vec::new();
    let (mut cur_acc, mut prev_acc) = (Acc::new(choices), Acc::new(choices));
    let mut buf = Vec::new();
    let mut slots = Vec::new();
    for i in 0..rows {
        let r = res.resolve(&input.answers.cells[i], &mut buf);
        if !overall.feed(plan, &r, &buf, &res) {
            continue;
        }
        if let Some(g) = grouping.as_mut() {
            let col = g.col;
            g.slots(&col.cells[i], &mut slots);
            for &s in &slots {
                if group_accs.len() <= s {
                    group_accs.resize(s + 1, Acc::new(choices));
                }
                group_accs[s].feed(plan, &r, &buf, &res);
            }
        }
        let Some(at) = dates.and_then(|d| d[i]) else {
            continue;
        };
        if let Some(b) = bucket {
            let day = at.div_euclid(86_400);
            let slot = *bucket_slots.entry(day).or_insert_with(|| {
                let start = bucket_start(at, b);
                match bucket_starts.iter().position(|s| *s == start) {
                    Some(p) => p,
                    None => {
                        bucket_starts.push(start);
                        bucket_accs.push(Acc::new(choices));
                        bucket_starts.len() - 1
                    }
                }
            });
            bucket_accs[slot].feed(plan, &r, &buf, &res);
        }
        if let Some((prev, cur, next, ..)) = periods {
            if (cur..next).contains(&at) {
                cur_acc.feed(plan, &r, &buf, &res);
            } else if (prev..cur).contains(&at) {
                prev_acc.feed(plan, &r, &buf, &res);
            }
        }
    }

    value.n = overall.n;
    value.value = overall.value(plan);
    if plan == Plan::Distribution {
        value.distribution = distribution(q, &overall);
    }
    if let Some(g) = grouping.as_ref() {
        group_accs.resize(g.keys.len(), Acc::new(choices));
        value.groups = g.output(&mut group_accs, plan);
    }
    if let Some(b) = bucket {
        value.series = series(b, &bucket_starts, &mut bucket_accs, plan);
    }
    if config.card_type == CardType::Comparison {
        match (&config.comparison, periods) {
            (Some(ComparisonSpec::PreviousPeriod { .. }), Some((.., prev, cur, period))) => {
                value.comparison = Some(comparison(
                    period_label(cur, period),
                    &mut cur_acc,
                    period_label(prev, period),
                    &mut prev_acc,
                    plan,
                ));
            }
            (Some(ComparisonSpec::Groups { a, b }), _) => {
                let found = grouping
                    .as_ref()
                    .and_then(|g| Some((g.find(a)?, g.find(b)?)));
                match found {
                    Some((ia, ib)) => {
                        let g = grouping
                            .as_ref()
                            .map(|g| &g.keys)
                            .cloned()
                            .unwrap_or_default();
                        let (mut acc_a, mut acc_b) =
                            (group_accs[ia].clone(), group_accs[ib].clone());
                        value.comparison = Some(comparison(
                            g[ia].1.clone(),
                            &mut acc_a,
                            g[ib].1.clone(),
                            &mut acc_b,
                            plan,
                        ));
                    }
                    None => value.problems.push(problem(
                        ProblemKind::NotApplicable,
                        format!("Groups \"{a}\" and \"{b}\" are not both values of the Group by."),
                    )),
                }
            }
            (None, _) => value.problems.push(problem(
                ProblemKind::NotApplicable,
                "Choose what this comparison card compares.",
            )),
            (Some(ComparisonSpec::PreviousPeriod { .. }), None) => {}
        }
    }
    if let (GroupBy::Field { name }, Some(col)) = (&config.group_by, input.groups) {
        if rows > 0 && col.cells.iter().all(|c| *c == Cell::Missing) {
            value.problems.push(problem(
                ProblemKind::NotApplicable,
                format!(
                    "No finished response carries the field \"{name}\", so there is nothing \
                     to group by; check the field's name (embedded data names are \
                     case-sensitive)."
                ),
            ));
        }
    }
    if value.n == 0 {
        value.problems.push(problem(
            ProblemKind::NoData,
            format!(
                "No finished response has a usable answer to {} yet.",
                q.short_name()
            ),
        ));
    }
    value.formula = describe(config, q, input.group_question, &scale, value.n);
    Ok(value)
}

fn next_period(start: NaiveDate, period: super::Period) -> NaiveDate {
    use chrono::Months;
    match period {
        super::Period::Month => start + Months::new(1),
        super::Period::Quarter => start + Months::new(3),
        super::Period::Year => start + Months::new(12),
    }
}

fn comparison(
    cl: String,
    cur: &mut Acc,
    pl: String,
    prev: &mut Acc,
    plan: Plan,
) -> ComparisonValue {
    let (c, p) = (cur.value(plan), prev.value(plan));
    ComparisonValue {
        current_label: cl,
        current: c,
        current_n: cur.n,
        previous_label: pl,
        previous: p,
        previous_n: prev.n,
        delta: c.zip(p).map(|(c, p)| c - p),
    }
}

fn distribution(q: &QuestionRow, acc: &Acc) -> Vec<DistributionBin> {
    let pct = |count: u64| {
        if acc.n == 0 {
            0.0
        } else {
            count as f64 / acc.n as f64 * 100.0
        }
    };
    if !q.choices.is_empty() {
        return q
            .choices
            .iter()
            .zip(&acc.counts)
            .filter(|(c, _)| c.analyze)
            .map(|(c, &count)| DistributionBin {
                choice_id: c.id.clone(),
                label: c.label.clone(),
                count,
                percent: pct(count),
            })
            .collect();
    }
    let mut bins: Vec<(&String, &u64)> = acc.other.iter().collect();
    bins.sort_by(|a, b| match (a.0.parse::<f64>(), b.0.parse::<f64>()) {
        (Ok(x), Ok(y)) => x.total_cmp(&y),
        _ => a.0.cmp(b.0),
    });
    bins.into_iter()
        .map(|(k, &count)| DistributionBin {
            choice_id: k.clone(),
            label: k.clone(),
            count,
            percent: pct(count),
        })
        .collect()
}

fn series(b: TimeBucket, starts: &[NaiveDate], accs: &mut [Acc], plan: Plan) -> Vec<SeriesPoint> {
    const MAX_POINTS: usize = 5_000;
    let mut order: Vec<usize> = (0..starts.len()).collect();
    order.sort_by_key(|&i| starts[i]);
    let mut out = Vec::new();
    let mut expected = order.first().map(|&i| starts[i]);
    for i in order {
        while let Some(e) = expected.filter(|e| *e < starts[i] && out.len() < MAX_POINTS) {
            out.push(SeriesPoint {
                bucket: bucket_label(e, b),
                value: None,
                n: 0,
            });
            expected = Some(next_bucket(e, b));
        }
        out.push(SeriesPoint {
            bucket: bucket_label(starts[i], b),
            value: accs[i].value(plan),
            n: accs[i].n,
        });
        expected = Some(next_bucket(starts[i], b));
    }
    out
}
