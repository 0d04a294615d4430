//! The `Pulsemap` facade end to end: maps and cards painted from the cache, values recomputed
//! after a refresh, offline use, survey list, exports.

use crate::app_support::*;
use chrono::Utc;
use pulsemap_core::app::Pulsemap;
use pulsemap_core::dto::{ConnectionState, RefreshMode};
use pulsemap_core::metrics::Calculation;
use pulsemap_core::ErrorKind;
use qualtrics_sim::catalog::{SUPPORT_CSAT_QID, SUPPORT_SURVEY_ID as SURVEY, WEBSITE_SURVEY_ID};

#[test]
fn facade_is_cheap_to_share() {
    fn assert_traits<T: Clone + Send + Sync + 'static>() {}
    assert_traits::<Pulsemap>();
}

#[tokio::test]
async fn cards_are_computed_cached_refreshed_and_painted_offline() {
    let t = connected().await;
    let app = &t.app;
    let map = app.create_map("Support journey").unwrap();
    let map = app.add_stage(&map.map.id, "Contact").unwrap();
    let map = app.add_lane(&map.map.id, "Satisfaction").unwrap();
    let (stage, lane) = (map.stages[0].id.clone(), map.lanes[0].id.clone());

    // Before any refresh the survey is not cached: the card is saved without a value.
    let view = app
        .add_metric_card(&map.map.id, &stage, &lane, &support_csat_card())
        .unwrap();
    assert_eq!(view.cards.len(), 1, "the edit returns the repainted map");
    assert!(view.cards[0].cached_value.is_none());
    assert_eq!(
        app.stale_surveys(&map.map.id).unwrap(),
        vec![crate::sv(SURVEY)]
    );

    let report = app
        .refresh_survey(
            &crate::sv(SURVEY),
            RefreshMode::IfStale,
            Utc::now(),
            &|_| {},
        )
        .await
        .unwrap();
    assert_eq!(report.cards_recomputed, 1);
    assert!(app.stale_surveys(&map.map.id).unwrap().is_empty());
    let painted = app.open_map(&map.map.id).unwrap();
    let card = &painted.cards[0];
    let expected = app.preview_metric(&support_csat_card()).unwrap();
    assert_eq!(card.cached_value.as_ref(), Some(&expected));
    assert!(expected.n > 0 && expected.value.is_some());
    assert!(!card.stale_config);

    // New responses: the cached value follows the refresh.
    t.sim.add_responses(SURVEY, 60);
    app.refresh_survey(&crate::sv(SURVEY), RefreshMode::Force, Utc::now(), &|_| {})
        .await
        .unwrap();
    let after = app.open_map(&map.map.id).unwrap().cards[0]
        .cached_value
        .clone()
        .unwrap();
    assert!(after.n > expected.n, "{} > {}", after.n, expected.n);

    // Editing a card recomputes it at once from the cache.
    let mut nps_like = support_csat_card();
    nps_like.calculation = Calculation::Average;
    let edited = app.update_metric_card(&card.card.id, &nps_like).unwrap();
    assert_eq!(
        edited.cards[0].cached_value,
        Some(app.preview_metric(&nps_like).unwrap())
    );

    // Charts and exports from the cache.
    let svg = app.card_chart_svg(&card.card.id, 320, 200).unwrap();
    assert!(svg.contains("<svg"), "{}", &svg[..svg.len().min(200)]);
    let exports = tempfile::tempdir().unwrap();
    let png = exports.path().join("map.png");
    assert!(app.export_map_png(&map.map.id, &png).unwrap() > 0);
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
    // Never over the data dir's files (the live database here).
    let db = t.dir.path().join(pulsemap_core::app::DB_FILE);
    let err = app.export_map_png(&map.map.id, &db).unwrap_err();
    assert_eq!(err.kind(), pulsemap_core::ErrorKind::InvalidInput, "{err}");
    assert_eq!(app.store().integrity_check().unwrap(), "ok");
    let pdf = exports.path().join("map.pdf");
    app.export_map_pdf(&map.map.id, &pdf).unwrap();
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));

    // Offline: the simulator is gone, the map still paints with the same values.
    let before_offline = app.open_map(&map.map.id).unwrap();
    let TestApp { sim, app, .. } = t;
    sim.shutdown().await;
    assert_eq!(app.open_map(&map.map.id).unwrap(), before_offline);
    let err = app
        .refresh_survey(&crate::sv(SURVEY), RefreshMode::Force, Utc::now(), &|_| {})
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network);
    assert_eq!(
        app.open_map(&map.map.id).unwrap().cards,
        before_offline.cards
    );
    // Starting offline with a cache is "offline, showing data from …", not a failed
    // connection (issue 13.6); a live check says the same.
    let status = app.cached_connection_status().unwrap();
    assert_eq!(status.state, ConnectionState::Offline, "{status:?}");
    let as_of = app.store().data_as_of(SURVEY).unwrap();
    assert!(as_of.is_some());
    assert_eq!(status.cached_data_as_of, as_of);
    assert!(status
        .message
        .as_deref()
        .unwrap()
        .starts_with("Offline: showing data from"));
    assert_eq!(
        app.connection_status().await.unwrap().state,
        ConnectionState::Offline
    );
}

