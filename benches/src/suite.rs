//! The benchmark scenarios, run once per survey size against a fresh simulator.
//!
//! Contract: for each size N, [`run_size`] starts `qualtrics-sim --responses N`, connects a
//! fresh `pulsemap` data dir to it, and measures, each in its own child process:
//!
//! 1. a full refresh (export download + parse + store);
//! 2. an incremental refresh with nothing new;
//! 3. an incremental refresh after adding 1% new responses;
//! 4. the NPS card grouped by a choice question and by month (in-process compute timings);
//! 5. the CLI's cold start to a printed value from the cache;
//! 6. the Python `qualtrics` package exporting the survey to a file;
//! 7. the `qualtrics` crate exporting the same survey with the same request options and
//!    poll interval.
//!
//! HTTP request counts come from the simulator's stats. Any failing step fails the size
//! with its stderr; nothing is retried or estimated.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use qualtrics_sim::catalog;
use serde::Serialize;
use serde_json::Value;

use crate::children::{MetricCard, TOKEN_ENV};
use crate::measure::{Measurement, Probe};
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
    /// `inProgress` polls before the simulator completes an export.
    pub export_polls: u32,
    /// Fixed poll interval of the Python client and of the crate-level export.
    pub poll: Duration,
    /// Warm repetitions of each metric computation.
    pub metric_repeat: usize,
    /// Runs of the CLI cold start.
    pub cold_runs: usize,
}

/// Figures of one measured child run.
#[derive(Debug, Clone, Serialize)]
pub struct RunFigures {
    pub wall_s: f64,
    /// User + system CPU time of the child (time not spent waiting on the server).
    pub cpu_s: f64,
    pub peak_rss_mib: f64,
    /// API requests the simulator served during the run.
    pub http_requests: u64,
}

impl RunFigures {
    fn of(m: &Measurement, http_requests: u64) -> Self {
        Self {
            wall_s: m.wall.as_secs_f64(),
            cpu_s: m.cpu.as_secs_f64(),
            peak_rss_mib: m.peak_rss_mib(),
            http_requests,
        }
    }
}

/// A refresh run plus what the CLI reported.
#[derive(Debug, Clone, Serialize)]
pub struct RefreshFigures {
    #[serde(flatten)]
    pub run: RunFigures,
    pub mode: String,
    pub new_responses: u64,
    pub total_responses: u64,
    /// The client's own request count (`RefreshReport::http_requests`).
    pub reported_requests: u64,
    /// When each progress phase first showed on stderr (s since start), then the exit.
    pub timeline: Vec<(String, f64)>,
}

/// Progress markers of `pulsemap refresh` on stderr, in the order they appear.
const PHASES: [(&str, &str); 5] = [
    ("definition", "fetching survey definition"),
    ("export polling", ": exporting"),
    ("download", ": downloading"),
    ("parse + insert", ": imported"),
    ("cards", ": recomputing cards"),
];

/// First arrival of each phase marker, the last import progress line, and the exit. The
/// in-progress export and the commit print nothing: they sit between the last import line
/// and "cards".
fn timeline(m: &Measurement) -> Vec<(String, f64)> {
    let mut out = Vec::new();
    for (name, marker) in PHASES {
        if let Some((t, _)) = m.stderr_lines.iter().find(|(_, l)| l.contains(marker)) {
            out.push((name.to_string(), *t));
        }
        if marker == ": imported" {
            if let Some((t, _)) = m
                .stderr_lines
                .iter()
                .rev()
                .find(|(_, l)| l.contains(marker))
            {
                out.push(("last import line".to_string(), *t));
            }
        }
    }
    out.push(("exit".to_string(), m.wall.as_secs_f64()));
    out
}

/// In-process metric timings.
#[derive(Debug, Clone, Serialize)]
pub struct MetricFigures {
    /// First computation: columns extracted from SQLite (the recomputation after a refresh).
    pub first_ms: f64,
    /// Median of the warm computations (columns cached in memory).
    pub warm_median_ms: f64,
    pub n: u64,
    pub value: Option<f64>,
    pub points: u64,
    pub peak_rss_mib: f64,
}

