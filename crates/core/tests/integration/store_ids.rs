//! Recorded responses found by id (schema 13's `response_ids`): a cache written by schema 12
//! migrates and still recognises its responses; a full resync and a cleared cache leave no
//! response behind to be found.

use chrono::{TimeZone, Utc};
use pulsemap_core::store::{ResponseRow, Store};
use serde_json::json;

fn row(id: &str, nps: i64) -> ResponseRow {
    ResponseRow {
        response_id: id.into(),
        finished: true,
        in_progress: false,
        values_json: json!({ "QID1": nps, "finished": 1 }).to_string(),
        labels_json: None,
    }
}

fn import(store: &Store, survey: &str, rows: &[(&str, i64)], full: bool) -> (u64, u64, u64, u64) {
    let mut imp = store.importer(survey).unwrap();
    if full {
        imp.replace_existing().unwrap();
    }
    for (id, nps) in rows {
        imp.add(row(id, *nps)).unwrap();
    }
    let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    let s = imp.commit(None, t).unwrap();
    (s.inserted, s.updated, s.unchanged, s.total_responses)
}

fn nps(store: &Store, survey: &str) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    store
        .for_each_response(survey, |r| {
            out.push((r.response_id, r.values["QID1"].as_i64().unwrap()));
            Ok(())
        })
        .unwrap();
    out.sort();
    out
}

/// Schema 12 found responses through a unique index on the id text. Its cache is schema 13's
/// minus `response_ids`, plus that index: built here from a cache this release wrote, so the
/// rows and pages are exactly what an import stores.
#[test]
fn a_cache_from_schema_12_migrates_and_still_finds_its_responses() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pulsemap.db");
    {
        let store = Store::open(&path).unwrap();
        import(
            &store,
            "SV_one",
            &[("R_a", 1), ("R_b", 2), ("R_c", 3)],
            false,
        );
        import(&store, "SV_two", &[("R_a", 7), ("R_x", 8)], false);
    }
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "DROP TABLE response_ids;
         CREATE UNIQUE INDEX responses_by_id ON responses (survey_key, response_id);
         PRAGMA user_version = 12;",
    )
    .unwrap();
    drop(conn);

    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 13);
    assert_eq!(store.integrity_check().unwrap(), "ok");
    // A continuation re-delivering one cached response unchanged and one edited, and a new one.
    assert_eq!(
        import(
            &store,
            "SV_one",
            &[("R_a", 1), ("R_b", 9), ("R_d", 4)],
            false
        ),
        (1, 1, 1, 4)
    );
    let expected = [("R_a", 1), ("R_b", 9), ("R_c", 3), ("R_d", 4)];
    let expected: Vec<(String, i64)> = expected.iter().map(|(i, n)| (i.to_string(), *n)).collect();
    assert_eq!(nps(&store, "SV_one"), expected);
    // The other survey's responses are its own, found under its key only.
    assert_eq!(import(&store, "SV_two", &[("R_a", 7)], false), (0, 0, 1, 2));
    assert_eq!(
        nps(&store, "SV_two"),
        vec![("R_a".to_string(), 7), ("R_x".to_string(), 8)]
    );
}

/// A response a full resync deleted, or one whose survey's cache was cleared, is new when it
/// is delivered again: nothing still finds the deleted copy.
#[test]
fn deleted_responses_are_not_found_again() {
    let store = Store::open_in_memory().unwrap();
    let sv = "SV_ids";
    assert_eq!(
        import(&store, sv, &[("R_a", 1), ("R_b", 2)], false),
        (2, 0, 0, 2)
    );
    // R_b was deleted upstream: the full resync deletes it.
    assert_eq!(import(&store, sv, &[("R_a", 1)], true), (0, 0, 1, 1));
    assert_eq!(import(&store, sv, &[("R_b", 2)], false), (1, 0, 0, 2));
    assert_eq!(store.clear_responses(sv).unwrap(), 2);
    assert_eq!(
        import(&store, sv, &[("R_a", 1), ("R_b", 2)], false),
        (2, 0, 0, 2)
    );
    assert_eq!(
        nps(&store, sv),
        vec![("R_a".to_string(), 1), ("R_b".to_string(), 2)]
    );
}

/// A refresh of a cached survey enters its new responses apart (tier 1, a small range of the
/// index) until they pass an eighth of the survey's; then they join the rest (tier 0).
/// Responses are found in either tier.
#[test]
fn later_imports_enter_apart_until_an_eighth_then_merge() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pulsemap.db");
    let store = Store::open(&path).unwrap();
    let sv = "SV_tiers";
    let ids = |from: usize, to: usize| -> Vec<(String, i64)> {
        (from..to)
            .map(|i| (format!("R_{i:04}"), i as i64))
            .collect()
    };
    let run = |rows: &[(String, i64)]| {
        let rows: Vec<(&str, i64)> = rows.iter().map(|(i, n)| (i.as_str(), *n)).collect();
        import(&store, sv, &rows, false)
    };
    let tiers = || -> Vec<(i64, i64)> {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let mut st = conn
            .prepare("SELECT recent, COUNT(*) FROM response_ids GROUP BY recent ORDER BY recent")
            .unwrap();
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        rows.map(|r| r.unwrap()).collect()
    };
    assert_eq!(run(&ids(0, 800)), (800, 0, 0, 800));
    assert_eq!(tiers(), vec![(0, 800)]);
    assert_eq!(run(&ids(800, 850)), (50, 0, 0, 850));
    assert_eq!(tiers(), vec![(0, 800), (1, 50)]);
    // Re-delivered from both tiers: found, unchanged.
    let again = [ids(10, 12), ids(820, 822)].concat();
    assert_eq!(run(&again), (0, 0, 4, 850));
    assert_eq!(tiers(), vec![(0, 800), (1, 50)]);
    // 150 apart of 950 passes an eighth: merged.
    assert_eq!(run(&ids(850, 950)), (100, 0, 0, 950));
    assert_eq!(tiers(), vec![(0, 950)]);
    assert_eq!(run(&[ids(0, 1), ids(900, 901)].concat()), (0, 0, 2, 950));
    assert_eq!(nps(&store, sv).len(), 950);
}
