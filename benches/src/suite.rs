//! The benchmark of one survey size: two server setups in the same run, with the same
//! simulator binary, reported separately.
//!
//! Contract: for each size N, [`run_size`] first runs the **server included** setup:
//! `qualtrics-sim --responses N --export-polls K` (every export written by the simulator
//! behind K forced `inProgress` polls), a fresh `pulsemap` data dir connected to it, and,
//! each in its own child process:
//!
//! 1. a full refresh (export download + parse + store);
//! 2. an incremental refresh with nothing new;
//! 3. an incremental refresh after adding 1% new responses;
//! 4. the NPS card grouped by a choice question and by month (in-process compute timings);
//! 5. the CLI's cold start to a printed value from the cache, then app start to a painted
//!    map of 24 metric cards and opening another map (see `paint`);
//! 6. the Python `qualtrics` package exporting the survey to a file;
//! 7. the `qualtrics` crate exporting the same survey with the same request options and
//!    poll interval, once parsed and once stopped at the downloaded file.
//!
//! Then the **client only** setup on a second simulator (see [`crate::client_only`]), and
//! the Python ÷ Rust ratios of both. HTTP request counts come from the simulator's stats.
//! Any failing step fails the size with its stderr; nothing is retried or estimated.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};

use crate::children::MetricCard;
use crate::figures::{Ratio, Ratios, SetupRatios, SizeResult};
use crate::runs::{self, CrateExport, SURVEY};
use crate::sim::{SimProcess, SimSettings};

/// Everything the suite needs to know.
#[derive(Debug, Clone)]
pub struct SuiteConfig {
    /// The `pulsemap` CLI binary.
    pub pulsemap: PathBuf,
    /// The `qualtrics-sim` binary.
    pub sim: PathBuf,
    /// Python interpreter with `qualtrics` installed, and the export script; `None` skips.
    pub python: Option<(PathBuf, PathBuf)>,
    /// Scratch directory (data dirs, export files, logs).
    pub work_dir: PathBuf,
    /// Seed of the simulator.
    pub seed: u64,
    /// `inProgress` polls before the simulator completes an export (server included setup).
    pub export_polls: u32,
    /// Fixed poll interval of the Python client and of the crate-level export.
    pub poll: Duration,
    /// Warm repetitions of each metric computation.
    pub metric_repeat: usize,
    /// Runs of the CLI cold start.
    pub cold_runs: usize,
    /// Runs of each client-only scenario (median reported).
    pub client_runs: usize,
}

/// Runs both setups for `responses` responses.
pub fn run_size(cfg: &SuiteConfig, responses: u64) -> Result<SizeResult> {
    let dir = cfg.work_dir.join(format!("n{responses}"));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).with_context(|| format!("clearing {}", dir.display()))?;
    }
    std::fs::create_dir_all(&dir)?;
    let data_dir = dir.join("data");
    let settings = SimSettings {
        seed: cfg.seed,
        responses,
        export_polls: cfg.export_polls,
        reuse_export_files: false,
    };
    let sim = SimProcess::start(&cfg.sim, settings, &dir.join("sim.log"))?;
    eprintln!(
        "[{responses}] server included: simulator at {}; connecting",
        sim.base_url()
    );
    runs::connect(cfg, &sim, &data_dir)?;

    eprintln!("[{responses}] refresh: full");
    let full = runs::refresh(cfg, &sim, &data_dir)?;
    eprintln!("[{responses}] refresh: incremental, nothing new");
    let incremental_none = runs::refresh(cfg, &sim, &data_dir)?;
    eprintln!("[{responses}] metrics on the whole cache (first extraction)");
    let nps_by_question_first_extraction = runs::metric(cfg, &data_dir, MetricCard::NpsByQuestion)?;
    let nps_by_month_first_extraction = runs::metric(cfg, &data_dir, MetricCard::NpsByMonth)?;
    let added = (responses / 100).max(1);
    sim.add_responses(SURVEY, added)?;
    eprintln!("[{responses}] refresh: incremental, 1% new");
    let incremental_one_percent = runs::refresh(cfg, &sim, &data_dir)?;

    eprintln!("[{responses}] metrics after the 1% append");
    let nps_by_question = runs::metric(cfg, &data_dir, MetricCard::NpsByQuestion)?;
    let nps_by_month = runs::metric(cfg, &data_dir, MetricCard::NpsByMonth)?;
    let cli_cold_start = runs::cold_start(cfg, &data_dir)?;
    eprintln!("[{responses}] map paint: seeding 30 cards, then app start to a painted map");
    let paint = Some(runs::paint(cfg, &data_dir, cfg.cold_runs)?);

    let python_export = match &cfg.python {
        Some((python, script)) => {
            eprintln!("[{responses}] python qualtrics package export (csv)");
            let out = dir.join("python-export.zip");
            Some(runs::python_export(cfg, &sim, (python, script), &out)?)
        }
        None => None,
    };
    eprintln!("[{responses}] qualtrics crate export (csv)");
    let crate_export_csv = runs::crate_export(cfg, &sim, CrateExport::Verified)?;
    let crate_download_csv = runs::crate_export(cfg, &sim, CrateExport::DownloadOnly)?;
    drop(sim);

    let client_only = crate::client_only::run(cfg, responses, &dir.join("client-only"))?;

    let ratios = match (&python_export, &client_only.python_export) {
        (Some(p), Some(pc)) => Some(Ratios {
            server_included: SetupRatios {
                crate_export_to_file: Ratio::of(&p.run, &crate_download_csv.run),
                full_refresh: Ratio::of(&p.run, &full.run),
                crate_export_parsed: Ratio::of(&p.run, &crate_export_csv.run),
            },
            client_only: SetupRatios {
                crate_export_to_file: Ratio::of(&pc.median, &client_only.crate_download_csv.median),
                full_refresh: Ratio::of(&pc.median, &client_only.full_refresh.median),
                crate_export_parsed: Ratio::of(&pc.median, &client_only.crate_export_csv.median),
            },
        }),
        _ => None,
    };
    Ok(SizeResult {
        responses,
        full,
        incremental_none,
        incremental_one_percent,
        nps_by_question,
        nps_by_month,
        nps_by_question_first_extraction,
        nps_by_month_first_extraction,
        cli_cold_start,
        paint,
        python_export,
        crate_export_csv,
        crate_download_csv,
        client_only,
        ratios,
    })
}
