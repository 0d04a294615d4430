//! A streaming RFC 4180 record reader (quoted fields, doubled quotes, embedded newlines,
//! CRLF) that yields each record as borrowed fields of one reused buffer.
//!
//! Contract: [`CsvReader`] reads its source in large chunks into one buffer and cuts records
//! out of it in place: an unquoted field is a slice of the buffer as read, a quoted one is
//! unescaped where it lies (it only gets shorter), so nothing is allocated per field or per
//! record. A record cut by the end of the buffer is scanned again once more bytes are in;
//! the buffer grows only for a record longer than it, so memory is bounded by the larger of
//! the chunk size and the longest record, never by the file. A UTF-8 byte order mark at the
//! start of the input is skipped. A quote opens a quoted field only at the start of a field;
//! elsewhere it is text, and text after a closing quote is kept (`"a"b` reads `ab`), like the
//! `csv` crate. `\r\n` and `\n` end records; a `\r` inside quotes is data. An unterminated
//! quoted field at the end of the input is an error.

use std::io::{self, Read};

use memchr::{memchr, memchr2, memchr_iter};

/// Bytes read from the source at a time.
const CHUNK: usize = 256 * 1024;

pub(crate) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads delimited records; see the module docs.
pub(crate) struct CsvReader<R> {
    src: R,
    buf: Vec<u8>,
    /// Start of the bytes not yet cut into records.
    pos: usize,
    /// End of the bytes read from `src`.
    filled: usize,
    eof: bool,
    /// Nothing read yet (a byte order mark may follow).
    at_start: bool,
    /// Bytes read from `src` so far.
    read: u64,
    delimiter: u8,
    /// The current record's fields, as ranges of `buf`.
    fields: Vec<(usize, usize)>,
    /// The current record's bytes in `buf`, from its first field's start to its last's end.
    span: (usize, usize),
    /// Whether a quoted field of the current record was unescaped in place (then `span`
    /// also holds stale bytes, and `utf8` says whether the raw record was valid UTF-8).
    unescaped: bool,
    utf8: bool,
    /// Whether no field of the current record holds a quote, backslash or control byte.
    plain: bool,
}

impl<R: Read> CsvReader<R> {
    pub(crate) fn new(src: R, delimiter: u8) -> CsvReader<R> {
        Self::with_chunk(src, delimiter, CHUNK)
    }

    /// A reader with a given chunk size (tests use tiny ones to cut records anywhere).
    pub(crate) fn with_chunk(src: R, delimiter: u8, chunk: usize) -> CsvReader<R> {
        CsvReader {
            src,
            buf: vec![0; chunk.max(1)],
            pos: 0,
            filled: 0,
            eof: false,
            at_start: true,
            read: 0,
            delimiter,
            fields: Vec::new(),
            span: (0, 0),
            unescaped: false,
            utf8: true,
            plain: true,
        }
    }

    /// A reader of a source that starts at a record in the middle of a text (no byte order
    /// mark is looked for).
    pub(crate) fn continuing(src: R, delimiter: u8) -> CsvReader<R> {
        let mut reader = Self::new(src, delimiter);
        reader.at_start = false;
        reader
    }

    /// Goes on with a new source that starts at a record in the middle of a text (like
    /// [`CsvReader::continuing`]), keeping the buffer: a worker reads many segments, and a
    /// fresh buffer each was a fresh allocation to fault in and zero.
    pub(crate) fn restart(&mut self, src: R) {
        self.src = src;
        self.pos = 0;
        self.filled = 0;
        self.eof = false;
        self.at_start = false;
        self.read = 0;
        self.fields.clear();
        self.span = (0, 0);
    }

    /// Where the next record starts, in bytes from the start of the source.
    pub(crate) fn offset(&self) -> u64 {
        self.read - (self.filled - self.pos) as u64
    }

    /// Reads the next record; `Ok(false)` at the end of the input.
    pub(crate) fn next_record(&mut self) -> io::Result<bool> {
        loop {
            if self.pos < self.filled {
                if let Some((next, plain)) = self.scan()? {
                    self.finish_record(next, plain);
                    return Ok(true);
                }
                if self.eof {
                    // `scan` always ends a record at the end of the input; never loop on it.
                    return Err(io::Error::other("a record does not end"));
                }
            } else if self.eof {
                return Ok(false);
            }
            self.refill()?;
        }
    }

