//! The first pass of a verified delivery of a delimited export: a check that the text ends
//! outside quotes, without cutting it into records.
//!
//! Contract: [`check_quotes`] reads the source's own buffers (no copy) and follows only the
//! quotes that open a field (at the start of the input after an optional byte order mark,
//! or after a delimiter or a newline) to their closing quote, as [`super::csv::CsvReader`]
//! reads them; an unterminated quoted field at the end is an error. Unzip errors of the
//! source (a zip member's CRC) come through as read errors. [`scan_quotes`] also says,
//! for each piece of the input, where its last record starts (after a newline outside
//! quotes), so that records can be read from there on their own.

use std::io::{self, BufRead};

use memchr::{memchr, memrchr};

use super::csv::{read_full, BOM};

/// Checks that delimited text ends outside quotes, without cutting it into records: only a
/// quote at the start of a field opens a quoted field, so only those are followed to their
/// closing quote. Reads the source's own buffers (no copy). Returns whether the input held
/// any byte (after a byte order mark).
#[cfg(test)]
pub(crate) fn check_quotes<R: BufRead>(src: R, delimiter: u8) -> io::Result<bool> {
    scan_quotes(src, delimiter, |_, _| Ok(()))
}

/// [`check_quotes`], handing every piece of the input to `on_piece` in order (all of it,
/// a byte order mark included) with the offset in that piece just after its last newline
/// outside quotes, when it has one: a record starts there.
pub(crate) fn scan_quotes<R: BufRead>(
    mut src: R,
    delimiter: u8,
    mut on_piece: impl FnMut(&[u8], Option<usize>) -> io::Result<()>,
) -> io::Result<bool> {
    let mut check = QuoteCheck {
        delimiter,
        prev: b'\n',
        in_quotes: false,
        pending_quote: false,
        any: false,
    };
    // A byte order mark may only start the input: its first bytes are looked at together.
    let mut head = [0u8; BOM.len()];
    let n = read_full(&mut src, &mut head)?;
    let record_start = if head[..n] == *BOM {
        None
    } else {
        check.feed(&head[..n])
    };
    on_piece(&head[..n], record_start)?;
    loop {
        let buf = src.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        let record_start = check.feed(buf);
        on_piece(buf, record_start)?;
        let len = buf.len();
        src.consume(len);
    }
    if check.in_quotes && !check.pending_quote {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "unterminated quoted field",
        ));
    }
    Ok(check.any)
}

/// The state of [`check_quotes`] between chunks.
struct QuoteCheck {
    delimiter: u8,
    /// The byte before the current chunk (a field starts after a delimiter or a newline).
    prev: u8,
    in_quotes: bool,
    /// A quote inside quotes was the last byte so far: closing, or the first of a pair.
    pending_quote: bool,
    any: bool,
}

impl QuoteCheck {
    /// Follows the quotes of `chunk`; returns the offset just after its last newline outside
    /// quotes.
    fn feed(&mut self, chunk: &[u8]) -> Option<usize> {
        if chunk.is_empty() {
            return None;
        }
        self.any = true;
        let mut at = 0;
        // Where the text outside quotes seen last starts, while outside quotes.
        let mut outside_from = (!self.in_quotes).then_some(0);
        let mut record_start = None;
        if self.pending_quote {
            self.pending_quote = false;
            if chunk[0] == b'"' {
                at = 1;
            } else {
                self.in_quotes = false;
                self.prev = b'"';
                outside_from = Some(0);
            }
        }
        while at < chunk.len() {
            let Some(i) = memchr(b'"', &chunk[at..]) else {
                break;
            };
            let q = at + i;
            at = q + 1;
            if self.in_quotes {
                match chunk.get(q + 1) {
                    Some(b'"') => at = q + 2,
                    Some(_) => {
                        self.in_quotes = false;
                        self.prev = b'"';
                        outside_from = Some(q + 1);
                    }
                    None => self.pending_quote = true,
                }
            } else {
                let before = if q == 0 { self.prev } else { chunk[q - 1] };
                if before == self.delimiter || before == b'\n' {
                    self.in_quotes = true;
                    if let Some(from) = outside_from.take() {
                        record_start = memrchr(b'\n', &chunk[from..q])
                            .map(|i| from + i + 1)
                            .or(record_start);
                    }
                } else {
                    self.prev = b'"';
                }
            }
        }
        if !self.in_quotes {
            self.prev = chunk[chunk.len() - 1];
            if let Some(from) = outside_from {
                record_start = memrchr(b'\n', &chunk[from..])
                    .map(|i| from + i + 1)
                    .or(record_start);
            }
        }
        record_start
    }
}
