//! Card scopes across local day boundaries: series buckets and calendar periods follow the
//! user's zone like ranges do (hand-computed against Auckland and Los Angeles), and a cached
//! value of a relative range computed on an earlier day is recomputed when the map is painted.

use chrono::{Duration, Utc};
use pulsemap_core::maps;
use pulsemap_core::metrics::{
    compute_at, CardType, ComparisonSpec, DateField, DateRange, GroupBy, MetricCardConfig, Period,
    TimeBucket,
};
use pulsemap_core::store::{ResponseRow, Store};
use qualtrics_sim::SimConfig;
use serde_json::json;

use crate::metrics_scope::{clock, nps_card, SV};

/// NPS answers (all 10) recorded at the given instants.
fn store_with(recorded: &[&str]) -> Store {
    let store = Store::open_in_memory().unwrap();
    let cfg = SimConfig::default();
    store
        .set_survey_definition(SV, &qualtrics_sim::definition_json(&cfg, SV).unwrap())
        .unwrap();
    let mut imp = store.importer(SV).unwrap();
    for (i, r) in recorded.iter().enumerate() {
        let raw = json!({"responseId": format!("R_{i}"), "values": {
            "recordedDate": r, "endDate": r, "startDate": r, "finished": 1, "QID1": 10}});
        imp.add(ResponseRow::from_export_json(&raw, false).unwrap())
            .unwrap();
    }
    imp.commit(None, Utc::now()).unwrap();
    store
}

/// (label, n) of every point.
fn points(v: &pulsemap_core::metrics::MetricValue) -> Vec<(String, u64)> {
    v.series.iter().map(|p| (p.bucket.clone(), p.n)).collect()
}

fn series(bucket: TimeBucket) -> MetricCardConfig {
    MetricCardConfig {
        card_type: CardType::Series,
        group_by: GroupBy::Time {
            bucket,
            date_field: DateField::RecordedDate,
        },
        ..nps_card()
    }
}

#[test]
fn series_buckets_and_periods_follow_the_users_zone() {
    // Local times: Auckland (NZDT +13 until 6 April 2025, then NZST +12) | Los Angeles.
    let store = store_with(&[
        "2025-01-31T10:30:00Z", // 31 Jan 23:30 | 31 Jan 02:30
        "2025-01-31T11:30:00Z", // 1 Feb 00:30  | 31 Jan 03:30
        "2025-02-01T07:30:00Z", // 1 Feb 20:30  | 31 Jan 23:30 (UTC: 1 Feb)
        "2025-02-28T11:00:00Z", // 1 Mar 00:00  | 28 Feb 03:00
        "2025-04-30T11:59:59Z", // 30 Apr 23:59:59 (NZST) | 30 Apr 04:59:59
        "2025-04-30T12:00:00Z", // 1 May 00:00  | 30 Apr 05:00
    ]);
    let now = "2025-05-10T00:00:00Z";
    let akl = clock(now, "Pacific/Auckland");
    let la = clock(now, "America/Los_Angeles");
    let utc = clock(now, "UTC");
    let month = series(TimeBucket::Month);
    let p = |label: &str, n: u64| (label.to_owned(), n);

    let v = compute_at(&store, &month, &akl).unwrap();
    assert_eq!(
        points(&v),
        [
            p("2025-01", 1),
            p("2025-02", 2),
            p("2025-03", 1),
            p("2025-04", 1),
            p("2025-05", 1)
        ]
    );
    // 23:30 on 31 January in Los Angeles is January, though 1 February in UTC.
    let v = compute_at(&store, &month, &la).unwrap();
    assert_eq!(
        points(&v),
        [
            p("2025-01", 3),
            p("2025-02", 1),
            p("2025-03", 0),
            p("2025-04", 2)
        ]
    );
    // UTC keeps UTC days (and the labels keep their format).
    let v = compute_at(&store, &month, &utc).unwrap();
    assert_eq!(
        points(&v),
        [
            p("2025-01", 2),
            p("2025-02", 2),
            p("2025-03", 0),
            p("2025-04", 2)
        ]
    );

    let v = compute_at(&store, &series(TimeBucket::Day), &akl).unwrap();
    assert_eq!(points(&v)[..2], [p("2025-01-31", 1), p("2025-02-01", 2)]);
    assert_eq!(
        v.series.last().map(|s| s.bucket.as_str()),
        Some("2025-05-01")
    );
    let v = compute_at(&store, &series(TimeBucket::Quarter), &akl).unwrap();
    assert_eq!(points(&v), [p("2025-Q1", 4), p("2025-Q2", 2)]);

    // A previous-month comparison uses the same local months: the latest response is on
    // 1 May in Auckland (current May: 1, previous April: 1), 30 April in UTC (April: 2,
    // March: 0).
    let cmp = MetricCardConfig {
        card_type: CardType::Comparison,
        comparison: Some(ComparisonSpec::PreviousPeriod {
            period: Period::Month,
        }),
        ..nps_card()
    };
    let c = compute_at(&store, &cmp, &akl).unwrap().comparison.unwrap();
    assert_eq!((c.current_n, c.previous_n), (1, 1));
    let c = compute_at(&store, &cmp, &utc).unwrap().comparison.unwrap();
    assert_eq!((c.current_n, c.previous_n), (2, 0));
}

