//! The `probe` subcommand measures one child's own peak RSS and wall time and passes its
//! exit status through (checked with `dd`, whose buffer size sets its resident memory).

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn probe(report: &Path, command: &[&str]) -> (std::process::ExitStatus, Value) {
    let status = Command::new(env!("CARGO_BIN_EXE_pulsemap-bench"))
        .arg("probe")
        .arg("--report")
        .arg(report)
        .arg("--")
        .args(command)
        .status()
        .expect("run pulsemap-bench probe");
    let text = std::fs::read_to_string(report).expect("probe report written");
    (
        status,
        serde_json::from_str(&text).expect("probe report is JSON"),
    )
}

fn dd_with_buffer(mib: u32) -> Vec<String> {
    [
        "dd",
        "if=/dev/zero",
        "of=/dev/null",
        "count=1",
        "status=none",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([format!("bs={mib}M")])
    .collect()
}

#[test]
fn peak_rss_is_the_childs_own_and_per_run() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("r.json");
    let big = dd_with_buffer(160);
    let (status, big_report) = probe(&report, &big.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(status.success());
    let big_kib = big_report["peak_rss_kib"].as_u64().unwrap();
    assert!(
        (160 * 1024..400 * 1024).contains(&big_kib),
        "a 160 MiB dd buffer should peak near 160 MiB, got {big_kib} KiB"
    );
    // A later, small run must not inherit the big run's peak.
    let small = dd_with_buffer(4);
    let (status, small_report) = probe(
        &report,
        &small.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert!(status.success());
    let small_kib = small_report["peak_rss_kib"].as_u64().unwrap();
    assert!(
        small_kib < 64 * 1024,
        "a 4 MiB dd should stay small, got {small_kib} KiB"
    );
    assert!(small_report["wall_s"].as_f64().unwrap() > 0.0);
}

#[test]
fn exit_status_is_passed_through() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("r.json");
    let (status, value) = probe(&report, &["sh", "-c", "exit 3"]);
    assert_eq!(status.code(), Some(3));
    assert_eq!(value["exit_code"], 3);
}
