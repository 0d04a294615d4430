//! The database is not locked while Qualtrics prepares an export: every other write (map
//! edits, connection, status, survey list, another survey's refresh) goes on meanwhile.

use chrono::Utc;
use pulsemap_core::store::AttemptStatus;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::app_support::*;
use pulsemap_core::dto::{RefreshMode, RefreshPhase};
use pulsemap_core::ErrorKind;
use qualtrics_sim::catalog::{API_TOKEN, ONBOARDING_SURVEY_ID, SUPPORT_SURVEY_ID};

/// Longer than the store's 5 s busy timeout: a lock held across the export would make every
/// other write fail with "database is locked".
const SLOW_EXPORT: Duration = Duration::from_secs(7);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn writes_and_other_refreshes_go_on_while_an_export_is_prepared() {
    let t = connected().await;
    t.sim.faults().slow_export(SLOW_EXPORT);
    let slow = running_refresh(&t).await;
    tokio::time::sleep(Duration::from_millis(300)).await;

    // Map edits, as the desktop app makes them while the export is prepared.
    let started = Instant::now();
    let map = t.app.create_map("Edited during an export").unwrap();
    let map = t.app.add_stage(&map.map.id, "Awareness").unwrap();
    let map = t.app.add_lane(&map.map.id, "Web").unwrap();
    let (stage, lane) = (&map.stages[0].id, &map.lanes[0].id);
    t.app
        .add_text_card(&map.map.id, stage, lane, "written meanwhile")
        .unwrap();
    t.app.rename_map(&map.map.id, "Renamed meanwhile").unwrap();
    let edits = started.elapsed();
    // `status`, `surveys`, `connect`.
    t.app.connection_status().await.unwrap();
    t.app.list_surveys().await.unwrap();
    t.app
        .save_connection(token_input(&t.sim.host(), API_TOKEN))
        .await
        .unwrap();
    println!("map edits during a slow export took {edits:?}");
    assert!(
        edits < Duration::from_secs(2),
        "map edits waited for a lock: {edits:?}"
    );
    assert!(
        !slow.is_finished(),
        "the slow export must still be running for this test to mean anything"
    );

    // Another survey's refresh, its own export slow too, overlapping the first one.
    let other = t
        .app
        .refresh_survey(
            &crate::sv(SUPPORT_SURVEY_ID),
            RefreshMode::Force,
            Utc::now(),
            &|_| {},
        )
        .await
        .unwrap();
    assert!(other.refreshed && other.total_responses > 0, "{other:?}");
    let first = slow.await.unwrap().unwrap();
    assert!(first.refreshed && first.total_responses > 0, "{first:?}");
    let attempts = t.app.store().list_refresh_attempts(None, 10).unwrap();
    assert!(
        attempts.iter().all(|a| a.outcome == AttemptStatus::Ok),
        "{attempts:?}"
    );
}

/// Starts a Force refresh of the onboarding survey in the background and returns once its
/// export is being prepared.
async fn running_refresh(
    t: &TestApp,
) -> tokio::task::JoinHandle<pulsemap_core::Result<pulsemap_core::dto::RefreshReport>> {
    let exporting = Arc::new(AtomicBool::new(false));
    let flag = exporting.clone();
    let app = t.app.clone();
    let task = tokio::spawn(async move {
        app.refresh_survey(
            &crate::sv(ONBOARDING_SURVEY_ID),
            RefreshMode::Force,
            Utc::now(),
            &move |p| {
                if matches!(p.phase, RefreshPhase::Exporting { .. }) {
                    flag.store(true, Ordering::SeqCst);
                }
            },
        )
        .await
    });
    let waited = Instant::now();
    while !exporting.load(Ordering::SeqCst) {
        assert!(
            waited.elapsed() < Duration::from_secs(10),
            "no export started"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    task
}

async fn refresh_now(t: &TestApp) -> pulsemap_core::Result<pulsemap_core::dto::RefreshReport> {
    t.app
        .refresh_survey(
            &crate::sv(ONBOARDING_SURVEY_ID),
            RefreshMode::Force,
            Utc::now(),
            &|_| {},
        )
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_running_refresh_refuses_a_second_one_and_releases_its_claim_however_it_ends() {
    let t = connected().await;
    t.sim.faults().slow_export(Duration::from_secs(2));
    let first = running_refresh(&t).await;
    let attempts = t.app.store().list_refresh_attempts(None, 50).unwrap().len();
    let err = refresh_now(&t).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RefreshRunning, "{err}");
    assert_eq!(
        t.app.store().list_refresh_attempts(None, 50).unwrap().len(),
        attempts,
        "a refused refresh records no attempt"
    );
    // Another survey is not held up by it.
    t.app
        .refresh_survey(
            &crate::sv(SUPPORT_SURVEY_ID),
            RefreshMode::IfStale,
            Utc::now(),
            &|_| {},
        )
        .await
        .unwrap();
    assert!(first.await.unwrap().unwrap().refreshed);
    t.sim.faults().slow_export(Duration::ZERO);

    // Released after success ...
    assert!(refresh_now(&t).await.unwrap().refreshed);
    // ... after an error ...
    t.sim.faults().fail_exports(true);
    let err = refresh_now(&t).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ExportFailed, "{err}");
    t.sim.faults().fail_exports(false);
    assert!(refresh_now(&t).await.unwrap().refreshed);
    // ... after its future is dropped mid-way (cancelled, app closing) ...
    t.sim.faults().slow_export(Duration::from_secs(5));
    let dropped = tokio::time::timeout(Duration::from_millis(300), refresh_now(&t)).await;
    assert!(dropped.is_err(), "the refresh was cut short");
    t.sim.faults().slow_export(Duration::ZERO);
    assert!(refresh_now(&t).await.unwrap().refreshed);
    // ... and after a panic inside it.
    let app = t.app.clone();
    let panicked = tokio::spawn(async move {
        app.refresh_survey(
            &crate::sv(ONBOARDING_SURVEY_ID),
            RefreshMode::Force,
            Utc::now(),
            &|_| panic!("a progress listener panicked"),
        )
        .await
    })
    .await;
    assert!(panicked.unwrap_err().is_panic());
    assert!(refresh_now(&t).await.unwrap().refreshed);
}