/// An export-to-file run.
#[derive(Debug, Clone, Serialize)]
pub struct ExportFigures {
    #[serde(flatten)]
    pub run: RunFigures,
    /// Size of the written file (Python) or responses parsed (crate).
    pub detail: String,
}

/// All figures of one survey size.
#[derive(Debug, Clone, Serialize)]
pub struct SizeResult {
    pub responses: u64,
    pub full: RefreshFigures,
    pub incremental_none: RefreshFigures,
    pub incremental_one_percent: RefreshFigures,
    pub nps_by_question: MetricFigures,
    pub nps_by_month: MetricFigures,
    /// Median wall / max peak RSS of `pulsemap metric` from the cache.
    pub cli_cold_start: RunFigures,
    pub python_export: Option<ExportFigures>,
    pub crate_export_csv: ExportFigures,
    /// The crate's export stopped at the downloaded file, like the Python script.
    pub crate_download_csv: ExportFigures,
}

const SURVEY: &str = catalog::ONBOARDING_SURVEY_ID;

/// Runs every scenario for `responses` responses.
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
    };
    let sim = SimProcess::start(&cfg.sim, settings, &dir.join("sim.log"))?;
    let cli = |args: &[&str]| {
        Probe::new(&cfg.pulsemap)
            .arg("--data-dir")
            .arg(&data_dir)
            .arg("--dev-allow-loopback")
            .args(args.iter().copied())
    };
    eprintln!("[{responses}] simulator at {}; connecting", sim.base_url());
    cli(&["connect", "--base-url", sim.host(), "--token-stdin"])
        .stdin(catalog::API_TOKEN)
        .run()?;
    cli(&["surveys"]).run()?;

    let refresh = |label: &str| -> Result<RefreshFigures> {
        eprintln!("[{responses}] refresh: {label}");
        let before = sim.api_requests()?;
        let m = cli(&["--json", "refresh", SURVEY, "--force"]).run()?;
        let served = sim.api_requests()? - before;
        let reports: Value = serde_json::from_str(m.stdout.trim())
            .with_context(|| format!("refresh printed no JSON: {}", m.stdout))?;
        let r = &reports[0];
        let num = |k: &str| r[k].as_u64().unwrap_or(0);
        Ok(RefreshFigures {
            run: RunFigures::of(&m, served),
            mode: r["mode"].as_str().unwrap_or("-").to_string(),
            new_responses: num("newResponses"),
            total_responses: num("totalResponses"),
            reported_requests: num("httpRequests"),
            timeline: timeline(&m),
        })
    };
    let full = refresh("full")?;
    let incremental_none = refresh("incremental, nothing new")?;
    let added = (responses / 100).max(1);
    sim.add_responses(SURVEY, added)?;
    let incremental_one_percent = refresh("incremental, 1% new")?;

    eprintln!("[{responses}] metrics");
    let nps_by_question = metric(cfg, &data_dir, MetricCard::NpsByQuestion)?;
    let nps_by_month = metric(cfg, &data_dir, MetricCard::NpsByMonth)?;
    let cli_cold_start = cold_start(cfg, &cli)?;

    let python_export = match &cfg.python {
        Some((python, script)) => Some(python_export(cfg, &sim, python, script, &dir)?),
        None => None,
    };
    eprintln!("[{responses}] qualtrics crate export (csv)");
    let crate_export_csv = crate_export(cfg, &sim, false)?;
    let crate_download_csv = crate_export(cfg, &sim, true)?;
    Ok(SizeResult {
        responses,
        full,
        incremental_none,
        incremental_one_percent,
        nps_by_question,
        nps_by_month,
        cli_cold_start,
        python_export,
        crate_export_csv,
        crate_download_csv,
    })
}

