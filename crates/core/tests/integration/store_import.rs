//! Importer: dedup, in-progress rows kept apart, atomic commit of rows + sync state, rollback
//! on drop, full resync, reading while importing, and a SIGKILL in the middle of an import.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use chrono::{TimeZone, Utc};
use pulsemap_core::store::{migrations_through, ResponseCounts, ResponseRow, Store};
use serde_json::{json, Map, Value};

const SV: &str = "SV_import";

fn row(id: &str, nps: i64) -> ResponseRow {
    let mut values = Map::new();
    values.insert("QID1".into(), json!(nps));
    values.insert("finished".into(), json!(1));
    values.insert("startDate".into(), json!("2026-02-01T10:00:00Z"));
    values.insert("endDate".into(), json!("2026-02-01T10:05:00Z"));
    values.insert("recordedDate".into(), json!("2026-02-01T10:05:00.123Z"));
    ResponseRow {
        response_id: id.into(),
        finished: true,
        in_progress: false,
        values_json: Value::Object(values).to_string(),
        labels_json: None,
    }
}

fn in_progress(id: &str) -> ResponseRow {
    ResponseRow {
        in_progress: true,
        finished: false,
        ..row(id, 5)
    }
}

#[test]
fn import_dedups_and_commits_sync_state_atomically() {
    let store = Store::open_in_memory().unwrap();
    let t1 = Utc.with_ymd_and_hms(2026, 2, 2, 8, 0, 0).unwrap();
    let mut imp = store.importer(SV).unwrap();
    for i in 0..10 {
        imp.add(row(&format!("R_{i}"), i)).unwrap();
    }
    imp.add(row("R_3", 10)).unwrap(); // duplicate within the same export
    imp.add(in_progress("R_ip1")).unwrap();
    assert_eq!(imp.count(), 12);
    let s = imp.commit(Some("token-1"), t1).unwrap();
    assert_eq!(
        (s.inserted, s.updated, s.in_progress, s.total_responses),
        (10, 1, 1, 10)
    );
    assert_eq!(store.response_count(SV).unwrap(), 10);
    assert_eq!(store.in_progress_count(SV).unwrap(), 1);
    let state = store.sync_state(SV).unwrap().unwrap();
    assert_eq!(state.continuation_token.as_deref(), Some("token-1"));
    assert_eq!(state.last_success_at, Some(t1));
    assert_eq!(state.response_count, 10);
    let g1 = state.generation;
    assert_eq!(g1, 1);

    // The duplicate replaced the stored copy.
    let mut r3 = None;
    store
        .for_each_response(SV, |r| {
            if r.response_id == "R_3" {
                r3 = Some(r);
            }
            Ok(())
        })
        .unwrap();
    assert_eq!(r3.unwrap().values["QID1"], json!(10));

    // Incremental: one known response re-exported, one in-progress response completed.
    let t2 = Utc.with_ymd_and_hms(2026, 2, 3, 8, 0, 0).unwrap();
    let mut imp = store.importer(SV).unwrap();
    imp.add(row("R_0", 9)).unwrap();
    imp.add(row("R_ip1", 7)).unwrap();
    let s = imp.commit(Some("token-2"), t2).unwrap();
    assert_eq!((s.inserted, s.updated, s.total_responses), (1, 1, 11));
    assert_eq!(
        store.in_progress_count(SV).unwrap(),
        0,
        "completed response moved out"
    );
    assert_eq!(store.sync_state(SV).unwrap().unwrap().generation, g1 + 1);

    // Nothing new, or only identical copies of cached responses: the generation (and so the
    // metric column cache) stays.
    let imp = store.importer(SV).unwrap();
    let s = imp.commit(Some("token-3"), t2).unwrap();
    assert_eq!(
        (s.inserted, s.updated, s.total_responses, s.generation),
        (0, 0, 11, g1 + 1)
    );
    let mut imp = store.importer(SV).unwrap();
    imp.add(row("R_0", 9)).unwrap();
    imp.add(row("R_5", 5)).unwrap();
    let s = imp.commit(Some("token-3"), t2).unwrap();
    assert_eq!(
        (s.inserted, s.updated, s.unchanged, s.generation),
        (0, 0, 2, g1 + 1)
    );
    // A copy that differs in any stored field is an update.
    let mut imp = store.importer(SV).unwrap();
    imp.add(ResponseRow {
        values_json: row("R_5", 5).values_json.replace("10:05:00Z", "10:06:00Z"),
        ..row("R_5", 5)
    })
    .unwrap();
    let s = imp.commit(Some("token-3"), t2).unwrap();
    assert_eq!(
        (s.inserted, s.updated, s.unchanged, s.generation),
        (0, 1, 0, g1 + 2)
    );
    assert_eq!(
        store
            .sync_state(SV)
            .unwrap()
            .unwrap()
            .continuation_token
            .as_deref(),
        Some("token-3")
    );
}

