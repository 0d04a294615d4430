//! Refresh attempts left `running` by a stopped process are closed at the next start (and
//! back off like failures), live ones of another process are kept, and a refresh killed with
//! SIGKILL leaves no raw export behind in the temp folder.

use pulsemap_core::store::AttemptStatus;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;

use chrono::{Duration, SubsecRound, Utc};

use crate::app_support::*;
use pulsemap_core::dto::{RefreshMode, RefreshPhase};
use pulsemap_core::store::{AttemptMode, AttemptOutcome, Store};
use qualtrics_sim::catalog::{API_TOKEN, ONBOARDING_SURVEY_ID};

#[test]
fn running_attempts_of_stopped_processes_are_closed_at_start_live_ones_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.db");
    let t0 = Utc::now().trunc_subsecs(3);
    let running = Store::open(&path).unwrap();
    let live = running
        .begin_refresh_attempt("SV_live", AttemptMode::Full, t0)
        .unwrap();
    // What a killed process leaves: a `running` row nobody holds.
    running
        .with_conn(|c| {
            c.execute(
                "INSERT INTO refresh_attempts (survey_id, started_at, mode, outcome)
                 VALUES ('SV_dead', '2026-01-01T00:00:00.000Z', 'incremental', 'running')",
                [],
            )?;
            Ok(())
        })
        .unwrap();

    // Another process starting (the CLI while the app refreshes): only the dead one closes.
    let other = Store::open(&path).unwrap();
    let attempts = other.list_refresh_attempts(None, 10).unwrap();
    let of = |sv: &str| attempts.iter().find(|a| a.survey_id == sv).unwrap().clone();
    assert_eq!(of("SV_live").outcome, AttemptStatus::Running);
    let dead = of("SV_dead");
    assert_eq!(dead.outcome, AttemptStatus::Failed);
    assert!(dead.finished_at.is_some());
    assert!(
        dead.error_message
            .as_deref()
            .is_some_and(|m| m.contains("interrupted")),
        "{dead:?}"
    );

    running
        .finish_refresh_attempt(
            live,
            &AttemptOutcome {
                ok: true,
                ..Default::default()
            },
            Utc::now(),
        )
        .unwrap();
    drop(running);
    drop(other);
    let reopened = Store::open(&path).unwrap();
    let attempts = reopened.list_refresh_attempts(None, 10).unwrap();
    assert!(
        attempts.iter().all(|a| a.outcome != AttemptStatus::Running),
        "{attempts:?}"
    );
    let locks = dir.path().join("p.db-attempts");
    let left: Vec<_> = std::fs::read_dir(&locks)
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "lock files left: {left:?}");
}

const CHILD_DATA: &str = "PULSEMAP_TEST_KILLED_REFRESH_DATA";
const CHILD_HOST: &str = "PULSEMAP_TEST_KILLED_REFRESH_HOST";

/// Child-process entry of `a_refresh_killed_mid_import_leaves_no_export_and_is_closed`: it
/// only does work when re-executed by that test (data dir and simulator host in the
/// environment). It refreshes and, once the export file is being read, waits to be killed.
#[tokio::test]
async fn child_refresh_until_killed() {
    let (Ok(data), Ok(host)) = (std::env::var(CHILD_DATA), std::env::var(CHILD_HOST)) else {
        return;
    };
    let app = open_app(
        std::path::Path::new(&data),
        Arc::new(MemorySecrets::default()),
    );
    app.save_connection(token_input(&host, API_TOKEN))
        .await
        .unwrap();
    let _ = app
        .refresh_survey(
            &crate::sv(ONBOARDING_SURVEY_ID),
            RefreshMode::Force,
            Utc::now(),
            &|p| {
                if matches!(p.phase, RefreshPhase::Importing { rows } if rows > 0) {
                    println!("IMPORTING");
                    // Hold the import open (file downloaded, half read) until killed.
                    std::thread::sleep(std::time::Duration::from_secs(120));
                }
            },
        )
        .await;
}

#[tokio::test]
async fn a_refresh_killed_mid_import_leaves_no_export_and_is_closed() {
    let sim = start_sim().await;
    let data = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "refresh_policy::child_refresh_until_killed",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_DATA, data.path())
        .env(CHILD_HOST, sim.host())
        .env("PULSEMAP_DEV_ALLOW_LOOPBACK", "1")
        .env("TMPDIR", tmp.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let seen = tokio::task::spawn_blocking(move || {
        BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            // libtest prints the test name on the same line first.
            .any(|l| l.ends_with("IMPORTING"))
    });
    let seen = tokio::time::timeout(std::time::Duration::from_secs(120), seen)
        .await
        .expect("the child reports its import")
        .unwrap();
    assert!(seen, "the child never reached the import");
    child.kill().unwrap(); // SIGKILL, mid-import
    assert!(!child.wait().unwrap().success());

    // The raw export (names, e-mails, IP addresses) is gone with the process.
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert!(left.is_empty(), "left in the temp folder: {left:?}");

    // The next start closes the killed attempt; it backs off like a failure, not an hour.
    let app = open_app(data.path(), Arc::new(MemorySecrets::default()));
    let attempts = app
        .store()
        .list_refresh_attempts(Some(ONBOARDING_SURVEY_ID), 5)
        .unwrap();
    assert_eq!(attempts.len(), 1);
    assert_eq!(
        attempts[0].outcome,
        AttemptStatus::Failed,
        "{:?}",
        attempts[0]
    );
    assert!(attempts[0]
        .error_message
        .as_deref()
        .is_some_and(|m| m.contains("interrupted")));
    let now = Utc::now();
    assert!(!app
        .is_survey_stale(&crate::sv(ONBOARDING_SURVEY_ID), now)
        .unwrap());
    assert!(app
        .is_survey_stale(&crate::sv(ONBOARDING_SURVEY_ID), now + Duration::minutes(6))
        .unwrap());
    assert_eq!(app.store().response_count(ONBOARDING_SURVEY_ID).unwrap(), 0);
}