    /// The current record's fields, in order.
    pub(crate) fn fields(&self) -> impl ExactSizeIterator<Item = &[u8]> + '_ {
        self.fields.iter().map(move |&(s, e)| &self.buf[s..e])
    }

    /// The current record's fields as text, when the record is valid UTF-8. A record
    /// without quoted fields is checked once as a whole and cut into `&str`s.
    pub(crate) fn text_fields(&self) -> Option<TextFields<'_>> {
        let (start, end) = self.span;
        let whole = if self.unescaped {
            if !self.utf8 {
                return None;
            }
            None
        } else {
            Some(std::str::from_utf8(&self.buf[start..end]).ok()?)
        };
        Some(TextFields {
            buf: &self.buf,
            start,
            whole,
            ranges: self.fields.iter(),
        })
    }

    /// The current record as text with its fields as byte ranges of that text, when no
    /// field was unescaped, none needs escaping in JSON and the record is valid UTF-8 (most
    /// records): the fields can be copied into JSON as they are.
    pub(crate) fn plain_record(&self) -> Option<PlainRecord<'_>> {
        if self.unescaped || !self.plain {
            return None;
        }
        let (start, end) = self.span;
        let text = std::str::from_utf8(&self.buf[start..end]).ok()?;
        Some(PlainRecord {
            text,
            start,
            fields: &self.fields,
        })
    }

    /// Whether no field of the current record needs escaping in JSON (no quote, backslash
    /// or control byte).
    pub(crate) fn is_plain(&self) -> bool {
        self.plain
    }

    /// The current record's fields as strings (header rows; invalid UTF-8 replaced).
    pub(crate) fn to_strings(&self) -> Vec<String> {
        self.fields()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect()
    }

    /// Moves unread bytes to the front, grows the buffer if one record fills it, reads more.
    fn refill(&mut self) -> io::Result<()> {
        if self.pos > 0 {
            self.buf.copy_within(self.pos..self.filled, 0);
            self.filled -= self.pos;
            self.pos = 0;
        }
        if self.filled == self.buf.len() {
            let len = self.buf.len() * 2;
            self.buf.resize(len, 0);
        }
        // Fill the buffer (a short read would only make the next record's scan restart).
        let n = read_full(&mut self.src, &mut self.buf[self.filled..])?;
        self.filled += n;
        self.read += n as u64;
        self.eof = self.filled < self.buf.len();
        if self.at_start && (self.filled >= BOM.len() || self.eof) {
            self.at_start = false;
            if self.buf[..self.filled].starts_with(BOM) {
                self.pos = BOM.len();
            }
        } else if self.at_start {
            // Not enough bytes yet to tell whether a byte order mark starts the input.
            return self.refill();
        }
        Ok(())
    }

    /// Cuts the record starting at `pos` into `fields` (raw ranges; quoted fields still
    /// escaped) and returns where the next one starts — with whether it is plain, when that
    /// is known already — or `None` when the record does not end within the bytes read so
    /// far (it is scanned again after a refill).
    fn scan(&mut self) -> io::Result<Option<(usize, Option<bool>)>> {
        let d = self.delimiter;
        let buf = &self.buf[..self.filled];
        let eof = self.eof;
        let start = self.pos;
        let fields = &mut self.fields;
        fields.clear();
        // Most records: a line without quotes, split at its delimiters.
        if let Some(nl) = memchr(b'\n', &buf[start..]) {
            let line = &buf[start..start + nl];
            let content = line.strip_suffix(b"\r").unwrap_or(line);
            let plain = !needs_escape(content);
            if plain || memchr(b'"', content).is_none() {
                let end = start + content.len();
                let mut field = start;
                for i in memchr_iter(d, content) {
                    fields.push((field, start + i));
                    field = start + i + 1;
                }
                fields.push((field, end));
                return Ok(Some((start + nl + 1, Some(plain))));
            }
        }
        let mut p = start;
        loop {
            if p == buf.len() {
                // After a delimiter at the very end of the input: a last, empty field.
                if !eof {
                    return Ok(None);
                }
                fields.push((p, p));
                return Ok(Some((p, None)));
            }
            // `n`: where the unquoted text of the field (all of it, or what follows a
            // closing quote) starts.
            let n = if buf[p] == b'"' {
                let mut q = p + 1;
                let close = loop {
                    let Some(i) = memchr(b'"', &buf[q..]) else {
                        if eof {
                            return Err(io::Error::new(
                                io::ErrorKind::UnexpectedEof,
                                "unterminated quoted field",
                            ));
                        }
                        return Ok(None);
                    };
                    let c = q + i;
                    match buf.get(c + 1) {
                        // A doubled quote is one quote of data.
                        Some(b'"') => q = c + 2,
                        // Whether it is doubled depends on bytes not read yet.
                        None if !eof => return Ok(None),
                        _ => break c,
                    }
                };
                let n = close + 1;
                match buf.get(n) {
                    None => {
                        fields.push((p, n));
                        return Ok(Some((n, None)));
                    }
                    Some(&b) if b == d => {
                        fields.push((p, n));
                        p = n + 1;
                        continue;
                    }
                    Some(b'\n') => {
                        fields.push((p, n));
                        return Ok(Some((n + 1, None)));
                    }
                    Some(b'\r') if buf.get(n + 1) == Some(&b'\n') => {
                        fields.push((p, n));
                        return Ok(Some((n + 2, None)));
                    }
                    _ => n,
                }
            } else {
                p
            };
            match memchr2(d, b'\n', &buf[n..]) {
                Some(i) if buf[n + i] == d => {
                    fields.push((p, n + i));
                    p = n + i + 1;
                }
                Some(i) => {
                    fields.push((p, strip_cr(buf, n, n + i)));
                    return Ok(Some((n + i + 1, None)));
                }
                None if eof => {
                    fields.push((p, strip_cr(buf, n, buf.len())));
                    return Ok(Some((buf.len(), None)));
                }
                None => return Ok(None),
            }
        }
    }

    /// Checks the complete record's bytes once, unescapes its quoted fields in place and
    /// moves past it.
    fn finish_record(&mut self, next: usize, plain: Option<bool>) {
        let start = self.pos;
        let end = self.fields.last().map_or(start, |&(_, e)| e);
        self.span = (start, end);
        self.pos = next;
        let raw = &self.buf[start..end];
        if let Some(plain) = plain {
            // A line without quotes: nothing to unescape.
            self.plain = plain;
            self.unescaped = false;
            return;
        }
        let special = needs_escape(raw);
        self.plain = !special;
        self.unescaped = special && self.fields.iter().any(|f| self.buf[f.0] == b'"');
        if self.unescaped {
            // Checked on the raw bytes: unescaping only removes ASCII quotes, so a valid
            // record gives valid fields.
            self.utf8 = std::str::from_utf8(raw).is_ok();
            for field in &mut self.fields {
                if self.buf[field.0] == b'"' {
                    field.1 = unescape_in_place(&mut self.buf, field.0, field.1);
                }
            }
        }
    }
}

