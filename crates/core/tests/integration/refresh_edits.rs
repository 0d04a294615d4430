//! Edits made in Qualtrics to existing responses (same response counts) reach the cache:
//! at once with "Refresh now" (`Force`), and within a day through automatic refreshes.

use chrono::{DateTime, Duration, SubsecRound, Utc};
use pulsemap_core::store::AttemptMode;

use crate::app_support::*;
use pulsemap_core::dto::{RefreshMode, RefreshProgress};
use pulsemap_core::maps::CardView;
use pulsemap_core::metrics::{Calculation, GroupBy};
use qualtrics_sim::catalog::{SUPPORT_CSAT_QID, SUPPORT_RESPONSES, SUPPORT_SURVEY_ID as SURVEY};
use qualtrics_sim::response_in_progress;

fn quiet(_: RefreshProgress) {}

async fn refresh_at(
    t: &TestApp,
    mode: RefreshMode,
    at: DateTime<Utc>,
) -> pulsemap_core::dto::RefreshReport {
    t.app
        .refresh_survey(&crate::sv(SURVEY), mode, at, &quiet)
        .await
        .unwrap()
}

/// Finished responses of the survey whose embedded `Region` the cache holds as `region`.
fn cached_in_region(t: &TestApp, region: &str) -> usize {
    let mut n = 0;
    t.app
        .store()
        .for_each_response(SURVEY, |r| {
            n += usize::from(
                r.finished && r.values.get("Region").and_then(|v| v.as_str()) == Some(region),
            );
            Ok(())
        })
        .unwrap();
    n
}

/// The card's cached count in the group `region` (0 when there is no such group).
fn group_n(card: &CardView, region: &str) -> u64 {
    card.cached_value
        .as_ref()
        .and_then(|v| v.groups.iter().find(|g| g.key == region))
        .map_or(0, |g| g.n)
}

fn card_view(t: &TestApp, map_id: &str) -> CardView {
    t.app
        .open_map(&pulsemap_core::MapId::parse(map_id).unwrap())
        .unwrap()
        .cards
        .remove(0)
}

#[tokio::test]
async fn refresh_now_shows_upstream_edits_and_automatic_refreshes_within_a_day() {
    let t = connected().await;
    // Stored timestamps keep milliseconds.
    let t0 = Utc::now().trunc_subsecs(3);
    let first = refresh_at(&t, RefreshMode::IfStale, t0).await;
    assert_eq!(first.mode, Some(AttemptMode::Full));
    assert_eq!(first.last_full_sync_at, Some(t0));

    // A map card counting CSAT answers by the embedded field Region.
    let map = t.app.create_map("Support").unwrap();
    let map = t.app.add_stage(&map.map.id, "Help").unwrap();
    let map = t.app.add_lane(&map.map.id, "All").unwrap();
    let config = number_card(
        SURVEY,
        SUPPORT_CSAT_QID,
        Calculation::Count,
        GroupBy::Field {
            name: "Region".into(),
        },
    );
    t.app
        .add_metric_card(&map.map.id, &map.stages[0].id, &map.lanes[0].id, &config)
        .unwrap();
    assert_eq!(group_n(&card_view(&t, &map.map.id), "Antarctica"), 0);
    assert_eq!(card_view(&t, &map.map.id).full_sync_at, Some(t0));

    // 300 finished responses get their Region corrected in Qualtrics: the counts stay.
    let config_sim = t.sim.config().clone();
    let finished: Vec<u64> = (0..SUPPORT_RESPONSES)
        .filter(|i| !response_in_progress(&config_sim, SURVEY, *i))
        .take(300)
        .collect();
    assert_eq!(finished.len(), 300);
    assert_eq!(
        t.sim
            .edit_responses(SURVEY, &finished, "Region", "Antarctica"),
        300
    );

    // The automatic refresh (an hour later) stays incremental: the edits are not seen yet.
    let auto = refresh_at(&t, RefreshMode::IfStale, t0 + Duration::hours(2)).await;
    assert_eq!(auto.mode, Some(AttemptMode::Incremental), "{auto:?}");
    assert_eq!(cached_in_region(&t, "Antarctica"), 0);

    // An explicit incremental refresh is cheap and does not see them either.
    let cheap = refresh_at(&t, RefreshMode::Incremental, t0 + Duration::hours(2)).await;
    assert_eq!(
        (cheap.mode, cheap.http_requests),
        (Some(AttemptMode::Incremental), 1)
    );
    assert_eq!(cached_in_region(&t, "Antarctica"), 0);

    // "Refresh now" re-reads every response: the cache and the card show the edits.
    let t1 = t0 + Duration::hours(3);
    let now = refresh_at(&t, RefreshMode::Force, t1).await;
    assert_eq!(now.mode, Some(AttemptMode::Full), "{now:?}");
    assert_eq!(now.last_full_sync_at, Some(t1));
    assert_eq!(cached_in_region(&t, "Antarctica"), 300);
    let card = card_view(&t, &map.map.id);
    assert!(
        group_n(&card, "Antarctica") > 200,
        "{:?}",
        card.cached_value
    );
    assert_eq!(card.full_sync_at, Some(t1));
    assert_eq!(
        now.total_responses, first.total_responses,
        "deletions and counts unchanged"
    );
    let listed = t.app.cached_surveys().unwrap();
    let listed = listed.iter().find(|s| s.id == SURVEY).unwrap();
    assert_eq!(listed.last_full_sync_at, Some(t1));

    // Without "Refresh now", edits reach the cache within a day: the automatic refresh
    // re-reads everything once the last full one is 24 h old.
    assert_eq!(
        t.sim
            .edit_responses(SURVEY, &finished[..10], "Region", "Atlantis"),
        10
    );
    let same_day = refresh_at(&t, RefreshMode::IfStale, t1 + Duration::hours(23)).await;
    assert_eq!(same_day.mode, Some(AttemptMode::Incremental));
    assert_eq!(cached_in_region(&t, "Atlantis"), 0);
    let next_day = refresh_at(&t, RefreshMode::IfStale, t1 + Duration::hours(24)).await;
    assert_eq!(next_day.mode, Some(AttemptMode::Full), "{next_day:?}");
    assert_eq!(cached_in_region(&t, "Atlantis"), 10);
    assert_eq!(cached_in_region(&t, "Antarctica"), 290);
    assert!(group_n(&card_view(&t, &map.map.id), "Atlantis") > 0);
}
