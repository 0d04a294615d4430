//! [`ExportFile`]: a downloaded export file on disk, and its streamed parse.
//!
//! Contract: the file lives in an anonymous temporary file (`tempfile::tempfile`: created
//! and unlinked at once on Unix, `O_TMPFILE` on Linux, delete-on-close on Windows), so the OS
//! reclaims it when the last handle closes — also when the process is killed mid-refresh:
//! a raw export (names, e-mails, IP addresses) never outlives the process on disk. Parsing
//! happens on a
//! blocking thread. [`ExportFile::for_each_response`] reads it in two passes — first the
//! whole file is checked (zip CRCs, JSON/CSV structure) without delivering anything, then
//! responses are delivered one by one — so a corrupt or truncated file fails with
//! [`Error::ExportFailed`] before the caller has seen a single response. A delimited (CSV/TSV)
//! text is unzipped once: the first pass spills it to a second anonymous temporary file,
//! which the second pass parses on several threads ([`super::csv_verified`]).
//! [`ExportFile::stream_responses`] reads it once and delivers as it goes (the same error
//! comes after some responses), for callers that roll back on error.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};

use super::chunks::ChunkReader;
use super::csv_verified;
use super::parse::{check, parse, ParseError};
use crate::error::Error;
use crate::models::export::{ExportFormat, ExportedResponse};

/// How often (in responses) parsing progress is reported.
const PROGRESS_EVERY: u64 = 100;

/// Responses handed from the parser thread to the caller at a time. (1024, as the CSV
/// workers use, made no difference to the 1M JSON refresh — 7.0–7.7 s against 7.2 s wall,
/// a little more CPU — and raised its peak by 9 MiB.)
const BATCH: usize = 256;

/// When parsed responses are handed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Delivery {
    /// After the whole file was checked (two passes).
    Verified,
    /// While the file is read (one pass).
    Streamed,
}

/// A downloaded export file (an anonymous temporary file, gone when this value is dropped
/// or the process ends).
#[derive(Debug)]
pub struct ExportFile {
    temp: File,
    bytes: u64,
}

impl ExportFile {
    pub(crate) fn new(temp: File, bytes: u64) -> ExportFile {
        ExportFile { temp, bytes }
    }

    /// A handle on the file, positioned at its start (handles share one position: the
    /// passes over the file run one after the other).
    fn reader(&self) -> Result<File, Error> {
        let mut file = self.temp.try_clone().map_err(io_failed)?;
        file.seek(SeekFrom::Start(0)).map_err(io_failed)?;
        Ok(file)
    }

    /// A reader of the file's bytes as downloaded (zip or not), from its start.
    pub fn raw_reader(&self) -> Result<impl std::io::Read, Error> {
        self.reader()
    }

    /// Size in bytes.
    pub fn len(&self) -> u64 {
        self.bytes
    }

    /// Whether the file is empty.
    pub fn is_empty(&self) -> bool {
        self.bytes == 0
    }

    /// Whether the file is a zip archive (the default `compress: true`).
    pub fn is_zip(&self) -> Result<bool, Error> {
        is_zip(&mut self.reader()?)
    }

    /// Checks the whole file, then hands each response to `on_response` (in file order),
    /// reporting the running count to `on_progress`. `format` is what was requested; a zip
    /// member's extension (`.json`, `.ndjson`, `.csv`, `.tsv`) takes precedence. Returns
    /// the number of responses delivered. An error from `on_response` stops the parse and
    /// is returned as is.
    pub async fn for_each_response(
        self,
        format: ExportFormat,
        on_progress: impl FnMut(u64) + Send,
        on_response: impl FnMut(ExportedResponse) -> Result<(), Error> + Send,
    ) -> Result<u64, Error> {
        self.deliver(format, Delivery::Verified, on_progress, on_response)
            .await
    }

    /// Like [`ExportFile::for_each_response`] but in one pass: responses are handed over while
    /// the file is read, so a corrupt or truncated file fails *after* some responses were
    /// delivered. For callers that write into a transaction and roll it back on error; it
    /// reads (and unzips) the file once instead of twice.
    pub async fn stream_responses(
        self,
        format: ExportFormat,
        on_progress: impl FnMut(u64) + Send,
        on_response: impl FnMut(ExportedResponse) -> Result<(), Error> + Send,
    ) -> Result<u64, Error> {
        self.deliver(format, Delivery::Streamed, on_progress, on_response)
            .await
    }

