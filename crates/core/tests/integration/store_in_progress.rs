//! The importer's in-progress side: an in-progress response re-delivered unchanged is not
//! stored again, a changed one is replaced, one no longer delivered is deleted with the pages
//! no row points at, one that completes moves to the recorded ones, and a dropped import
//! changes none of it. (Through the importer; `refresh_in_progress` does it against the
//! simulator.)

use std::collections::BTreeMap;

use chrono::{DateTime, TimeZone, Utc};
use pulsemap_core::store::{migrations_through, ResponseRow, Store};
use serde_json::json;

const SV: &str = "SV_inprogress";

fn response(id: &str, answer: i64, in_progress: bool) -> ResponseRow {
    let values = json!({
        "QID1": answer,
        "finished": i64::from(!in_progress),
        "startDate": "2026-02-01T10:00:00Z",
        "recordedDate": "2026-02-01T10:05:00.123Z",
    });
    ResponseRow {
        response_id: id.into(),
        finished: !in_progress,
        in_progress,
        values_json: values.to_string(),
        labels_json: None,
    }
}

/// The cached in-progress responses: id → (QID1, when its text was stored).
fn in_progress(store: &Store) -> BTreeMap<String, (i64, Option<DateTime<Utc>>)> {
    store
        .list_in_progress(SV)
        .unwrap()
        .into_iter()
        .map(|r| {
            assert!(r.in_progress && !r.finished);
            let answer = r.values["QID1"].as_i64().unwrap();
            (r.response_id, (answer, r.imported_at))
        })
        .collect()
}

fn recorded_ids(store: &Store) -> Vec<String> {
    let mut ids = Vec::new();
    store
        .for_each_response(SV, |r| {
            ids.push(r.response_id);
            Ok(())
        })
        .unwrap();
    ids
}

/// In-progress pages in the database file (read with a connection of its own).
fn in_progress_pages(path: &std::path::Path) -> i64 {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row(
            "SELECT COUNT(*) FROM response_pages WHERE in_progress = 1",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

/// One refresh's import: the recorded rows, then the whole in-progress set.
fn refresh(
    store: &Store,
    recorded: &[ResponseRow],
    in_progress: &[ResponseRow],
) -> (u64, u64, u64, u64) {
    let mut imp = store.importer(SV).unwrap();
    imp.replace_in_progress().unwrap();
    for r in recorded.iter().chain(in_progress) {
        imp.add(r.clone()).unwrap();
    }
    let s = imp.commit(Some("token"), Utc::now()).unwrap();
    (
        s.in_progress,
        s.in_progress_unchanged,
        s.in_progress_removed,
        s.generation,
    )
}

#[test]
fn unchanged_in_progress_responses_are_not_stored_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pulsemap.db");
    let store = Store::open(&path).unwrap();
    let ip = |id: &str, answer| response(id, answer, true);

    let first = [ip("R_a", 1), ip("R_b", 2), ip("R_c", 3), ip("R_d", 4)];
    assert_eq!(
        refresh(&store, &[response("R_1", 9, false)], &first),
        (4, 0, 0, 1)
    );
    let before = in_progress(&store);
    assert_eq!(before.len(), 4);
    assert_eq!(in_progress_pages(&path), 1);

    // R_a completed (arrives recorded, no longer in progress), R_b unchanged, R_c changed,
    // R_d discarded upstream, R_e new.
    std::thread::sleep(std::time::Duration::from_millis(5));
    let second = [ip("R_b", 2), ip("R_c", 30), ip("R_e", 5)];
    let (delivered, unchanged, removed, generation) =
        refresh(&store, &[response("R_a", 7, false)], &second);
    assert_eq!((delivered, unchanged, removed), (3, 1, 1));
    assert_eq!(generation, 2, "the completed response is a recorded change");
    let after = in_progress(&store);
    assert_eq!(after.keys().collect::<Vec<_>>(), ["R_b", "R_c", "R_e"]);
    assert_eq!(
        after["R_b"], before["R_b"],
        "unchanged: the same stored copy"
    );
    assert_eq!(after["R_c"].0, 30);
    assert!(after["R_c"].1 > before["R_c"].1, "changed: stored again");
    assert!(after["R_e"].1 > before["R_b"].1);
    assert_eq!(recorded_ids(&store), ["R_1", "R_a"]);
    assert_eq!(store.in_progress_count(SV).unwrap(), 3);
    // R_b still lives on the first page; the new copies on a second one.
    assert_eq!(in_progress_pages(&path), 2);

    // A dropped import (a failed refresh) changes none of it.
    let mut imp = store.importer(SV).unwrap();
    imp.replace_in_progress().unwrap();
    imp.add(response("R_b", 7, false)).unwrap();
    imp.add(ip("R_c", 31)).unwrap();
    imp.add(ip("R_x", 1)).unwrap();
    drop(imp);
    assert_eq!(in_progress(&store), after);
    assert_eq!(recorded_ids(&store), ["R_1", "R_a"]);

    // The same set again: nothing written, generation kept (in-progress rows never bump it).
    assert_eq!(refresh(&store, &[], &second), (3, 3, 0, 2));
    assert_eq!(in_progress(&store), after);
    assert_eq!(in_progress_pages(&path), 2);

    // Only R_b left: R_c and R_e are deleted, and the page only they used goes with them.
    assert_eq!(refresh(&store, &[], &[ip("R_b", 2)]), (1, 1, 2, 2));
    assert_eq!(in_progress(&store).keys().collect::<Vec<_>>(), ["R_b"]);
    assert_eq!(in_progress(&store)["R_b"], before["R_b"]);
    assert_eq!(in_progress_pages(&path), 1);

    // An empty in-progress export empties the set and its pages.
    assert_eq!(refresh(&store, &[], &[]), (0, 0, 1, 2));
    assert_eq!(store.in_progress_count(SV).unwrap(), 0);
    assert_eq!(in_progress_pages(&path), 0);
}

/// Unchanged responses keep their pages, so pages can fill with dead slots: here each
/// refresh stores one response that then lingers unchanged, pinning a page of its own. The
/// set is rewritten once its pages outnumber twice what its rows need (plus a few).
#[test]
fn in_progress_pages_stay_bounded_while_responses_linger() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pulsemap.db");
    let store = Store::open(&path).unwrap();
    let mut set = Vec::new();
    let mut most = 0;
    for round in 0..40 {
        set.push(response(&format!("R_{round:02}"), round, true));
        let (delivered, unchanged, removed, _) = refresh(&store, &[], &set);
        assert_eq!((delivered, removed), (round as u64 + 1, 0));
        assert!(unchanged <= round as u64);
        most = most.max(in_progress_pages(&path));
    }
    assert!(most <= 11, "{most} in-progress pages for 40 responses");
    let cached = in_progress(&store);
    assert_eq!(cached.len(), 40);
    assert_eq!(cached["R_39"].0, 39);
}

