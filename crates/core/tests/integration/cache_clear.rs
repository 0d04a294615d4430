//! Settings' "Clear cached responses": cache sizes per survey, clearing empties the survey's
//! cache and its cards' values (cards then say no data is cached, never an old number), and
//! the next refresh fetches everything again.

use crate::app_support::*;
use pulsemap_core::dto::RefreshMode;
use pulsemap_core::metrics::ProblemKind;
use qualtrics_sim::catalog::SUPPORT_SURVEY_ID as SURVEY;

#[tokio::test]
async fn clearing_empties_the_cache_and_the_next_refresh_refills_it() {
    let t = connected().await;
    let app = &t.app;
    let map = app.create_map("Support journey").unwrap();
    let map = app.add_stage(&map.map.id, "Contact").unwrap();
    let map = app.add_lane(&map.map.id, "Satisfaction").unwrap();
    let (stage, lane) = (map.stages[0].id.clone(), map.lanes[0].id.clone());
    app.add_metric_card(&map.map.id, &stage, &lane, &support_csat_card())
        .unwrap();
    assert!(app.response_cache_sizes().unwrap().is_empty());

    let first = app
        .refresh_survey(
            &crate::sv(SURVEY),
            RefreshMode::Force,
            chrono::Utc::now(),
            &|_| {},
        )
        .await
        .unwrap();
    let sizes = app.response_cache_sizes().unwrap();
    assert_eq!(sizes.len(), 1);
    let cached = &sizes[0];
    assert_eq!(cached.survey_id, SURVEY);
    assert_eq!(cached.name.as_deref(), Some("Support Satisfaction"));
    assert_eq!(cached.responses, u64::from(first.total_responses));
    assert!(cached.responses > 0 && cached.bytes > 0);
    // Compressed: well under the export's ~900 bytes of JSON a response.
    assert!(
        cached.bytes < cached.responses * 400,
        "{} bytes for {} responses",
        cached.bytes,
        cached.responses
    );
    let before = app.preview_metric(&support_csat_card()).unwrap();
    assert!(before.n > 0 && before.value.is_some());

    let after_clear = app.clear_cached_responses(&crate::sv(SURVEY)).unwrap();
    assert!(after_clear.is_empty(), "{after_clear:?}");
    assert_eq!(app.store().response_count(SURVEY).unwrap(), 0);
    assert_eq!(app.store().in_progress_count(SURVEY).unwrap(), 0);
    let mut debug = Vec::new();
    app.store()
        .for_each_response(SURVEY, |r| {
            debug.push(r);
            Ok(())
        })
        .unwrap();
    assert!(debug.is_empty());
    // The card paints no old number and computes to "nothing cached".
    let painted = app.open_map(&map.map.id).unwrap();
    assert!(painted.cards[0].cached_value.is_none());
    let empty = app.preview_metric(&support_csat_card()).unwrap();
    assert_eq!((empty.n, empty.value), (0, None));
    let no_data = empty
        .problems
        .iter()
        .find(|p| p.kind == ProblemKind::NoData)
        .expect("a no-data problem");
    assert!(no_data.message.contains("cached"), "{}", no_data.message);

    // Incremental asked, but the token went with the cache: the refresh is a full one.
    let again = app
        .refresh_survey(
            &crate::sv(SURVEY),
            RefreshMode::Incremental,
            chrono::Utc::now(),
            &|_| {},
        )
        .await
        .unwrap();
    assert_eq!(again.total_responses, first.total_responses);
    assert_eq!(again.new_responses, first.total_responses);
    assert_eq!(
        app.response_cache_sizes().unwrap()[0].responses,
        cached.responses
    );
    // The same numbers as before clearing (only the data's date is the new refresh's).
    let undated = |v: &pulsemap_core::metrics::MetricValue| pulsemap_core::metrics::MetricValue {
        data_as_of: None,
        ..v.clone()
    };
    let refilled = app.preview_metric(&support_csat_card()).unwrap();
    assert_eq!(undated(&refilled), undated(&before));
    let painted = app.open_map(&map.map.id).unwrap();
    let repainted = painted.cards[0]
        .cached_value
        .as_ref()
        .expect("a value again");
    assert_eq!(undated(repainted), undated(&before));
}

/// A map's surveys refresh side by side, three at a time: with every export held back by the
/// simulator for `SLOW`, one after the other no second survey could finish before 2 x `SLOW`;
/// side by side two do, and the fourth (waiting for a slot) finishes after 2 x `SLOW`.
#[tokio::test]
async fn surveys_refresh_with_bounded_concurrency() {
    use pulsemap_core::app::REFRESH_CONCURRENCY;
    use qualtrics_sim::catalog::{
        EMPTY_SURVEY_ID, ONBOARDING_SURVEY_ID, SUPPORT_SURVEY_ID, WEBSITE_SURVEY_ID,
    };
    const SLOW: std::time::Duration = std::time::Duration::from_millis(2000);
    let t = connected().await;
    t.sim.faults().slow_export(SLOW);
    let ids: Vec<_> = [
        SUPPORT_SURVEY_ID,
        WEBSITE_SURVEY_ID,
        ONBOARDING_SURVEY_ID,
        EMPTY_SURVEY_ID,
    ]
    .map(crate::sv)
    .to_vec();
    assert_eq!(REFRESH_CONCURRENCY, 3);
    let started = std::time::Instant::now();
    let mut finished = Vec::new();
    t.app
        .refresh_surveys(&ids, RefreshMode::Force, &|_| {}, |id, result| {
            finished.push((
                id.to_string(),
                result.map(|r| r.refreshed),
                started.elapsed(),
            ));
        })
        .await;
    let wall = started.elapsed();
    assert_eq!(finished.len(), 4);
    for (id, ok, _) in &finished {
        assert!(matches!(ok, Ok(true)), "{id}: {ok:?}");
    }
    let by = |id: &str| finished.iter().find(|f| f.0 == id).unwrap().2;
    // Side by side: two of the first wave end before a second slow export could.
    let early = finished.iter().filter(|f| f.2 < 2 * SLOW).count();
    assert!(early >= 2, "{finished:?}");
    // Bounded: the fourth starts only when a slot frees, so it ends after two slow exports.
    assert!(by(EMPTY_SURVEY_ID) >= 2 * SLOW, "{finished:?}");
    assert!(wall >= 2 * SLOW, "{wall:?}");
}
