//! Compressed pages of raw responses: how the cache keeps every response's export text in
//! about a tenth of its size.
//!
//! Contract:
//! * A page holds up to [`PAGE_RECORDS`] responses of one survey (fewer when their text passes
//!   [`PAGE_BYTES`]) as one zstd frame of records: per response, the `values` object text and
//!   the `labels` object text (if any), each a LEB128 length then the bytes, exactly as the
//!   export delivered them. Responses are addressed by position `pos` =
//!   `survey_key << 40 | page << 16 | slot` (see [`pos`]); page ids only grow
//!   (`AUTOINCREMENT`), so a survey's positions grow with every import.
//! * Which slot of which page is a cached response is said by the `responses` and
//!   `responses_in_progress` rows alone: a slot no row points at (a response updated or
//!   deleted since) is dead and never read; a page no row points at is deleted by the import
//!   that made it so.
//! * [`PageReader`] decodes pages on demand and keeps the last one, so reading rows in
//!   position order decompresses each page once.

use rusqlite::{Connection, OptionalExtension};

use crate::error::{Error, ErrorKind, Result};

/// Responses per page at most (a slot is 16 bits).
pub(crate) const PAGE_RECORDS: usize = 1024;
/// Raw bytes per page before it is closed early.
pub(crate) const PAGE_BYTES: usize = 2 << 20;
/// zstd level: the first of the fast levels. On a 100 MB slice of a 1M-response export it
/// compressed 8.4x at 656 MB/s (decompressing at 1.5 GB/s), where level 1 did 10.1x at
/// 446 MB/s (1.06 GB/s): a refresh spends a third less on compression and a metric reading
/// the pages less on decompression, for ~25 more bytes a response on disk.
const LEVEL: i32 = -1;

/// The position of a slot of a page of a survey.
pub(crate) fn pos(survey_key: i64, page: i64, slot: usize) -> i64 {
    (survey_key << 40) | (page << 16) | slot as i64
}

/// The first and last positions a survey's responses can have.
pub(crate) fn survey_range(survey_key: i64) -> (i64, i64) {
    (survey_key << 40, ((survey_key + 1) << 40) - 1)
}

fn page_of(pos: i64) -> i64 {
    (pos >> 16) & 0xFF_FFFF
}

fn slot_of(pos: i64) -> usize {
    (pos & 0xFFFF) as usize
}

/// The key of a survey in the response tables, if it ever had responses.
pub(crate) fn survey_key(conn: &Connection, survey_id: &str) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached("SELECT key FROM response_surveys WHERE survey_id = ?1")?
        .query_row([survey_id], |r| r.get(0))
        .optional()
}

/// Recorded responses cached for a survey: its rows are one range of positions, so they
/// are counted without an index on the survey.
pub(crate) fn recorded_count(conn: &Connection, survey_key: i64) -> rusqlite::Result<i64> {
    let (lo, hi) = survey_range(survey_key);
    conn.prepare_cached("SELECT COUNT(*) FROM responses WHERE pos BETWEEN ?1 AND ?2")?
        .query_row([lo, hi], |r| r.get(0))
}

/// The key of a survey, created on first use.
pub(crate) fn ensure_survey_key(conn: &Connection, survey_id: &str) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT OR IGNORE INTO response_surveys (survey_id) VALUES (?1)",
        [survey_id],
    )?;
    conn.query_row(
        "SELECT key FROM response_surveys WHERE survey_id = ?1",
        [survey_id],
        |r| r.get(0),
    )
}

/// A page being filled.
#[derive(Default)]
pub(crate) struct PageBuilder {
    raw: Vec<u8>,
    records: usize,
}

