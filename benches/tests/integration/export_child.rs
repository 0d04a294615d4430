//! The `export` child drives the `qualtrics` crate's export flow against the simulator and
//! reports how many responses it parsed and how many HTTP requests it made.

use std::process::Command;

use qualtrics_sim::{catalog, response_in_progress, response_total, SimConfig, SimHandle};
use serde_json::Value;

fn export(host: &str, format: &str) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_pulsemap-bench"))
        .args([
            "export",
            "--host",
            host,
            "--survey",
            catalog::ONBOARDING_SURVEY_ID,
        ])
        .args(["--format", format, "--poll-ms", "10"])
        .env("PULSEMAP_BENCH_TOKEN", catalog::API_TOKEN)
        .output()
        .expect("run pulsemap-bench export");
    assert!(
        out.status.success(),
        "export failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("export prints JSON")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exports_every_finished_response_in_csv_and_json() {
    let config = SimConfig {
        responses: 300,
        export_polls: 1,
        ..Default::default()
    };
    let survey = catalog::ONBOARDING_SURVEY_ID;
    let finished = (0..response_total(&config, survey))
        .filter(|&i| !response_in_progress(&config, survey, i))
        .count() as u64;
    let sim = SimHandle::start(config).await.unwrap();
    let host = sim.host();
    for format in ["csv", "json"] {
        let h = host.clone();
        let got = tokio::task::spawn_blocking(move || export(&h, format))
            .await
            .unwrap();
        assert_eq!(got["responses"].as_u64(), Some(finished), "{format}: {got}");
        // start + at least export_polls + 1 polls + download
        assert!(
            got["http_requests"].as_u64().unwrap() >= 4,
            "{format}: {got}"
        );
    }
}

#[test]
fn a_missing_token_is_a_clear_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_pulsemap-bench"))
        .args(["export", "--host", "127.0.0.1:9", "--survey", "SV_x"])
        .env_remove("PULSEMAP_BENCH_TOKEN")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("PULSEMAP_BENCH_TOKEN is not set"));
}

/// `export --download-only` checks progress at once after the start (like the Python
/// package), then waits the interval: against a simulator whose file is already written
/// (reuse on, no forced polls) it needs one poll and never waits the 5 s interval.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn download_only_checks_progress_at_once() {
    let config = SimConfig {
        responses: 300,
        export_polls: 0,
        reuse_export_files: true,
        ..Default::default()
    };
    let sim = SimHandle::start(config).await.unwrap();
    let host = sim.host();
    let run = move |poll_ms: &'static str| {
        let started = std::time::Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_pulsemap-bench"))
            .args(["export", "--host", &host, "--survey"])
            .arg(catalog::ONBOARDING_SURVEY_ID)
            .args(["--format", "csv", "--poll-ms", poll_ms, "--download-only"])
            .env("PULSEMAP_BENCH_TOKEN", catalog::API_TOKEN)
            .output()
            .expect("run pulsemap-bench export");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).expect("export prints JSON");
        (v, started.elapsed())
    };
    // The first export makes the simulator write the file (polled until complete).
    let first = run.clone();
    tokio::task::spawn_blocking(move || first("10"))
        .await
        .unwrap();
    let (second, took) = tokio::task::spawn_blocking(move || run("5000"))
        .await
        .unwrap();
    assert_eq!(
        second["http_requests"], 3,
        "start, one poll, download: {second}"
    );
    assert!(second["bytes"].as_u64().unwrap() > 0);
    assert!(
        took < std::time::Duration::from_secs(4),
        "no wait before the first poll: {took:?}"
    );
}
