//! `pulsemap-bench`: runs the Pulsemap benchmark suite against the Qualtrics simulator and
//! prints figures (see docs/BENCHMARKS.md). It is not a timed test: it reports the issue's
//! targets as met or missed, it does not fail on them.
//!
//! Subcommands: `run` (the suite), and the children it measures: `probe` (wall time and peak
//! RSS of one command), `export` (the `qualtrics` crate's export flow) and `metric`
//! (in-process metric timings on a Pulsemap cache), `paint-seed` and `paint` (the maps of
//! the paint benchmark, and app start to a painted map).

mod children;
mod client_only;
mod figures;
mod measure;
mod paint;
mod paint_cards;
mod paint_report;
mod report;
mod runs;
mod sim;
mod suite;
mod targets;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use qualtrics_sim::catalog;

use crate::children::{ExportOptions, MetricCard, MetricOptions};

/// The product's allocator, so the limit children measure the machine as the refresh uses
/// it (see `crates/cli/src/main.rs`).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;
use crate::suite::SuiteConfig;

#[derive(Debug, Parser)]
#[command(name = "pulsemap-bench", about = "Pulsemap benchmark suite")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Run the suite and print Markdown figures (JSON goes to --out).
    Run {
        /// Survey sizes (responses), comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "10000,100000,1000000")]
        sizes: Vec<u64>,
        /// Directory of the release binaries (default: this binary's directory).
        #[arg(long)]
        bin_dir: Option<PathBuf>,
        /// Python interpreter with `qualtrics` 0.4.2 installed.
        #[arg(long, default_value = "target/bench-venv/bin/python")]
        python: PathBuf,
        /// The Python export script.
        #[arg(long, default_value = "benches/python/export.py")]
        python_script: PathBuf,
        /// Skip the Python comparison.
        #[arg(long)]
        no_python: bool,
        /// Scratch directory.
        #[arg(long, default_value = "target/bench-work")]
        work_dir: PathBuf,
        /// Simulator seed.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// `inProgress` polls before the simulator completes an export ("server included"
        /// setup; the "client only" setup always uses 0 and reuses written export files).
        #[arg(long, default_value_t = 3)]
        export_polls: u32,
        /// Fixed poll interval (ms) of the Python client and the crate-level export.
        #[arg(long, default_value_t = 200)]
        poll_ms: u64,
        /// Warm repetitions of each metric computation.
        #[arg(long, default_value_t = 20)]
        metric_repeat: usize,
        /// Runs of the CLI cold start (median reported).
        #[arg(long, default_value_t = 5)]
        cold_runs: usize,
        /// Runs of each "client only" scenario (median reported).
        #[arg(long, default_value_t = 3)]
        client_runs: usize,
        /// Write all figures as JSON here.
        #[arg(long, default_value = "target/bench-results.json")]
        out: PathBuf,
    },
    /// Internal: run COMMAND, then write its wall time and peak RSS to REPORT as JSON.
    Probe {
        #[arg(long)]
        report: PathBuf,
        #[arg(last = true, required = true)]
        command: Vec<OsString>,
    },
    /// Internal: export a survey with the `qualtrics` crate (token in PULSEMAP_BENCH_TOKEN).
    Export {
        #[arg(long)]
        host: String,
        #[arg(long)]
        survey: String,
        #[arg(long, default_value = "csv")]
        format: String,
        #[arg(long, default_value_t = 200)]
        poll_ms: u64,
        /// Stop after downloading the file (no parsing), like the Python script.
        #[arg(long)]
        download_only: bool,
        /// After the download, time a raw unzip of the file (implies --download-only).
        #[arg(long)]
        unzip: bool,
        /// Parse with the one-pass `export_responses_streamed` (the refresh's way) instead
        /// of the verified `export_responses`.
        #[arg(long)]
        streamed: bool,
    },
    /// Internal: time reading, parsing and bare-inserting the survey's JSON export (the
    /// machine's limit for a refresh; token in PULSEMAP_BENCH_TOKEN).
    Limit {
        #[arg(long)]
        host: String,
        #[arg(long)]
        survey: String,
        #[arg(long)]
        scratch: PathBuf,
    },
    /// Internal: create the paint benchmark's two maps on a Pulsemap cache (`--age`: leave
    /// their values as computed yesterday instead).
    PaintSeed {
        #[arg(long)]
        data_dir: PathBuf,
        #[arg(long, default_value = catalog::ONBOARDING_SURVEY_ID)]
        survey: String,
        /// Simulator seed (its data ends near a reference date derived from it).
        #[arg(long, default_value_t = 42)]
        seed: u64,
        #[arg(long)]
        age: bool,
    },
    /// Internal: app start to the painted journey map, then the other map, then a raw read.
    Paint {
        #[arg(long)]
        data_dir: PathBuf,
        #[arg(long, default_value = catalog::ONBOARDING_SURVEY_ID)]
        survey: String,
    },
    /// Internal: time one NPS card computation on a Pulsemap cache.
    Metric {
        #[arg(long)]
        data_dir: PathBuf,
        #[arg(long, default_value = catalog::ONBOARDING_SURVEY_ID)]
        survey: String,
        #[arg(long, value_enum)]
        card: MetricCard,
        #[arg(long, default_value_t = 20)]
        repeat: usize,
    },
}

