//! The verified delivery of a delimited (CSV/TSV) export: the whole text is checked before
//! the first row is handed over, the zip member is unzipped once, and the rows are parsed
//! on several threads.
//!
//! Contract: [`scan`] is the first pass. It reads the text once (through the unzipping
//! thread, for a zip member), follows its quoting like [`super::csv_check::check_quotes`]
//! (a zip CRC error or an unterminated quoted field fails it) and, for a zip member, writes
//! the unzipped bytes to a spill file as it goes: an anonymous temporary file
//! (`tempfile::tempfile`, unlinked at once like the download itself, so nothing is left on
//! disk on any path, a kill included). Along the way it notes a record start every
//! [`SEGMENT`] bytes or so (a position after a newline outside quotes). Nothing is handed
//! over before it returns. [`deliver`] is the second pass: it reads the header rows,
//! then workers (up to [`MAX_WORKERS`], one a core) each read whole segments of the
//! text with their own positioned reads and their own [`CsvReader`], and the rows are
//! handed to the sink in file order, segment after segment. Memory is bounded by the
//! workers' buffers and the batches in flight ([`DEPTH`] a worker), never by the file;
//! the text itself is read from the page cache, not held.

use std::fs::File;
use std::io::{self, BufRead, Read, Write};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use super::csv::CsvReader;
use super::csv_check::scan_quotes;
use super::csv_rows::{deliver_pending, deliver_rows, read_header, CsvLayout};
use super::parse::{ParseError, Sink};
use crate::models::export::ExportedResponse;

/// Bytes of text a segment holds at least (the last one may be shorter). Rows are handed
/// over segment after segment, and a worker can only be [`DEPTH`] messages ahead of the
/// delivery: with segments of 4 MiB (a dozen batches) a worker whose segment came next
/// in file order ran while the others waited with their first batches parsed, and two
/// workers parsed little faster than one. A segment of 256 KiB is under one batch (~780
/// rows of the 1M export), so each worker is a segment or two ahead and all of them run.
pub(crate) const SEGMENT: u64 = 256 << 10;

/// Threads parsing segments at most.
const MAX_WORKERS: usize = 4;

/// Messages (a full batch, or a segment's last rows) a worker may have ahead of the
/// delivery.
const DEPTH: usize = 2;

/// Responses a worker hands over at a time: with 256 a 1M export made ~3,800 hand-overs,
/// each a thread wake-up, and the kernel's side of those was a tenth of the workers' time
/// (1.86–1.88 s instead of 2.02–2.05 s for the 1M export with [`DEPTH`] 2, measured one
/// after the other).
const BATCH: usize = 1024;

/// What the first pass learnt about the text.
#[derive(Debug)]
pub(crate) struct Scanned {
    /// The text's length in bytes.
    len: u64,
    /// Record starts, ascending, about [`SEGMENT`] bytes apart.
    record_starts: Vec<u64>,
}

/// The first pass: checks the quoting of `src` to its end, copying it to `spill` when there
/// is one, and notes record starts about `segment` bytes apart.
pub(crate) fn scan(
    src: &mut dyn BufRead,
    delimiter: u8,
    mut spill: Option<&mut File>,
    segment: u64,
) -> Result<Scanned, ParseError> {
    let mut len = 0u64;
    let mut record_starts = Vec::new();
    let mut last = 0u64;
    let mut spill_failed = false;
    let any = scan_quotes(src, delimiter, |piece, record_start| {
        if let Some(file) = spill.as_deref_mut() {
            file.write_all(piece).inspect_err(|_| spill_failed = true)?;
        }
        if let Some(at) = record_start {
            let at = len + at as u64;
            if at - last >= segment {
                record_starts.push(at);
                last = at;
            }
        }
        len += piece.len() as u64;
        Ok(())
    });
    match any {
        Ok(true) => Ok(Scanned { len, record_starts }),
        Ok(false) => Err(ParseError::Invalid("the CSV export file is empty".into())),
        Err(e) if spill_failed => Err(ParseError::Invalid(format!(
            "the unzipped CSV export cannot be written to a temporary file: {e}"
        ))),
        Err(e) => Err(ParseError::Invalid(format!(
            "the CSV export file cannot be read: {e}"
        ))),
    }
}

