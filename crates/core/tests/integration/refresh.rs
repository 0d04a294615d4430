//! Refresh policy, incremental sync and fault handling against the simulator over loopback.

use pulsemap_core::store::AttemptStatus;
use std::sync::Mutex;

use crate::app_support::*;
use chrono::{Duration, SubsecRound, Utc};
use pulsemap_core::dto::RefreshReport;
use pulsemap_core::dto::{ConnectionState, RefreshMode, RefreshPhase, RefreshProgress};
use pulsemap_core::store::AttemptMode;
use pulsemap_core::ErrorKind;
use qualtrics_sim::catalog::{SUPPORT_RESPONSES, SUPPORT_SURVEY_ID as SURVEY};
use qualtrics_sim::{generate_response, response_in_progress};

fn quiet(_: RefreshProgress) {}

async fn refresh(
    t: &TestApp,
    mode: RefreshMode,
) -> pulsemap_core::Result<pulsemap_core::dto::RefreshReport> {
    t.app
        .refresh_survey(&crate::sv(SURVEY), mode, Utc::now(), &quiet)
        .await
}

/// Completed + in-progress responses cached equal what the simulator holds.
fn assert_complete(t: &TestApp, r: &RefreshReport) {
    let sim_total = t.sim.response_count(SURVEY).unwrap();
    assert_eq!(
        u64::from(r.total_responses + r.in_progress_responses),
        sim_total,
        "{r:?}"
    );
    assert_eq!(
        t.app.store().response_count(SURVEY).unwrap(),
        u64::from(r.total_responses)
    );
    assert!(
        r.in_progress_responses > 0,
        "the simulator has unfinished responses"
    );
}

/// An automatic refresh `hours` from now (due when the last attempt is over an hour old).
async fn auto(t: &TestApp, hours: i64) -> RefreshReport {
    t.app
        .refresh_survey(
            &crate::sv(SURVEY),
            RefreshMode::IfStale,
            Utc::now() + Duration::hours(hours),
            &quiet,
        )
        .await
        .unwrap()
}

fn cached(t: &TestApp) -> u64 {
    t.app.store().response_count(SURVEY).unwrap()
}

fn token_of(t: &TestApp) -> Option<String> {
    t.app
        .store()
        .sync_state(SURVEY)
        .unwrap()
        .and_then(|s| s.continuation_token)
}

#[tokio::test]
async fn first_import_then_incremental_with_nothing_new() {
    let t = connected().await;
    let events = Mutex::new(Vec::new());
    let first = t
        .app
        .refresh_survey(&crate::sv(SURVEY), RefreshMode::IfStale, Utc::now(), &|p| {
            events.lock().unwrap().push(p.phase)
        })
        .await
        .unwrap();
    assert!(first.refreshed);
    assert_eq!(first.mode, Some(AttemptMode::Full));
    assert_eq!(t.sim.response_count(SURVEY), Some(SUPPORT_RESPONSES));
    assert_complete(&t, &first);
    assert_eq!(first.new_responses, first.total_responses);
    assert!(
        token_of(&t).is_some(),
        "the first export asks for a continuation token"
    );
    assert!(
        !t.app
            .survey_questions(&crate::sv(SURVEY))
            .unwrap()
            .is_empty(),
        "definition cached"
    );
    let events = events.into_inner().unwrap();
    assert!(
        events
            .iter()
            .any(|e| matches!(e, RefreshPhase::Exporting { .. })),
        "{events:?}"
    );
    assert!(events
        .iter()
        .any(|e| matches!(e, RefreshPhase::Importing { rows } if *rows > 0)));
    assert_eq!(events.last(), Some(&RefreshPhase::Done));

    let before = t.sim.request_count();
    let routes_before = t.sim.stats();
    let second = auto(&t, 2).await;
    let requests = t.sim.request_count() - before;
    let by_route: Vec<String> = t
        .sim
        .stats()
        .into_iter()
        .filter_map(|(route, n)| {
            let delta = n - routes_before.get(&route).copied().unwrap_or(0);
            (delta > 0).then(|| format!("{route}={delta}"))
        })
        .collect();
    println!(
        "incremental refresh with 0 new responses: {requests} HTTP requests ({})",
        by_route.join(", ")
    );
    assert!(
        !by_route.iter().any(|r| r.contains("survey-definitions")),
        "an unchanged definition is not fetched again: {by_route:?}"
    );
    assert!(
        !by_route.iter().any(|r| r.contains("export-responses")),
        "unchanged response counts: no export at all: {by_route:?}"
    );
    assert!(requests < 3, "{requests} requests: {by_route:?}");
    assert_eq!(second.mode, Some(AttemptMode::Incremental));
    assert_eq!(second.new_responses, 0);
    assert_eq!(second.total_responses, first.total_responses);
    assert_eq!(u64::from(second.http_requests), requests as u64);

    let attempts = t
        .app
        .store()
        .list_refresh_attempts(Some(SURVEY), 10)
        .unwrap();
    assert_eq!(attempts.len(), 2);
    assert!(attempts.iter().all(|a| a.outcome == AttemptStatus::Ok));
    assert_eq!(attempts[0].http_requests, u64::from(second.http_requests));
    let log = t.app.store().list_connection_log(20).unwrap();
    assert_eq!(
        log.iter().filter(|e| e.event == "refresh" && e.ok).count(),
        2,
        "{log:?}"
    );
}

