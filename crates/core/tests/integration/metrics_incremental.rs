//! Metric columns after incremental imports: an append-only import extends the columns of the
//! generation before it with only the new responses (counted by `metrics::column_reads`); the
//! values always equal a from-scratch computation on a fresh store holding the same rows, also
//! after an update import, a full resync, several appends in a row, a restart, or when the
//! lineage needed to extend is missing.

use crate::app_support::card_by_grouping;
use chrono::Utc;
use pulsemap_core::metrics::{
    column_reads, compute, Calculation, ColumnReads, DateField, GroupBy, MetricCardConfig,
    MetricValue, TimeBucket,
};
use pulsemap_core::store::{ImportSummary, ResponseRow, Store};
use qualtrics_sim::{catalog, SimConfig};
use serde_json::json;

const SV: &str = catalog::ONBOARDING_SURVEY_ID;

fn sim() -> SimConfig {
    SimConfig {
        responses: 1500,
        ..SimConfig::default()
    }
}

/// Simulator responses `range` (in-progress ones flagged as the refresh does).
fn rows(range: std::ops::Range<u64>) -> Vec<ResponseRow> {
    let cfg = sim();
    range
        .map(|i| {
            let raw = qualtrics_sim::generate_response(&cfg, SV, i);
            let ip = qualtrics_sim::response_in_progress(&cfg, SV, i);
            ResponseRow::from_export_json(&raw, ip).unwrap()
        })
        .collect()
}

/// Finished recorded responses among `rows` (what a metric column holds).
fn finished(rows: &[ResponseRow]) -> u64 {
    rows.iter().filter(|r| r.finished && !r.in_progress).count() as u64
}

/// Recorded (not in-progress) responses among `rows`.
fn recorded(rows: &[ResponseRow]) -> u64 {
    rows.iter().filter(|r| !r.in_progress).count() as u64
}

fn open(dir: &tempfile::TempDir, name: &str) -> Store {
    let store = Store::open(&dir.path().join(name)).unwrap();
    store
        .set_survey_definition(SV, &qualtrics_sim::definition_json(&sim(), SV).unwrap())
        .unwrap();
    store
}

fn import(store: &Store, rows: &[ResponseRow], resync: bool) -> ImportSummary {
    let mut imp = store.importer(SV).unwrap();
    if resync {
        imp.replace_existing().unwrap();
    }
    for r in rows {
        imp.add(r.clone()).unwrap();
    }
    imp.commit(Some("token"), Utc::now()).unwrap()
}

fn card(question: &str, calculation: Calculation, group_by: GroupBy) -> MetricCardConfig {
    card_by_grouping(SV, question, calculation, group_by)
}

/// Number, group-by-question, series-by-month, group-by-field and multi-select cards.
fn cards() -> Vec<MetricCardConfig> {
    vec![
        card(catalog::ONBOARDING_NPS_QID, Calculation::Nps, GroupBy::None),
        card(
            catalog::ONBOARDING_NPS_QID,
            Calculation::Nps,
            GroupBy::Question {
                question_id: catalog::ONBOARDING_PLAN_QID.into(),
            },
        ),
        card(
            catalog::ONBOARDING_NPS_QID,
            Calculation::Nps,
            GroupBy::Time {
                bucket: TimeBucket::Month,
                date_field: DateField::EndDate,
            },
        ),
        card(
            catalog::ONBOARDING_CSAT_QID,
            Calculation::CsatTop2,
            GroupBy::Field {
                name: "Region".into(),
            },
        ),
        card(
            catalog::ONBOARDING_FEATURES_QID,
            Calculation::Distribution,
            GroupBy::None,
        ),
    ]
}

/// The card values, without their freshness (each store was synced at its own time).
fn values(store: &Store) -> Vec<MetricValue> {
    cards()
        .iter()
        .map(|c| MetricValue {
            data_as_of: None,
            ..compute(store, c).unwrap()
        })
        .collect()
}