fn put_len(out: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

impl PageBuilder {
    /// Appends one response; returns its slot.
    pub(crate) fn push(&mut self, values: &str, labels: Option<&str>) -> usize {
        put_len(&mut self.raw, values.len());
        self.raw.extend_from_slice(values.as_bytes());
        match labels {
            Some(l) => {
                put_len(&mut self.raw, l.len() + 1);
                self.raw.extend_from_slice(l.as_bytes());
            }
            None => put_len(&mut self.raw, 0),
        }
        self.records += 1;
        self.records - 1
    }

    pub(crate) fn is_full(&self) -> bool {
        self.records >= PAGE_RECORDS || self.raw.len() >= PAGE_BYTES
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.records == 0
    }

    /// Takes the page's raw records out (for [`Compressor`]), leaving the builder empty with
    /// `spare` (a buffer the compressor is done with, see [`Compressor::spare`]) or a new
    /// buffer as large, so the next page does not grow one again.
    pub(crate) fn take_raw(&mut self, spare: Option<Vec<u8>>) -> Vec<u8> {
        self.records = 0;
        let next = match spare {
            Some(mut b) => {
                b.clear();
                b
            }
            None => Vec::with_capacity(self.raw.capacity()),
        };
        std::mem::replace(&mut self.raw, next)
    }
}

/// Stores a compressed page; returns its id.
pub(crate) fn store_page(
    conn: &Connection,
    survey_key: i64,
    in_progress: bool,
    imported_at: &str,
    data: &[u8],
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO response_pages (survey_key, in_progress, imported_at, data)
         VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(rusqlite::params![
        survey_key,
        in_progress,
        imported_at,
        data
    ])?;
    Ok(conn.last_insert_rowid())
}

fn compress(z: &mut zstd::bulk::Compressor<'_>, raw: &[u8]) -> Result<Vec<u8>> {
    z.compress(raw)
        .map_err(|e| Error::new(ErrorKind::Storage, format!("compressing responses: {e}")))
}

/// Compresses pages on a thread of its own, in the order they are sent, so the importer's
/// thread parses and inserts while the previous page compresses (zstd is the largest cost
/// of an import after parsing). Dropping it ends the thread.
pub(crate) struct Compressor {
    jobs: Option<std::sync::mpsc::SyncSender<Vec<u8>>>,
    /// Each page compressed, and its raw buffer back for reuse.
    done: std::sync::mpsc::Receiver<(Result<Vec<u8>>, Vec<u8>)>,
    worker: Option<std::thread::JoinHandle<()>>,
    /// Pages sent and not yet received.
    pub(crate) in_flight: usize,
    /// Raw buffers of compressed pages, for the next pages: a 1M import fills ~1,000 pages
    /// of ~2 MB, and fresh buffers cost the kernel ~2 GB of zeroed memory.
    spare: Vec<Vec<u8>>,
}

impl Compressor {
    pub(crate) fn start() -> Result<Compressor> {
        // Two pages queued at most: bounded memory (a page is at most ~2 MB raw).
        let (jobs, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(2);
        let (tx, done) = std::sync::mpsc::channel();
        let worker = std::thread::Builder::new()
            .name("page-compressor".into())
            .spawn(move || {
                // One context for every page: a new one per page allocated its tables anew.
                let mut z = match zstd::bulk::Compressor::new(LEVEL) {
                    Ok(z) => z,
                    Err(e) => {
                        let why = format!("starting compression: {e}");
                        let _ = tx.send((Err(Error::new(ErrorKind::Storage, why)), Vec::new()));
                        return;
                    }
                };
                for raw in rx {
                    if tx.send((compress(&mut z, &raw), raw)).is_err() {
                        return;
                    }
                }
            })
            .map_err(|e| Error::new(ErrorKind::Storage, format!("starting a thread: {e}")))?;
        Ok(Compressor {
            jobs: Some(jobs),
            done,
            worker: Some(worker),
            in_flight: 0,
            spare: Vec::new(),
        })
    }

    /// Queues a page's raw records.
    pub(crate) fn send(&mut self, raw: Vec<u8>) -> Result<()> {
        let gone = || Error::new(ErrorKind::Storage, "the page compressor stopped");
        self.jobs
            .as_ref()
            .ok_or_else(gone)?
            .send(raw)
            .map_err(|_| gone())?;
        self.in_flight += 1;
        Ok(())
    }

    /// The oldest queued page, compressed.
    pub(crate) fn recv(&mut self) -> Result<Vec<u8>> {
        let (data, raw) = self
            .done
            .recv()
            .map_err(|_| Error::new(ErrorKind::Storage, "the page compressor stopped"))?;
        self.in_flight -= 1;
        if raw.capacity() > 0 {
            self.spare.push(raw);
        }
        data
    }

    /// A raw buffer of a page already compressed, if any.
    pub(crate) fn spare(&mut self) -> Option<Vec<u8>> {
        self.spare.pop()
    }
}

impl Drop for Compressor {
    fn drop(&mut self) {
        self.jobs = None;
        // Drain so the worker is not blocked sending, then wait for it.
        while self.done.recv().is_ok() {}
        if let Some(w) = self.worker.take() {
            let _ = w.join();
        }
    }
}

/// One response as stored in a page.
pub(crate) struct RawRecord<'a> {
    pub values: &'a str,
    pub labels: Option<&'a str>,
}

/// A decoded page: its text and where each record lies in it.
#[derive(Default)]
struct Page {
    id: i64,
    imported_at: String,
    text: Vec<u8>,
    /// (values range, labels range) per slot.
    records: Vec<(std::ops::Range<usize>, Option<std::ops::Range<usize>>)>,
}

fn corrupt(what: &str) -> Error {
    Error::new(
        ErrorKind::Storage,
        format!("a cached response page is damaged ({what}); clear the survey's cached responses and refresh"),
    )
}

fn get_len(buf: &[u8], at: &mut usize) -> Result<usize> {
    let mut n = 0usize;
    for shift in (0..64).step_by(7) {
        let b = *buf.get(*at).ok_or_else(|| corrupt("truncated length"))?;
        *at += 1;
        n |= usize::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Ok(n);
        }
    }
    Err(corrupt("overlong length"))
}

