//! Rendering of the suite's figures: the machine, one Markdown table per size, and the
//! issue's targets with the measured value next to each (met or missed, and by how much).
//!
//! Contract: pure formatting of measured [`SizeResult`]s; a target whose scenario was not
//! run (size absent, Python skipped) is reported as "not measured", never guessed.

use std::fmt::Write as _;

use serde::Serialize;

use crate::suite::{RefreshFigures, RunFigures, SizeResult};

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
fn secs(s: f64) -> String {
    if s < 1.0 {
        format!("{s:.3} s")
    } else {
        format!("{s:.2} s")
    }
}

fn refresh_row(out: &mut String, name: &str, r: &RefreshFigures) {
    let rate = (r.run.wall_s > 0.0).then(|| r.new_responses as f64 / r.run.wall_s);
    let detail = format!(
        "{} new, {} cached; client counted {} requests",
        r.new_responses, r.total_responses, r.reported_requests
    );
    row(out, name, &r.run, rate, &detail);
}

/// One Markdown section for one size.
pub fn size_markdown(r: &SizeResult) -> String {
    let mut out = String::new();
    let n = r.responses as f64;
    let _ = writeln!(out, "### {} responses\n", r.responses);
    let _ = writeln!(
        out,
        "| scenario | wall | CPU (user+sys) | responses/s | peak RSS | HTTP requests | detail |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|");
    refresh_row(
        &mut out,
        "`pulsemap refresh`, full (download + parse + store)",
        &r.full,
    );
    refresh_row(
        &mut out,
        "`pulsemap refresh`, incremental, nothing new",
        &r.incremental_none,
    );
    refresh_row(
        &mut out,
        "`pulsemap refresh`, incremental, 1% new",
        &r.incremental_one_percent,
    );
    row(
        &mut out,
        "`pulsemap metric` cold start to printed value (median)",
        &r.cli_cold_start,
        None,
        "NPS by plan, from the SQLite cache",
    );
    let e = &r.crate_export_csv;
    let rate = Some(n / e.run.wall_s);
    row(
        &mut out,
        "`qualtrics` crate export, CSV (download + parse)",
        &e.run,
        rate,
        &e.detail,
    );
    let d = &r.crate_download_csv;
    let rate = Some(n / d.run.wall_s);
    row(
        &mut out,
        "`qualtrics` crate export, CSV, download only",
        &d.run,
        rate,
        &d.detail,
    );
    match &r.python_export {
        Some(p) => {
            let rate = Some(n / p.run.wall_s);
            row(
                &mut out,
                "Python `qualtrics` 0.4.2 export to file, CSV",
                &p.run,
                rate,
                &p.detail,
            );
        }
        None => {
            let _ = writeln!(
                out,
                "| Python `qualtrics` 0.4.2 export | not run | | | | | |"
            );
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
    let _ = writeln!(out, "| metric (NPS of QID1) | first compute in a fresh process | warm compute (median) | n | points | peak RSS |");
    let _ = writeln!(out, "|---|---|---|---|---|---|");
    for (name, m) in [
        ("grouped by plan (QID4)", &r.nps_by_question),
        ("per month", &r.nps_by_month),
    ] {
        let _ = writeln!(
            out,
            "| {name} | {:.1} ms | {:.2} ms | {} | {} | {:.1} MiB |",
            m.first_ms, m.warm_median_ms, m.n, m.points, m.peak_rss_mib
        );
    }
    if let Some(p) = &r.python_export {
        let ratio = |x: &RunFigures| {
            format!(
                "wall {:.2}x, CPU {:.2}x, peak RSS {:.2}x",
                p.run.wall_s / x.wall_s,
                p.run.cpu_s / x.cpu_s,
                p.run.peak_rss_mib / x.peak_rss_mib
            )
        };
        let _ = writeln!(
            out,
            "\nPython ÷ Rust (above 1 = Rust better): vs the full refresh {}; vs the crate CSV \
             export {}; vs the crate CSV download {}.",
            ratio(&r.full.run),
            ratio(&e.run),
            ratio(&d.run)
        );
    }
    out
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "MISSED"
    }
}

/// The four targets against the measured figures.
pub fn targets_markdown(results: &[SizeResult]) -> String {
    let by_size = |n: u64| results.iter().find(|r| r.responses == n);
    let mut out = String::from("| target | measured | verdict |\n|---|---|---|\n");
    match by_size(100_000).and_then(|r| r.python_export.as_ref().map(|p| (r, p))) {
        Some((r, p)) => {
            let ratio = p.run.wall_s / r.full.run.wall_s;
            let _ = writeln!(
                out,
                "| ≥ 5x faster than Python on the 100k export | {ratio:.2}x (Python {:.2} s / full refresh {:.2} s; crate CSV export {:.2}x) | {} |",
                p.run.wall_s,
                r.full.run.wall_s,
                p.run.wall_s / r.crate_export_csv.run.wall_s,
                verdict(ratio >= 5.0)
            );
        }
        None => out.push_str("| ≥ 5x faster than Python on the 100k export | not measured | - |\n"),
    }
    match by_size(1_000_000) {
        Some(r) => {
            let rss = r
                .full
                .run
                .peak_rss_mib
                .max(r.incremental_one_percent.run.peak_rss_mib);
            let _ = writeln!(
                out,
                "| 1M responses imported with peak RSS < 300 MB | {:.1} MB ({rss:.1} MiB) | {} |",
                rss * 1.048_576,
                verdict(rss * 1.048_576 < 300.0)
            );
            let worst = r.nps_by_question.first_ms.max(r.nps_by_month.first_ms);
            let warm = r
                .nps_by_question
                .warm_median_ms
                .max(r.nps_by_month.warm_median_ms);
            let _ = writeln!(
                out,
                "| metric recomputation over 1M < 200 ms | first {worst:.1} ms, warm {warm:.2} ms (worst card) | {} |",
                verdict(worst < 200.0)
            );
        }
        None => {
            out.push_str("| 1M responses imported with peak RSS < 300 MB | not measured | - |\n");
            out.push_str("| metric recomputation over 1M < 200 ms | not measured | - |\n");
        }
    }
    let worst_incr = results
        .iter()
        .map(|r| r.incremental_none.run.http_requests)
        .max();
    match worst_incr {
        Some(n) => {
            let _ = writeln!(
                out,
                "| incremental refresh with nothing new < 3 HTTP requests | {n} requests | {} |",
                verdict(n < 3)
            );
        }
        None => out.push_str(
            "| incremental refresh with nothing new < 3 HTTP requests | not measured | - |\n",
        ),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_without_figures_are_not_measured_rather_than_guessed() {
        let md = targets_markdown(&[]);
        assert_eq!(md.matches("not measured").count(), 4, "{md}");
        assert!(!md.contains("met |") && !md.contains("MISSED"), "{md}");
    }
}
