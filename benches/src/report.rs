//! Rendering of the suite's figures: the machine, and per size one Markdown section per
//! server setup ("server included", "client only") with its Python ÷ Rust ratios.
//!
//! Contract: pure formatting of measured [`SizeResult`]s (the targets table is in
//! [`crate::targets`]); a scenario that was not run (Python skipped) is shown as "not run",
//! never guessed.

use std::fmt::Write as _;

use serde::Serialize;

use crate::figures::{
    ClientOnlyFigures, RefreshFigures, RepeatedFigures, RunFigures, SetupRatios, SizeResult,
};

/// The machine the figures come from.
#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    pub date_utc: String,
    pub cpus: usize,
    pub cpu_model: String,
    pub memory_gib: f64,
    pub kernel: String,
}

impl Machine {
    /// Reads `/proc` (Linux) for the CPU model, memory and kernel.
    pub fn detect() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu_model = cpuinfo
            .lines()
            .find_map(|l| {
                l.strip_prefix("model name")
                    .map(|r| r.trim_start_matches([' ', '\t', ':']))
            })
            .unwrap_or("unknown")
            .to_string();
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let mem_kib: f64 = meminfo
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|r| r.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0.0);
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .unwrap_or_default()
            .trim()
            .to_string();
        Machine {
            date_utc: chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
            cpus: std::thread::available_parallelism().map_or(0, usize::from),
            cpu_model,
            memory_gib: mem_kib / 1024.0 / 1024.0,
            kernel,
        }
    }
}

fn row(out: &mut String, name: &str, run: &RunFigures, rate: Option<f64>, detail: &str) {
    let rate = rate.map_or_else(String::new, |r| format!("{r:.0}"));
    let _ = writeln!(
        out,
        "| {name} | {} | {} | {rate} | {:.1} MiB | {} | {detail} |",
        secs(run.wall_s),
        secs(run.cpu_s),
        run.peak_rss_mib,
        run.http_requests
    );
}

/// Seconds with 3 decimals under 1 s, 2 above.
pub fn secs(s: f64) -> String {
    if s < 1.0 {
        format!("{s:.3} s")
    } else {
        format!("{s:.2} s")
    }
}

/// Simulator writer time of the exports a run made it write, as a detail suffix.
fn writer_note(run: &RunFigures) -> String {
    if run.writer_ms.is_empty() {
        return String::new();
    }
    let each: Vec<String> = run.writer_ms.iter().map(|ms| secs(ms / 1000.0)).collect();
    format!("; simulator wrote the file in {}", each.join(" + "))
}

fn refresh_row(out: &mut String, name: &str, r: &RefreshFigures) {
    let rate = (r.run.wall_s > 0.0).then(|| r.new_responses as f64 / r.run.wall_s);
    let detail = format!(
        "{} new, {} cached; client counted {} requests{}",
        r.new_responses,
        r.total_responses,
        r.reported_requests,
        writer_note(&r.run)
    );
    row(out, name, &r.run, rate, &detail);
}

const TABLE_HEAD: &str = "| scenario | wall | CPU (user+sys) | responses/s | peak RSS | HTTP requests | detail |\n|---|---|---|---|---|---|---|\n";
const PYTHON: &str = "Python `qualtrics` 0.4.2 export to file, CSV";
const CRATE_FILE: &str = "`qualtrics` crate export to file, CSV (download only)";
const CRATE_PARSED: &str = "`qualtrics` crate export, CSV (download + parse, verified)";
const CRATE_STREAMED: &str =
    "`qualtrics` crate export, CSV, one pass (`export_responses_streamed`: rows handed over while read)";

/// One Markdown section per setup for one size.
pub fn size_markdown(r: &SizeResult) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### {} responses\n", r.responses);
    server_included(&mut out, r);
    if let Some(p) = &r.paint {
        crate::paint_report::paint_markdown(&mut out, p);
    }
    client_only(&mut out, r.responses, &r.client_only);
    if let Some(ratios) = &r.ratios {
        let _ = writeln!(out, "Python ÷ Rust (above 1 = Rust better):\n");
        let _ = writeln!(out, "| setup | (a) crate export to file vs Python export to file (like for like) | (b) full `pulsemap refresh` vs Python export to file | crate export with parsing vs Python export to file |");
        let _ = writeln!(out, "|---|---|---|---|");
        for (name, s) in [
            ("server included", &ratios.server_included),
            ("client only", &ratios.client_only),
        ] {
            ratio_row(&mut out, name, s);
        }
        let _ = writeln!(out);
    }
    out
}

fn ratio_row(out: &mut String, name: &str, s: &SetupRatios) {
    let cell = |r: &crate::figures::Ratio| {
        format!(
            "wall {:.2}x, peak RSS {:.2}x (CPU {:.2}x)",
            r.wall, r.peak_rss, r.cpu
        )
    };
    let _ = writeln!(
        out,
        "| {name} | {} | {} | {} |",
        cell(&s.crate_export_to_file),
        cell(&s.full_refresh),
        cell(&s.crate_export_parsed)
    );
}

