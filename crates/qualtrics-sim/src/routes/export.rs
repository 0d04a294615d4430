//! Export routes: start, progress, file download.
//!
//! Contract: `POST .../export-responses` validates the body (see
//! [`crate::export::options`]), resolves the index range (date window,
//! continuation token) and starts a background writer — or, with
//! `SimConfig::reuse_export_files`, takes an already-written file of an
//! identical plan (see [`crate::reuse`]) under a fresh file id; it answers
//! `{progressId: "ES_...", percentComplete: 0.0, status: "inProgress"}`.
//! `GET .../export-responses/{progressId}` answers `inProgress` for the first
//! `export_polls` polls (0.0, ..., 0.0, 83.33...), then — once the file is
//! written and any slow-export delay is over — `complete` with `fileId`
//! (`<uuid>-def`) and, if requested, `continuationToken`; `failed` under the
//! failed-export fault. `GET .../export-responses/{fileId}/file` streams the
//! file (`application/zip`, `content-disposition: attachment;
//! filename=<Name>.zip`). Unknown ids → 404.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use rand::distributions::{Alphanumeric, DistString};
use serde_json::json;

use super::surveys::visible_survey;
use crate::data::timeline;
use crate::envelope::{ok, ApiError};
use crate::export::options::{self, Format};
use crate::export::writer::{write_export, ExportPlan};
use crate::reuse::{ReuseKey, WrittenExport};
use crate::state::{lock, ExportFile, ExportJob, JobResult, SimState, TokenPos};

fn random_id(prefix: &str, len: usize) -> String {
    format!(
        "{prefix}{}",
        Alphanumeric.sample_string(&mut rand::thread_rng(), len)
    )
}

/// `POST /API/v3/surveys/{surveyId}/export-responses`.
pub async fn start(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let spec = visible_survey(&state, &headers, &id)?;
    let opts = options::parse(&body, spec)?;
    let data = state.snapshot(spec);
    let (total, data_version) = (data.total, data.version);
    let mut begin = 0;
    if let Some(token) = &opts.continuation_token {
        let pos = lock(&state.tokens).get(token).copied();
        match pos {
            Some(TokenPos {
                survey_id,
                resume_at,
            }) if survey_id == spec.id => begin = resume_at,
            _ => return Err(ApiError::qval(
                "QVAL_13",
                "Invalid continuation token: it is unknown, expired or belongs to another survey.",
            )),
        }
    }
    let mut end = total;
    if let Some(start) = opts.start {
        begin = begin.max(timeline::first_index_at_or_after(
            &state.config,
            spec,
            total,
            start,
        ));
    }
    if let Some(stop) = opts.end {
        end = timeline::first_index_at_or_after(&state.config, spec, total, stop);
    }
    let plan = ExportPlan {
        config: state.config.clone(),
        spec,
        range: begin..end.max(begin),
        deleted: data.deleted,
        edits: data.edits,
        in_progress: opts.in_progress,
        filter: opts.filter,
        limit: opts.limit,
        selection: opts.selection.clone(),
        format: opts.format,
        use_labels: opts.use_labels,
        compress: opts.compress,
    };
    let progress_id = random_id("ES_", 15);
    let key = state
        .config
        .reuse_export_files
        .then(|| ReuseKey::of(&plan, data_version));
    let reused = key.as_ref().and_then(|k| state.exports.lookup(k));
    let to_scan = plan.range.end - plan.range.start;
    let scanned = Arc::new(AtomicU64::new(0));
    let result = Arc::new(Mutex::new(None));
    if let Some(written) = &reused {
        // Already written: a fresh file id serves the same file; polls and faults still apply.
        let file_id = new_file_id();
        state.insert_file(file_id.clone(), written.file.clone());
        scanned.store(to_scan, Ordering::Relaxed);
        *lock(&result) = Some(JobResult::Done {
            file_id,
            resume_at: written.resume_at,
        });
    }
    state
        .exports
        .record_start(&progress_id, spec.id, reused.is_some());
    state.insert_job(
        progress_id.clone(),
        ExportJob {
            survey_id: spec.id,
            started: Instant::now(),
            polls: 0,
            scanned: scanned.clone(),
            to_scan,
            result: result.clone(),
            wants_token: opts.allow_continuation,
            token: None,
            failed: state.faults.exports_fail(),
        },
    );
    if reused.is_none() {
        spawn_writer(
            state.clone(),
            plan,
            key,
            progress_id.clone(),
            scanned,
            result,
        );
    }
    Ok(ok(
        json!({"progressId": progress_id, "percentComplete": 0.0, "status": "inProgress"}),
    ))
}

fn new_file_id() -> String {
    format!("{}-def", uuid::Uuid::new_v4())
}

