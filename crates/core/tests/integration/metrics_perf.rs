//! Timing probe (ignored by default; figures are printed, nothing is asserted about speed):
//! import N simulator responses through the Importer, then time the first computation
//! (column extraction) and recomputations on the cached columns; then append 1% new responses
//! in a second import and time the first computation after it (the columns are extended with
//! the new rows, from memory), and again after another 1% in a freshly opened store (extended
//! from the persisted columns, as the CLI or an app restart does).
//!
//! Run: `PULSEMAP_PERF_N=1000000 cargo test --release -p pulsemap-core --test integration metrics_perf -- --ignored --nocapture`

use crate::app_support::number_card;
use std::time::Instant;

use chrono::Utc;
use pulsemap_core::metrics::{
    column_reads, compute, Calculation, DateField, GroupBy, MetricCardConfig, TimeBucket,
};
use pulsemap_core::store::{ResponseRow, Store};
use qualtrics_sim::{catalog, SimConfig};

const SV: &str = catalog::ONBOARDING_SURVEY_ID;

fn card(group_by: GroupBy) -> MetricCardConfig {
    number_card(SV, catalog::ONBOARDING_NPS_QID, Calculation::Nps, group_by)
}

#[test]
#[ignore = "timing probe; run explicitly in release"]
fn import_and_compute_timings() {
    let n: u64 = std::env::var("PULSEMAP_PERF_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("perf.db")).unwrap();
    let cfg = SimConfig {
        responses: n,
        ..SimConfig::default()
    };
    store
        .set_survey_definition(SV, &qualtrics_sim::definition_json(&cfg, SV).unwrap())
        .unwrap();
    // Rows are generated on the fly (not held in memory); only the importer's time is counted.
    let mut imp = store.importer(SV).unwrap();
    let mut in_importer = std::time::Duration::ZERO;
    for i in 0..qualtrics_sim::response_total(&cfg, SV) {
        let raw = qualtrics_sim::generate_response(&cfg, SV, i);
        let ip = qualtrics_sim::response_in_progress(&cfg, SV, i);
        let row = ResponseRow::from_export_json(&raw, ip).unwrap();
        let t = Instant::now();
        imp.add(row).unwrap();
        in_importer += t.elapsed();
    }
    let t = Instant::now();
    let s = imp.commit(Some("t"), Utc::now()).unwrap();
    let secs = (in_importer + t.elapsed()).as_secs_f64();
    println!(
        "import: {} rows in {secs:.2} s ({:.0} rows/s), commit {:?}",
        s.inserted,
        s.inserted as f64 / secs,
        t.elapsed()
    );

    let by_plan = card(GroupBy::Question {
        question_id: catalog::ONBOARDING_PLAN_QID.into(),
    });
    let by_month = card(GroupBy::Time {
        bucket: TimeBucket::Month,
        date_field: DateField::EndDate,
    });
    for (label, c) in [("NPS by plan", &by_plan), ("NPS by month", &by_month)] {
        let t = Instant::now();
        let v = compute(&store, c).unwrap();
        let first = t.elapsed();
        let t = Instant::now();
        let runs = 5;
        for _ in 0..runs {
            compute(&store, c).unwrap();
        }
        let again = t.elapsed() / runs;
        println!(
            "{label}: n = {}, first (extracts columns) {first:?}, recompute {again:?}",
            v.n
        );
    }

    // 1% new responses per import, appended after the seeded ones.
    let total = qualtrics_sim::response_total(&cfg, SV);
    let step = (n / 100).max(1);
    let append = |store: &Store, from: u64| {
        let t = Instant::now();
        let mut imp = store.importer(SV).unwrap();
        for i in from..from + step {
            let raw = qualtrics_sim::generate_response(&cfg, SV, i);
            imp.add(ResponseRow::from_export_json(&raw, false).unwrap())
                .unwrap();
        }
        let s = imp.commit(Some("t2"), Utc::now()).unwrap();
        println!(
            "append: {} new rows (generation {}) in {:?}",
            s.inserted,
            s.generation,
            t.elapsed()
        );
    };
    let first_computations = |store: &Store, when: &str| {
        for (label, c) in [("NPS by plan", &by_plan), ("NPS by month", &by_month)] {
            let before = column_reads(store);
            let t = Instant::now();
            let v = compute(store, c).unwrap();
            let first = t.elapsed();
            let after = column_reads(store);
            println!(
                "{label}, first computation {when}: {first:?}, n = {}, responses read {} \
                 ({} extensions, {} full extractions)",
                v.n,
                after.rows_read - before.rows_read,
                after.extensions - before.extensions,
                after.full_extractions - before.full_extractions
            );
        }
    };
    append(&store, total);
    first_computations(&store, "after a 1% append, same process");
    append(&store, total + step);
    let reopened = Store::open(&dir.path().join("perf.db")).unwrap();
    first_computations(&reopened, "after another 1% append, new process");
}
