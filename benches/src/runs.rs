//! One measured child run per function, shared by both server setups: connecting a data
//! dir, a `pulsemap refresh`, the crate's export, the Python package's export, the metric
//! timings, the CLI cold start and the map paint.
//!
//! Contract: every function runs its command under [`Probe`] (its own wall time, CPU time and
//! peak RSS) and takes the request, export and reuse counts from the simulator's own stats,
//! read just before and just after the run. A failing command is an error carrying its
//! stderr; nothing is retried or estimated.

use std::path::Path;

use anyhow::{Context, Result};
use qualtrics_sim::catalog;
use serde_json::Value;

use crate::children::{MetricCard, TOKEN_ENV};
use crate::figures::{
    median, ExportFigures, LimitFigures, MetricFigures, PaintFigures, PaintRun, RefreshFigures,
    RunFigures,
};
use crate::measure::{Measurement, Probe};
use crate::sim::{Activity, SimProcess};
use crate::suite::SuiteConfig;

/// The survey every scenario uses.
pub const SURVEY: &str = catalog::ONBOARDING_SURVEY_ID;

/// `pulsemap --data-dir DIR --dev-allow-loopback ARGS...` as a probe.
pub fn cli(cfg: &SuiteConfig, data_dir: &Path, args: &[&str]) -> Probe {
    Probe::new(&cfg.pulsemap)
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--dev-allow-loopback")
        .args(args.iter().copied())
}

/// Connect a fresh data dir to the simulator and list its surveys (not measured).
pub fn connect(cfg: &SuiteConfig, sim: &SimProcess, data_dir: &Path) -> Result<()> {
    cli(
        cfg,
        data_dir,
        &["connect", "--base-url", sim.host(), "--token-stdin"],
    )
    .stdin(catalog::API_TOKEN)
    .run()?;
    cli(cfg, data_dir, &["surveys"]).run()?;
    Ok(())
}

/// Run `probe`, returning its measurement and what the simulator did meanwhile.
fn measured(sim: &SimProcess, probe: &Probe) -> Result<(Measurement, Activity)> {
    let before = sim.counters()?;
    let m = probe.run()?;
    Ok((m, sim.activity_since(&before)?))
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

/// `pulsemap --json refresh SURVEY --incremental` on `data_dir` (a full import on an empty
/// cache, an incremental one afterwards).
pub fn refresh(cfg: &SuiteConfig, sim: &SimProcess, data_dir: &Path) -> Result<RefreshFigures> {
    let probe = cli(
        cfg,
        data_dir,
        &["--json", "refresh", SURVEY, "--incremental"],
    );
    let (m, activity) = measured(sim, &probe)?;
    let reports: Value = serde_json::from_str(m.stdout.trim())
        .with_context(|| format!("refresh printed no JSON: {}", m.stdout))?;
    let r = &reports[0];
    let num = |k: &str| r[k].as_u64().unwrap_or(0);
    Ok(RefreshFigures {
        run: RunFigures::of(&m, activity),
        mode: r["mode"].as_str().unwrap_or("-").to_string(),
        new_responses: num("newResponses"),
        total_responses: num("totalResponses"),
        reported_requests: num("httpRequests"),
        timeline: timeline(&m),
    })
}

/// How far the crate's CSV export goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrateExport {
    /// Stopped at the file downloaded to disk.
    DownloadOnly,
    /// Every row parsed by the verified `export_responses` (the whole file checked first).
    Verified,
    /// Every row parsed by the one-pass `export_responses_streamed` (the refresh's way).
    Streamed,
}

/// The crate's CSV export (`pulsemap-bench export`), parsed or stopped at the file.
pub fn crate_export(
    cfg: &SuiteConfig,
    sim: &SimProcess,
    mode: CrateExport,
) -> Result<ExportFigures> {
    let download_only = mode == CrateExport::DownloadOnly;
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
    match mode {
        CrateExport::DownloadOnly => probe = probe.arg("--download-only"),
        CrateExport::Streamed => probe = probe.arg("--streamed"),
        CrateExport::Verified => {}
    }
    let (m, activity) = measured(sim, &probe)?;
    let out: Value = serde_json::from_str(m.stdout.trim()).context("export printed no JSON")?;
    let detail = if download_only {
        format!("{} bytes downloaded", out["bytes"])
    } else {
        format!("{} responses parsed", out["responses"])
    };
    Ok(ExportFigures {
        run: RunFigures::of(&m, activity),
        detail,
    })
}

/// The Python package's export to `output` (`benches/python/export.py`).
pub fn python_export(
    cfg: &SuiteConfig,
    sim: &SimProcess,
    (python, script): (&Path, &Path),
    output: &Path,
) -> Result<ExportFigures> {
    let probe = Probe::new(python)
        .arg(script)
        .args(["--survey-id", SURVEY, "--output"])
        .arg(output)
        .arg("--poll-interval")
        .arg(format!("{}", cfg.poll.as_secs_f64()))
        .env("QUALTRICS_BASE_URL", format!("{}/API/v3", sim.base_url()))
        .env("QUALTRICS_API_TOKEN", catalog::API_TOKEN);
    let (m, activity) = measured(sim, &probe)?;
    let out: Value = serde_json::from_str(m.stdout.trim()).context("export.py printed no JSON")?;
    Ok(ExportFigures {
        run: RunFigures::of(&m, activity),
        detail: format!("{} bytes written", out["bytes"]),
    })
}

