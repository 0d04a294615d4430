//! Store: opening/migrations, settings, connection log, surveys, survey definitions (checked
//! against the real recorded definition and the simulator's), refresh attempts, metric values.

use chrono::{Duration, TimeZone, Utc};
use pulsemap_core::store::AttemptStatus;
use pulsemap_core::store::{AttemptMode, AttemptOutcome, Store, SurveyInfo};
use pulsemap_core::ErrorKind;
use qualtrics_sim::{catalog, SimConfig};
use serde_json::{json, Value};

const RECORDED_DEFINITION: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../qualtrics/tests/fixtures/recorded/qualtRics/extracted/fetch_description/00_GET_survey_definitions_SV_3gbwq8aJgqPwQDP.json"
);

fn recorded() -> Value {
    serde_json::from_str(&std::fs::read_to_string(RECORDED_DEFINITION).unwrap()).unwrap()
}

fn survey(id: &str, name: &str) -> SurveyInfo {
    SurveyInfo {
        id: id.into(),
        name: name.into(),
        owner_id: Some("UR_1".into()),
        is_active: true,
        last_modified: Some("2020-02-20T01:19:11Z".into()),
        creation_date: None,
    }
}

#[test]
fn file_store_uses_wal_and_latest_schema_and_survives_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("pulsemap.db");
    {
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), 13);
        let mode: String = store
            .with_conn(|c| Ok(c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?))
            .unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = store
            .with_conn(|c| Ok(c.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?))
            .unwrap();
        assert_eq!(fk, 1);
        store
            .set_setting("connection.base_url", "iad1.qualtrics.com")
            .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 13);
    assert_eq!(
        store.get_setting("connection.base_url").unwrap().as_deref(),
        Some("iad1.qualtrics.com")
    );
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn store_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Store>();
}

#[test]
fn with_tx_rolls_back_on_error() {
    let store = Store::open_in_memory().unwrap();
    let err = store
        .with_tx(|tx| {
            tx.execute("INSERT INTO settings (key, value) VALUES ('a', '1')", [])?;
            Err::<(), _>(pulsemap_core::Error::invalid("stop"))
        })
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(store.get_setting("a").unwrap(), None);
}

#[test]
fn settings_crud_and_prefix_listing() {
    let store = Store::open_in_memory().unwrap();
    store.set_setting("connection.auth", "token").unwrap();
    store.set_setting("connection.hint", "••••abcd").unwrap();
    store.set_setting("ui.theme", "dark").unwrap();
    store.set_setting("connection.auth", "oauth").unwrap();
    assert_eq!(
        store.get_setting("connection.auth").unwrap().as_deref(),
        Some("oauth")
    );
    let listed = store.list_settings("connection.").unwrap();
    assert_eq!(
        listed,
        vec![
            ("connection.auth".into(), "oauth".into()),
            ("connection.hint".into(), "••••abcd".into())
        ]
    );
    assert!(store.delete_setting("ui.theme").unwrap());
    assert!(!store.delete_setting("ui.theme").unwrap());
    assert_eq!(store.delete_settings("connection.").unwrap(), 2);
    assert!(store.list_settings("").unwrap().is_empty());
}

#[test]
fn connection_log_lists_newest_first() {
    let store = Store::open_in_memory().unwrap();
    let t0 = Utc.with_ymd_and_hms(2026, 2, 1, 9, 0, 0).unwrap();
    store
        .append_connection_log(t0, "validate", true, None, None)
        .unwrap();
    store
        .append_connection_log(
            t0 + Duration::minutes(5),
            "refresh",
            false,
            Some(ErrorKind::Network),
            Some("timed out"),
        )
        .unwrap();
    let log = store.list_connection_log(10).unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].event, "refresh");
    assert!(!log[0].ok);
    assert_eq!(log[0].error_kind, Some(ErrorKind::Network));
    assert_eq!(log[1].at, t0);
    assert_eq!(store.list_connection_log(1).unwrap().len(), 1);
}

