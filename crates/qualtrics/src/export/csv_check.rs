//! The first pass of a verified delivery of a delimited export: a check that the text ends
//! outside quotes, without cutting it into records.
//!
//! Contract: [`check_quotes`] reads the source's own buffers (no copy) and follows only the
//! quotes that open a field (at the start of the input after an optional byte order mark,
//! or after a delimiter or a newline) to their closing quote, as [`super::csv::CsvReader`]
//! reads them; an unterminated quoted field at the end is an error. Unzip errors of the
//! source (a zip member's CRC) come through as read errors.

use std::io::{self, BufRead};

use memchr::memchr;

use super::csv::{read_full, BOM};

/// Checks that delimited text ends outside quotes, without cutting it into records: only a
/// quote at the start of a field opens a quoted field, so only those are followed to their
/// closing quote. Reads the source's own buffers (no copy). Returns whether the input held
/// any byte (after a byte order mark).
pub(crate) fn check_quotes<R: BufRead>(mut src: R, delimiter: u8) -> io::Result<bool> {
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
    if head[..n] != *BOM {
        check.feed(&head[..n]);
    }
    loop {
        let buf = src.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        check.feed(buf);
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
    fn feed(&mut self, chunk: &[u8]) {
        if chunk.is_empty() {
            return;
        }
        self.any = true;
        let mut at = 0;
        if self.pending_quote {
            self.pending_quote = false;
            if chunk[0] == b'"' {
                at = 1;
            } else {
                self.in_quotes = false;
                self.prev = b'"';
            }
        }
        while at < chunk.len() {
            let Some(i) = memchr(b'"', &chunk[at..]) else {
                if !self.in_quotes {
                    self.prev = chunk[chunk.len() - 1];
                }
                return;
            };
            let q = at + i;
            at = q + 1;
            if self.in_quotes {
                match chunk.get(q + 1) {
                    Some(b'"') => at = q + 2,
                    Some(_) => {
                        self.in_quotes = false;
                        self.prev = b'"';
                    }
                    None => self.pending_quote = true,
                }
            } else {
                let before = if q == 0 { self.prev } else { chunk[q - 1] };
                if before == self.delimiter || before == b'\n' {
                    self.in_quotes = true;
                } else {
                    self.prev = b'"';
                }
            }
        }
        if !self.in_quotes {
            self.prev = chunk[chunk.len() - 1];
        }
    }
}