#[test]
fn dropping_an_importer_rolls_back_rows_and_token() {
    let store = Store::open_in_memory().unwrap();
    let t1 = Utc.with_ymd_and_hms(2026, 2, 2, 8, 0, 0).unwrap();
    let mut imp = store.importer(SV).unwrap();
    imp.add(row("R_1", 9)).unwrap();
    imp.commit(Some("good-token"), t1).unwrap();

    let mut imp = store.importer(SV).unwrap();
    imp.replace_existing().unwrap();
    for i in 0..50 {
        imp.add(row(&format!("R_new_{i}"), 1)).unwrap();
    }
    drop(imp); // e.g. the export failed half-way
    assert_eq!(store.response_count(SV).unwrap(), 1);
    let state = store.sync_state(SV).unwrap().unwrap();
    assert_eq!(state.continuation_token.as_deref(), Some("good-token"));
    assert_eq!(state.generation, 1);

    // A committed full resync replaces everything.
    let mut imp = store.importer(SV).unwrap();
    imp.replace_existing().unwrap();
    imp.add(row("R_2", 3)).unwrap();
    imp.add(row("R_3", 4)).unwrap();
    let s = imp.commit(None, t1).unwrap();
    assert_eq!((s.inserted, s.total_responses), (2, 2));
    assert_eq!(
        store.sync_state(SV).unwrap().unwrap().continuation_token,
        None
    );
}

#[test]
fn file_store_stays_readable_while_an_import_is_open() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("p.db")).unwrap();
    let mut imp = store.importer(SV).unwrap();
    imp.add(row("R_1", 9)).unwrap();
    imp.commit(Some("t1"), Utc::now()).unwrap();
    let mut imp = store.importer(SV).unwrap();
    for i in 0..100 {
        imp.add(row(&format!("R_x{i}"), 1)).unwrap();
    }
    // The app keeps painting from the cache meanwhile (WAL): old data, no waiting.
    assert_eq!(store.response_count(SV).unwrap(), 1);
    imp.commit(Some("t2"), Utc::now()).unwrap();
    assert_eq!(store.response_count(SV).unwrap(), 101);
}

#[test]
fn export_json_elements_convert_to_rows() {
    let el = json!({"responseId": "R_abc", "values": {"startDate": "2026-01-01T00:00:00Z",
        "endDate": "2026-01-01T00:01:00Z", "recordedDate": "2026-01-01T00:01:00.500Z",
        "finished": 1, "QID1": 7}, "labels": {"QID1": "7"}});
    let r = ResponseRow::from_export_json(&el, false).unwrap();
    assert_eq!(r.response_id, "R_abc");
    assert!(r.finished && !r.in_progress);
    assert!(r.values_json.contains("2026-01-01T00:01:00.500Z"));
    let labels: Value = serde_json::from_str(r.labels_json.as_deref().unwrap()).unwrap();
    assert_eq!(labels["QID1"], Value::from("7"));
    assert!(ResponseRow::from_export_json(&json!({"values": {}}), false).is_none());
    // Parts are stored as they came; the dates are read from the values text.
    let r = ResponseRow::from_json_parts(
        "R_x".into(),
        r#"{"QID1": [1, {"a": "}"}], "finished": "True", "startDate": "2026-03-01T00:00:00Z"}"#
            .into(),
        None,
        true,
    )
    .unwrap();
    assert!(r.finished && r.in_progress);
    assert!(r.values_json.contains(r#"{"a": "}"}"#));
    let bad = ResponseRow::from_json_parts("R_y".into(), "[1, 2]".into(), None, false);
    assert_eq!(
        bad.unwrap_err().kind(),
        pulsemap_core::error::ErrorKind::Malformed
    );
}

const CHILD_ENV: &str = "PULSEMAP_TEST_KILL_IMPORT_DB";
const COMMITTED: usize = 1_000;

/// Child-process entry of `sigkill_mid_import_keeps_the_previous_cache`: it only does work
/// when re-executed by that test with the database path in the environment.
#[test]
fn child_import_until_killed() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return;
    };
    let store = Store::open(std::path::Path::new(&path)).unwrap();
    let mut imp = store.importer(SV).unwrap();
    imp.replace_existing().unwrap();
    let mut i = 0u64;
    loop {
        imp.add(row(&format!("R_child_{i}"), (i % 11) as i64))
            .unwrap();
        i += 1;
        if i.is_multiple_of(20_000) {
            println!("IMPORTED {i}");
        }
    }
}

