//! The support debug bundle: contents, redaction, and never a secret.

use std::io::Read;

use crate::app_support::*;
use pulsemap_core::dto::{DebugExportOptions, RefreshMode};
use pulsemap_core::ErrorKind;
use qualtrics_sim::catalog::{API_TOKEN, SUPPORT_CSAT_QID, SUPPORT_SURVEY_ID as SURVEY};
use serde_json::Value;

fn unzip(path: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut buf = Vec::new();
            f.read_to_end(&mut buf).unwrap();
            (f.name().to_string(), buf)
        })
        .collect()
}

/// PII strings the simulator put into the cached responses (e-mails, IPs, text answers).
fn pii_samples(t: &TestApp) -> Vec<String> {
    let mut out = Vec::new();
    t.app
        .store()
        .for_each_response(SURVEY, |r| {
            for (key, v) in &r.values {
                let Some(s) = v.as_str() else { continue };
                let lower = key.to_ascii_lowercase();
                let pii = lower.contains("email")
                    || lower == "ipaddress"
                    || lower.contains("latitude")
                    || key.ends_with("_TEXT");
                if pii && s.len() >= 6 && !s.contains(['"', '\\']) && out.len() < 40 {
                    out.push(s.to_string());
                }
            }
            Ok(())
        })
        .unwrap();
    out
}

#[tokio::test]
async fn bundle_is_complete_redacted_and_secret_free() {
    let t = connected().await;
    let map = t.app.create_map("Support").unwrap();
    let map = t.app.add_stage(&map.map.id, "Contact").unwrap();
    let map = t.app.add_lane(&map.map.id, "CSAT").unwrap();
    let config = support_csat_card();
    let card = t
        .app
        .add_metric_card(&map.map.id, &map.stages[0].id, &map.lanes[0].id, &config)
        .unwrap();
    t.app
        .refresh_survey(SURVEY, RefreshMode::Force, |_| {})
        .await
        .unwrap();
    let pii = pii_samples(&t);
    assert!(
        pii.iter().any(|s| s.contains('@')),
        "simulator data has e-mails: {pii:?}"
    );
    assert!(pii.len() >= 5, "{pii:?}");

    let out = t.dir.path().join("bundle.zip");
    let summary = t
        .app
        .debug_export(SURVEY, &out, DebugExportOptions::default())
        .unwrap();
    assert!(summary.redacted);
    assert!(summary.responses > 0);
    let files = unzip(&out);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    for expected in [
        "manifest.json",
        "definition.json",
        "responses.json",
        "cards.json",
        "values.json",
        "refresh_log.json",
        "connection_log.json",
        "versions.json",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    for (name, bytes) in &files {
        assert!(!contains(bytes, API_TOKEN.as_bytes()), "token in {name}");
        serde_json::from_slice::<Value>(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        for p in &pii {
            assert!(!contains(bytes, p.as_bytes()), "PII {p:?} in {name}");
        }
    }
    let manifest: Value = serde_json::from_slice(&files[0].1).unwrap();
    assert_eq!(manifest["surveyId"], SURVEY);
    assert_eq!(manifest["redactPii"], true);
    assert_eq!(manifest["files"].as_array().unwrap().len(), files.len());
    let responses: Value =
        serde_json::from_slice(&files.iter().find(|(n, _)| n == "responses.json").unwrap().1)
            .unwrap();
    assert_eq!(
        responses["completed"].as_array().unwrap().len() as u64,
        t.app.store().response_count(SURVEY).unwrap()
    );
    assert!(contains(&files[0].1, b"\"redactPii\": true"));
    let member = |name: &str| -> Value {
        serde_json::from_slice(&files.iter().find(|(n, _)| n == name).unwrap().1).unwrap()
    };
    assert_eq!(member("cards.json")[0]["cardId"], card.card.id.as_str());
    assert_eq!(
        member("cards.json")[0]["config"]["questionId"],
        SUPPORT_CSAT_QID
    );
    assert_eq!(member("values.json")[0]["cardId"], card.card.id.as_str());
    assert!(member("values.json")[0]["value"]["n"].as_u64().unwrap() > 0);
    assert!(member("versions.json")["app"].is_string());
    let refresh_log = &files
        .iter()
        .find(|(n, _)| n == "refresh_log.json")
        .unwrap()
        .1;
    assert!(contains(refresh_log, b"\"ok\""));

    // Explicit opt-out: PII present, token still absent.
    let raw = t.dir.path().join("raw.zip");
    let summary = t
        .app
        .debug_export(SURVEY, &raw, DebugExportOptions { redact_pii: false })
        .unwrap();
    assert!(!summary.redacted);
    let files = unzip(&raw);
    let all: Vec<u8> = files.iter().flat_map(|(_, b)| b.clone()).collect();
    assert!(!contains(&all, API_TOKEN.as_bytes()));
    for p in &pii {
        assert!(
            contains(&all, p.as_bytes()),
            "unredacted bundle lacks {p:?}"
        );
    }
}

#[tokio::test]
async fn unknown_survey_is_not_found_and_writes_nothing() {
    let t = connected().await;
    let out = t.dir.path().join("none.zip");
    let err = t
        .app
        .debug_export("SV_doesNotExist", &out, DebugExportOptions::default())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(!out.exists());
}