#[tokio::test]
async fn incremental_picks_up_new_responses_only() {
    let t = connected().await;
    let first = refresh(&t, RefreshMode::Force).await.unwrap();
    let old_token = token_of(&t);
    t.sim.add_responses(SURVEY, 25);
    let report = auto(&t, 2).await;
    assert_eq!(report.mode, Some(AttemptMode::Incremental));
    assert_complete(&t, &report);
    assert_eq!(
        report.new_responses,
        report.total_responses - first.total_responses
    );
    assert!(
        report.new_responses > 15 && report.new_responses <= 25,
        "{report:?}"
    );
    println!(
        "incremental refresh with {} new: {} HTTP requests",
        report.new_responses, report.http_requests
    );
    assert_ne!(token_of(&t), old_token, "the token advances");
    // Full resync re-downloads everything without duplicates.
    let full = refresh(&t, RefreshMode::FullResync).await.unwrap();
    assert_eq!(full.mode, Some(AttemptMode::Full));
    assert_complete(&t, &full);
    assert_eq!(full.total_responses, report.total_responses);
}

#[tokio::test]
async fn stale_policy_counts_failed_attempts() {
    let t = connected().await;
    // Stored timestamps keep milliseconds.
    let t0 = Utc::now().trunc_subsecs(3);
    let r = t
        .app
        .refresh_survey(&crate::sv(SURVEY), RefreshMode::IfStale, t0, &quiet)
        .await
        .unwrap();
    assert!(r.refreshed);
    let n = t.sim.request_count();
    let fresh = t
        .app
        .refresh_survey(
            &crate::sv(SURVEY),
            RefreshMode::IfStale,
            t0 + Duration::minutes(59),
            &quiet,
        )
        .await
        .unwrap();
    assert!(!fresh.refreshed);
    assert_eq!(t.sim.request_count(), n, "a fresh cache makes no request");
    assert!(!t
        .app
        .is_survey_stale(&crate::sv(SURVEY), t0 + Duration::minutes(59))
        .unwrap());
    assert!(t
        .app
        .is_survey_stale(&crate::sv(SURVEY), t0 + Duration::minutes(61))
        .unwrap());

    // A failed attempt at t0+2h is not a fresh cache: the next automatic refresh is due 5
    // minutes later, then 10 after a second failure (back-off, doubling).
    // (New responses make the automatic refresh export; with nothing new it would stop at
    // the response counts and never reach the failing export.)
    t.sim.add_responses(SURVEY, 5);
    t.sim.faults().fail_exports(true);
    let t1 = t0 + Duration::hours(2);
    let err = t
        .app
        .refresh_survey(&crate::sv(SURVEY), RefreshMode::IfStale, t1, &quiet)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ExportFailed);
    let at = |m: i64| t1 + Duration::minutes(m);
    let waiting = t
        .app
        .refresh_survey(&crate::sv(SURVEY), RefreshMode::IfStale, at(4), &quiet)
        .await
        .unwrap();
    assert!(!waiting.refreshed, "backing off for 5 minutes");
    assert!(waiting.last_attempt_failed);
    assert_eq!(waiting.next_refresh_at, Some(at(5)));
    let err = t
        .app
        .refresh_survey(&crate::sv(SURVEY), RefreshMode::IfStale, at(5), &quiet)
        .await
        .unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::ExportFailed,
        "retried after 5 minutes"
    );
    assert!(!t.app.is_survey_stale(&crate::sv(SURVEY), at(14)).unwrap());
    assert!(
        t.app.is_survey_stale(&crate::sv(SURVEY), at(15)).unwrap(),
        "then after 10"
    );
    t.sim.faults().fail_exports(false);
    let later = t
        .app
        .refresh_survey(&crate::sv(SURVEY), RefreshMode::IfStale, at(15), &quiet)
        .await
        .unwrap();
    assert!(later.refreshed && later.new_responses > 0, "{later:?}");
    assert_eq!(later.next_refresh_at, Some(at(15) + Duration::hours(1)));
    t.sim.add_responses(SURVEY, 5);
    t.sim.faults().fail_exports(true);
    t.app
        .refresh_survey(&crate::sv(SURVEY), RefreshMode::IfStale, at(80), &quiet)
        .await
        .unwrap_err();
    t.sim.faults().fail_exports(false);
    // Force ignores the policy.
    let forced = t
        .app
        .refresh_survey(&crate::sv(SURVEY), RefreshMode::Force, at(81), &quiet)
        .await
        .unwrap();
    assert!(forced.refreshed);
    let attempts = t
        .app
        .store()
        .list_refresh_attempts(Some(SURVEY), 10)
        .unwrap();
    assert_eq!(attempts.len(), 6);
    assert_eq!(
        attempts
            .iter()
            .filter(|a| a.outcome == AttemptStatus::Failed)
            .count(),
        3
    );
    let failed = attempts
        .iter()
        .find(|a| a.outcome == AttemptStatus::Failed)
        .unwrap();
    assert_eq!(failed.error_kind, Some(ErrorKind::ExportFailed));
    assert_eq!(
        t.app.cached_connection_status().unwrap().state,
        ConnectionState::Connected,
        "an export failure is not a connection failure"
    );
    let log = t.app.store().list_connection_log(20).unwrap();
    assert!(log
        .iter()
        .any(|e| e.event == "refresh" && !e.ok && e.error_kind == Some(ErrorKind::ExportFailed)));
}