#[test]
fn sigkill_mid_import_keeps_the_previous_cache() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kill.db");
    {
        let store = Store::open(&path).unwrap();
        let mut imp = store.importer(SV).unwrap();
        for i in 0..COMMITTED {
            imp.add(row(&format!("R_{i:05}"), (i % 11) as i64)).unwrap();
        }
        imp.commit(Some("token-before-kill"), Utc::now()).unwrap();
    }
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "store_import::child_import_until_killed",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, &path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut seen = 0;
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if line.starts_with("IMPORTED") {
            seen += 1;
            if seen == 2 {
                break;
            }
        }
    }
    assert_eq!(seen, 2, "the child never reported progress");
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    assert!(!status.success());

    let store = Store::open(&path).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    assert_eq!(store.response_count(SV).unwrap(), COMMITTED as u64);
    let state = store.sync_state(SV).unwrap().unwrap();
    assert_eq!(
        state.continuation_token.as_deref(),
        Some("token-before-kill")
    );
    assert_eq!(state.response_count, COMMITTED as u64);
    // And the database is writable again (no lock left behind).
    let mut imp = store.importer(SV).unwrap();
    imp.add(row("R_after", 10)).unwrap();
    assert_eq!(
        imp.commit(Some("after"), Utc::now())
            .unwrap()
            .total_responses,
        COMMITTED as u64 + 1
    );
}

#[test]
fn response_counts_commit_with_the_rows_or_not_at_all() {
    let store = Store::open_in_memory().unwrap();
    let t1 = Utc.with_ymd_and_hms(2026, 2, 2, 8, 0, 0).unwrap();
    let first = ResponseCounts {
        recorded: 2,
        deleted: 0,
    };
    let mut imp = store.importer(SV).unwrap();
    imp.add(row("R_1", 9)).unwrap();
    imp.add(row("R_2", 7)).unwrap();
    imp.set_response_counts(Some(first));
    imp.commit(Some("token-1"), t1).unwrap();
    let state = store.sync_state(SV).unwrap().unwrap();
    assert_eq!(
        (state.response_count, state.response_counts),
        (2, Some(first))
    );

    // An import that fails before its commit (here: dropped) changes neither the rows nor
    // the counts the next refresh compares with.
    let mut imp = store.importer(SV).unwrap();
    imp.add(row("R_3", 10)).unwrap();
    imp.set_response_counts(Some(ResponseCounts {
        recorded: 3,
        deleted: 1,
    }));
    drop(imp);
    let state = store.sync_state(SV).unwrap().unwrap();
    assert_eq!(
        (state.response_count, state.response_counts),
        (2, Some(first))
    );
    assert_eq!(store.response_count(SV).unwrap(), 2);

    // Qualtrics reported no counts: the commit clears them.
    let mut imp = store.importer(SV).unwrap();
    imp.add(row("R_3", 10)).unwrap();
    imp.commit(Some("token-2"), t1).unwrap();
    let state = store.sync_state(SV).unwrap().unwrap();
    assert_eq!((state.response_count, state.response_counts), (3, None));
}