#[test]
fn a_relative_range_cached_yesterday_is_recomputed_when_the_map_opens_today() {
    // One response a day, 21 to 29 November 2026 at noon UTC (01:00 the next day in Auckland).
    let days: Vec<String> = (21..=29)
        .map(|d| format!("2026-11-{d}T12:00:00Z"))
        .collect();
    let store = store_with(&days.iter().map(String::as_str).collect::<Vec<_>>());
    let map = maps::create_map(&store, "M").unwrap();
    let stage = maps::add_stage(&store, &map.id, "S").unwrap();
    let lane = maps::add_lane(&store, &map.id, "L").unwrap();
    let config = MetricCardConfig {
        range: DateRange::Last { days: 7 },
        ..nps_card()
    };
    let card = maps::add_metric_card(&store, &map.id, &stage.id, &lane.id, &config).unwrap();

    // Computed on 27 November (Auckland): 21–27 Nov local, the responses of 21–26 Nov UTC.
    let yesterday = clock("2026-11-27T03:00:00Z", "Pacific/Auckland");
    let old = compute_at(&store, &config, &yesterday).unwrap();
    assert_eq!(old.n, 6);
    store
        .put_metric_value(&card.id, &config.config_hash(), &old, yesterday.now)
        .unwrap();
    let view = maps::open_map_at(&store, &map.id, &yesterday).unwrap();
    assert_eq!(
        view.cards[0].cached_value.as_ref(),
        Some(&old),
        "same day: kept"
    );
    assert!(!view.cards[0].stale_config);

    // A day later it is 28 November there: the window is 22–28 Nov local, the responses of
    // 21–27 Nov UTC, recomputed from the cache.
    let today = clock("2026-11-28T03:00:00Z", "Pacific/Auckland");
    assert_eq!(today.now - yesterday.now, Duration::days(1));
    let view = maps::open_map_at(&store, &map.id, &today).unwrap();
    let cv = &view.cards[0];
    let value = cv.cached_value.as_ref().unwrap();
    let range = value.resolved_range.as_ref().unwrap();
    assert_eq!(
        (range.from.as_deref(), range.to.as_deref()),
        (Some("2026-11-22"), Some("2026-11-28"))
    );
    assert_eq!(value.n, compute_at(&store, &config, &today).unwrap().n);
    assert_eq!(value.n, 7);
    assert_eq!((cv.computed_at, cv.stale_config), (Some(today.now), false));
    // ...and cached again, so the next paint does not recompute.
    let cached: pulsemap_core::store::CachedMetricValue<pulsemap_core::metrics::MetricValue> =
        store.get_metric_value(&card.id).unwrap().unwrap();
    assert_eq!((cached.value.n, cached.computed_at), (7, today.now));
}