impl Page {
    fn decode(id: i64, imported_at: String, data: &[u8]) -> Result<Page> {
        // The frame says its size (bulk compression writes it): one allocation, no streaming.
        let text = match zstd::zstd_safe::get_frame_content_size(data) {
            Ok(Some(n)) if n <= 64 << 20 => zstd::bulk::decompress(data, n as usize),
            _ => zstd::stream::decode_all(data),
        }
        .map_err(|_| corrupt("not a zstd frame"))?;
        let mut records = Vec::new();
        let mut at = 0;
        while at < text.len() {
            let n = get_len(&text, &mut at)?;
            let values = at..at + n;
            at += n;
            let l = get_len(&text, &mut at)?;
            let labels = (l > 0).then(|| at..at + l - 1);
            at += l.saturating_sub(1);
            if at > text.len() {
                return Err(corrupt("record past the end"));
            }
            records.push((values, labels));
        }
        Ok(Page {
            id,
            imported_at,
            text,
            records,
        })
    }

    fn record(&self, slot: usize) -> Result<RawRecord<'_>> {
        let (v, l) = self
            .records
            .get(slot)
            .ok_or_else(|| corrupt("missing slot"))?;
        let text = |r: &std::ops::Range<usize>| {
            std::str::from_utf8(&self.text[r.clone()]).map_err(|_| corrupt("not UTF-8"))
        };
        Ok(RawRecord {
            values: text(v)?,
            labels: l.as_ref().map(text).transpose()?,
        })
    }
}

/// Reads records by position, decoding each page once while positions come in order.
#[derive(Default)]
pub(crate) struct PageReader {
    page: Option<Page>,
}

impl PageReader {
    /// The record at `pos` and its page's import time.
    pub(crate) fn read(&mut self, conn: &Connection, pos: i64) -> Result<(RawRecord<'_>, &str)> {
        let id = page_of(pos);
        if self.page.as_ref().is_none_or(|p| p.id != id) {
            let (at, data): (String, Vec<u8>) = conn
                .prepare_cached("SELECT imported_at, data FROM response_pages WHERE id = ?1")?
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
                .ok_or_else(|| corrupt("page missing"))?;
            self.page = Some(Page::decode(id, at, &data)?);
        }
        let page = self.page.as_ref().ok_or_else(|| corrupt("page missing"))?;
        Ok((page.record(slot_of(pos))?, page.imported_at.as_str()))
    }
}