#[tokio::test]
async fn unreachable_without_a_cache_is_a_failed_connection() {
    let t = connected().await;
    let TestApp { sim, app, .. } = t;
    sim.shutdown().await;
    let status = app.connection_status().await.unwrap();
    assert_eq!(
        status.state,
        ConnectionState::ConnectionFailed,
        "{status:?}"
    );
    assert_eq!(status.cached_data_as_of, None);
}

#[tokio::test]
async fn survey_list_merges_cache_and_survives_a_revoked_token() {
    let t = connected().await;
    t.app
        .refresh_survey(&crate::sv(SURVEY), RefreshMode::Force, Utc::now(), &|_| {})
        .await
        .unwrap();
    let surveys = t.app.list_surveys().await.unwrap();
    let support = surveys.iter().find(|s| s.id == SURVEY).unwrap();
    assert!(support.response_count > 0);
    assert!(support.last_refreshed_at.is_some() && support.last_attempt_at.is_some());
    let website = surveys.iter().find(|s| s.id == WEBSITE_SURVEY_ID).unwrap();
    assert_eq!(website.response_count, 0);
    assert!(website.last_attempt_at.is_none());

    t.sim.faults().revoke_token(true);
    let cached = t.app.list_surveys().await.unwrap();
    assert_eq!(cached, surveys, "a failed listing falls back to the cache");
    assert_eq!(
        t.app.cached_connection_status().unwrap().state,
        ConnectionState::TokenRevoked
    );
}

#[tokio::test]
async fn questions_come_from_the_cached_definition() {
    let t = connected().await;
    assert!(t
        .app
        .survey_questions(&crate::sv(SURVEY))
        .unwrap()
        .is_empty());
    t.app
        .refresh_survey(
            &crate::sv(SURVEY),
            RefreshMode::IfStale,
            Utc::now(),
            &|_| {},
        )
        .await
        .unwrap();
    let questions = t.app.survey_questions(&crate::sv(SURVEY)).unwrap();
    assert!(questions.iter().any(|q| q.qid == SUPPORT_CSAT_QID));
}

#[tokio::test]
async fn the_card_modal_gets_questions_from_the_definition_alone() {
    let t = connected().await;
    let before = t.sim.request_count();
    let loaded = t
        .app
        .load_survey_questions(&crate::sv(SURVEY))
        .await
        .unwrap();
    assert_eq!(t.sim.request_count() - before, 1, "one definition request");
    assert!(loaded.questions.iter().any(|q| q.qid == SUPPORT_CSAT_QID));
    assert!(!loaded.responses_cached);
    assert_eq!(t.app.store().response_count(SURVEY).unwrap(), 0);
    // Cached now: no request at all the second time.
    let before = t.sim.request_count();
    t.app
        .load_survey_questions(&crate::sv(SURVEY))
        .await
        .unwrap();
    assert_eq!(t.sim.request_count(), before);
    // After the survey's refresh its responses are known.
    t.app
        .refresh_survey(&crate::sv(SURVEY), RefreshMode::Force, Utc::now(), &|_| {})
        .await
        .unwrap();
    assert!(
        t.app
            .load_survey_questions(&crate::sv(SURVEY))
            .await
            .unwrap()
            .responses_cached
    );
    // An unknown survey is a clear error, not an empty list.
    let err = t
        .app
        .load_survey_questions(&crate::sv("SV_doesNotExist"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), pulsemap_core::ErrorKind::NotFound, "{err}");
}
