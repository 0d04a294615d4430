//! The states and reminders that keep a connection from failing unnoticed: a 403 during a
//! refresh (missing API permission), a revoked token's guidance, the rotation reminder's
//! timing (time passed in, no sleeping) and failing OAuth token requests.

use std::sync::Arc;

use crate::app_support::*;
use chrono::{DateTime, Duration, Utc};
use pulsemap_core::dto::{ConnectionState, RefreshMode, ReminderKind};
use pulsemap_core::ErrorKind;
use qualtrics_sim::catalog::{API_TOKEN, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, SUPPORT_SURVEY_ID};

#[tokio::test]
async fn forbidden_during_refresh_is_permission_missing_not_connection_failed() {
    let t = connected().await;
    t.app
        .refresh_survey(
            &crate::sv(SUPPORT_SURVEY_ID),
            RefreshMode::Force,
            Utc::now(),
            &|_| {},
        )
        .await
        .unwrap();
    let cached = t.app.store().response_count(SUPPORT_SURVEY_ID).unwrap();
    t.sim.faults().forbid_api(true);
    let err = t
        .app
        .refresh_survey(
            &crate::sv(SUPPORT_SURVEY_ID),
            RefreshMode::Force,
            Utc::now(),
            &|_| {},
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Forbidden);
    let status = t.app.cached_connection_status().unwrap();
    assert_eq!(status.state, ConnectionState::PermissionMissing);
    assert_eq!(status.error_kind, Some(ErrorKind::Forbidden));
    let message = status.message.unwrap();
    assert!(message.contains("Brand Administrator"), "{message}");
    assert!(!message.contains("base URL"), "{message}");
    assert_eq!(
        t.app.store().response_count(SUPPORT_SURVEY_ID).unwrap(),
        cached,
        "the cache is kept"
    );
    // A live check sees the same: whoami works, the survey list is refused.
    let live = t.app.connection_status().await.unwrap();
    assert_eq!(live.state, ConnectionState::PermissionMissing);
    // Once the permission is granted, the next refresh clears the banner.
    t.sim.faults().forbid_api(false);
    t.app
        .refresh_survey(
            &crate::sv(SUPPORT_SURVEY_ID),
            RefreshMode::Force,
            Utc::now(),
            &|_| {},
        )
        .await
        .unwrap();
    assert_eq!(
        t.app.cached_connection_status().unwrap().state,
        ConnectionState::Connected
    );
}

#[tokio::test]
async fn revoked_token_names_a_deactivated_account_and_what_to_do() {
    let t = connected().await;
    t.sim.faults().revoke_token(true);
    let status = t.app.connection_status().await.unwrap();
    assert_eq!(status.state, ConnectionState::TokenRevoked);
    let message = status.message.unwrap();
    assert!(message.contains("deactivated"), "{message}");
    assert!(message.contains("active account"), "{message}");
    // An API token's 401 is not an OAuth token-request failure.
    assert_eq!(status.reminder, None);
}

fn saved_at(t: &TestApp) -> DateTime<Utc> {
    t.app
        .cached_connection_status()
        .unwrap()
        .secret_saved_at
        .expect("the save time is recorded")
}

#[tokio::test]
async fn rotation_reminder_appears_after_the_configured_days() {
    let t = connected().await;
    let saved = saved_at(&t);
    let at = |d: Duration| {
        t.app
            .cached_connection_status_at(saved + d)
            .unwrap()
            .reminder
    };
    assert_eq!(t.app.rotation_reminder_days().unwrap(), 90);
    assert_eq!(at(Duration::days(90) - Duration::minutes(1)), None);
    let due = at(Duration::days(90)).expect("due after 90 days");
    assert_eq!(due.kind, ReminderKind::RotationDue);
    assert_eq!(
        (due.since, due.age_days, due.rotation_days),
        (saved, 90, 90)
    );
    assert_eq!(at(Duration::days(120)).unwrap().age_days, 120);

    // Configurable; bad periods are refused with the range.
    assert_eq!(
        t.app.set_rotation_reminder_days(30).unwrap().rotation_days,
        30
    );
    assert_eq!(at(Duration::days(29)), None);
    assert_eq!(at(Duration::days(30)).unwrap().rotation_days, 30);
    for bad in [0, 3651] {
        let err = t.app.set_rotation_reminder_days(bad).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert!(err.message().contains("3650"), "{}", err.message());
    }
    assert_eq!(t.app.rotation_reminder_days().unwrap(), 30);

    // A live check moves validated_at, not the secret's age.
    let live = t.app.connection_status().await.unwrap();
    assert!(live.validated_at.unwrap() >= saved);
    assert_eq!(live.secret_saved_at, Some(saved));
    // An edit that keeps the secret keeps its age too.
    t.app
        .save_connection(token_input(&t.sim.host(), ""))
        .await
        .unwrap();
    assert_eq!(saved_at(&t), saved);
    assert!(at(Duration::days(30)).is_some());
    // Entering the secret again (a rotation) restarts the clock; the period outlives it.
    t.app
        .save_connection(token_input(&t.sim.host(), API_TOKEN))
        .await
        .unwrap();
    let rotated = saved_at(&t);
    assert!(rotated > saved);
    let reminder = |d| {
        t.app
            .cached_connection_status_at(rotated + d)
            .unwrap()
            .reminder
    };
    assert_eq!(reminder(Duration::days(29)), None);
    assert!(reminder(Duration::days(30)).is_some());
    // Nothing configured: no reminder.
    t.app.delete_connection().unwrap();
    assert_eq!(reminder(Duration::days(400)), None);
    assert_eq!(t.app.rotation_reminder_days().unwrap(), 30);
}

#[tokio::test]
async fn failing_oauth_token_requests_raise_the_reminder_until_one_succeeds() {
    let sim = start_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemorySecrets::default());
    let app = open_app(dir.path(), secrets.clone());
    let input = oauth_input(&sim.host(), OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET);
    assert_eq!(app.save_connection(input).await.unwrap().reminder, None);
    // The client secret was regenerated in Qualtrics: the next start cannot get a token.
    sim.faults().reject_oauth_client(true);
    let restarted = open_app(dir.path(), secrets.clone());
    let before = Utc::now();
    let status = restarted.connection_status().await.unwrap();
    let reminder = status.reminder.expect("token requests fail");
    assert_eq!(reminder.kind, ReminderKind::OAuthTokenFailing);
    assert!(reminder.since >= before, "{reminder:?}");
    // The first failure's time is kept across later failures.
    let again = restarted.connection_status().await.unwrap();
    assert_eq!(again.reminder.unwrap().since, reminder.since);
    // A token request that succeeds clears it.
    sim.faults().reject_oauth_client(false);
    let status = restarted.connection_status().await.unwrap();
    assert_eq!(status.state, ConnectionState::Connected);
    assert_eq!(status.reminder, None);
}