/// A record whose fields need no unescaping and no escaping in JSON (see
/// [`CsvReader::plain_record`]).
pub(crate) struct PlainRecord<'a> {
    /// The whole record.
    pub(crate) text: &'a str,
    /// Where `text` starts in the reader's buffer (the fields' ranges are the buffer's).
    pub(crate) start: usize,
    pub(crate) fields: &'a [(usize, usize)],
}

/// The fields of a record known to be valid UTF-8, as `&str`s.
pub(crate) struct TextFields<'a> {
    buf: &'a [u8],
    /// Where the record starts in `buf`.
    start: usize,
    /// The whole record as text, when no field was unescaped (fields are cut out of it).
    whole: Option<&'a str>,
    ranges: std::slice::Iter<'a, (usize, usize)>,
}

impl<'a> Iterator for TextFields<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let &(s, e) = self.ranges.next()?;
        // Fields start and end at ASCII delimiters and quotes of valid UTF-8: both lookups
        // always succeed.
        Some(match self.whole {
            Some(text) => text.get(s - self.start..e - self.start).unwrap_or_default(),
            None => std::str::from_utf8(&self.buf[s..e]).unwrap_or_default(),
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.ranges.size_hint()
    }
}

impl ExactSizeIterator for TextFields<'_> {}

/// Whether `bytes` hold a quote, a backslash or a control byte (text that JSON escapes).
/// Not short-circuiting lets the loop run on whole vectors.
fn needs_escape(bytes: &[u8]) -> bool {
    bytes.iter().fold(false, |acc, &b| {
        acc | (b < 0x20) | (b == b'"') | (b == b'\\')
    })
}

/// `end`, less one when the byte before it (at or after `from`) is a `\r`.
fn strip_cr(buf: &[u8], from: usize, end: usize) -> usize {
    if end > from && buf[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

/// Unescapes the quoted field `buf[start..end]` (opening quote at `start`) to
/// `buf[start..returned]`: doubled quotes become one, text after the closing quote is kept.
fn unescape_in_place(buf: &mut [u8], start: usize, end: usize) -> usize {
    let mut read = start + 1;
    let mut write = start;
    while read < end {
        let b = buf[read];
        read += 1;
        if b == b'"' {
            if read < end && buf[read] == b'"' {
                read += 1;
            } else {
                // The closing quote: what follows is plain text.
                buf.copy_within(read..end, write);
                return write + (end - read);
            }
        }
        buf[write] = b;
        write += 1;
    }
    write
}

/// Reads until `buf` is full or the input ends; returns the bytes read (fewer than
/// `buf.len()` only at the end of the input).
pub(crate) fn read_full<R: Read + ?Sized>(src: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match src.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

#[cfg(test)]
#[path = "csv_tests.rs"]
pub(crate) mod tests;
