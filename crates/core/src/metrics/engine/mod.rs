//! The pure metric engine: columns + question metadata + config → [`MetricValue`].
//!
//! Contract: [`compute_on`] makes one pass over the rows (`tally`), feeding the overall
//! accumulator and, as configured, one accumulator per group, per time bucket, per split line
//! and per compared period or side; it then builds the card's output by type: the value with
//! its 95% interval, low-n flag and target status (here), the series (`series`) and the
//! comparison (`comparison`). It does no I/O; [`super::compute`] prepares its input from the
//! store (columns, and the row masks of the card's range, filters and comparison sides).

mod comparison;
mod series;
mod tally;

use chrono::NaiveDate;
use chrono_tz::Tz;

use super::acc::{Acc, Plan, Resolver};
use super::formula::describe;
use super::grouping::Grouping;
use super::target::status_of;
use super::{
    problem, CardType, ComparisonSpec, DateField, DistributionBin, GroupBy, MetricCardConfig,
    MetricValue, ProblemKind, TimeBucket, Unit,
};
use crate::error::{Error, ErrorKind, Result};
use crate::store::columns::{Cell, ValueColumn};
use crate::store::QuestionRow;
use tally::{Buckets, Periods, Tally};

/// One side of a comparison: its label and the rows it covers.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    pub label: &'a str,
    /// One flag per row: the row belongs to this side.
    pub rows: &'a [bool],
}

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
    /// Rows inside the card's range and filters (`None`: every row).
    pub selected: Option<&'a [bool]>,
    /// The two sides of a range or segment comparison.
    pub sides: Option<[Side<'a>; 2]>,
    /// The split question (`SplitBy::Question`) of a series.
    pub split_question: Option<&'a QuestionRow>,
    /// The split column of a series.
    pub split: Option<&'a ValueColumn>,
    /// Label of the card's own range ("Last 90 days (…)"), used by target comparisons.
    pub range_label: Option<&'a str>,
    /// The zone whose calendar days series buckets and calendar periods follow (the zone
    /// the card's range resolves in).
    pub tz: Tz,
}

impl<'a> MetricInput<'a> {
    /// Input of a card reading only the answers of `question` (buckets in UTC).
    pub fn new(question: &'a QuestionRow, answers: &'a ValueColumn) -> Self {
        MetricInput {
            question,
            answers,
            group_question: None,
            groups: None,
            dates: None,
            selected: None,
            sides: None,
            split_question: None,
            split: None,
            range_label: None,
            tz: Tz::UTC,
        }
    }
}

/// The date column that places responses in series buckets and calendar periods, if any:
/// a time Group by's own field, else the card's date field.
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
        None if series || period => Some(config.date_field),
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

fn check_aligned(input: &MetricInput<'_>) -> Result<()> {
    let rows = input.answers.len();
    let misaligned = input.groups.is_some_and(|g| g.len() != rows)
        || input.dates.is_some_and(|d| d.len() != rows)
        || input.selected.is_some_and(|s| s.len() != rows)
        || input.split.is_some_and(|s| s.len() != rows)
        || input
            .sides
            .is_some_and(|s| s.iter().any(|s| s.rows.len() != rows));
    if misaligned {
        return Err(Error::new(
            ErrorKind::Internal,
            "metric columns are not aligned",
        ));
    }
    Ok(())
}

fn deletion_problems(value: &mut MetricValue, input: &MetricInput<'_>) {
    let q = input.question;
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
}

/// The plan of the card's calculation, or why it does not apply.
fn plan_of(
    input: &MetricInput<'_>,
    config: &MetricCardConfig,
    scale: &[f64],
) -> Result<Plan, String> {
    let q = input.question;
    let refused = crate::calculation::refusal(q, config.calculation).or_else(|| {
        input
            .group_question
            .filter(|_| matches!(config.group_by, GroupBy::Question { .. }))
            .and_then(crate::calculation::group_refusal)
    });
    match refused {
        Some(msg) => Err(msg),
        None => Plan::of(config.calculation, scale, q.is_multi_select()),
    }
}

/// The accumulators the card's type and options need, before the pass.
fn tally<'a>(input: &MetricInput<'a>, config: &MetricCardConfig, plan: Plan) -> Tally<'a> {
    let choices = input.question.choices.len();
    let grouping = match (&config.group_by, input.groups) {
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
    let split = match (input.split, config.card_type) {
        (Some(col), CardType::Series) => Some((
            match input.split_question {
                Some(q) => Grouping::by_question(q, col),
                None => Grouping::by_field(col),
            },
            Vec::new(),
        )),
        _ => None,
    };
    let periods = match (&config.comparison, input.dates, config.card_type) {
        (Some(ComparisonSpec::PreviousPeriod { period }), Some(d), CardType::Comparison) => {
            Periods::anchored(input, d, *period).map(|p| (p, Acc::new(choices), Acc::new(choices)))
        }
        _ => None,
    };
    let sides = input
        .sides
        .filter(|_| config.card_type == CardType::Comparison)
        .map(|s| (s, [Acc::new(choices), Acc::new(choices)]));
    Tally {
        plan,
        choices,
        overall: Acc::new(choices),
        grouping,
        group_accs: Vec::new(),
        bucket: bucket.filter(|_| input.dates.is_some()),
        buckets: Buckets::default(),
        split,
        days: super::time::LocalDays::new(input.tz),
        periods,
        sides,
        unreadable: 0,
    }
}

