//! Export endpoints on [`Client`] and the whole-flow driver [`Client::export_responses`].
//!
//! Contract: `start_export` validates the request locally before sending; polling checks
//! once after `PollPolicy::first`, then waits `initial`, growing by `factor` up to `max`,
//! and fails after `timeout`;
//! status `failed` → [`Error::ExportFailed`]; the file is streamed to disk chunk by chunk.

use std::time::Instant;

use futures::StreamExt;
use reqwest::Method;
use tokio::io::AsyncWriteExt;

use super::file::{Delivery, ExportFile};
use crate::client::{read_result, Client};
use crate::error::Error;
use crate::http::{Attempts, Body, Call, RetryClass};
use crate::models::export::{
    ExportFormat, ExportPhase, ExportProgress, ExportRequest, ExportStart, ExportState,
    ExportStatus, ExportSummary, ExportedResponse,
};

/// An export Qualtrics completed and the client downloaded, not read yet
/// ([`Client::prepare_export`]).
#[derive(Debug)]
pub struct PreparedExport {
    /// The downloaded file (an anonymous temporary file, see [`ExportFile`]).
    pub file: ExportFile,
    /// The file format requested (a zip member's extension takes precedence when read).
    pub format: ExportFormat,
    /// Token for the next incremental export, if continuation was requested.
    pub continuation_token: Option<String>,
    /// The export file id.
    pub file_id: String,
}

impl Client {
    /// `POST /surveys/{id}/export-responses`: starts an export job.
    pub async fn start_export(
        &self,
        survey_id: &str,
        request: &ExportRequest,
    ) -> Result<ExportStart, Error> {
        self.start_export_counted(survey_id, request, &self.attempts())
            .await
    }

    /// `GET /surveys/{id}/export-responses/{progressId}`: the job's state.
    pub async fn export_progress(
        &self,
        survey_id: &str,
        progress_id: &str,
    ) -> Result<ExportStatus, Error> {
        self.export_progress_counted(survey_id, progress_id, &self.attempts())
            .await
    }

    /// `GET /surveys/{id}/export-responses/{fileId}/file`, streamed to a temporary file;
    /// `on_bytes` receives the running byte count.
    pub async fn download_export_file(
        &self,
        survey_id: &str,
        file_id: &str,
        on_bytes: impl FnMut(u64) + Send,
    ) -> Result<ExportFile, Error> {
        self.download_counted(survey_id, file_id, on_bytes, &self.attempts())
            .await
    }

    /// The whole export: start, poll (reporting percent), download (reporting bytes), then
    /// parse, handing each response to `on_response` (reporting the count). Nothing is
    /// delivered unless the whole file reads cleanly. An error returned by `on_response`
    /// stops the flow and is returned as is.
    pub async fn export_responses(
        &self,
        survey_id: &str,
        request: &ExportRequest,
        on_progress: impl FnMut(ExportProgress) + Send,
        on_response: impl FnMut(ExportedResponse) -> Result<(), Error> + Send,
    ) -> Result<ExportSummary, Error> {
        self.export_flow(
            survey_id,
            request,
            Delivery::Verified,
            on_progress,
            on_response,
        )
        .await
    }

    /// Like [`Client::export_responses`], but responses are delivered while the downloaded
    /// file is read (one pass, see [`ExportFile::stream_responses`]): a corrupt file fails
    /// after some responses were delivered. For callers that import into a transaction and
    /// roll it back on error.
    pub async fn export_responses_streamed(
        &self,
        survey_id: &str,
        request: &ExportRequest,
        on_progress: impl FnMut(ExportProgress) + Send,
        on_response: impl FnMut(ExportedResponse) -> Result<(), Error> + Send,
    ) -> Result<ExportSummary, Error> {
        self.export_flow(
            survey_id,
            request,
            Delivery::Streamed,
            on_progress,
            on_response,
        )
        .await
    }

    async fn export_flow(
        &self,
        survey_id: &str,
        request: &ExportRequest,
        delivery: Delivery,
        mut on_progress: impl FnMut(ExportProgress) + Send,
        on_response: impl FnMut(ExportedResponse) -> Result<(), Error> + Send,
    ) -> Result<ExportSummary, Error> {
        let attempts = self.attempts();
        let prepared = self
            .prepare_counted(survey_id, request, &mut on_progress, &attempts)
            .await?;
        let responses = prepared
            .file
            .deliver(
                prepared.format,
                delivery,
                |responses| {
                    on_progress(ExportProgress {
                        phase: ExportPhase::Parsing { responses },
                    })
                },
                on_response,
            )
            .await?;
        Ok(ExportSummary {
            responses,
            continuation_token: prepared.continuation_token,
            file_id: prepared.file_id,
            http_requests: attempts.get(),
        })
    }

    /// The network part of an export — start, poll (reporting percent), download (reporting
    /// bytes) — without reading the file: the caller reads it with
    /// [`ExportFile::stream_responses`] or [`ExportFile::for_each_response`] when it is ready
    /// to (e.g. only then opening a database transaction, so the minutes Qualtrics takes to
    /// prepare an export hold no lock).
    pub async fn prepare_export(
        &self,
        survey_id: &str,
        request: &ExportRequest,
        mut on_progress: impl FnMut(ExportProgress) + Send,
    ) -> Result<PreparedExport, Error> {
        self.prepare_counted(survey_id, request, &mut on_progress, &self.attempts())
            .await
    }