/// The values of a fresh store holding exactly `rows`, imported at once.
fn from_scratch(rows: &[ResponseRow]) -> Vec<MetricValue> {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir, "fresh.db");
    import(&store, rows, false);
    let v = values(&store);
    assert_eq!(column_reads(&store).extensions, 0);
    v
}

/// Computes every card and returns the values and what the column cache read meanwhile.
fn computed(store: &Store) -> (Vec<MetricValue>, ColumnReads) {
    let before = column_reads(store);
    let v = values(store);
    let after = column_reads(store);
    let reads = ColumnReads {
        rows_read: after.rows_read - before.rows_read,
        full_extractions: after.full_extractions - before.full_extractions,
        extensions: after.extensions - before.extensions,
    };
    (v, reads)
}

/// The cards read `new` rows per extension and nothing else.
fn assert_extended_with(reads: ColumnReads, new: u64) {
    assert_eq!(reads.full_extractions, 0, "{reads:?}");
    assert!(reads.extensions > 0, "{reads:?}");
    assert_eq!(reads.rows_read, new * reads.extensions, "{reads:?}");
}

#[test]
fn append_only_imports_extend_the_columns_with_the_new_rows_only() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir, "cache.db");
    let all = rows(0..1500);
    import(&store, &all[..1000], false);
    let (first, reads) = computed(&store);
    assert_eq!(first, from_scratch(&all[..1000]));
    assert!(reads.full_extractions > 0 && reads.extensions == 0);
    assert_eq!(computed(&store).1, ColumnReads::default(), "cached");

    // Several appends, each followed by a computation (the refresh's "recomputing cards").
    let mut upto = 1000;
    for end in [1300, 1301, 1450, 1500] {
        let summary = import(&store, &all[upto..end], false);
        assert_eq!(
            (summary.inserted, summary.updated),
            (recorded(&all[upto..end]), 0)
        );
        let (v, reads) = computed(&store);
        assert_extended_with(reads, finished(&all[upto..end]));
        assert_eq!(v, from_scratch(&all[..end]), "after rows {upto}..{end}");
        upto = end;
    }
    // Responses re-delivered identical to their cached copies change nothing: alone, the
    // generation stays and the columns are still current...
    let generation = store.sync_state(SV).unwrap().unwrap().generation;
    let summary = import(&store, &all[10..20], false);
    assert_eq!(
        (summary.inserted, summary.updated, summary.unchanged),
        (0, 0, recorded(&all[10..20]))
    );
    assert_eq!(summary.generation, generation);
    assert_eq!(
        computed(&store),
        (from_scratch(&all), ColumnReads::default())
    );
}

#[test]
fn identical_re_deliveries_keep_an_import_append_only() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir, "cache.db");
    let all = rows(0..1500);
    import(&store, &all[..1000], false);
    values(&store);
    // An incremental export that re-delivers cached responses unchanged next to new ones.
    let mut second = all[990..1000].to_vec();
    second.extend_from_slice(&all[1000..1200]);
    let summary = import(&store, &second, false);
    assert_eq!(
        (summary.inserted, summary.updated, summary.unchanged),
        (recorded(&all[1000..1200]), 0, recorded(&all[990..1000]))
    );
    let (v, reads) = computed(&store);
    assert_extended_with(reads, finished(&all[1000..1200]));
    assert_eq!(v, from_scratch(&all[..1200]));
}

#[test]
fn several_appends_without_a_computation_in_between_extend_the_oldest_columns() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir, "cache.db");
    let all = rows(0..1500);
    import(&store, &all[..900], false);
    values(&store);
    for (a, b) in [(900, 1000), (1000, 1200), (1200, 1500)] {
        import(&store, &all[a..b], false);
    }
    let (v, reads) = computed(&store);
    assert_extended_with(reads, finished(&all[900..]));
    assert_eq!(v, from_scratch(&all));
}

