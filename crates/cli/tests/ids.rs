//! Malformed ids given to the `pulsemap` binary are usage errors (exit 2) naming the id and
//! the rule, refused before anything is opened or sent: a survey id goes into Qualtrics
//! request paths (`/surveys/{id}/export-responses`), so `..`, `/` or `?` must never get there.
//! Runs against a simulator through the real OS keychain (`scripts/with-keyring.sh`).

use std::path::Path;

use qualtrics_sim::catalog::{API_TOKEN, SUPPORT_SURVEY_ID};
use qualtrics_sim::{SimConfig, SimHandle};

#[path = "support/mod.rs"]
mod support;
use support::run_pulsemap as pulsemap;

const RULE: &str = "is not a Qualtrics survey id (SV_ followed by letters and digits)";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_survey_ids_exit_2_naming_the_id_and_send_nothing() {
    let sim = SimHandle::start(SimConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let service = format!("pulsemap-cli-ids-test-{}", uuid::Uuid::new_v4());
    let run = |args: &[&str], stdin: &str| pulsemap(dir.path(), &service, args, stdin);
    let out = run(
        &["connect", "--base-url", &sim.host(), "--token-stdin"],
        API_TOKEN,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sent = sim.request_count();

    let bad_out = dir.path().join("bundle.zip");
    let bad_out = bad_out.to_str().unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "metric",
                "--survey",
                "../x",
                "--question",
                "Q1",
                "--calc",
                "nps",
            ],
            "../x",
        ),
        (vec!["refresh", SUPPORT_SURVEY_ID, "x/../y"], "x/../y"),
        (vec!["refresh", "--force", "SV_a?b=1"], "SV_a?b=1"),
        (vec!["filters", "SV_"], "SV_"),
        (vec!["field-values", "--survey", "..", "--field", "f"], ".."),
        (vec!["debug-export", "SV_1/..", "--out", bad_out], "SV_1/.."),
        (vec!["cache", "clear", "sv_lowercase"], "sv_lowercase"),
        (
            vec!["map", "import", "a.pulsemap", "--survey", "SV_a=../b"],
            "../b",
        ),
    ];
    for (args, id) in cases {
        let out = run(&args, "");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!("survey id '{id}' {RULE}")),
            "{args:?}: {stderr}"
        );
    }
    assert_eq!(
        sim.request_count(),
        sent,
        "a malformed survey id reached Qualtrics"
    );
    assert!(!Path::new(bad_out).exists());

    let out = run(&["map", "export", "../m", "--out", bad_out], "");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("map id '../m' is not a Pulsemap id"),
        "{stderr}"
    );
    let _ = run(&["disconnect"], "");
}
