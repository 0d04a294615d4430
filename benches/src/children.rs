//! Subcommands the suite runs as measured child processes (so each has its own peak RSS).
//!
//! Contract:
//! * `export` drives the `qualtrics` crate's whole export flow (start, fixed-interval poll,
//!   streamed download, streamed parse) against a loopback host and counts the parsed
//!   responses. It is the Rust counterpart of `benches/python/export.py`: same request
//!   options, same fixed poll interval, same polling pattern (first progress check at once
//!   after the start, then the interval). The token comes from `PULSEMAP_BENCH_TOKEN`. With
//!   `download_only` it stops at the file downloaded to disk (the crate's `start_export`,
//!   `export_progress` and `download_export_file`), which is all the Python script does.
//!   With `unzip` it then times, in-process, unzipping that file's member to nowhere (the
//!   zip crate and inflate back end the crate's parser reads through, 256 KiB reads): the
//!   floor for parsing the same file. With `streamed` it parses with the one-pass
//!   `export_responses_streamed` (the refresh's way) instead of the verified
//!   `export_responses`.
//! * `metric` opens a Pulsemap cache (`<data-dir>/pulsemap.db`) and times
//!   `pulsemap_core::metrics::compute` for one card in-process: the first call (columns
//!   extracted from SQLite, as after a refresh) and `repeat` further calls (columns cached).
//!
//! Both print one JSON object on stdout.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use pulsemap_core::metrics::{
    compute, Calculation, CardType, GroupBy, MetricCardConfig, TimeBucket,
};
use pulsemap_core::store::Store;
use qualtrics::{
    BaseUrl, Client, Credentials, ExportFile, ExportFormat, ExportRequest, ExportState, HostPolicy,
    PollPolicy,
};
use serde_json::json;

/// Environment variable the `export` child reads its API token from.
pub const TOKEN_ENV: &str = "PULSEMAP_BENCH_TOKEN";

/// Options of the `export` child.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// Loopback host, `127.0.0.1:PORT`.
    pub host: String,
    /// Survey to export.
    pub survey: String,
    /// `csv` (with labels, like the Python package's default) or `json`.
    pub format: String,
    /// Fixed poll interval.
    pub poll: Duration,
    /// Stop after the download (no parsing).
    pub download_only: bool,
    /// After the download, time a raw unzip of the file (implies `download_only`).
    pub unzip: bool,
    /// Parse in one pass (`export_responses_streamed`, rows handed over as they are read)
    /// instead of the verified `export_responses`.
    pub streamed: bool,
}

/// The `export` child: whole export flow, prints `{"responses", "http_requests"}`.
pub fn export_main(opts: &ExportOptions) -> Result<()> {
    let token = std::env::var(TOKEN_ENV).with_context(|| format!("{TOKEN_ENV} is not set"))?;
    let request = match opts.format.as_str() {
        "csv" => ExportRequest::new()
            .format(ExportFormat::Csv)
            .use_labels(true),
        "json" => ExportRequest::new(),
        other => bail!("unsupported export format {other:?}; use csv or json"),
    };
    let base = BaseUrl::parse(&opts.host, HostPolicy::AllowLoopback)?;
    let client = Client::builder()
        .poll_policy(PollPolicy {
            // Like the Python package: first check at once, then the fixed interval.
            first: Duration::ZERO,
            initial: opts.poll,
            max: opts.poll,
            factor: 1.0,
            timeout: Duration::from_secs(3600),
        })
        .build(base, Credentials::api_token(token))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    if opts.unzip {
        let (file, requests) = runtime.block_on(download_only(&client, opts, &request))?;
        let (unzip_s, unzipped) = time_unzip(&file)?;
        println!(
            "{}",
            json!({ "bytes": file.len(), "http_requests": requests, "unzip_s": unzip_s,
                    "unzipped_bytes": unzipped })
        );
        return Ok(());
    }
    if opts.download_only {
        let (file, requests) = runtime.block_on(download_only(&client, opts, &request))?;
        println!(
            "{}",
            json!({ "bytes": file.len(), "http_requests": requests })
        );
        return Ok(());
    }
    let mut parsed = 0u64;
    let count = |_response| {
        parsed += 1;
        Ok(())
    };
    let summary = if opts.streamed {
        runtime.block_on(client.export_responses_streamed(&opts.survey, &request, |_| {}, count))?
    } else {
        runtime.block_on(client.export_responses(&opts.survey, &request, |_| {}, count))?
    };
    println!(
        "{}",
        json!({ "responses": parsed, "http_requests": summary.http_requests })
    );
    Ok(())
}

