//! The figures the suite measures, exactly as they go to `target/bench-results.json`.
//!
//! Contract: plain measured data, plus two derived views that only combine measured values:
//! [`RunFigures::median_of`] (the per-field median of repeated runs) and [`Ratio`] (Python ÷
//! Rust of wall time, CPU time and peak RSS; above 1 means Rust is better). Nothing here is
//! estimated: a figure that was not measured is absent (`None`).

use serde::Serialize;

use crate::measure::Measurement;
use crate::sim::Activity;

/// Figures of one measured child run.
#[derive(Debug, Clone, Serialize)]
pub struct RunFigures {
    pub wall_s: f64,
    /// User + system CPU time of the child (time not spent waiting on the server).
    pub cpu_s: f64,
    pub peak_rss_mib: f64,
    /// API requests the simulator served during the run.
    pub http_requests: u64,
    /// Exports the run started (simulator count).
    pub exports_started: u64,
    /// Of those, served by the simulator from an already-written file.
    pub exports_reused: u64,
    /// Simulator writer time (ms, start request to file written) of each export the run
    /// made the simulator write; empty when every export was reused.
    pub writer_ms: Vec<f64>,
}

impl RunFigures {
    /// Figures of one run and what the simulator did meanwhile.
    pub fn of(m: &Measurement, sim: Activity) -> Self {
        Self {
            wall_s: m.wall.as_secs_f64(),
            cpu_s: m.cpu.as_secs_f64(),
            peak_rss_mib: m.peak_rss_mib(),
            http_requests: sim.api_requests,
            exports_started: sim.exports_started,
            exports_reused: sim.exports_reused,
            writer_ms: sim.writer_ms,
        }
    }