fn main() -> Result<ExitCode> {
    match Cli::parse().command {
        Cmd::Probe { report, command } => measure::probe_main(&report, &command),
        Cmd::Export {
            host,
            survey,
            format,
            poll_ms,
            download_only,
            unzip,
            streamed,
        } => {
            let poll = Duration::from_millis(poll_ms);
            children::export_main(&ExportOptions {
                host,
                survey,
                format,
                poll,
                download_only,
                unzip,
                streamed,
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Limit {
            host,
            survey,
            scratch,
        } => {
            children::limit_main(&children::LimitOptions {
                host,
                survey,
                scratch,
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::PaintSeed {
            data_dir,
            survey,
            seed,
            age,
        } => {
            paint::seed_main(&data_dir, &survey, seed, age)?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Paint { data_dir, survey } => {
            paint::paint_main(&data_dir, &survey)?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Metric {
            data_dir,
            survey,
            card,
            repeat,
        } => {
            children::metric_main(&MetricOptions {
                data_dir: &data_dir,
                survey: &survey,
                nps_question: catalog::ONBOARDING_NPS_QID,
                group_question: catalog::ONBOARDING_PLAN_QID,
                card,
                repeat,
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Run {
            sizes,
            bin_dir,
            python,
            python_script,
            no_python,
            work_dir,
            seed,
            export_polls,
            poll_ms,
            metric_repeat,
            cold_runs,
            client_runs,
            out,
        } => {
            let bin_dir = match bin_dir {
                Some(d) => d,
                None => std::env::current_exe()?
                    .parent()
                    .context("locating the binary directory")?
                    .to_path_buf(),
            };
            let cfg = SuiteConfig {
                pulsemap: existing(&bin_dir.join("pulsemap"))?,
                sim: existing(&bin_dir.join("qualtrics-sim"))?,
                python: if no_python {
                    None
                } else {
                    Some((existing(&python)?, existing(&python_script)?))
                },
                work_dir: std::path::absolute(&work_dir)?,
                seed,
                export_polls,
                poll: Duration::from_millis(poll_ms),
                metric_repeat,
                cold_runs,
                client_runs,
            };
            run_suite(&cfg, &sizes, &out)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn existing(path: &Path) -> Result<PathBuf> {
    anyhow::ensure!(
        path.exists(),
        "{} does not exist (see docs/BENCHMARKS.md)",
        path.display()
    );
    // Absolute, but symlinks kept: a venv's python is a symlink that must stay one.
    Ok(std::path::absolute(path)?)
}

fn run_suite(cfg: &SuiteConfig, sizes: &[u64], out: &Path) -> Result<()> {
    std::fs::create_dir_all(&cfg.work_dir)?;
    let machine = report::Machine::detect();
    println!("## Pulsemap benchmark, {}\n", machine.date_utc);
    println!(
        "Machine: {} CPUs ({}), {:.1} GiB RAM, Linux {}. Simulator: seed {}; fixed poll \
         interval of the Python client and the crate export: {} ms (first check at once). \
         Two setups per size, same simulator binary: **server included** ({} inProgress polls \
         per export, every export file written by the simulator) and **client only** (0 \
         polls, export files written once in an untimed warm-up and reused, median of {} \
         runs).\n",
        machine.cpus,
        machine.cpu_model,
        machine.memory_gib,
        machine.kernel,
        cfg.seed,
        cfg.poll.as_millis(),
        cfg.export_polls,
        cfg.client_runs.max(1)
    );
    let mut results = Vec::new();
    for &n in sizes {
        let started = std::time::Instant::now();
        let r = suite::run_size(cfg, n).with_context(|| format!("benchmark of {n} responses"))?;
        println!("{}", report::size_markdown(&r));
        eprintln!("[{n}] done in {:.0} s", started.elapsed().as_secs_f64());
        results.push(r);
        // Keep what was measured so far even if a later (bigger) size fails.
        write_json(out, &machine, cfg, &results)?;
    }
    println!("### Targets\n\n{}", targets::targets_markdown(&results));
    Ok(())
}

fn write_json(
    out: &Path,
    machine: &report::Machine,
    cfg: &SuiteConfig,
    results: &[figures::SizeResult],
) -> Result<()> {
    let doc = serde_json::json!({
        "machine": machine,
        "seed": cfg.seed,
        "export_polls": cfg.export_polls,
        "poll_ms": cfg.poll.as_millis() as u64,
        "client_runs": cfg.client_runs.max(1),
        "results": results,
    });
    std::fs::write(out, serde_json::to_vec_pretty(&doc)?)
        .with_context(|| format!("writing {}", out.display()))
}
