//! The support debug bundle: contents, redaction, and never a secret.

use chrono::Utc;
use std::io::Read;

use crate::app_support::*;
use pulsemap_core::dto::{DebugExportOptions, RefreshMode};
use pulsemap_core::ErrorKind;
use qualtrics_sim::catalog::{API_TOKEN, MAIN_USER, SUPPORT_CSAT_QID, SUPPORT_SURVEY_ID as SURVEY};
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
    let map = t
        .app
        .add_metric_card(&map.map.id, &map.stages[0].id, &map.lanes[0].id, &config)
        .unwrap();
    let card = &map.cards[0];
    t.app
        .refresh_survey(&crate::sv(SURVEY), RefreshMode::Force, Utc::now(), &|_| {})
        .await
        .unwrap();
    let pii = pii_samples(&t);
    assert!(
        pii.iter().any(|s| s.contains('@')),
        "simulator data has e-mails: {pii:?}"
    );
    assert!(pii.len() >= 5, "{pii:?}");

    // Exports go outside the data dir (`t.dir`), which the export refuses.
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("bundle.zip");
    let summary = t
        .app
        .debug_export(&crate::sv(SURVEY), &out, DebugExportOptions::default())
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
        "redactions.json",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    let user = MAIN_USER.user_name;
    let email = user.split('#').next().unwrap();
    assert!(email.contains('@'), "{user}");
    for (name, bytes) in &files {
        assert!(!contains(bytes, API_TOKEN.as_bytes()), "token in {name}");
        assert!(!contains(bytes, email.as_bytes()), "user e-mail in {name}");
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
    // The support person sees what was redacted, where and why (never the values).
    let redactions = member("redactions.json");
    let lines = redactions["redacted"].as_array().unwrap();
    let has = |file: &str, field: &str, reason: &str| {
        lines.iter().any(|l| {
            l["file"] == file
                && l["field"].as_str().unwrap().ends_with(field)
                && l["reason"] == reason
                && l["count"].as_u64().unwrap() > 0
        })
    };
    assert!(
        has("responses.json", "values.ipAddress", "IP address field"),
        "{redactions}"
    );
    assert!(
        has(
            "connection_log.json",
            "[].message",
            "connected Qualtrics user name"
        ),
        "{redactions}"
    );
    assert!(lines.iter().any(|l| l["reason"]
        .as_str()
        .unwrap()
        .starts_with("question type TE")));
    assert_eq!(redactions["total"], manifest["redactedValues"]);
    assert!(manifest["redactedValues"].as_u64().unwrap() > 0);
    for p in &pii {
        assert!(!redactions.to_string().contains(p.as_str()));
    }

    // Explicit opt-out: PII present, token still absent.
    let raw = out_dir.path().join("raw.zip");
    let summary = t
        .app
        .debug_export(
            &crate::sv(SURVEY),
            &raw,
            DebugExportOptions {
                redact_pii: false,
                overwrite: false,
            },
        )
        .unwrap();
    assert!(!summary.redacted);
    let files = unzip(&raw);
    assert!(files.iter().all(|(n, _)| n != "redactions.json"));
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
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("none.zip");
    let err = t
        .app
        .debug_export(
            &crate::sv("SV_doesNotExist"),
            &out,
            DebugExportOptions::default(),
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(!out.exists());
}

#[tokio::test]
async fn the_destination_never_destroys_the_data_dir_devices_or_existing_files() {
    let t = connected().await;
    t.app
        .refresh_survey(&crate::sv(SURVEY), RefreshMode::Force, Utc::now(), &|_| {})
        .await
        .unwrap();
    let responses = t.app.store().response_count(SURVEY).unwrap();
    let db = t.dir.path().join(pulsemap_core::app::DB_FILE);
    let db_bytes = std::fs::read(&db).unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let link = out_dir.path().join("innocent.zip");
    std::os::unix::fs::symlink(&db, &link).unwrap();
    let fifo = out_dir.path().join("pipe.zip");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let forced = DebugExportOptions {
        redact_pii: true,
        overwrite: true,
    };
    let refused = [
        (db.clone(), "data dir"),
        (t.dir.path().join("pulsemap.db-wal"), "data dir"),
        (t.dir.path().join("new.zip"), "data dir"),
        (link.clone(), "data dir"),
        (out_dir.path().to_path_buf(), "a directory"),
        (fifo.clone(), "not a regular file"),
    ];
    for (dest, why) in &refused {
        let err = t
            .app
            .debug_export(&crate::sv(SURVEY), dest, forced)
            .unwrap_err();
        assert_eq!(
            err.kind(),
            ErrorKind::InvalidInput,
            "{}: {err}",
            dest.display()
        );
        assert!(err.message().contains(why), "{}: {err}", dest.display());
        assert!(
            err.message().contains(&dest.display().to_string()),
            "names the path: {err}"
        );
    }
    assert_eq!(
        std::fs::read(&db).unwrap(),
        db_bytes,
        "the database changed"
    );
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(!t.dir.path().join("new.zip").exists());
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
    assert_eq!(t.app.store().integrity_check().unwrap(), "ok");
    assert_eq!(t.app.store().response_count(SURVEY).unwrap(), responses);

    // An existing file is replaced only when asked to.
    let existing = out_dir.path().join("notes.zip");
    std::fs::write(&existing, b"keep me").unwrap();
    let err = t
        .app
        .debug_export(&crate::sv(SURVEY), &existing, DebugExportOptions::default())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(err.message().contains("already exists"), "{err}");
    assert_eq!(std::fs::read(&existing).unwrap(), b"keep me");
    let summary = t
        .app
        .debug_export(&crate::sv(SURVEY), &existing, forced)
        .unwrap();
    assert_eq!(summary.bytes, std::fs::metadata(&existing).unwrap().len());
    assert!(!unzip(&existing).is_empty());
}

#[tokio::test]
async fn a_qualtrics_failure_keeps_its_cause_and_request_id_for_the_debug_bundle() {
    let t = connected().await;
    t.app
        .refresh_survey(&crate::sv(SURVEY), RefreshMode::Force, Utc::now(), &|_| {})
        .await
        .unwrap();
    t.sim.faults().revoke_token(true);
    let err = t
        .app
        .refresh_survey(&crate::sv(SURVEY), RefreshMode::Force, Utc::now(), &|_| {})
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TokenRevoked, "{err}");
    let id = err
        .request_id()
        .expect("the 401's meta.requestId survives the re-wording")
        .to_owned();
    let cause = std::error::Error::source(&err).expect("the client's error is kept as the cause");
    assert!(!cause.to_string().is_empty());
    assert!(!err.message().contains(&id), "the UI message stays plain");

    let attempt = &t
        .app
        .store()
        .list_refresh_attempts(Some(SURVEY), 1)
        .unwrap()[0];
    assert!(
        attempt.error_message.as_deref().unwrap().contains(&id),
        "{attempt:?}"
    );
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("bundle.zip");
    let options = DebugExportOptions {
        redact_pii: false,
        overwrite: false,
    };
    t.app
        .debug_export(&crate::sv(SURVEY), &out, options)
        .unwrap();
    let files = unzip(&out);
    let log = &files
        .iter()
        .find(|(n, _)| n == "connection_log.json")
        .unwrap()
        .1;
    let log: Value = serde_json::from_slice(log).unwrap();
    let failed = log
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event"] == "refresh" && e["ok"] == false)
        .expect("the failed refresh is logged");
    let message = failed["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("Qualtrics request id {id}")),
        "{message}"
    );
}