/// Start, check progress at once and then at the fixed interval (like the Python package and
/// the crate's own `export_responses`), download to a temporary file; returns (bytes,
/// requests).
async fn download_only(
    client: &Client,
    opts: &ExportOptions,
    request: &ExportRequest,
) -> Result<(ExportFile, u64)> {
    let started = client.start_export(&opts.survey, request).await?;
    let mut requests = 1u64;
    let file_id = loop {
        let status = client
            .export_progress(&opts.survey, &started.progress_id)
            .await?;
        requests += 1;
        match status.status {
            ExportState::Complete => {
                break status.file_id.context("complete export without fileId")?
            }
            ExportState::Failed => bail!("the export failed"),
            _ => tokio::time::sleep(opts.poll).await,
        }
    };
    let file = client
        .download_export_file(&opts.survey, &file_id, |_| {})
        .await?;
    Ok((file, requests + 1))
}

/// Seconds to unzip the downloaded file's first member to nowhere, and its unzipped size.
/// The file is first copied to a seekable temporary file (untimed; the zip reader seeks).
fn time_unzip(file: &ExportFile) -> Result<(f64, u64)> {
    let mut copy = tempfile::tempfile().context("creating a scratch file")?;
    std::io::copy(&mut file.raw_reader()?, &mut copy)?;
    let started = Instant::now();
    let mut archive = zip::ZipArchive::new(copy).context("the export is not a zip archive")?;
    let mut member = archive.by_index(0)?;
    let mut buf = vec![0u8; 256 * 1024];
    let mut unzipped = 0u64;
    loop {
        let n = std::io::Read::read(&mut member, &mut buf)?;
        if n == 0 {
            break;
        }
        unzipped += n as u64;
    }
    Ok((started.elapsed().as_secs_f64(), unzipped))
}

/// Which card the `metric` child computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MetricCard {
    /// NPS of the NPS question, grouped by a choice question (Number card).
    NpsByQuestion,
    /// NPS of the NPS question per month (Series card).
    NpsByMonth,
}

/// Options of the `metric` child.
#[derive(Debug, Clone)]
pub struct MetricOptions<'a> {
    /// Pulsemap data directory.
    pub data_dir: &'a Path,
    /// Survey id.
    pub survey: &'a str,
    /// NPS question id.
    pub nps_question: &'a str,
    /// Choice question to group by (for [`MetricCard::NpsByQuestion`]).
    pub group_question: &'a str,
    /// The card.
    pub card: MetricCard,
    /// Warm repetitions after the first computation.
    pub repeat: usize,
}

/// The card configuration the `metric` child and the CLI cold-start run both compute.
pub fn card_config(opts: &MetricOptions<'_>) -> MetricCardConfig {
    let (card_type, group_by) = match opts.card {
        MetricCard::NpsByQuestion => (
            CardType::Number,
            GroupBy::Question {
                question_id: opts.group_question.to_string(),
            },
        ),
        MetricCard::NpsByMonth => (
            CardType::Series,
            GroupBy::Time {
                bucket: TimeBucket::Month,
                date_field: Default::default(),
            },
        ),
    };
    MetricCardConfig {
        name: "bench NPS".to_string(),
        card_type,
        survey_id: pulsemap_core::SurveyId::parse(opts.survey).ok(),
        question_id: opts.nps_question.to_string(),
        sub_question_id: None,
        group_by,
        calculation: Calculation::Nps,
        comparison: None,
        chart: Default::default(),
        ..Default::default()
    }
}