/// Computes a card's value on prepared columns (see the module docs of [`super`]).
pub fn compute_on(input: &MetricInput<'_>, config: &MetricCardConfig) -> Result<MetricValue> {
    check_aligned(input)?;
    let q = input.question;
    let res = Resolver::new(q, input.answers);
    let scale = res.scale();
    let mut value = MetricValue {
        unit: unit_of(config),
        min_n: config.min_n,
        target: config.target.map(|t| t.value),
        low_n: true,
        ..MetricValue::default()
    };
    deletion_problems(&mut value, input);
    let plan = match plan_of(input, config, &scale) {
        Ok(p) => p,
        Err(msg) => {
            value.formula = describe(config, q, input.group_question, &scale, 0);
            value
                .problems
                .push(problem(ProblemKind::NotApplicable, msg));
            return Ok(value);
        }
    };
    let mut t = tally(input, config, plan);
    t.run(input, &res);
    number(&mut value, &mut t, config);
    if plan == Plan::Distribution {
        value.distribution = distribution(q, &t.overall);
    }
    if let Some(b) = t.bucket {
        value.series = series::series(b, &mut t.buckets, None, plan, config.min_n);
        if let Some((g, lines)) = t.split.as_mut() {
            value.series_groups = series::split_lines(b, g, lines, plan, config.min_n);
        }
    }
    if config.card_type == CardType::Comparison {
        comparison::fill(
            &mut value,
            &mut t,
            config,
            input.range_label.unwrap_or("Value"),
        );
    }
    if t.unreadable > 0 {
        value.problems.push(problem(
            ProblemKind::SkippedAnswers,
            unreadable_message(t.unreadable, q.short_name()),
        ));
    }
    data_problems(&mut value, input, config);
    value.formula = describe(config, q, input.group_question, &scale, value.n);
    Ok(value)
}

/// The overall value with its interval, low-n flag and status, and the group values.
fn number(value: &mut MetricValue, t: &mut Tally<'_>, config: &MetricCardConfig) {
    let plan = t.plan;
    value.n = t.overall.n;
    value.value = t.overall.value(plan);
    if let Some(ci) = t.overall.interval(plan) {
        value.ci_low = Some(ci.low);
        value.ci_high = Some(ci.high);
        value.ci_method = Some(ci.method.to_owned());
    }
    value.low_n = value.n < u64::from(config.min_n);
    value.status = status_of(config.target.as_ref(), value.value);
    if let Some(g) = t.grouping.as_ref() {
        t.group_accs.resize(g.keys.len(), Acc::new(t.choices));
        value.groups = g.output(&mut t.group_accs, plan);
        for (gv, acc) in value.groups.iter_mut().filter_map(|gv| {
            let i = g.keys.iter().position(|(k, _)| *k == gv.key)?;
            Some((gv, &t.group_accs[i]))
        }) {
            let ci = acc.interval(plan);
            gv.ci_low = ci.map(|c| c.low);
            gv.ci_high = ci.map(|c| c.high);
            gv.low_n = gv.n < u64::from(config.min_n);
        }
    }
}

fn data_problems(value: &mut MetricValue, input: &MetricInput<'_>, config: &MetricCardConfig) {
    let rows = input.answers.len();
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
        let scoped = input.selected.is_some();
        value.problems.push(problem(
            ProblemKind::NoData,
            if scoped {
                format!(
                    "No finished response in this card's date range and segment has a usable \
                     answer to {}.",
                    input.question.short_name()
                )
            } else {
                format!(
                    "No finished response has a usable answer to {} yet.",
                    input.question.short_name()
                )
            },
        ));
    }
}

/// "3 answers to Q20 are not a number and were left out."
fn unreadable_message(count: u64, question: &str) -> String {
    if count == 1 {
        format!("1 answer to {question} is not a number and was left out.")
    } else {
        format!("{count} answers to {question} are not a number and were left out.")
    }
}

fn next_period(start: NaiveDate, period: super::Period) -> NaiveDate {
    use chrono::Months;
    match period {
        super::Period::Month => start + Months::new(1),
        super::Period::Quarter => start + Months::new(3),
        super::Period::Year => start + Months::new(12),
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