fn server_included(out: &mut String, r: &SizeResult) {
    let n = r.responses as f64;
    let _ = writeln!(
        out,
        "#### Server included (the simulator writes each export behind its forced polls)\n"
    );
    out.push_str(TABLE_HEAD);
    refresh_row(
        out,
        "`pulsemap refresh`, full (download + parse + store)",
        &r.full,
    );
    refresh_row(
        out,
        "`pulsemap refresh`, incremental, nothing new",
        &r.incremental_none,
    );
    refresh_row(
        out,
        "`pulsemap refresh`, incremental, 1% new",
        &r.incremental_one_percent,
    );
    row(
        out,
        "`pulsemap metric` cold start to printed value (median)",
        &r.cli_cold_start,
        None,
        "NPS by plan, from the SQLite cache",
    );
    for (name, e) in [
        (CRATE_PARSED, &r.crate_export_csv),
        (CRATE_FILE, &r.crate_download_csv),
    ] {
        let detail = format!("{}{}", e.detail, writer_note(&e.run));
        row(out, name, &e.run, Some(n / e.run.wall_s), &detail);
    }
    match &r.python_export {
        Some(p) => {
            let detail = format!("{}{}", p.detail, writer_note(&p.run));
            row(out, PYTHON, &p.run, Some(n / p.run.wall_s), &detail);
        }
        None => {
            let _ = writeln!(out, "| {PYTHON} | not run | | | | | |");
        }
    }
    let _ = writeln!(out);
    for (name, f) in [
        ("full", &r.full),
        ("incremental, 1% new", &r.incremental_one_percent),
    ] {
        let steps: Vec<String> = f
            .timeline
            .iter()
            .map(|(phase, t)| format!("{phase} {t:.2} s"))
            .collect();
        let _ = writeln!(
            out,
            "Timeline of the {name} refresh (first progress line of each phase): {}.",
            steps.join(" → ")
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "| metric (NPS of QID1) | first compute, whole cache never computed before (full extraction) | first compute after the 1% append (fresh process; columns extended with the new rows) | warm compute (median) | n | points | peak RSS |");
    let _ = writeln!(out, "|---|---|---|---|---|---|---|");
    for (name, first, m) in [
        (
            "grouped by plan (QID4)",
            &r.nps_by_question_first_extraction,
            &r.nps_by_question,
        ),
        (
            "per month",
            &r.nps_by_month_first_extraction,
            &r.nps_by_month,
        ),
    ] {
        let _ = writeln!(
            out,
            "| {name} | {:.1} ms | {:.1} ms | {:.2} ms | {} | {} | {:.1} MiB |",
            first.first_ms, m.first_ms, m.warm_median_ms, m.n, m.points, m.peak_rss_mib
        );
    }
    let _ = writeln!(out);
}

fn client_only(out: &mut String, responses: u64, c: &ClientOnlyFigures) {
    let n = responses as f64;
    let _ = writeln!(
        out,
        "#### Client only (export files already written, complete at the first poll; median of {} runs)\n",
        c.runs_each
    );
    out.push_str(TABLE_HEAD);
    let repeated = |out: &mut String, name: &str, f: &RepeatedFigures, count: f64| {
        let walls: Vec<String> = f.runs.iter().map(|r| secs(r.wall_s)).collect();
        let detail = format!("{}; runs {}", f.detail, walls.join(", "));
        row(out, name, &f.median, Some(count / f.median.wall_s), &detail);
    };
    match &c.python_export {
        Some(p) => repeated(out, PYTHON, p, n),
        None => {
            let _ = writeln!(out, "| {PYTHON} | not run | | | | | |");
        }
    }
    repeated(out, CRATE_FILE, &c.crate_download_csv, n);
    repeated(out, CRATE_PARSED, &c.crate_export_csv, n);
    repeated(out, CRATE_STREAMED, &c.crate_export_csv_streamed, n);
    let _ = writeln!(
        out,
        "| raw unzip of the crate's CSV file (in-process, after its download; median) | {} | | | | | {} bytes unzipped; the parse above is {:.2}x this |",
        secs(c.csv_unzip_s),
        c.csv_unzipped_bytes,
        c.crate_export_csv.median.wall_s / c.csv_unzip_s,
    );
    repeated(
        out,
        "`pulsemap refresh --incremental`, empty cache (download + parse + store)",
        &c.full_refresh,
        c.refresh_new_responses as f64,
    );
    let l = &c.limit;
    let _ = writeln!(
        out,
        "\nThe machine's limit with the same bytes (`pulsemap-bench limit` after each refresh, \
         medians; the refresh's JSON export, {} bytes, {} responses): reading the file {}, \
         parsing its JSON with no storing {}, a bare SQLite bulk insert of the same rows {}; \
         limit {}. **Full refresh = {:.2}x the limit** ({} / {}). Cache on disk after the \
         refresh: {} bytes, **{:.0} bytes a response**.",
        l.bytes,
        l.responses,
        secs(l.read_s),
        secs(l.parse_s),
        secs(l.insert_s),
        secs(l.total_s()),
        c.full_refresh.median.wall_s / l.total_s(),
        secs(c.full_refresh.median.wall_s),
        secs(l.total_s()),
        c.cache_bytes,
        c.cache_bytes as f64 / c.refresh_new_responses.max(1) as f64,
    );
    let written: f64 = c.warmup_writer_ms.iter().sum::<f64>() / 1000.0;
    let _ = writeln!(
        out,
        "\nReuse check: {} of {} timed exports were served by the simulator from already-written \
         files (exports reused counter of `/__sim/stats`); the untimed warm-up wrote {} files \
         in {} of simulator writer time.\n",
        c.timed_exports_reused,
        c.timed_exports,
        c.warmup_exports_written,
        secs(written)
    );
}