/// The second pass: hands every data row of `text` (checked by [`scan`]) to `sink`, in
/// order; returns how many.
pub(crate) fn deliver(
    text: &File,
    scanned: &Scanned,
    delimiter: u8,
    sink: Sink<'_>,
) -> Result<u64, ParseError> {
    let mut header = CsvReader::new(
        At {
            file: text,
            pos: 0,
            end: scanned.len,
        },
        delimiter,
    );
    let (layout, pending) = read_header(&mut header)?;
    let data_start = header.offset();
    drop(header);
    let mut count = deliver_pending(&layout, pending, sink)?;
    let mut bounds = vec![data_start];
    bounds.extend(scanned.record_starts.iter().filter(|&&s| s > data_start));
    bounds.push(scanned.len.max(data_start));
    let segments: Vec<(u64, u64)> = bounds.windows(2).map(|w| (w[0], w[1])).collect();
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, MAX_WORKERS)
        .min(segments.len().max(1));
    std::thread::scope(|scope| {
        let mut outputs: Vec<Receiver<Message>> = Vec::with_capacity(workers);
        for w in 0..workers {
            let (tx, rx) = sync_channel(DEPTH);
            let mine: Vec<(u64, u64)> = segments.iter().copied().skip(w).step_by(workers).collect();
            let layout = &layout;
            let spawned = std::thread::Builder::new()
                .name("qualtrics-csv".into())
                .spawn_scoped(scope, move || {
                    parse_segments(text, &mine, layout, delimiter, tx)
                });
            if let Err(e) = spawned {
                return Err(ParseError::Invalid(format!(
                    "cannot start a CSV parsing thread: {e}"
                )));
            }
            outputs.push(rx);
        }
        for k in 0..segments.len() {
            loop {
                let (batch, last) = match outputs[k % workers].recv() {
                    Ok(Message::Batch(batch)) => (batch, false),
                    Ok(Message::End(batch)) => (batch, true),
                    Ok(Message::Failed(e)) => return Err(e),
                    Err(_) => {
                        return Err(ParseError::Invalid(
                            "a CSV parsing thread stopped unexpectedly".into(),
                        ))
                    }
                };
                for response in batch {
                    count += 1;
                    if !sink(response) {
                        return Err(ParseError::Stopped);
                    }
                }
                if last {
                    break;
                }
            }
        }
        Ok(count)
    })
}

enum Message {
    Batch(Vec<ExportedResponse>),
    /// The segment's last rows: it was read to its end. (One message, not a batch and
    /// then an end: a segment is under one batch, and two messages each filled the
    /// channel twice as fast, so a worker got half as far ahead.)
    End(Vec<ExportedResponse>),
    Failed(ParseError),
}

/// A worker: parses its segments in order; stops when the delivery went away.
fn parse_segments(
    text: &File,
    segments: &[(u64, u64)],
    layout: &CsvLayout,
    delimiter: u8,
    tx: SyncSender<Message>,
) {
    let mut reader = CsvReader::continuing(
        At {
            file: text,
            pos: 0,
            end: 0,
        },
        delimiter,
    );
    for &(pos, end) in segments {
        reader.restart(At {
            file: text,
            pos,
            end,
        });
        let mut batch = Vec::with_capacity(BATCH);
        let mut gone = false;
        let parsed = deliver_rows(&mut reader, layout, &mut |response| {
            batch.push(response);
            if batch.len() < BATCH {
                return true;
            }
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
            gone = tx.send(Message::Batch(full)).is_err();
            !gone
        });
        let last = match parsed {
            Ok(_) => Message::End(batch),
            Err(ParseError::Stopped) => return,
            Err(e) => Message::Failed(e),
        };
        if gone || tx.send(last).is_err() {
            return;
        }
    }
}

/// Reads `file[pos..end]` with positioned reads (workers share the file, not a cursor).
struct At<'a> {
    file: &'a File,
    pos: u64,
    end: u64,
}

impl Read for At<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = usize::try_from(self.end.saturating_sub(self.pos)).unwrap_or(usize::MAX);
        let want = buf.len().min(left);
        if want == 0 {
            return Ok(0);
        }
        let n = read_at(self.file, &mut buf[..want], self.pos)?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the unzipped export file ends early",
            ));
        }
        self.pos += n as u64;
        Ok(n)
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, offset)
}

#[cfg(test)]
#[path = "csv_verified_tests.rs"]
mod tests;