#[tokio::test]
async fn revoked_token_keeps_cache_and_marks_connection() {
    let t = connected().await;
    refresh(&t, RefreshMode::Force).await.unwrap();
    let token = token_of(&t);
    let before = cached(&t);
    t.sim.add_responses(SURVEY, 5);
    t.sim.faults().revoke_token(true);
    let err = refresh(&t, RefreshMode::Force).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TokenRevoked);
    assert_eq!(
        t.app.cached_connection_status().unwrap().state,
        ConnectionState::TokenRevoked
    );
    assert_eq!(cached(&t), before);
    assert_eq!(token_of(&t), token);
    // Once Qualtrics accepts the token again, a successful refresh clears the banner.
    t.sim.faults().revoke_token(false);
    refresh(&t, RefreshMode::Force).await.unwrap();
    assert_eq!(
        t.app.cached_connection_status().unwrap().state,
        ConnectionState::Connected
    );
    assert!(cached(&t) > before);
}

#[tokio::test]
async fn transient_5xx_and_429_are_retried() {
    let t = connected().await;
    t.sim.faults().server_errors_next(2);
    let before = t.sim.request_count();
    let r = refresh(&t, RefreshMode::Force).await.unwrap();
    assert_complete(&t, &r);
    // The report counts every request sent, the two retried ones included.
    assert_eq!(u64::from(r.http_requests), t.sim.request_count() - before);
    t.sim.add_responses(SURVEY, 30);
    t.sim.faults().rate_limit_next(2);
    let before = t.sim.request_count();
    let r = refresh(&t, RefreshMode::Force).await.unwrap();
    assert_complete(&t, &r);
    assert!(r.new_responses > 0);
    assert_eq!(u64::from(r.http_requests), t.sim.request_count() - before);
    let attempts = t
        .app
        .store()
        .list_refresh_attempts(Some(SURVEY), 1)
        .unwrap();
    assert_eq!(u64::from(r.http_requests), attempts[0].http_requests);

    // A failed refresh records its requests too, retries included.
    t.sim.faults().server_errors_next(2);
    t.sim.faults().fail_exports(true);
    let before = t.sim.request_count();
    refresh(&t, RefreshMode::Force).await.unwrap_err();
    t.sim.faults().reset();
    let sent = t.sim.request_count() - before;
    let failed = &t
        .app
        .store()
        .list_refresh_attempts(Some(SURVEY), 1)
        .unwrap()[0];
    assert_eq!(failed.outcome, AttemptStatus::Failed);
    assert!(sent > 4, "retries, exports and polls were sent: {sent}");
    assert_eq!(failed.http_requests, sent);
}