/// The `metric` child: prints `{"open_ms", "first_ms", "warm_ms": [...], "n", "value", "points"}`.
pub fn metric_main(opts: &MetricOptions<'_>) -> Result<()> {
    let config = card_config(opts);
    let opened = Instant::now();
    let store = Store::open(&opts.data_dir.join(pulsemap_core::app::DB_FILE))?;
    let open_ms = ms(opened.elapsed());
    let first = Instant::now();
    let value = compute(&store, &config)?;
    let first_ms = ms(first.elapsed());
    let mut warm_ms = Vec::with_capacity(opts.repeat);
    for _ in 0..opts.repeat {
        let t = Instant::now();
        let again = compute(&store, &config)?;
        warm_ms.push(ms(t.elapsed()));
        if again != value {
            bail!("metric value changed between identical computations");
        }
    }
    println!(
        "{}",
        json!({
            "open_ms": open_ms,
            "first_ms": first_ms,
            "warm_ms": warm_ms,
            "n": value.n,
            "value": value.value,
            "points": value.groups.len() + value.series.len(),
        })
    );
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Options of the `limit` child.
#[derive(Debug, Clone)]
pub struct LimitOptions {
    /// Loopback host, `127.0.0.1:PORT`.
    pub host: String,
    /// Survey to export.
    pub survey: String,
    /// Scratch directory for the bare SQLite database.
    pub scratch: std::path::PathBuf,
}

/// The `limit` child: what the machine does with the bytes of the survey's JSON export (the
/// same request as a full `pulsemap refresh`, so the client-only simulator serves the file it
/// already wrote), each timed in this process, one after the other:
/// * `read_s`: reading the downloaded file from disk (to a sink);
/// * `parse_s`: the crate unzipping and decoding every response (no storing);
/// * `parse_insert_s`: the same parse, each response's id, values and labels text inserted
///   into a plain SQLite table (no index, one transaction, WAL and `synchronous = NORMAL`
///   like Pulsemap's cache) and committed. `insert_s` = `parse_insert_s - parse_s`.
///
/// Prints `{"bytes", "responses", "read_s", "parse_s", "parse_insert_s", "insert_s"}`.
pub fn limit_main(opts: &LimitOptions) -> Result<()> {
    let token = std::env::var(TOKEN_ENV).with_context(|| format!("{TOKEN_ENV} is not set"))?;
    let base = BaseUrl::parse(&opts.host, HostPolicy::AllowLoopback)?;
    let client = Client::builder().build(base, Credentials::api_token(token))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let request = ExportRequest::new().allow_continuation(true);
    let download = || -> Result<qualtrics::ExportFile> {
        let prepared = runtime.block_on(client.prepare_export(&opts.survey, &request, |_| {}))?;
        Ok(prepared.file)
    };
    let file = download()?;
    let bytes = file.len();
    let t = Instant::now();
    std::io::copy(&mut file.raw_reader()?, &mut std::io::sink())?;
    let read_s = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let mut responses = 0u64;
    runtime.block_on(file.stream_responses(
        ExportFormat::Json,
        |_| {},
        |_r| {
            responses += 1;
            Ok(())
        },
    ))?;
    let parse_s = t.elapsed().as_secs_f64();

    let file = download()?;
    std::fs::create_dir_all(&opts.scratch)?;
    let db = opts.scratch.join("bare.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let mut conn = rusqlite::Connection::open(&db)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
         CREATE TABLE responses (response_id TEXT NOT NULL, values_json TEXT NOT NULL,
                                 labels_json TEXT);",
    )?;
    let t = Instant::now();
    conn.execute_batch("BEGIN")?;
    {
        let insert = "INSERT INTO responses (response_id, values_json, labels_json)
                      VALUES (?1, ?2, ?3)";
        let mut bare = Bare(&mut conn);
        let mut failed = None;
        runtime.block_on(file.stream_responses(
            ExportFormat::Json,
            |_| {},
            |r| {
                let (id, values, labels) = r.into_json_parts();
                if let Err(e) = bare.insert(insert, (id, values, labels)) {
                    failed = Some(e);
                    return Err(qualtrics::Error::InvalidRequest(
                        "bare insert failed".into(),
                    ));
                }
                Ok(())
            },
        ))?;
        if let Some(e) = failed {
            return Err(e.into());
        }
    }
    conn.execute_batch("COMMIT")?;
    drop(conn);
    let parse_insert_s = t.elapsed().as_secs_f64();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    println!(
        "{}",
        json!({
            "bytes": bytes,
            "responses": responses,
            "read_s": read_s,
            "parse_s": parse_s,
            "parse_insert_s": parse_insert_s,
            "insert_s": (parse_insert_s - parse_s).max(0.0),
        })
    );
    Ok(())
}

/// The bare table's connection, borrowed mutably by the parse callback (a shared borrow of a
/// connection cannot cross to the parser's thread).
struct Bare<'a>(&'a mut rusqlite::Connection);

impl Bare<'_> {
    fn insert(&mut self, sql: &str, row: (String, String, String)) -> rusqlite::Result<usize> {
        self.0
            .prepare_cached(sql)?
            .execute(rusqlite::params![row.0, row.1, row.2])
    }
}