    /// Per-field median of repeated runs (wall, CPU, peak RSS and counts each on their own);
    /// writer times are those of every run.
    pub fn median_of(runs: &[RunFigures]) -> RunFigures {
        let med =
            |f: &dyn Fn(&RunFigures) -> f64| median(&mut runs.iter().map(f).collect::<Vec<_>>());
        RunFigures {
            wall_s: med(&|r| r.wall_s),
            cpu_s: med(&|r| r.cpu_s),
            peak_rss_mib: med(&|r| r.peak_rss_mib),
            http_requests: med(&|r| r.http_requests as f64).round() as u64,
            exports_started: med(&|r| r.exports_started as f64).round() as u64,
            exports_reused: med(&|r| r.exports_reused as f64).round() as u64,
            writer_ms: runs.iter().flat_map(|r| r.writer_ms.clone()).collect(),
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

/// In-process metric timings.
#[derive(Debug, Clone, Serialize)]
pub struct MetricFigures {
    /// First computation in a fresh process (columns read from SQLite: extracted from the
    /// responses, loaded as persisted, or extended with the rows added since).
    pub first_ms: f64,
    /// Median of the warm computations (columns cached in memory).
    pub warm_median_ms: f64,
    pub n: u64,
    pub value: Option<f64>,
    pub points: u64,
    pub peak_rss_mib: f64,
}

/// One `paint` child run (see `paint`): seconds since its spawn, and the raw read.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct PaintRun {
    /// Spawn to `main` (process start: exec, loading).
    pub before_main_s: f64,
    /// Spawn to the facade open (the cache opened, migrations checked).
    pub facade_open_s: f64,
    /// Spawn to the journey map painted (every value and chart ready).
    pub painted_s: f64,
    /// Opening and painting the pulse map after it, same process.
    pub other_map_s: f64,
    pub first: PaintedMap,
    pub other: PaintedMap,
    /// Selecting and decompressing every finished-response page of the survey.
    pub raw_read_s: f64,
    pub raw_pages: u64,
    pub raw_compressed_bytes: u64,
    pub raw_bytes: u64,
    pub raw_responses: u64,
    /// Peak RSS of the child (from the probe).
    #[serde(default)]
    pub peak_rss_mib: f64,
}

/// One map of a `paint` run.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct PaintedMap {
    pub cards: u64,
    /// Cards whose value the paint computed (relative ranges that moved since cached).
    #[serde(default)]
    pub recomputed: u64,
    pub charts: u64,
    pub svg_bytes: u64,
    pub open_map_s: f64,
    pub charts_s: f64,
}

/// The paint benchmark of one size: maps seeded once, then painted in fresh processes.
#[derive(Debug, Clone, Serialize)]
pub struct PaintFigures {
    /// Creating both maps (30 cards, each computed as it is added; the first cards pay the
    /// column extraction over every cached response).
    pub seed_s: f64,
    /// First start of a day: the values were cached yesterday, so every relative range moved
    /// and is recomputed before it paints (one run after each ageing).
    pub first_of_day: Vec<PaintRun>,
    /// Values cached today: nothing to recompute.
    pub cached: Vec<PaintRun>,
}

impl PaintFigures {
    /// Per-field median of the runs of one kind.
    pub fn median(runs: &[PaintRun]) -> PaintRun {
        let med =
            |f: &dyn Fn(&PaintRun) -> f64| median(&mut runs.iter().map(f).collect::<Vec<_>>());
        let last = runs.last().cloned().unwrap_or_default();
        PaintRun {
            before_main_s: med(&|r| r.before_main_s),
            facade_open_s: med(&|r| r.facade_open_s),
            painted_s: med(&|r| r.painted_s),
            other_map_s: med(&|r| r.other_map_s),
            first: PaintedMap {
                open_map_s: med(&|r| r.first.open_map_s),
                charts_s: med(&|r| r.first.charts_s),
                ..last.first
            },
            other: PaintedMap {
                open_map_s: med(&|r| r.other.open_map_s),
                charts_s: med(&|r| r.other.charts_s),
                ..last.other
            },
            raw_read_s: med(&|r| r.raw_read_s),
            peak_rss_mib: med(&|r| r.peak_rss_mib),
            ..last
        }
    }
}

/// An export-to-file run.
#[derive(Debug, Clone, Serialize)]
pub struct ExportFigures {
    #[serde(flatten)]
    pub run: RunFigures,
    /// Size of the written file (Python) or responses parsed (crate).
    pub detail: String,
}

/// The same scenario run several times: the per-field median, and every run.
#[derive(Debug, Clone, Serialize)]
pub struct RepeatedFigures {
    #[serde(flatten)]
    pub median: RunFigures,
    pub runs: Vec<RunFigures>,
    /// What the last run produced (bytes written, responses parsed or stored).
    pub detail: String,
}

impl RepeatedFigures {
    /// Median and runs of `runs` (at least one).
    pub fn new(runs: Vec<RunFigures>, detail: String) -> Self {
        Self {
            median: RunFigures::median_of(&runs),
            runs,
            detail,
        }
    }
}

/// What the machine does with the bytes of the full refresh's JSON export (`pulsemap-bench
/// limit`, one child process, in the client-only setup).
#[derive(Debug, Clone, Default, Serialize)]
pub struct LimitFigures {
    pub bytes: u64,
    pub responses: u64,
    /// Reading the downloaded file.
    pub read_s: f64,
    /// Unzipping and decoding every response, nothing stored.
    pub parse_s: f64,
    /// Inserting every response's id, values and labels text into a plain SQLite table
    /// (measured as parse + insert, less the parse).
    pub insert_s: f64,
}

impl LimitFigures {
    /// The limit a refresh is judged against: read + parse + bare insert.
    pub fn total_s(&self) -> f64 {
        self.read_s + self.parse_s + self.insert_s
    }
}

/// The "client only" setup: export files already written, every timed export complete at
/// its first progress check, so wall time is the client's own work.
#[derive(Debug, Clone, Serialize)]
pub struct ClientOnlyFigures {
    /// Runs of each scenario (medians reported).
    pub runs_each: usize,
    /// Exports the untimed warm-up made the simulator write, and their writer times (the
    /// server time the timed runs no longer wait for).
    pub warmup_exports_written: u64,
    pub warmup_writer_ms: Vec<f64>,
    pub python_export: Option<RepeatedFigures>,
    /// The crate's export stopped at the file downloaded to disk (like the Python script).
    pub crate_download_csv: RepeatedFigures,
    /// The crate's export with every response parsed (verified: the whole file checked
    /// before the first row is handed over).
    pub crate_export_csv: RepeatedFigures,
    /// The same with the one-pass `export_responses_streamed` (rows handed over as read).
    pub crate_export_csv_streamed: RepeatedFigures,
    /// A raw unzip of the same CSV file (in-process, after its download; median seconds of
    /// the runs) and its unzipped size: the floor for the parse.
    pub csv_unzip_s: f64,
    pub csv_unzipped_bytes: u64,
    /// `pulsemap refresh --incremental` on an empty cache (download + parse + store).
    pub full_refresh: RepeatedFigures,
    /// Responses the last of those refreshes stored.
    pub refresh_new_responses: u64,
    /// Size of the data dir's database files (`pulsemap.db` + WAL) after each of those
    /// refreshes, largest reported.
    pub cache_bytes: u64,
    /// The machine's limit with the same bytes (median of the runs, each part on its own).
    pub limit: LimitFigures,
    /// Exports started by all timed runs, and how many of them the simulator served from an
    /// already-written file (equal: the check passed).
    pub timed_exports: u64,
    pub timed_exports_reused: u64,
}

/// Python ÷ Rust of one pair of runs (above 1 = Rust better).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Ratio {
    pub wall: f64,
    pub cpu: f64,
    pub peak_rss: f64,
}