/// Pages decoded ahead of the reader by [`scan_recorded`].
const DECODE_AHEAD: usize = 2;

/// Hands the record at each position `next_pos` yields (ascending, recorded responses of the
/// survey `survey_key`) to `f`, with the survey's recorded pages decompressed on a second
/// thread up to [`DECODE_AHEAD`] pages ahead of the reader: a full scan (the first
/// computation of a card) decompresses and reads at once on two cores. Every page read
/// comes from `conn`, so the scan sees one snapshot.
pub(crate) fn scan_recorded(
    conn: &Connection,
    survey_key: i64,
    first_pos: i64,
    next_pos: &mut dyn FnMut() -> Result<Option<i64>>,
    f: &mut dyn FnMut(RawRecord<'_>) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT id, data FROM response_pages
         WHERE survey_key = ?1 AND in_progress = 0 AND id >= ?2 ORDER BY id",
    )?;
    let mut pages = stmt.query(rusqlite::params![survey_key, page_of(first_pos)])?;
    std::thread::scope(|scope| {
        let (blobs, blob_rx) = std::sync::mpsc::sync_channel::<(i64, Vec<u8>)>(DECODE_AHEAD);
        let (page_tx, decoded) = std::sync::mpsc::sync_channel::<Result<Page>>(DECODE_AHEAD);
        scope.spawn(move || {
            for (id, data) in blob_rx {
                if page_tx
                    .send(Page::decode(id, String::new(), &data))
                    .is_err()
                {
                    return;
                }
            }
        });
        // At most DECODE_AHEAD pages are sent and not received, so neither side blocks
        // the other for good; dropping `blobs` on any return ends the decoder.
        let (mut sent, mut received, mut more) = (0usize, 0usize, true);
        let mut current: Option<Page> = None;
        while let Some(pos) = next_pos()? {
            let id = page_of(pos);
            while current.as_ref().is_none_or(|p| p.id != id) {
                while more && sent - received < DECODE_AHEAD {
                    match pages.next()? {
                        Some(r) => {
                            blobs
                                .send((r.get(0)?, r.get(1)?))
                                .map_err(|_| corrupt("page decoder stopped"))?;
                            sent += 1;
                        }
                        None => more = false,
                    }
                }
                if sent == received {
                    return Err(corrupt("page missing"));
                }
                let page = decoded
                    .recv()
                    .map_err(|_| corrupt("page decoder stopped"))??;
                received += 1;
                if page.id > id {
                    return Err(corrupt("page missing"));
                }
                current = Some(page);
            }
            let page = current.as_ref().ok_or_else(|| corrupt("page missing"))?;
            f(page.record(slot_of(pos))?)?;
        }
        drop(blobs);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_through_a_page() {
        let mut b = PageBuilder::default();
        assert_eq!(b.push(r#"{"a":"é"}"#, Some(r#"{"a":"x"}"#)), 0);
        let long = format!(r#"{{"t":"{}"}}"#, "y".repeat(300));
        assert_eq!(b.push(&long, None), 1);
        let data = compress(&mut zstd::bulk::Compressor::new(LEVEL).unwrap(), &b.raw).unwrap();
        let page = Page::decode(7, "t".into(), &data).unwrap();
        let r0 = page.record(0).unwrap();
        assert_eq!(
            (r0.values, r0.labels),
            (r#"{"a":"é"}"#, Some(r#"{"a":"x"}"#))
        );
        let r1 = page.record(1).unwrap();
        assert_eq!((r1.values, r1.labels), (long.as_str(), None));
        assert!(page.record(2).is_err());
        assert!(Page::decode(7, "t".into(), &data[..data.len() - 3]).is_err());
        let p = pos(3, 70_000, 1023);
        assert_eq!((page_of(p), slot_of(p), p >> 40), (70_000, 1023, 3));
    }
}
