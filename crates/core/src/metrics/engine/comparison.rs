//! Comparison output: two values side by side with their change and whether that change is
//! larger than the noise.
//!
//! Contract: `delta = current − previous`; its 95% interval combines the two values' variances
//! (see `interval::difference`) and `significant` says whether it excludes 0. Against a
//! target, the "previous" side is the target itself (n 0) and the change is significant when
//! the value's own interval excludes the target.

use super::super::acc::{Acc, Plan};
use super::super::grouping::Grouping;
use super::super::interval::difference;
use super::super::time::period_label;
use super::super::{
    problem, ComparisonSpec, ComparisonValue, MetricCardConfig, MetricValue, ProblemKind,
};
use super::tally::Tally;

/// Two accumulators side by side.
pub(super) fn side_by_side(
    cl: String,
    cur: &mut Acc,
    pl: String,
    prev: &mut Acc,
    plan: Plan,
) -> ComparisonValue {
    let (c, p) = (cur.value(plan), prev.value(plan));
    let delta = c.zip(p).map(|(c, p)| c - p);
    let diff = match (delta, cur.interval(plan), prev.interval(plan)) {
        (Some(d), Some(a), Some(b)) => Some(difference(d, a.variance, b.variance)),
        _ => None,
    };
    ComparisonValue {
        current_label: cl,
        current: c,
        current_n: cur.n,
        previous_label: pl,
        previous: p,
        previous_n: prev.n,
        delta,
        significant: diff.map(|d| d.2),
        delta_ci_low: diff.map(|d| d.0),
        delta_ci_high: diff.map(|d| d.1),
    }
}

/// The comparison of a Comparison card, or a problem saying why there is none.
pub(super) fn fill(
    value: &mut MetricValue,
    tally: &mut Tally<'_>,
    config: &MetricCardConfig,
    current_label: &str,
) {
    let plan = tally.plan;
    match &config.comparison {
        Some(ComparisonSpec::PreviousPeriod { .. }) => {
            if let Some((p, cur, prev)) = tally.periods.as_mut() {
                value.comparison = Some(side_by_side(
                    period_label(p.cur, p.period),
                    cur,
                    period_label(p.prev, p.period),
                    prev,
                    plan,
                ));
            }
        }
        Some(ComparisonSpec::Groups { a, b }) => groups(value, tally, a, b),
        Some(
            ComparisonSpec::PreviousRange
            | ComparisonSpec::YearEarlier
            | ComparisonSpec::Segments { .. },
        ) => {
            if let Some((sides, accs)) = tally.sides.as_mut() {
                let [a, b] = accs;
                value.comparison = Some(side_by_side(
                    sides[0].label.to_owned(),
                    a,
                    sides[1].label.to_owned(),
                    b,
                    plan,
                ));
            }
        }
        Some(ComparisonSpec::Target) => {
            if let Some(t) = &config.target {
                value.comparison = Some(against_target(value, current_label, t.value));
            }
        }
        None => value.problems.push(problem(
            ProblemKind::NotApplicable,
            "Choose what this comparison card compares.",
        )),
    }
}

fn groups(value: &mut MetricValue, tally: &mut Tally<'_>, a: &str, b: &str) {
    let found = tally
        .grouping
        .as_ref()
        .and_then(|g: &Grouping<'_>| Some((g.find(a)?, g.find(b)?)));
    match (found, tally.grouping.as_ref()) {
        (Some((ia, ib)), Some(g)) => {
            let keys = g.keys.clone();
            let (mut acc_a, mut acc_b) = (
                tally.group_accs.get(ia).cloned().unwrap_or_default(),
                tally.group_accs.get(ib).cloned().unwrap_or_default(),
            );
            value.comparison = Some(side_by_side(
                keys[ia].1.clone(),
                &mut acc_a,
                keys[ib].1.clone(),
                &mut acc_b,
                tally.plan,
            ));
        }
        _ => value.problems.push(problem(
            ProblemKind::NotApplicable,
            format!("Groups \"{a}\" and \"{b}\" are not both values of the Group by."),
        )),
    }
}

fn against_target(value: &MetricValue, label: &str, target: f64) -> ComparisonValue {
    let delta = value.value.map(|v| v - target);
    let ci = value.ci_low.zip(value.ci_high);
    ComparisonValue {
        current_label: label.to_owned(),
        current: value.value,
        current_n: value.n,
        previous_label: "Target".into(),
        previous: Some(target),
        previous_n: 0,
        delta,
        significant: ci.map(|(lo, hi)| lo > target || hi < target),
        delta_ci_low: ci.map(|c| c.0 - target),
        delta_ci_high: ci.map(|c| c.1 - target),
    }
}