#[test]
fn response_counts_kept_as_a_setting_move_into_sync_state() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pulsemap.db");
    // The database as schema 7 left it (its migrations only): counts in text settings, no
    // columns. (Not a later database wound back: later migrations would run twice.)
    let conn = rusqlite::Connection::open(&path).unwrap();
    for sql in migrations_through(7) {
        conn.execute_batch(sql).unwrap();
    }
    conn.execute_batch(
        "INSERT INTO sync_state (survey_id, continuation_token, response_count)
           VALUES ('SV_import', 'token-1', 1), ('SV_other', 'token-1', 1), ('SV_bad', 'token-1', 1);
         INSERT INTO settings (key, value) VALUES
           ('sync.SV_import.response_counts', '120:3'),
           ('sync.SV_bad.response_counts', 'x:1');
         PRAGMA user_version = 7;",
    )
    .unwrap();
    drop(conn);

    let store = Store::open(&path).unwrap();
    let counts = |sv: &str| store.sync_state(sv).unwrap().unwrap().response_counts;
    assert_eq!(
        counts(SV),
        Some(ResponseCounts {
            recorded: 120,
            deleted: 3
        })
    );
    assert_eq!(counts("SV_other"), None);
    assert_eq!(counts("SV_bad"), None, "an unreadable value is dropped");
    for sv in [SV, "SV_bad"] {
        let key = format!("sync.{sv}.response_counts");
        assert_eq!(store.get_setting(&key).unwrap(), None, "{key}");
    }
}

/// Pages are compressed on a thread of their own while the import goes on: an import of
/// several pages (a duplicate across pages, in-progress rows between them) reads back every
/// response once, in order, with its latest text; one dropped after several pages were sent
/// to compression leaves the previous cache as it was.
#[test]
fn multi_page_imports_keep_order_and_roll_back_whole() {
    let store = Store::open_in_memory().unwrap();
    let t1 = Utc.with_ymd_and_hms(2026, 2, 2, 8, 0, 0).unwrap();
    let n: u64 = 5_000; // about five pages of 1024
    let mut imp = store.importer(SV).unwrap();
    for i in 0..n {
        imp.add(row(&format!("R_{i:05}"), (i % 11) as i64)).unwrap();
        if i % 1000 == 0 {
            imp.add(in_progress(&format!("R_ip{i}"))).unwrap();
        }
    }
    imp.add(row("R_00010", 3)).unwrap(); // first seen four pages earlier: replaced
    let s = imp.commit(Some("t"), t1).unwrap();
    assert_eq!((s.inserted, s.updated, s.in_progress), (n, 1, 5));
    let mut seen = Vec::new();
    store
        .for_each_response(SV, |r| {
            seen.push((r.response_id, r.values["QID1"].as_i64().unwrap()));
            Ok(())
        })
        .unwrap();
    assert_eq!(seen.len(), n as usize);
    let mut ids: Vec<&str> = seen.iter().map(|(id, _)| id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n as usize, "every response once");
    assert_eq!(seen[0], ("R_00000".to_string(), 0));
    assert_eq!(
        seen[n as usize - 2],
        (format!("R_{:05}", n - 1), (n as i64 - 1) % 11)
    );
    // The replaced copy moved to the last slot, with the later text.
    assert_eq!(seen[n as usize - 1], ("R_00010".to_string(), 3));
    assert_eq!(store.in_progress_count(SV).unwrap(), 5);

    let mut imp = store.importer(SV).unwrap();
    imp.replace_existing().unwrap();
    for i in 0..4_000 {
        imp.add(row(&format!("R_other_{i}"), 1)).unwrap();
    }
    drop(imp);
    assert_eq!(store.response_count(SV).unwrap(), n);
    assert_eq!(store.in_progress_count(SV).unwrap(), 5);
    let state = store.sync_state(SV).unwrap().unwrap();
    assert_eq!(state.continuation_token.as_deref(), Some("t"));
}

/// Every cached response's QID1 by id; a response stored twice fails the test.
fn stored_nps(store: &Store) -> std::collections::HashMap<String, i64> {
    let mut seen = std::collections::HashMap::new();
    store
        .for_each_response(SV, |r| {
            let nps = r.values["QID1"].as_i64().unwrap();
            assert!(seen.insert(r.response_id, nps).is_none(), "stored twice");
            Ok(())
        })
        .unwrap();
    seen
}