#[test]
fn a_new_process_extends_the_persisted_columns() {
    let dir = tempfile::tempdir().unwrap();
    let all = rows(0..1500);
    {
        let store = open(&dir, "cache.db");
        import(&store, &all[..1200], false);
        values(&store);
    }
    let store = Store::open(&dir.path().join("cache.db")).unwrap();
    import(&store, &all[1200..], false);
    let (v, reads) = computed(&store);
    assert_extended_with(reads, finished(&all[1200..]));
    assert_eq!(v, from_scratch(&all));
    // And the extended columns were persisted at the new generation.
    let again = Store::open(&dir.path().join("cache.db")).unwrap();
    let (v2, reads) = computed(&again);
    assert_eq!((v2, reads), (v, ColumnReads::default()));
}

#[test]
fn an_import_that_changes_a_cached_answer_re_reads_every_response() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir, "cache.db");
    let original = rows(0..1500);
    let mut all = original.clone();
    import(&store, &all[..1000], false);
    values(&store);

    // A finished response re-exported with a different NPS answer and plan, plus new responses.
    let i = (0..1000).find(|&i| finished(&all[i..=i]) == 1).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&all[i].values_json).unwrap();
    let nps = v["QID1"].as_i64().unwrap();
    v["QID1"] = json!(if nps >= 9 { 0 } else { 10 });
    v["QID4"] = json!(if v["QID4"] == json!(3) { 1 } else { 3 });
    v["Region"] = json!("Antarctica");
    let mut changed = all[i].clone();
    changed.values_json = v.to_string();
    let mut second = vec![changed.clone()];
    second.extend_from_slice(&all[1000..1100]);
    let summary = import(&store, &second, false);
    assert_eq!(
        (summary.inserted, summary.updated),
        (recorded(&all[1000..1100]), 1)
    );
    all[i] = changed;

    let (after, reads) = computed(&store);
    assert!(
        reads.full_extractions > 0 && reads.extensions == 0,
        "{reads:?}"
    );
    assert_eq!(after, from_scratch(&all[..1100]));
    assert_ne!(
        after,
        from_scratch(&original[..1100]),
        "the changed answers count"
    );
    assert!(after[3].groups.iter().any(|g| g.key == "Antarctica"));

    // The chain starts again at the update: the next append extends.
    import(&store, &all[1100..1200], false);
    let (v, reads) = computed(&store);
    assert_extended_with(reads, finished(&all[1100..1200]));
    assert_eq!(v, from_scratch(&all[..1200]));
}

#[test]
fn a_full_resync_re_reads_every_response() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir, "cache.db");
    let all = rows(0..1500);
    import(&store, &all[..1200], false);
    values(&store);
    // The resync brings fewer responses than were cached (some were deleted upstream).
    let kept: Vec<ResponseRow> = all[..1300]
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 4 != 0)
        .map(|(_, r)| r.clone())
        .collect();
    import(&store, &kept, true);
    let (v, reads) = computed(&store);
    assert!(
        reads.full_extractions > 0 && reads.extensions == 0,
        "{reads:?}"
    );
    assert_eq!(v, from_scratch(&kept));
    // A fresh process must not find the pre-resync columns either.
    let reopened = Store::open(&dir.path().join("cache.db")).unwrap();
    assert_eq!(values(&reopened), v);
}

#[test]
fn missing_lineage_falls_back_to_a_full_extraction() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir, "cache.db");
    let all = rows(0..1500);
    import(&store, &all[..1000], false);
    values(&store);
    import(&store, &all[1000..1200], false);
    // As in a store whose earlier generations predate the lineage table.
    store
        .with_conn(|c| Ok(c.execute("DELETE FROM response_generations", [])?))
        .unwrap();
    let (v, reads) = computed(&store);
    assert!(
        reads.full_extractions > 0 && reads.extensions == 0,
        "{reads:?}"
    );
    assert_eq!(v, from_scratch(&all[..1200]));
    // The next append records the generation it extends again, so it extends.
    import(&store, &all[1200..], false);
    let (v, reads) = computed(&store);
    assert_extended_with(reads, finished(&all[1200..]));
    assert_eq!(v, from_scratch(&all));
}
