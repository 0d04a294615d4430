//! Card comparisons (previous period of the same length, a year earlier, two segments, the
//! target) with whether the change exceeds the noise, and split series with freshness —
//! against hand computations on the simulator's raw responses (helpers in `metrics_scope`).

use chrono::{Duration, Utc};
use pulsemap_core::metrics::{
    compute, compute_at, Better, CardType, Clock, ComparisonSpec, DateRange, MetricCardConfig,
    MetricValue, SegmentFilter, SplitBy, Target,
};
use serde_json::{Map, Value};

use crate::metrics_scope::{clock, close, custom, hand_nps, in_days, nps_card, sim_store, text, Z};

/// Current vs previous rows by hand: (delta, low, high, significant).
fn hand_change(cur: &[&Map<String, Value>], prev: &[&Map<String, Value>]) -> (f64, f64, f64, bool) {
    let (a, _, _, _, va) = hand_nps(cur);
    let (b, _, _, _, vb) = hand_nps(prev);
    let half = Z * (va + vb).sqrt();
    let d = a - b;
    (d, d - half, d + half, d - half > 0.0 || d + half < 0.0)
}

fn check_comparison(v: &MetricValue, want: (f64, f64, f64, bool)) {
    let c = v.comparison.as_ref().expect("a comparison");
    close(c.delta, Some(want.0));
    close(c.delta_ci_low, Some(want.1));
    close(c.delta_ci_high, Some(want.2));
    assert_eq!(c.significant, Some(want.3));
}

#[test]
fn comparisons_say_whether_the_change_is_larger_than_the_noise() {
    let (store, all) = sim_store();
    let utc = clock("2025-06-01T00:00:00Z", "UTC");
    let base = MetricCardConfig {
        card_type: CardType::Comparison,
        range: custom("2025-01-01", "2025-03-31"),
        ..nps_card()
    };
    let q1: Vec<_> = all
        .iter()
        .filter(|v| in_days(v, "2025-01-01T00:00:00Z", "2025-04-01T00:00:00Z"))
        .collect();
    // Previous period of the same length: 90 days before 1 Jan = 3 Oct – 31 Dec 2024.
    let prev: Vec<_> = all
        .iter()
        .filter(|v| in_days(v, "2024-10-03T00:00:00Z", "2025-01-01T00:00:00Z"))
        .collect();
    let v = compute_at(
        &store,
        &MetricCardConfig {
            comparison: Some(ComparisonSpec::PreviousRange),
            ..base.clone()
        },
        &utc,
    )
    .unwrap();
    check_comparison(&v, hand_change(&q1, &prev));
    let c = v.comparison.as_ref().unwrap();
    assert_eq!(c.previous_label, "Previous period (3 Oct – 31 Dec 2024)");
    assert_eq!(
        (c.current_n, c.previous_n),
        (hand_nps(&q1).1, hand_nps(&prev).1)
    );

    // Two segments side by side within the range.
    let region = |r: &str| {
        vec![SegmentFilter::Field {
            name: "Region".into(),
            values: vec![r.into()],
        }]
    };
    let v = compute_at(
        &store,
        &MetricCardConfig {
            comparison: Some(ComparisonSpec::Segments {
                a: region("EMEA"),
                a_label: "EMEA".into(),
                b: region("AMER"),
                b_label: "AMER".into(),
            }),
            ..base.clone()
        },
        &utc,
    )
    .unwrap();
    let of = |r: &str| -> Vec<&Map<String, Value>> {
        q1.iter()
            .copied()
            .filter(|v| text(v, "Region") == Some(r))
            .collect()
    };
    check_comparison(&v, hand_change(&of("EMEA"), &of("AMER")));

    // Year earlier: the same dates of 2024 (the simulator's data starts in May 2024).
    let may: Vec<_> = all
        .iter()
        .filter(|v| in_days(v, "2025-05-01T00:00:00Z", "2025-05-11T00:00:00Z"))
        .collect();
    let may_before: Vec<_> = all
        .iter()
        .filter(|v| in_days(v, "2024-05-01T00:00:00Z", "2024-05-11T00:00:00Z"))
        .collect();
    let v = compute_at(
        &store,
        &MetricCardConfig {
            comparison: Some(ComparisonSpec::YearEarlier),
            range: custom("2025-05-01", "2025-05-10"),
            ..base.clone()
        },
        &utc,
    )
    .unwrap();
    let c = v.comparison.as_ref().unwrap();
    assert_eq!(
        (c.current_n, c.previous_n),
        (may.len() as u64, may_before.len() as u64)
    );
    if !may.is_empty() && !may_before.is_empty() {
        check_comparison(&v, hand_change(&may, &may_before));
    }

    // Against the target: significant when the interval excludes it.
    let v = compute_at(
        &store,
        &MetricCardConfig {
            comparison: Some(ComparisonSpec::Target),
            target: Some(Target {
                value: 60.0,
                better: Better::Higher,
                amber_margin: Some(5.0),
            }),
            ..base.clone()
        },
        &utc,
    )
    .unwrap();
    let (nps, _, lo, hi, _) = hand_nps(&q1);
    let c = v.comparison.as_ref().unwrap();
    close(c.delta, Some(nps - 60.0));
    assert_eq!(c.previous, Some(60.0));
    assert_eq!(c.significant, Some(lo > 60.0 || hi < 60.0));

    // A range comparison without a range is refused with its reason.
    let e = compute(
        &store,
        &MetricCardConfig {
            comparison: Some(ComparisonSpec::PreviousRange),
            range: DateRange::All,
            ..base
        },
    )
    .unwrap_err();
    assert!(e.message().contains("needs a date range"), "{e}");
}

#[test]
fn series_split_by_segment_and_freshness() {
    let (store, all) = sim_store();
    let card = MetricCardConfig {
        card_type: CardType::Series,
        split_by: Some(SplitBy::Field {
            name: "Region".into(),
        }),
        range: custom("2025-01-01", "2025-03-31"),
        ..nps_card()
    };
    let now = Utc::now();
    let v = compute_at(&store, &card, &Clock::in_zone(now, "UTC").unwrap()).unwrap();
    let labels: Vec<&str> = v.series_groups.iter().map(|g| g.label.as_str()).collect();
    assert_eq!(labels, ["AMER", "APAC", "EMEA"]);
    for g in &v.series_groups {
        assert_eq!(
            g.points
                .iter()
                .map(|p| p.bucket.as_str())
                .collect::<Vec<_>>(),
            ["2025-01", "2025-02", "2025-03"]
        );
        let feb: Vec<_> = all
            .iter()
            .filter(|v| text(v, "Region") == Some(g.label.as_str()))
            .filter(|v| in_days(v, "2025-02-01T00:00:00Z", "2025-03-01T00:00:00Z"))
            .collect();
        let (nps, n, lo, hi, _) = hand_nps(&feb);
        let p = &g.points[1];
        assert_eq!(p.n, n);
        close(p.value, Some(nps));
        close(p.ci_low, Some(lo.max(-100.0)));
        close(p.ci_high, Some(hi.min(100.0)));
        assert_eq!(p.low_n, n < 30);
    }
    // Data as of the import (not the computation); stale a day later.
    let as_of = v.data_as_of.expect("synced");
    assert!(as_of <= now && !v.stale);
    let later = Clock::in_zone(as_of + Duration::hours(25), "UTC").unwrap();
    assert!(compute_at(&store, &card, &later).unwrap().stale);
    assert_eq!(
        compute_at(&store, &card, &later).unwrap().data_as_of,
        Some(as_of)
    );
}