/// A cache written by schema 11 (in-progress rows without a digest) opens, migrates and keeps
/// its in-progress responses; each is stored again once, by the next refresh that delivers
/// it, and left alone after that.
#[test]
fn in_progress_rows_cached_before_digests_migrate() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pulsemap.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    for sql in migrations_through(11) {
        conn.execute_batch(sql).unwrap();
    }
    // One page holding one response as schema 11 stored it (see `store::pages`): its values'
    // length (LEB128) and text, then 0 for "no labels", compressed with zstd.
    let values = response("R_a", 1, true).values_json;
    assert!(values.len() < 128);
    let mut raw = vec![values.len() as u8];
    raw.extend_from_slice(values.as_bytes());
    raw.push(0);
    let page = zstd::bulk::compress(&raw, 1).unwrap();
    conn.execute(
        "INSERT INTO response_surveys (key, survey_id) VALUES (1, ?1)",
        [SV],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO response_pages (id, survey_key, in_progress, imported_at, data)
         VALUES (1, 1, 1, '2026-02-01T10:00:00.000Z', ?1)",
        [page],
    )
    .unwrap();
    conn.execute_batch(
        "INSERT INTO responses_in_progress (survey_key, response_id, pos)
           VALUES (1, 'R_a', (1 << 40) | (1 << 16));
         PRAGMA user_version = 11;",
    )
    .unwrap();
    drop(conn);

    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 13);
    let old = in_progress(&store);
    assert_eq!(old["R_a"].0, 1);
    assert_eq!(
        old["R_a"].1,
        Some(Utc.with_ymd_and_hms(2026, 2, 1, 10, 0, 0).unwrap())
    );
    let set = [response("R_a", 1, true)];
    assert_eq!(refresh(&store, &[], &set), (1, 0, 0, 0), "stored once more");
    let stored = in_progress(&store);
    assert!(stored["R_a"].1 > old["R_a"].1);
    assert_eq!(in_progress_pages(&path), 1, "the old page is swept");
    assert_eq!(refresh(&store, &[], &set), (1, 1, 0, 0), "then left alone");
    assert_eq!(in_progress(&store), stored);
}
