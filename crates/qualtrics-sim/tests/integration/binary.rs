//! The `qualtrics-sim` binary: prints its URL once bound and serves the API.

use crate::common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use qualtrics_sim::catalog::{API_TOKEN, ONBOARDING_SURVEY_ID};

struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary with `args`; returns it (killed on drop) and the URL of its banner.
async fn spawn_sim(args: &[&str]) -> (KillOnDrop, String) {
    spawn_sim_with_temp(args, &std::env::temp_dir()).await
}

/// [`spawn_sim`] with `temp` as the simulator's temp folder.
async fn spawn_sim_with_temp(args: &[&str], temp: &std::path::Path) -> (KillOnDrop, String) {
    let child = Command::new(env!("CARGO_BIN_EXE_qualtrics-sim"))
        .args(args)
        .env("TMPDIR", temp)
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn simulator binary");
    let mut child = KillOnDrop(child);
    let stdout = child.0.stdout.take().unwrap();
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        line
    })
    .await
    .unwrap();
    let url = line
        .trim()
        .strip_prefix("qualtrics-sim listening on ")
        .expect("banner line")
        .to_string();
    (child, url)
}

#[tokio::test]
async fn binary_prints_url_and_serves() {
    let (_child, url) = spawn_sim(&[
        "--port",
        "0",
        "--seed",
        "7",
        "--responses",
        "120",
        "--datacenter",
        "sjc1",
        "--page-size",
        "2",
    ])
    .await;
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let api = |path: String| {
        common::json_of(
            common::client()
                .get(format!("{url}{path}"))
                .header("X-API-TOKEN", API_TOKEN),
        )
    };
    let who = api("/API/v3/whoami".into()).await;
    assert_eq!(who["result"]["datacenter"], "sjc1");
    let list = api("/API/v3/surveys".into()).await;
    assert_eq!(list["result"]["elements"].as_array().unwrap().len(), 2);
    assert!(list["result"]["nextPage"]
        .as_str()
        .unwrap()
        .ends_with("offset=2"));
    let legacy = api(format!("/API/v3/surveys/{ONBOARDING_SURVEY_ID}")).await;
    let counts = &legacy["result"]["responseCounts"];
    assert_eq!(
        counts["auditable"].as_u64().unwrap() + counts["generated"].as_u64().unwrap(),
        120
    );
}

#[tokio::test]
async fn reuse_export_files_flag_serves_identical_exports_from_one_file() {
    let (_child, url) = spawn_sim(&[
        "--port",
        "0",
        "--responses",
        "200",
        "--export-polls",
        "0",
        "--reuse-export-files",
    ])
    .await;
    for _ in 0..2 {
        export_file(&url, "csv").await;
    }
    let stats = common::json_of(common::client().get(format!("{url}/__sim/stats"))).await;
    assert_eq!(stats["exportsStarted"], 2);
    assert_eq!(stats["exportsReused"], 1);
}

/// Export files have no name on disk: a simulator that is killed (as benchmarks and test
/// harnesses stop it) leaves nothing in the temp folder, and two downloads of one file at
/// once each get the whole file.
#[tokio::test]
async fn a_killed_simulator_leaves_no_export_file_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut child, url) = spawn_sim_with_temp(
        &["--port", "0", "--responses", "3000", "--export-polls", "0"],
        tmp.path(),
    )
    .await;
    let export = export_path(&url);
    let file_id = export_file(&url, "json").await;
    let http = common::client();
    let fetch = || async {
        http.get(format!("{export}/{file_id}/file"))
            .header("X-API-TOKEN", API_TOKEN)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
    };
    let (a, b) = tokio::join!(fetch(), fetch());
    assert!(a.len() > 100_000, "{} bytes", a.len());
    assert_eq!(a, b, "concurrent downloads read the same bytes");
    let (name, _) = common::unzip_single(&a);
    assert!(name.ends_with(".json"), "{name}");

    child.0.kill().unwrap();
    child.0.wait().unwrap();
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

fn export_path(url: &str) -> String {
    format!("{url}/API/v3/surveys/{ONBOARDING_SURVEY_ID}/export-responses")
}

/// Starts an export of the onboarding survey in `format` and polls it; returns its file id.
async fn export_file(url: &str, format: &str) -> String {
    let export = export_path(url);
    let started = common::json_of(
        common::client()
            .post(&export)
            .header("X-API-TOKEN", API_TOKEN)
            .json(&serde_json::json!({ "format": format })),
    )
    .await;
    let progress = started["result"]["progressId"]
        .as_str()
        .unwrap()
        .to_string();
    loop {
        let p = common::json_of(
            common::client()
                .get(format!("{export}/{progress}"))
                .header("X-API-TOKEN", API_TOKEN),
        )
        .await;
        if let Some(file_id) = p["result"]["fileId"].as_str() {
            return file_id.to_string();
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}