/// New rows go in by the statement-full; a response repeated inside such a run (with new
/// text, or identical) is still the later copy once, counted as updated or unchanged.
#[test]
fn repeats_inside_a_run_of_new_responses_are_stored_once() {
    let store = Store::open_in_memory().unwrap();
    let t1 = Utc.with_ymd_and_hms(2026, 2, 2, 8, 0, 0).unwrap();
    let mut imp = store.importer(SV).unwrap();
    for i in 0..200 {
        let (id, nps) = match i {
            70 => ("R_005".to_string(), 9),  // R_005 again, new text
            100 => ("R_006".to_string(), 6), // R_006 again, identical
            _ => (format!("R_{i:03}"), (i % 11) as i64),
        };
        imp.add(row(&id, nps)).unwrap();
    }
    let s = imp.commit(None, t1).unwrap();
    assert_eq!((s.inserted, s.updated, s.unchanged), (198, 1, 1));
    assert_eq!(s.total_responses, 198);
    let seen = stored_nps(&store);
    assert_eq!(seen.len(), 198);
    assert_eq!(seen["R_005"], 9);
    assert_eq!(seen["R_006"], 6);
    assert_eq!(seen["R_199"], 199 % 11);
}

/// A continuation import stores what it delivers without looking each response up first;
/// one that turns out cached and unchanged keeps its row, counts as unchanged and leaves no
/// page behind, and one edited since replaces its cached copy.
#[test]
fn continuation_imports_find_re_delivered_responses_at_insert() {
    let store = Store::open_in_memory().unwrap();
    let t1 = Utc.with_ymd_and_hms(2026, 2, 2, 8, 0, 0).unwrap();
    let mut imp = store.importer(SV).unwrap();
    for i in 0..3000 {
        imp.add(row(&format!("R_{i:05}"), (i % 11) as i64)).unwrap();
    }
    imp.commit(Some("t1"), t1).unwrap();
    let size = || store.response_cache_sizes().unwrap()[0].bytes;
    let before = size();
    let generation = store.sync_state(SV).unwrap().unwrap().generation;

    let mut imp = store.importer(SV).unwrap();
    for i in 0..100 {
        imp.add(row(&format!("R_{i:05}"), (i % 11) as i64)).unwrap();
    }
    let s = imp.commit(Some("t2"), t1).unwrap();
    assert_eq!((s.inserted, s.updated, s.unchanged), (0, 0, 100));
    assert_eq!(s.total_responses, 3000);
    assert_eq!(
        store.sync_state(SV).unwrap().unwrap().generation,
        generation
    );
    assert_eq!(size(), before, "the page of unchanged copies was deleted");

    let mut imp = store.importer(SV).unwrap();
    imp.add(row("R_00005", 10)).unwrap(); // edited since
    imp.add(row("R_00006", 6)).unwrap(); // unchanged
    imp.add(row("R_new", 3)).unwrap();
    let s = imp.commit(Some("t3"), t1).unwrap();
    assert_eq!((s.inserted, s.updated, s.unchanged), (1, 1, 1));
    assert_eq!(s.total_responses, 3001);
    let seen = stored_nps(&store);
    assert_eq!(seen.len(), 3001);
    assert_eq!(
        (seen["R_00005"], seen["R_00006"], seen["R_new"]),
        (10, 6, 3)
    );
}

/// `finished` is read from the values' top-level member only, in every spelling Qualtrics
/// (or a CSV) uses, the same by both constructors.
#[test]
fn export_parts_read_finished_in_every_spelling() {
    for (finished, expected) in [
        ("1", true),
        ("0", false),
        ("1.0", true),
        ("true", true),
        ("false", false),
        ("null", false),
        (r#""1""#, true),
        (r#""True""#, true),
        (r#""TRUE""#, true),
        (r#""0""#, false),
        (r#""tru\u0065""#, true),
        ("[1]", false),
        (r#"{"finished": 1}"#, false),
    ] {
        for values in [
            format!(r#"{{"a": {{"finished": 1}}, "finished": {finished}, "z": "x"}}"#),
            format!(r#"{{ "finished" : {finished} }}"#),
        ] {
            let parsed =
                ResponseRow::from_json_parts("R_1".into(), values.clone(), None, false).unwrap();
            let scanned = ResponseRow::from_export_parts("R_1".into(), values.clone(), None, false);
            assert_eq!(parsed.finished, expected, "{values}");
            assert_eq!(scanned, parsed, "{values}");
        }
    }
    // A nested or quoted "finished" is not the member.
    let nested = r#"{"a": "\"finished\": 1", "b": {"finished": 1}}"#.to_string();
    assert!(
        !ResponseRow::from_json_parts("R_1".into(), nested, None, false)
            .unwrap()
            .finished
    );
}