fn crate_export(cfg: &SuiteConfig, sim: &SimProcess, download_only: bool) -> Result<ExportFigures> {
    let before = sim.api_requests()?;
    let mut probe = Probe::new(std::env::current_exe()?)
        .args([
            "export",
            "--host",
            sim.host(),
            "--survey",
            SURVEY,
            "--format",
            "csv",
        ])
        .arg("--poll-ms")
        .arg(cfg.poll.as_millis().to_string())
        .env(TOKEN_ENV, catalog::API_TOKEN);
    if download_only {
        probe = probe.arg("--download-only");
    }
    let m = probe.run()?;
    let out: Value = serde_json::from_str(m.stdout.trim()).context("export printed no JSON")?;
    let detail = if download_only {
        format!("{} bytes downloaded", out["bytes"])
    } else {
        format!("{} responses parsed", out["responses"])
    };
    Ok(ExportFigures {
        run: RunFigures::of(&m, sim.api_requests()? - before),
        detail,
    })
}

fn metric(cfg: &SuiteConfig, data_dir: &Path, card: MetricCard) -> Result<MetricFigures> {
    let card_arg = match card {
        MetricCard::NpsByQuestion => "nps-by-question",
        MetricCard::NpsByMonth => "nps-by-month",
    };
    let m = Probe::new(std::env::current_exe()?)
        .arg("metric")
        .arg("--data-dir")
        .arg(data_dir)
        .args(["--survey", SURVEY, "--card", card_arg, "--repeat"])
        .arg(cfg.metric_repeat.to_string())
        .run()?;
    let v: Value = serde_json::from_str(m.stdout.trim()).context("metric printed no JSON")?;
    let mut warm: Vec<f64> = v["warm_ms"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_f64)
        .collect();
    Ok(MetricFigures {
        first_ms: v["first_ms"].as_f64().unwrap_or(f64::NAN),
        warm_median_ms: median(&mut warm),
        n: v["n"].as_u64().unwrap_or(0),
        value: v["value"].as_f64(),
        points: v["points"].as_u64().unwrap_or(0),
        peak_rss_mib: m.peak_rss_mib(),
    })
}

fn cold_start(cfg: &SuiteConfig, cli: &dyn Fn(&[&str]) -> Probe) -> Result<RunFigures> {
    let args = [
        "metric",
        "--survey",
        SURVEY,
        "--question",
        catalog::ONBOARDING_NPS_QID,
        "--calc",
        "nps",
        "--group-by",
    ];
    let group = format!("question:{}", catalog::ONBOARDING_PLAN_QID);
    let mut walls = Vec::new();
    let mut cpus = Vec::new();
    let mut rss = 0f64;
    for _ in 0..cfg.cold_runs.max(1) {
        let m = cli(&args).arg(&group).run()?;
        anyhow::ensure!(
            m.stdout.contains("value:"),
            "pulsemap metric printed no value: {}",
            m.stdout
        );
        walls.push(m.wall.as_secs_f64());
        cpus.push(m.cpu.as_secs_f64());
        rss = rss.max(m.peak_rss_mib());
    }
    Ok(RunFigures {
        wall_s: median(&mut walls),
        cpu_s: median(&mut cpus),
        peak_rss_mib: rss,
        http_requests: 0,
    })
}

fn python_export(
    cfg: &SuiteConfig,
    sim: &SimProcess,
    python: &Path,
    script: &Path,
    dir: &Path,
) -> Result<ExportFigures> {
    eprintln!("[python] qualtrics package export (csv)");
    let before = sim.api_requests()?;
    let m = Probe::new(python)
        .arg(script)
        .args(["--survey-id", SURVEY, "--output"])
        .arg(dir.join("python-export.zip"))
        .arg("--poll-interval")
        .arg(format!("{}", cfg.poll.as_secs_f64()))
        .env("QUALTRICS_BASE_URL", format!("{}/API/v3", sim.base_url()))
        .env("QUALTRICS_API_TOKEN", catalog::API_TOKEN)
        .run()?;
    let out: Value = serde_json::from_str(m.stdout.trim()).context("export.py printed no JSON")?;
    Ok(ExportFigures {
        run: RunFigures::of(&m, sim.api_requests()? - before),
        detail: format!("{} bytes written", out["bytes"]),
    })
}

/// Median (sorts in place); NaN for an empty slice.
pub fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn median_of_odd_even_and_empty() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
        assert!(median(&mut []).is_nan());
    }
}
