//! NDJSON and TSV exports, and the cap on kept export files.

use crate::common::*;
use qualtrics_sim::catalog::*;
use qualtrics_sim::{generate_response, response_in_progress};
use serde_json::{json, Value};

#[tokio::test]
async fn ndjson_has_one_response_per_line() {
    let config = config(120, 0);
    let sim = start(config.clone()).await;
    let (fid, _, _) = run_export(
        &sim,
        ONBOARDING_SURVEY_ID,
        &json!({"format": "ndjson", "limit": 30}),
    )
    .await;
    let (name, content) = unzip_single(&download_bytes(&sim, ONBOARDING_SURVEY_ID, &fid).await);
    assert_eq!(name, "Onboarding Experience.ndjson");
    let lines: Vec<Value> = String::from_utf8(content)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let expected: Vec<Value> = (0..120)
        .filter(|i| !response_in_progress(&config, ONBOARDING_SURVEY_ID, *i))
        .take(30)
        .map(|i| generate_response(&config, ONBOARDING_SURVEY_ID, i))
        .collect();
    assert_eq!(lines, expected);
}

#[tokio::test]
async fn tsv_uses_tabs_and_the_csv_layout() {
    let sim = start_with(80, 0).await;
    let (fid, _, _) = run_export(
        &sim,
        SUPPORT_SURVEY_ID,
        &json!({"format": "tsv", "limit": 10, "compress": false}),
    )
    .await;
    let resp = download(&sim, SUPPORT_SURVEY_ID, &fid).await;
    assert_eq!(
        resp.headers()["content-disposition"],
        "attachment; filename=Support+Satisfaction.tsv"
    );
    let rows = parse_csv(&resp.text().await.unwrap(), '\t');
    assert_eq!(rows.len(), 3 + 10);
    assert_eq!(rows[0][0], "StartDate");
    assert_eq!(&rows[0][17..], ["Q1", "Q2", "Q3", "Q4", "Region"]);
    assert!(rows.iter().all(|r| r.len() == rows[0].len()));
}

#[tokio::test]
async fn old_export_files_are_deleted_beyond_the_cap() {
    let sim = start(no_polls()).await;
    let (first, _, _) = run_export(&sim, EMPTY_SURVEY_ID, &json!({"format": "json"})).await;
    assert_eq!(download(&sim, EMPTY_SURVEY_ID, &first).await.status(), 200);
    let mut last = String::new();
    for _ in 0..qualtrics_sim::state::MAX_FILES {
        last = run_export(&sim, EMPTY_SURVEY_ID, &json!({"format": "json"}))
            .await
            .0;
    }
    assert_eq!(
        download(&sim, EMPTY_SURVEY_ID, &first).await.status(),
        404,
        "oldest file expired"
    );
    assert_eq!(download(&sim, EMPTY_SURVEY_ID, &last).await.status(), 200);
}