impl Ratio {
    /// Python's figures over Rust's.
    pub fn of(python: &RunFigures, rust: &RunFigures) -> Ratio {
        Ratio {
            wall: python.wall_s / rust.wall_s,
            cpu: python.cpu_s / rust.cpu_s,
            peak_rss: python.peak_rss_mib / rust.peak_rss_mib,
        }
    }
}

/// Python export to file ÷ each Rust run of one setup.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct SetupRatios {
    /// (a) The crate's export to file: the like-for-like comparison.
    pub crate_export_to_file: Ratio,
    /// (b) The full `pulsemap refresh` (also parses and stores, and exports in-progress
    /// responses): not like for like.
    pub full_refresh: Ratio,
    /// The crate's export with parsing.
    pub crate_export_parsed: Ratio,
}

/// The ratios of both setups.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Ratios {
    pub server_included: SetupRatios,
    pub client_only: SetupRatios,
}

/// All figures of one survey size. The top-level scenario fields are the "server included"
/// setup (the simulator writes every export behind `export_polls` forced polls).
#[derive(Debug, Clone, Serialize)]
pub struct SizeResult {
    pub responses: u64,
    pub full: RefreshFigures,
    pub incremental_none: RefreshFigures,
    pub incremental_one_percent: RefreshFigures,
    /// Computed after the 1% incremental refresh: the first computation extends the columns
    /// persisted before the append with the appended responses only.
    pub nps_by_question: MetricFigures,
    pub nps_by_month: MetricFigures,
    /// Computed before the 1% append, on a cache no card was ever computed on: the first
    /// computation extracts the columns from every cached response.
    pub nps_by_question_first_extraction: MetricFigures,
    pub nps_by_month_first_extraction: MetricFigures,
    /// Median wall / max peak RSS of `pulsemap metric` from the cache.
    pub cli_cold_start: RunFigures,
    /// App start to a painted map (absent from results written before it existed).
    pub paint: Option<PaintFigures>,
    pub python_export: Option<ExportFigures>,
    pub crate_export_csv: ExportFigures,
    /// The crate's export stopped at the downloaded file, like the Python script.
    pub crate_download_csv: ExportFigures,
    pub client_only: ClientOnlyFigures,
    /// Present when the Python side ran.
    pub ratios: Option<Ratios>,
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
    use super::*;

    fn run(wall_s: f64, peak_rss_mib: f64) -> RunFigures {
        RunFigures {
            wall_s,
            cpu_s: wall_s / 2.0,
            peak_rss_mib,
            http_requests: 3,
            exports_started: 1,
            exports_reused: 1,
            writer_ms: Vec::new(),
        }
    }

    #[test]
    fn median_of_odd_even_and_empty() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
        assert!(median(&mut []).is_nan());
    }

    #[test]
    fn median_of_runs_takes_each_field_on_its_own() {
        let m = RunFigures::median_of(&[run(3.0, 10.0), run(1.0, 30.0), run(2.0, 20.0)]);
        assert_eq!((m.wall_s, m.cpu_s, m.peak_rss_mib), (2.0, 1.0, 20.0));
        assert_eq!(m.http_requests, 3);
    }

    #[test]
    fn ratio_is_python_over_rust() {
        let r = Ratio::of(&run(1.0, 60.0), &run(0.2, 10.0));
        assert!((r.wall - 5.0).abs() < 1e-9 && (r.peak_rss - 6.0).abs() < 1e-9);
    }
}