#[test]
fn survey_list_upsert_marks_missing_surveys_deleted() {
    let store = Store::open_in_memory().unwrap();
    let t0 = Utc.with_ymd_and_hms(2026, 2, 1, 9, 0, 0).unwrap();
    store
        .upsert_surveys(&[survey("SV_a", "Alpha"), survey("SV_b", "Beta")], t0)
        .unwrap();
    store
        .upsert_surveys(&[survey("SV_b", "Beta renamed")], t0 + Duration::hours(1))
        .unwrap();
    let all = store.list_surveys().unwrap();
    assert_eq!(all.len(), 2);
    let a = store.get_survey("SV_a").unwrap().unwrap();
    assert!(a.deleted);
    let b = store.get_survey("SV_b").unwrap().unwrap();
    assert!(!b.deleted);
    assert_eq!(b.name, "Beta renamed");
    assert_eq!(b.listed_at, Some(t0 + Duration::hours(1)));
    // Seen again: no longer deleted.
    store
        .upsert_surveys(&[survey("SV_a", "Alpha")], t0 + Duration::hours(2))
        .unwrap();
    assert!(!store.get_survey("SV_a").unwrap().unwrap().deleted);
    assert!(store.get_survey("SV_b").unwrap().unwrap().deleted);
    assert!(store.get_survey("SV_zz").unwrap().is_none());
}

#[test]
fn recorded_definition_maps_to_question_rows() {
    let store = Store::open_in_memory().unwrap();
    let raw = recorded();
    store
        .set_survey_definition("SV_3gbwq8aJgqPwQDP", &raw["result"])
        .unwrap();
    let s = store.get_survey("SV_3gbwq8aJgqPwQDP").unwrap().unwrap();
    assert_eq!(s.name, "Beskar Armor");
    assert!(s.has_definition);
    assert_eq!(
        store
            .survey_definition("SV_3gbwq8aJgqPwQDP")
            .unwrap()
            .unwrap(),
        raw["result"]
    );

    let qs = store.list_questions("SV_3gbwq8aJgqPwQDP").unwrap();
    assert_eq!(qs.len(), 12);
    // Flow order: block "CSAT Intro" (QID63) then QID16, 17, 18, 19, 22; trash last.
    let live: Vec<&str> = qs
        .iter()
        .filter(|q| !q.deleted)
        .map(|q| q.qid.as_str())
        .collect();
    assert_eq!(live, ["QID63", "QID16", "QID17", "QID18", "QID19", "QID22"]);
    let trashed: Vec<&str> = qs
        .iter()
        .filter(|q| q.deleted)
        .map(|q| q.qid.as_str())
        .collect();
    assert_eq!(trashed.len(), 6);
    assert!(trashed.contains(&"QID20") && trashed.contains(&"QID64"));

    let q16 = store
        .get_question("SV_3gbwq8aJgqPwQDP", "QID16")
        .unwrap()
        .unwrap();
    assert_eq!(q16.export_tag.as_deref(), Some("Q16"));
    assert_eq!(
        q16.text,
        "Overall, how satisfied are you with your beskar armor?"
    );
    assert_eq!(
        (q16.question_type.as_str(), q16.selector.as_deref()),
        ("MC", Some("SAVR"))
    );
    assert_eq!(q16.sub_selector.as_deref(), Some("TX"));
    let ids: Vec<&str> = q16.choices.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["5", "4", "3", "2", "1"], "ChoiceOrder is kept");
    let one = q16.choices.iter().find(|c| c.id == "1").unwrap();
    assert_eq!(one.label, "Extremely dissatisfied", "HTML stripped");
    assert_eq!(one.recode, "1");
    assert!(q16.choices.iter().all(|c| c.analyze));
    let three = q16.choices.iter().find(|c| c.id == "3").unwrap();
    assert_eq!(three.label, "Neither satisfied nor dissatisfied");

    let q63 = store
        .get_question("SV_3gbwq8aJgqPwQDP", "QID63")
        .unwrap()
        .unwrap();
    assert_eq!(q63.choices[0].label, "Daily");
    assert_eq!(q63.choices[2].label, "Once a month");
    let q18 = store
        .get_question("SV_3gbwq8aJgqPwQDP", "QID18")
        .unwrap()
        .unwrap();
    assert_eq!(
        q18.choices[0].label,
        "Yes, by the tribe or its representatives"
    );
    let q19 = store
        .get_question("SV_3gbwq8aJgqPwQDP", "QID19")
        .unwrap()
        .unwrap();
    assert!(q19.is_text_entry() && q19.choices.is_empty());
    assert_eq!(
        store.list_embedded_fields("SV_3gbwq8aJgqPwQDP").unwrap(),
        ["SolutionRevision"]
    );

    // A later definition without QID22 marks it deleted and keeps the others live.
    let mut next = raw["result"].clone();
    next["Questions"].as_object_mut().unwrap().remove("QID22");
    store
        .set_survey_definition("SV_3gbwq8aJgqPwQDP", &next)
        .unwrap();
    let q22 = store
        .get_question("SV_3gbwq8aJgqPwQDP", "QID22")
        .unwrap()
        .unwrap();
    assert!(q22.deleted);
    assert!(
        !store
            .get_question("SV_3gbwq8aJgqPwQDP", "QID16")
            .unwrap()
            .unwrap()
            .deleted
    );
}