#[tokio::test]
async fn failed_or_truncated_exports_keep_the_cache() {
    let t = connected().await;
    refresh(&t, RefreshMode::Force).await.unwrap();
    let token = token_of(&t);
    let before = cached(&t);
    t.sim.add_responses(SURVEY, 30);
    for fault in ["fail", "truncate"] {
        match fault {
            "fail" => t.sim.faults().fail_exports(true),
            _ => t.sim.faults().truncate_zip(true),
        }
        for mode in [RefreshMode::Force, RefreshMode::FullResync] {
            let err = refresh(&t, mode).await.unwrap_err();
            assert!(
                matches!(err.kind(), ErrorKind::ExportFailed | ErrorKind::Malformed),
                "{fault}: {err:?}"
            );
            assert_eq!(cached(&t), before);
            assert_eq!(token_of(&t), token);
        }
        t.sim.faults().fail_exports(false);
        t.sim.faults().truncate_zip(false);
    }
    let ok = refresh(&t, RefreshMode::Force).await.unwrap();
    assert_complete(&t, &ok);
    assert_eq!(u64::from(ok.new_responses), cached(&t) - before);
    let attempts = t
        .app
        .store()
        .list_refresh_attempts(Some(SURVEY), 20)
        .unwrap();
    assert_eq!(
        attempts
            .iter()
            .filter(|a| a.outcome == AttemptStatus::Failed)
            .count(),
        4
    );
}

#[tokio::test]
async fn a_dropped_refresh_is_recorded_as_interrupted_and_keeps_the_cache() {
    let t = connected().await;
    refresh(&t, RefreshMode::Force).await.unwrap();
    let before = cached(&t);
    let token = token_of(&t);
    t.sim.add_responses(SURVEY, 30);
    t.sim
        .faults()
        .slow_export(std::time::Duration::from_secs(30));
    let cut = tokio::time::timeout(
        std::time::Duration::from_millis(400),
        refresh(&t, RefreshMode::Force),
    )
    .await;
    assert!(cut.is_err(), "the refresh was still exporting when dropped");
    let attempts = t
        .app
        .store()
        .list_refresh_attempts(Some(SURVEY), 5)
        .unwrap();
    let last = &attempts[0];
    assert_eq!(last.outcome, AttemptStatus::Failed, "{last:?}");
    assert!(last.finished_at.is_some());
    assert!(
        last.error_message
            .as_deref()
            .is_some_and(|m| m.contains("interrupted")),
        "{last:?}"
    );
    assert!(attempts.iter().all(|a| a.outcome != AttemptStatus::Running));
    assert_eq!(cached(&t), before);
    assert_eq!(token_of(&t), token);
    t.sim.faults().reset();
    let ok = refresh(&t, RefreshMode::Force).await.unwrap();
    assert_eq!(u64::from(ok.new_responses), cached(&t) - before);
}

