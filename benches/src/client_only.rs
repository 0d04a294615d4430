//! The "client only" setup: the client's own work, with the server's export time taken out.
//!
//! Contract: [`run`] starts `qualtrics-sim --export-polls 0 --reuse-export-files` for the
//! size, then, untimed, makes it write every export shape the timed runs will ask for: the
//! Python package's CSV request, the crate's CSV request, and a full `pulsemap refresh` on a
//! throwaway data dir (its completed-responses and in-progress JSON exports). Each timed run
//! then finds its file already written and its export complete at the first progress check,
//! so its wall time is start + one poll + download + the client's own writing, parsing and
//! storing. Timed, `client_runs` times each (medians reported): the Python export to a file,
//! the crate's CSV export to a file (download only), the crate's CSV export with parsing
//! (the verified `export_responses`, and beside it the one-pass `export_responses_streamed`), a
//! raw unzip of that CSV file (in-process, after a download; the floor for the parse), and
//! `pulsemap refresh --incremental` on an empty cache (a fresh data dir per run, connected like the
//! others). The simulator's reuse counter must show every timed export served from an
//! already-written file; otherwise the setup fails rather than report server time as client
//! time.

use std::path::Path;

use anyhow::{ensure, Result};

use crate::figures::{ClientOnlyFigures, LimitFigures, RepeatedFigures, RunFigures};
use crate::runs::{self, CrateExport};
use crate::sim::{SimProcess, SimSettings};
use crate::suite::SuiteConfig;

/// Runs the client-only setup for `responses` responses in `dir` (created).
pub fn run(cfg: &SuiteConfig, responses: u64, dir: &Path) -> Result<ClientOnlyFigures> {
    std::fs::create_dir_all(dir)?;
    let settings = SimSettings {
        seed: cfg.seed,
        responses,
        export_polls: 0,
        reuse_export_files: true,
    };
    let sim = SimProcess::start(&cfg.sim, settings, &dir.join("sim.log"))?;
    let python = cfg.python.as_ref().map(|(p, s)| (p.as_path(), s.as_path()));
    eprintln!(
        "[{responses}] client only: simulator at {}; warm-up (untimed)",
        sim.base_url()
    );
    let before = sim.counters()?;
    if let Some(python) = python {
        runs::python_export(cfg, &sim, python, &dir.join("python-warmup.zip"))?;
    }
    runs::crate_export(cfg, &sim, CrateExport::DownloadOnly)?;
    let warm_dir = dir.join("data-warmup");
    runs::connect(cfg, &sim, &warm_dir)?;
    runs::refresh(cfg, &sim, &warm_dir)?;
    std::fs::remove_dir_all(&warm_dir)?;
    let warmup = sim.activity_since(&before)?;

    let n = cfg.client_runs.max(1);
    let python_export = match python {
        Some(python) => {
            eprintln!("[{responses}] client only: python export x{n}");
            let out = dir.join("python-export.zip");
            let runs = repeat(n, || runs::python_export(cfg, &sim, python, &out))?;
            Some(runs)
        }
        None => None,
    };
    eprintln!(
        "[{responses}] client only: crate export to file x{n}, with parsing x{n}, one-pass x{n}"
    );
    let crate_download_csv = repeat(n, || {
        runs::crate_export(cfg, &sim, CrateExport::DownloadOnly)
    })?;
    let crate_export_csv = repeat(n, || runs::crate_export(cfg, &sim, CrateExport::Verified))?;
    let crate_export_csv_streamed =
        repeat(n, || runs::crate_export(cfg, &sim, CrateExport::Streamed))?;
    let mut unzips = Vec::with_capacity(n);
    let mut unzip_runs = Vec::with_capacity(n);
    let mut csv_unzipped_bytes = 0;
    for _ in 0..n {
        let (run, seconds, bytes) = runs::crate_unzip(cfg, &sim)?;
        unzip_runs.push(run);
        unzips.push(seconds);
        csv_unzipped_bytes = bytes;
    }
    let csv_unzip_s = crate::figures::median(&mut unzips);
    eprintln!("[{responses}] client only: full refresh on an empty cache x{n}");
    let mut refreshes = Vec::with_capacity(n);
    let mut stored = String::new();
    let mut refresh_new_responses = 0;
    let mut cache_bytes = 0;
    let mut limits = Vec::with_capacity(n);
    for i in 0..n {
        let data_dir = dir.join(format!("data-{i}"));
        runs::connect(cfg, &sim, &data_dir)?;
        let r = runs::refresh(cfg, &sim, &data_dir)?;
        cache_bytes = cache_bytes.max(runs::cache_bytes(&data_dir));
        std::fs::remove_dir_all(&data_dir)?;
        // The limit right after each refresh, so both see the same load on the machine.
        limits.push(runs::limit(&sim, &dir.join("limit"))?);
        stored = format!(
            "{} new, {} cached; client counted {} requests",
            r.new_responses, r.total_responses, r.reported_requests
        );
        refresh_new_responses = r.new_responses;
        refreshes.push(r.run);
    }
    let full_refresh = RepeatedFigures::new(refreshes, stored);
    let mid = |f: fn(&LimitFigures) -> f64| {
        let mut v: Vec<f64> = limits.iter().map(f).collect();
        crate::figures::median(&mut v)
    };
    let limit = LimitFigures {
        bytes: limits.first().map_or(0, |l| l.bytes),
        responses: limits.first().map_or(0, |l| l.responses),
        read_s: mid(|l| l.read_s),
        parse_s: mid(|l| l.parse_s),
        insert_s: mid(|l| l.insert_s),
    };

    let timed: Vec<&RunFigures> = python_export
        .iter()
        .chain([
            &crate_download_csv,
            &crate_export_csv,
            &crate_export_csv_streamed,
            &full_refresh,
        ])
        .flat_map(|r| r.runs.iter())
        .chain(&unzip_runs)
        .collect();
    let timed_exports: u64 = timed.iter().map(|r| r.exports_started).sum();
    let timed_exports_reused: u64 = timed.iter().map(|r| r.exports_reused).sum();
    eprintln!(
        "[{responses}] client only: {timed_exports_reused} of {timed_exports} timed exports \
         served from already-written files"
    );
    ensure!(
        timed.iter().all(|r| r.exports_started > 0),
        "a timed client-only run started no export"
    );
    ensure!(
        timed_exports_reused == timed_exports,
        "only {timed_exports_reused} of {timed_exports} timed exports were served from \
         already-written files: the client-only figures would include server time (does a \
         timed run send a request the warm-up did not?)"
    );
    Ok(ClientOnlyFigures {
        runs_each: n,
        warmup_exports_written: warmup.exports_started - warmup.exports_reused,
        warmup_writer_ms: warmup.writer_ms,
        python_export,
        crate_download_csv,
        crate_export_csv,
        crate_export_csv_streamed,
        csv_unzip_s,
        csv_unzipped_bytes,
        full_refresh,
        refresh_new_responses,
        cache_bytes,
        limit,
        timed_exports,
        timed_exports_reused,
    })
}

/// `n` runs of an export scenario; the detail is the last run's.
fn repeat(
    n: usize,
    mut run: impl FnMut() -> Result<crate::figures::ExportFigures>,
) -> Result<RepeatedFigures> {
    let mut runs = Vec::with_capacity(n);
    let mut detail = String::new();
    for _ in 0..n {
        let e = run()?;
        detail = e.detail;
        runs.push(e.run);
    }
    Ok(RepeatedFigures::new(runs, detail))
}