#[test]
fn simulator_definition_has_dont_know_matrix_rows_and_embedded_fields() {
    let cfg = SimConfig::default();
    let raw = qualtrics_sim::definition_json(&cfg, catalog::ONBOARDING_SURVEY_ID).unwrap();
    let store = Store::open_in_memory().unwrap();
    store
        .set_survey_definition(catalog::ONBOARDING_SURVEY_ID, &raw)
        .unwrap();
    let csat = store
        .get_question(catalog::ONBOARDING_SURVEY_ID, catalog::ONBOARDING_CSAT_QID)
        .unwrap()
        .unwrap();
    let dont_know: Vec<_> = csat.choices.iter().filter(|c| !c.analyze).collect();
    assert_eq!(dont_know.len(), 1);
    assert_eq!(
        dont_know[0].recode,
        catalog::ONBOARDING_CSAT_DONT_KNOW_RECODE.to_string()
    );
    let matrix = store
        .get_question(
            catalog::ONBOARDING_SURVEY_ID,
            catalog::ONBOARDING_MATRIX_QID,
        )
        .unwrap()
        .unwrap();
    let rows: Vec<&str> = matrix
        .sub_questions
        .iter()
        .map(|s| s.label.as_str())
        .collect();
    assert_eq!(rows, ["Speed", "Reliability", "Support"]);
    assert_eq!(matrix.choices.len(), 5);
    let features = store
        .get_question(
            catalog::ONBOARDING_SURVEY_ID,
            catalog::ONBOARDING_FEATURES_QID,
        )
        .unwrap()
        .unwrap();
    assert!(features.is_multi_select());
    let fields = store
        .list_embedded_fields(catalog::ONBOARDING_SURVEY_ID)
        .unwrap();
    assert!(fields.iter().any(|f| f == "Region"), "{fields:?}");
}

#[test]
fn malformed_definition_is_rejected_without_changes() {
    let store = Store::open_in_memory().unwrap();
    let err = store
        .set_survey_definition("SV_x", &json!({"Questions": 5}))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Malformed);
    assert!(store.get_survey("SV_x").unwrap().is_none());
}

#[test]
fn refresh_attempts_record_every_outcome() {
    let store = Store::open_in_memory().unwrap();
    let t0 = Utc.with_ymd_and_hms(2026, 2, 1, 9, 0, 0).unwrap();
    assert_eq!(store.last_refresh_attempt_at("SV_a").unwrap(), None);
    let a = store
        .begin_refresh_attempt("SV_a", AttemptMode::Full, t0)
        .unwrap();
    store
        .finish_refresh_attempt(
            a,
            &AttemptOutcome {
                ok: true,
                new_responses: 120,
                http_requests: 6,
                ..Default::default()
            },
            t0 + Duration::seconds(3),
        )
        .unwrap();
    let b = store
        .begin_refresh_attempt("SV_a", AttemptMode::Incremental, t0 + Duration::hours(2))
        .unwrap();
    store
        .finish_refresh_attempt(
            b,
            &AttemptOutcome {
                ok: false,
                error_kind: Some(ErrorKind::TokenRevoked),
                error_message: Some("token no longer accepted".into()),
                http_requests: 1,
                ..Default::default()
            },
            t0 + Duration::hours(2),
        )
        .unwrap();
    store
        .begin_refresh_attempt("SV_b", AttemptMode::Full, t0 + Duration::hours(3))
        .unwrap();
    assert_eq!(
        store.last_refresh_attempt_at("SV_a").unwrap(),
        Some(t0 + Duration::hours(2))
    );
    let list = store.list_refresh_attempts(Some("SV_a"), 10).unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].outcome, AttemptStatus::Failed);
    assert_eq!(list[0].error_kind, Some(ErrorKind::TokenRevoked));
    assert_eq!(list[0].mode, AttemptMode::Incremental);
    assert_eq!(
        (
            list[1].outcome,
            list[1].new_responses,
            list[1].http_requests
        ),
        (AttemptStatus::Ok, 120, 6)
    );
    assert_eq!(
        store.list_refresh_attempts(None, 10).unwrap()[0].outcome,
        AttemptStatus::Running
    );
    let err = store
        .finish_refresh_attempt(999, &AttemptOutcome::default(), t0)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}