    pub(crate) async fn deliver(
        self,
        format: ExportFormat,
        delivery: Delivery,
        mut on_progress: impl FnMut(u64) + Send,
        mut on_response: impl FnMut(ExportedResponse) -> Result<(), Error> + Send,
    ) -> Result<u64, Error> {
        // Responses cross threads in batches: one wake-up per batch, not per response.
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<ExportedResponse>>(4);
        let parser = tokio::task::spawn_blocking(move || -> Result<u64, ParseError> {
            let file = self;
            let mut batch = Vec::with_capacity(BATCH);
            let mut sink = |response| {
                batch.push(response);
                batch.len() < BATCH
                    || tx
                        .blocking_send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))
                        .is_ok()
            };
            let parsed = match delivery {
                Delivery::Verified => file.verified(format, &mut sink)?,
                Delivery::Streamed => file.parse_with(format, &mut sink)?,
            };
            if !batch.is_empty() && tx.blocking_send(batch).is_err() {
                return Err(ParseError::Stopped);
            }
            Ok(parsed)
        });
        let mut delivered = 0u64;
        let mut failure = None;
        'batches: while let Some(batch) = rx.recv().await {
            for response in batch {
                if let Err(err) = on_response(response) {
                    failure = Some(err);
                    break 'batches;
                }
                delivered += 1;
                if delivered.is_multiple_of(PROGRESS_EVERY) {
                    on_progress(delivered);
                }
            }
        }
        drop(rx);
        let parsed = parser.await.map_err(|e| {
            Error::ExportFailed(format!("the export file parser stopped unexpectedly: {e}"))
        })?;
        if let Some(err) = failure {
            return Err(err);
        }
        match parsed {
            Ok(_) | Err(ParseError::Stopped) => {}
            Err(ParseError::Invalid(message)) => return Err(Error::ExportFailed(message)),
        }
        on_progress(delivered);
        Ok(delivered)
    }

    /// Pass 1 validates everything and delivers nothing; pass 2 delivers. A delimited
    /// text is unzipped once, into a spill file that pass 2 parses on several threads
    /// ([`csv_verified`]).
    fn verified(
        &self,
        format: ExportFormat,
        sink: &mut dyn FnMut(ExportedResponse) -> bool,
    ) -> Result<u64, ParseError> {
        let zipped = self
            .is_zip()
            .map_err(|e| ParseError::Invalid(e.to_string()))?;
        let mut spill = None;
        let delimited = self.read_content(format, |reader, format| {
            let delimiter = match format {
                ExportFormat::Csv => b',',
                ExportFormat::Tsv => b'\t',
                ExportFormat::Json | ExportFormat::Ndjson => {
                    return check(reader, format).map(|()| None)
                }
            };
            if zipped {
                let file = tempfile::tempfile().map_err(|e| {
                    ParseError::Invalid(format!(
                        "cannot create a temporary file to unzip the export into: {e}"
                    ))
                })?;
                spill = Some(file);
            }
            csv_verified::scan(reader, delimiter, spill.as_mut(), csv_verified::SEGMENT)
                .map(|scanned| Some((scanned, delimiter)))
        })?;
        let Some((scanned, delimiter)) = delimited else {
            return self.parse_with(format, sink);
        };
        let text = match spill {
            Some(file) => file,
            None => self
                .reader()
                .map_err(|e| ParseError::Invalid(e.to_string()))?,
        };
        csv_verified::deliver(&text, &scanned, delimiter, sink)
    }

    fn parse_with(
        &self,
        format: ExportFormat,
        sink: &mut dyn FnMut(ExportedResponse) -> bool,
    ) -> Result<u64, ParseError> {
        self.read_content(format, |reader, format| parse(reader, format, sink))
    }

    /// Runs `read` on the file's content — the file itself, or the first file of a zip
    /// archive, unzipped on a second thread while `read` parses — with the format to read
    /// it as.
    fn read_content<T>(
        &self,
        format: ExportFormat,
        read: impl FnOnce(&mut dyn BufRead, ExportFormat) -> Result<T, ParseError>,
    ) -> Result<T, ParseError> {
        let invalid = |e: Error| ParseError::Invalid(e.to_string());
        let mut file = self.reader().map_err(invalid)?;
        if !is_zip(&mut file).map_err(invalid)? {
            if self.bytes == 0 {
                return Err(ParseError::Invalid("the export file is empty".into()));
            }
            return read(&mut BufReader::new(file), format);
        }
        let (index, name) = zip_member(file)?;
        let member_format = format_from_name(&name).unwrap_or(format);
        let file = self.reader().map_err(invalid)?;
        let result = std::thread::scope(|scope| {
            let mut chunks = ChunkReader::spawn(scope, move |out| {
                let mut archive = zip::ZipArchive::new(file).map_err(std::io::Error::other)?;
                let mut member = archive.by_index(index).map_err(std::io::Error::other)?;
                out.pump(&mut member)
            });
            read(&mut chunks, member_format)
        });
        result.map_err(|e| match e {
            ParseError::Invalid(m) => ParseError::Invalid(format!("{m} (zip member {name:?})")),
            other => other,
        })
    }
}

/// The index and name of the first file in the zip archive `file`.
fn zip_member(file: File) -> Result<(usize, String), ParseError> {
    let mut archive = zip::ZipArchive::new(file).map_err(|e| {
        ParseError::Invalid(format!(
            "the export file is not a readable zip archive (it may be truncated or corrupt): {e}"
        ))
    })?;
    let index = (0..archive.len())
        .find(|&i| archive.by_index(i).map(|m| m.is_file()).unwrap_or(false))
        .ok_or_else(|| ParseError::Invalid("the export zip archive contains no file".into()))?;
    let member = archive
        .by_index(index)
        .map_err(|e| ParseError::Invalid(format!("the export zip archive is corrupt: {e}")))?;
    Ok((index, member.name().to_string()))
}

fn format_from_name(name: &str) -> Option<ExportFormat> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "json" => Some(ExportFormat::Json),
        "ndjson" => Some(ExportFormat::Ndjson),
        "csv" => Some(ExportFormat::Csv),
        "tsv" => Some(ExportFormat::Tsv),
        _ => None,
    }
}

fn is_zip(file: &mut File) -> Result<bool, Error> {
    let mut magic = [0u8; 4];
    let mut read = 0;
    while read < magic.len() {
        let n = file.read(&mut magic[read..]).map_err(io_failed)?;
        if n == 0 {
            break;
        }
        read += n;
    }
    file.seek(SeekFrom::Start(0)).map_err(io_failed)?;
    Ok(read == 4 && (magic == *b"PK\x03\x04" || magic == *b"PK\x05\x06"))
}

fn io_failed(e: std::io::Error) -> Error {
    Error::ExportFailed(format!("the downloaded export file cannot be read: {e}"))
}