/// Write the file in the background; on success register it (and keep it for reuse when
/// `key` is set), then publish the job result.
fn spawn_writer(
    state: Arc<SimState>,
    plan: ExportPlan,
    key: Option<ReuseKey>,
    progress_id: String,
    scanned: Arc<AtomicU64>,
    result: Arc<Mutex<Option<JobResult>>>,
) {
    let started = Instant::now();
    tokio::task::spawn_blocking(move || {
        let outcome = tempfile::tempfile().and_then(|file| {
            let out = write_export(&plan, &file, &scanned)?;
            Ok((file, out))
        });
        let done = match outcome {
            Ok((file, out)) => {
                state
                    .exports
                    .record_written(&progress_id, started.elapsed());
                let file_id = new_file_id();
                let (download_name, content_type) = match (plan.compress, plan.format) {
                    (true, _) => (format!("{}.zip", plan.spec.name), "application/zip"),
                    (false, Format::Json) => (plan.file_name(), "application/json"),
                    (false, Format::Ndjson) => (plan.file_name(), "application/x-ndjson"),
                    (false, Format::Csv) => (plan.file_name(), "text/csv"),
                    (false, Format::Tsv) => (plan.file_name(), "text/tab-separated-values"),
                };
                let entry = Arc::new(ExportFile {
                    survey_id: plan.spec.id,
                    file,
                    download_name,
                    content_type,
                });
                state.insert_file(file_id.clone(), entry.clone());
                if let Some(key) = key {
                    let written = WrittenExport {
                        file: entry,
                        resume_at: out.resume_at,
                    };
                    state.remember_export(key, written);
                }
                JobResult::Done {
                    file_id,
                    resume_at: out.resume_at,
                }
            }
            Err(e) => JobResult::Error(e.to_string()),
        };
        *lock(&result) = Some(done);
    });
}

/// `GET /API/v3/surveys/{surveyId}/export-responses/{exportProgressId}`.
pub async fn progress(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    Path((id, pid)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let spec = visible_survey(&state, &headers, &id)?;
    let mut jobs = lock(&state.jobs);
    let job = match jobs.get_mut(&pid) {
        Some(job) if job.survey_id == spec.id => job,
        _ => return Err(ApiError::not_found("QVAL_404")),
    };
    job.polls += 1;
    if job.failed || state.faults.exports_fail() {
        job.failed = true;
        return Ok(ok(json!({"percentComplete": 0.0, "status": "failed"})));
    }
    let result = lock(&job.result).clone();
    let slow = state.faults.slow_export_duration();
    let elapsed = job.started.elapsed();
    let real_pct = if job.to_scan == 0 || result.is_some() {
        100.0
    } else {
        job.scanned.load(Ordering::Relaxed) as f64 * 100.0 / job.to_scan as f64
    };
    let ramp_pct: f64 = match job.polls.cmp(&state.config.export_polls) {
        std::cmp::Ordering::Less => 0.0,
        std::cmp::Ordering::Equal => 100.0 * 5.0 / 6.0,
        std::cmp::Ordering::Greater => 100.0,
    };
    let pct = ramp_pct.min(real_pct);
    if job.polls <= state.config.export_polls || result.is_none() {
        return Ok(ok(
            json!({"percentComplete": pct.min(99.9), "status": "inProgress"}),
        ));
    }
    if elapsed < slow {
        let pct = (elapsed.as_secs_f64() / slow.as_secs_f64() * 100.0).min(99.0);
        return Ok(ok(
            json!({"percentComplete": (pct * 10.0).floor() / 10.0, "status": "inProgress"}),
        ));
    }
    match result {
        Some(JobResult::Done { file_id, resume_at }) => {
            let mut body =
                json!({"fileId": file_id, "percentComplete": 100.0, "status": "complete"});
            if job.wants_token {
                let token = job.token.get_or_insert_with(|| {
                    let token = random_id("", 32);
                    lock(&state.tokens).insert(
                        token.clone(),
                        TokenPos {
                            survey_id: spec.id,
                            resume_at,
                        },
                    );
                    token
                });
                body["continuationToken"] = json!(token);
            }
            Ok(ok(body))
        }
        Some(JobResult::Error(e)) => {
            tracing::warn!(error = %e, "export writer failed");
            Ok(ok(json!({"percentComplete": 0.0, "status": "failed"})))
        }
        None => Ok(ok(json!({"percentComplete": pct, "status": "inProgress"}))),
    }
}

/// `GET /API/v3/surveys/{surveyId}/export-responses/{fileId}/file`.
pub async fn file(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    Path((id, fid)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let spec = visible_survey(&state, &headers, &id)?;
    let entry = match lock(&state.files).get(&fid) {
        Some(f) if f.survey_id == spec.id => f.clone(),
        _ => return Err(ApiError::not_found("QVAL_404")),
    };
    let io_err = |e: std::io::Error| {
        ApiError::new(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            "SIM_IO",
            format!("Could not read export file: {e}"),
        )
    };
    let len = entry.file.metadata().map_err(io_err)?.len();
    let send = if state.faults.zip_truncated() {
        len / 2
    } else {
        len
    };
    // Positioned reads: every download of the same file reads from its own offset.
    let source = entry.clone();
    let stream = futures::stream::unfold(0u64, move |at| {
        let entry = source.clone();
        async move {
            if at >= send {
                return None;
            }
            let n = (send - at).min(DOWNLOAD_CHUNK) as usize;
            let read = tokio::task::spawn_blocking(move || {
                let mut buf = vec![0; n];
                read_exact_at(&entry.file, &mut buf, at).map(|()| Bytes::from(buf))
            })
            .await
            .unwrap_or_else(|e| Err(std::io::Error::other(e)));
            let next = if read.is_ok() { at + n as u64 } else { send };
            Some((read, next))
        }
    });
    let mut resp = Body::from_stream(stream).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(entry.content_type),
    );
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(send));
    let disposition = format!(
        "attachment; filename={}",
        entry.download_name.replace(' ', "+")
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}

/// Bytes a download reads at once.
const DOWNLOAD_CHUNK: u64 = 256 * 1024;

#[cfg(unix)]
fn read_exact_at(file: &std::fs::File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, at)
}

#[cfg(windows)]
fn read_exact_at(file: &std::fs::File, mut buf: &mut [u8], mut at: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, at)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                at += n as u64;
            }
        }
    }
    Ok(())
}