    async fn prepare_counted(
        &self,
        survey_id: &str,
        request: &ExportRequest,
        on_progress: &mut (impl FnMut(ExportProgress) + Send),
        attempts: &Attempts,
    ) -> Result<PreparedExport, Error> {
        request.validate()?;
        let started = self
            .start_export_counted(survey_id, request, attempts)
            .await?;
        on_progress(ExportProgress {
            phase: ExportPhase::Exporting {
                percent: started.percent_complete,
            },
        });
        let poll = self.inner.poll;
        let deadline = Instant::now() + poll.timeout;
        let mut wait = poll.first;
        let mut next = poll.initial;
        let status = loop {
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
            let status = self
                .export_progress_counted(survey_id, &started.progress_id, attempts)
                .await?;
            on_progress(ExportProgress {
                phase: ExportPhase::Exporting {
                    percent: status.percent_complete,
                },
            });
            match &status.status {
                ExportState::Complete => break status,
                ExportState::Failed => {
                    return Err(Error::ExportFailed(format!(
                        "Qualtrics reported export {} of survey {survey_id} as failed",
                        started.progress_id
                    )))
                }
                ExportState::InProgress | ExportState::Other(_) => {}
            }
            if Instant::now() >= deadline {
                return Err(Error::ExportFailed(format!(
                    "export {} of survey {survey_id} did not complete within {} s",
                    started.progress_id,
                    poll.timeout.as_secs()
                )));
            }
            wait = next;
            next = next.mul_f64(poll.factor.max(1.0)).min(poll.max);
        };
        let file_id = status
            .file_id
            .clone()
            .filter(|f| !f.trim().is_empty())
            .ok_or_else(|| {
                Error::Malformed(format!(
                    "export {} is complete but has no fileId",
                    started.progress_id
                ))
            })?;
        let file = self
            .download_counted(
                survey_id,
                &file_id,
                |bytes| {
                    on_progress(ExportProgress {
                        phase: ExportPhase::Downloading { bytes },
                    })
                },
                attempts,
            )
            .await?;
        Ok(PreparedExport {
            file,
            format: request.file_format(),
            continuation_token: status.continuation_token.or(started.continuation_token),
            file_id,
        })
    }

    async fn start_export_counted(
        &self,
        survey_id: &str,
        request: &ExportRequest,
        attempts: &Attempts,
    ) -> Result<ExportStart, Error> {
        let body = request.to_body()?;
        let call = Call {
            method: Method::POST,
            url: self.endpoint(&["surveys", survey_id, "export-responses"])?,
            body: Body::Json(body),
            retry: RetryClass::StartExport,
            timeout: Some(self.inner.request_timeout),
            client_auth: false,
        };
        let response = self.inner.send(&call, attempts).await?;
        let start: ExportStart = read_result(response, "export start").await?;
        if start.progress_id.trim().is_empty() {
            return Err(Error::Malformed(
                "the export start answer has an empty progressId".into(),
            ));
        }
        Ok(start)
    }

    async fn export_progress_counted(
        &self,
        survey_id: &str,
        progress_id: &str,
        attempts: &Attempts,
    ) -> Result<ExportStatus, Error> {
        let url = self.endpoint(&["surveys", survey_id, "export-responses", progress_id])?;
        self.get_result(url, "export progress", attempts).await
    }

    async fn download_counted(
        &self,
        survey_id: &str,
        file_id: &str,
        mut on_bytes: impl FnMut(u64) + Send,
        attempts: &Attempts,
    ) -> Result<ExportFile, Error> {
        let url = self.endpoint(&["surveys", survey_id, "export-responses", file_id, "file"])?;
        let call = Call {
            timeout: None,
            ..Call::get(url, self.inner.request_timeout)
        };
        let response = self.inner.send(&call, attempts).await?;
        let expected = response.content_length();
        // Anonymous: the OS removes it even if the process is killed (see `ExportFile`).
        let temp = tempfile::tempfile().map_err(write_failed)?;
        let mut out = tokio::fs::File::from_std(temp.try_clone().map_err(write_failed)?);
        let mut stream = response.bytes_stream();
        let mut bytes = 0u64;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| {
                Error::network(
                    &format!("downloading export file {file_id} (after {bytes} bytes)"),
                    e,
                )
            })?;
            out.write_all(&chunk).await.map_err(write_failed)?;
            bytes += chunk.len() as u64;
            on_bytes(bytes);
        }
        out.flush().await.map_err(write_failed)?;
        if let Some(expected) = expected {
            if expected != bytes {
                return Err(Error::ExportFailed(format!(
                    "the export file download was cut short: {bytes} of {expected} bytes"
                )));
            }
        }
        Ok(ExportFile::new(temp, bytes))
    }
}

fn write_failed(e: std::io::Error) -> Error {
    Error::ExportFailed(format!(
        "cannot write the export file to a temporary file: {e}"
    ))
}
