//! Scale: large exports stream with bounded memory.
//!
//! The simulator runs in this test process, so the process high-water mark
//! (`VmHWM` in /proc/self/status) covers both the server and the client. The
//! client streams the download to a temp file and counts responses with a
//! streaming reader, so holding the responses anywhere would show up here.
//! Each measurement runs in a child process of its own (this test binary re-run with
//! `--exact` on a child test) so that other tests in the binary cannot move the high-water mark.

use std::io::{BufReader, Read, Write};
use std::time::Instant;

use crate::common::*;
use futures::StreamExt;
use qualtrics_sim::catalog::ONBOARDING_SURVEY_ID;
use qualtrics_sim::response_in_progress;
use serde_json::json;

fn vm_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("procfs");
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .expect("field in /proc/self/status")
}

/// Count occurrences of `"responseId":` while streaming.
fn count_responses(reader: impl Read) -> u64 {
    let needle = b"\"responseId\":";
    let mut reader = BufReader::new(reader);
    let mut buf = vec![0u8; 64 * 1024];
    let mut carry: Vec<u8> = Vec::new();
    let mut count = 0;
    loop {
        let n = reader.read(&mut buf).expect("read");
        if n == 0 {
            break;
        }
        carry.extend_from_slice(&buf[..n]);
        count += carry.windows(needle.len()).filter(|w| *w == needle).count() as u64;
        let keep = carry.len().saturating_sub(needle.len() - 1);
        carry.drain(..keep);
    }
    count
}

async fn export_and_measure(responses: u64) {
    let config = config(responses, 0);
    let sim = start(config.clone()).await;
    let baseline = vm_kib("VmRSS:");
    let t = Instant::now();
    let (fid, _, _) = run_export(&sim, ONBOARDING_SURVEY_ID, &json!({"format": "json"})).await;
    let resp = download(&sim, ONBOARDING_SURVEY_ID, &fid).await;
    let mut file = tempfile::tempfile().unwrap();
    let mut stream = resp.bytes_stream();
    let mut zipped = 0u64;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.unwrap();
        zipped += chunk.len() as u64;
        file.write_all(&chunk).unwrap();
    }
    let mut archive = zip::ZipArchive::new(file).unwrap();
    let member = archive.by_index(0).unwrap();
    let raw = member.size();
    let count = count_responses(member);
    let expected = (0..responses)
        .filter(|i| !response_in_progress(&config, ONBOARDING_SURVEY_ID, *i))
        .count() as u64;
    assert_eq!(count, expected);
    let hwm = vm_kib("VmHWM:");
    let growth_mib = hwm.saturating_sub(baseline) / 1024;
    println!(
        "scale: {responses} responses, {raw} bytes JSON ({zipped} zipped) in {:.1}s; RSS baseline {} MiB, high-water {} MiB",
        t.elapsed().as_secs_f64(),
        baseline / 1024,
        hwm / 1024
    );
    // Holding the responses would cost at least the raw JSON size.
    assert!(
        growth_mib * 1024 * 1024 < raw / 3,
        "memory grew {growth_mib} MiB for a {raw}-byte export"
    );
    assert!(growth_mib < 64, "memory grew {growth_mib} MiB");
}

/// Set in the child process; holds the number of responses to export.
const CHILD_ENV: &str = "QUALTRICS_SIM_SCALE_CHILD";

/// Runs [`child_export_and_measure`] alone in a fresh process and checks that it passed.
fn measure_in_child(responses: u64) {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "scale::child_export_and_measure",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, responses.to_string())
        .output()
        .expect("re-run the test binary");
    let stdout = String::from_utf8_lossy(&out.stdout);
    print!("{stdout}");
    assert!(
        out.status.success(),
        "child failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(&format!("scale: {responses} responses")),
        "the child did not measure: {stdout}"
    );
}

/// The measurement itself; does nothing unless started by [`measure_in_child`].
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn child_export_and_measure() {
    let Some(responses) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let responses = responses
        .to_str()
        .and_then(|s| s.parse().ok())
        .expect("count");
    export_and_measure(responses).await;
}

#[test]
fn export_50k_responses_with_bounded_memory() {
    measure_in_child(50_000);
}

/// Ignored by default (slow in debug builds); run with
/// `cargo test -p qualtrics-sim --release --test integration scale -- --ignored --nocapture`.
#[test]
#[ignore = "slow in debug builds; run with --release -- --ignored"]
fn export_200k_responses_with_bounded_memory() {
    measure_in_child(200_000);
}