/// The crate's CSV export downloaded, then its file unzipped to nowhere in-process
/// (`pulsemap-bench export --unzip`): the run, the unzip's seconds and the unzipped bytes.
pub fn crate_unzip(cfg: &SuiteConfig, sim: &SimProcess) -> Result<(RunFigures, f64, u64)> {
    let probe = Probe::new(std::env::current_exe()?)
        .args(["export", "--host", sim.host(), "--survey", SURVEY])
        .args(["--format", "csv", "--unzip", "--poll-ms"])
        .arg(cfg.poll.as_millis().to_string())
        .env(TOKEN_ENV, catalog::API_TOKEN);
    let (m, activity) = measured(sim, &probe)?;
    let out: Value = serde_json::from_str(m.stdout.trim()).context("export printed no JSON")?;
    let unzip_s = out["unzip_s"].as_f64().context("no unzip time")?;
    let unzipped = out["unzipped_bytes"].as_u64().unwrap_or(0);
    Ok((RunFigures::of(&m, activity), unzip_s, unzipped))
}

/// In-process timings of one card on the cache in `data_dir` (`pulsemap-bench metric`).
pub fn metric(cfg: &SuiteConfig, data_dir: &Path, card: MetricCard) -> Result<MetricFigures> {
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

/// `pulsemap metric` from the cache: median wall and CPU, max peak RSS of `cold_runs` runs.
pub fn cold_start(cfg: &SuiteConfig, data_dir: &Path) -> Result<RunFigures> {
    let group = format!("question:{}", catalog::ONBOARDING_PLAN_QID);
    let args = [
        "metric",
        "--survey",
        SURVEY,
        "--question",
        catalog::ONBOARDING_NPS_QID,
        "--calc",
        "nps",
        "--group-by",
        &group,
    ];
    let mut walls = Vec::new();
    let mut cpus = Vec::new();
    let mut rss = 0f64;
    for _ in 0..cfg.cold_runs.max(1) {
        let m = cli(cfg, data_dir, &args).run()?;
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
        exports_started: 0,
        exports_reused: 0,
        writer_ms: Vec::new(),
    })
}

/// `pulsemap-bench limit`: reading, parsing and bare-inserting the full refresh's JSON export.
pub fn limit(sim: &SimProcess, scratch: &Path) -> Result<LimitFigures> {
    let m = Probe::new(std::env::current_exe()?)
        .args([
            "limit",
            "--host",
            sim.host(),
            "--survey",
            SURVEY,
            "--scratch",
        ])
        .arg(scratch)
        .env(TOKEN_ENV, catalog::API_TOKEN)
        .run()?;
    let v: Value = serde_json::from_str(m.stdout.trim()).context("limit printed no JSON")?;
    let f = |k: &str| v[k].as_f64().unwrap_or(f64::NAN);
    Ok(LimitFigures {
        bytes: v["bytes"].as_u64().unwrap_or(0),
        responses: v["responses"].as_u64().unwrap_or(0),
        read_s: f("read_s"),
        parse_s: f("parse_s"),
        insert_s: f("insert_s"),
    })
}

/// Bytes of the cache database files in `data_dir` (`pulsemap.db` and its WAL).
pub fn cache_bytes(data_dir: &Path) -> u64 {
    ["pulsemap.db", "pulsemap.db-wal"]
        .iter()
        .filter_map(|f| std::fs::metadata(data_dir.join(f)).ok())
        .map(|m| m.len())
        .sum()
}

/// The paint benchmark on the cache in `data_dir`: `pulsemap-bench paint-seed` once, then
/// `runs` first-of-day paints (each after `paint-seed --age`) and `runs` paints of values
/// cached today, each a fresh `pulsemap-bench paint` process.
pub fn paint(cfg: &SuiteConfig, data_dir: &Path, runs: usize) -> Result<PaintFigures> {
    let bench = std::env::current_exe()?;
    let child = |sub: &str| {
        Probe::new(&bench)
            .arg(sub)
            .arg("--data-dir")
            .arg(data_dir)
            .args(["--survey", SURVEY])
    };
    let seed = child("paint-seed")
        .arg("--seed")
        .arg(cfg.seed.to_string())
        .run()?;
    let seeded: Value =
        serde_json::from_str(seed.stdout.trim()).context("paint-seed printed no JSON")?;
    let one = || -> Result<PaintRun> {
        let m = child("paint").run()?;
        let mut run: PaintRun = serde_json::from_str(m.stdout.trim())
            .with_context(|| format!("paint printed no figures: {}", m.stdout))?;
        run.peak_rss_mib = m.peak_rss_mib();
        Ok(run)
    };
    let mut first_of_day = Vec::new();
    for _ in 0..runs.max(1) {
        child("paint-seed")
            .arg("--seed")
            .arg(cfg.seed.to_string())
            .arg("--age")
            .run()?;
        first_of_day.push(one()?);
    }
    let cached = (0..runs.max(1))
        .map(|_| one())
        .collect::<Result<Vec<_>>>()?;
    Ok(PaintFigures {
        seed_s: seeded["seed_s"].as_f64().unwrap_or(f64::NAN),
        first_of_day,
        cached,
    })
}