#[tokio::test]
async fn automatic_refresh_with_nothing_new_stops_at_the_response_counts() {
    let t = connected().await;
    let t0 = Utc::now();
    let first = t
        .app
        .refresh_survey(&crate::sv(SURVEY), RefreshMode::IfStale, t0, &quiet)
        .await
        .unwrap();
    assert!(first.refreshed);

    // Stale again, nothing new in Qualtrics: one request, no export.
    let before = t.sim.request_count();
    let routes_before = t.sim.stats();
    let idle = t
        .app
        .refresh_survey(
            &crate::sv(SURVEY),
            RefreshMode::IfStale,
            t0 + Duration::hours(2),
            &quiet,
        )
        .await
        .unwrap();
    let requests = t.sim.request_count() - before;
    println!("automatic incremental refresh with 0 new responses: {requests} HTTP requests");
    assert!(idle.refreshed);
    assert_eq!(idle.new_responses, 0);
    assert_eq!(idle.total_responses, first.total_responses);
    assert_eq!(idle.in_progress_responses, first.in_progress_responses);
    assert!(requests < 3, "{requests} requests");
    assert_eq!(u64::from(idle.http_requests), requests);
    let exports = t
        .sim
        .stats()
        .into_iter()
        .filter(|(route, n)| {
            route.contains("export-responses")
                && *n > routes_before.get(route).copied().unwrap_or(0)
        })
        .count();
    assert_eq!(exports, 0, "no export when the counts are unchanged");

    // New responses change the counts: the next automatic refresh exports them.
    t.sim.add_responses(SURVEY, 10);
    let busy = t
        .app
        .refresh_survey(
            &crate::sv(SURVEY),
            RefreshMode::IfStale,
            t0 + Duration::hours(4),
            &quiet,
        )
        .await
        .unwrap();
    assert!(busy.new_responses > 0, "{busy:?}");
    assert_complete(&t, &busy);
}

#[tokio::test]
async fn responses_deleted_upstream_leave_the_cache_through_a_full_refresh() {
    let t = connected().await;
    let first = refresh(&t, RefreshMode::Force).await.unwrap();
    assert_eq!(first.mode, Some(AttemptMode::Full));
    let config = t.sim.config().clone();
    // Two recorded responses are deleted in Qualtrics, and five new ones arrive.
    let gone: Vec<u64> = (0..SUPPORT_RESPONSES)
        .filter(|i| !response_in_progress(&config, SURVEY, *i))
        .take(2)
        .collect();
    let gone_ids: Vec<String> = gone
        .iter()
        .map(|i| {
            generate_response(&config, SURVEY, *i)["responseId"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let cached_ids = |t: &TestApp| {
        let mut ids = Vec::new();
        t.app
            .store()
            .for_each_response(SURVEY, |r| {
                ids.push(r.response_id);
                Ok(())
            })
            .unwrap();
        ids
    };
    assert!(gone_ids.iter().all(|id| cached_ids(&t).contains(id)));
    assert_eq!(t.sim.delete_responses(SURVEY, &gone), 2);
    t.sim.add_responses(SURVEY, 5);

    // Continuation exports never announce deletions: the grown `deleted` count turns this
    // incremental refresh into a full one.
    let second = refresh(&t, RefreshMode::Force).await.unwrap();
    assert_eq!(second.mode, Some(AttemptMode::Full), "{second:?}");
    let ids = cached_ids(&t);
    assert!(
        gone_ids.iter().all(|id| !ids.contains(id)),
        "deleted responses left"
    );
    assert_eq!(
        u64::from(second.total_responses + second.in_progress_responses),
        t.sim.response_count(SURVEY).unwrap() - 2
    );
    assert_eq!(cached(&t), u64::from(second.total_responses));
    let attempt = &t
        .app
        .store()
        .list_refresh_attempts(Some(SURVEY), 1)
        .unwrap()[0];
    assert_eq!(attempt.mode, AttemptMode::Full);
    assert_eq!(attempt.outcome, AttemptStatus::Ok);
    assert!(
        token_of(&t).is_some(),
        "the full export asked for a new token"
    );

    // Back to cheap incremental automatic refreshes afterwards.
    let idle = auto(&t, 2).await;
    assert_eq!(idle.mode, Some(AttemptMode::Incremental));
    assert_eq!((idle.new_responses, idle.http_requests), (0, 1));
    t.sim.add_responses(SURVEY, 5);
    let more = auto(&t, 4).await;
    assert_eq!(more.mode, Some(AttemptMode::Incremental));
    assert!(more.new_responses > 0);
    assert_eq!(cached(&t), u64::from(more.total_responses));
}
