//! The reader of JSON export files (`{"responses": [{...}, {...}], ...}`), in one pass.
//!
//! Contract: [`for_each_response`] reads the document once, through its own buffer (1 MiB,
//! grown only for a response longer than it), and hands each element of the top-level
//! `"responses"` array to the sink as an [`ExportedResponse`], so memory is bounded by the
//! largest response whatever the file size. Every byte is checked as JSON on the way
//! ([`super::json_syntax`]: structure, strings, escapes, numbers, nesting, and UTF-8 once
//! per response); a response must be an object whose `responseId` is a string, `values` and
//! `labels` objects (kept as the text the export carried, never decoded here) and
//! `displayedFields` a list of strings; other members are checked and skipped, and so are
//! the document's other top-level members. Errors name the byte offset in the document.
//!
//! Why not `serde_json` per response: splitting the array and then decoding each element
//! read every byte twice and allocated per value; this is one pass, one allocation for each
//! part of a response that is kept (id, values, labels, displayedFields). The tests are in
//! `json_export_tests.rs`.

use std::io::Read;
use std::ops::Range;

use super::json_syntax::{Cursor, Syntax};
use crate::models::export::ExportedResponse;

const BUFFER: usize = 1 << 20;

/// Why reading ended early.
#[derive(Debug)]
pub(crate) enum SplitError {
    /// The sink asked to stop.
    Stopped,
    /// The document is not what it should be (message without a prefix).
    Invalid(String),
}

/// What a whole document held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Split {
    /// Responses handed to the sink.
    pub elements: u64,
    /// Whether the top-level object has a `"responses"` array.
    pub found: bool,
}

/// Reads `reader`'s `"responses"` array into responses; see the module docs.
pub(crate) fn for_each_response<R: Read>(
    reader: R,
    sink: &mut dyn FnMut(ExportedResponse) -> bool,
) -> Result<Split, SplitError> {
    let mut doc = Document {
        reader,
        buf: vec![0; BUFFER],
        start: 0,
        end: 0,
        base: 0,
        eof: false,
    };
    let mut split = Split {
        elements: 0,
        found: false,
    };
    doc.step(|c| c.expect(b'{', "expected the document to be an object"))?;
    let mut closed = doc.step(|c| Ok(c.peek()? == b'}'))?;
    if closed {
        doc.step(|c| c.expect(b'}', ""))?;
    }
    while !closed {
        let responses = doc.step(|c| {
            if c.peek()? != b'"' {
                return Err(Syntax::Invalid("expected a member name", c.i));
            }
            let from = c.i;
            c.string()?;
            let key = &c.s[from..c.i];
            c.expect(b':', "expected ':' after a member name")?;
            Ok(key == b"\"responses\"")
        })?;
        if responses && !split.found {
            split.found = true;
            split.elements = doc.responses(sink)?;
        } else {
            doc.step(|c| c.value(1))?;
        }
        closed = doc.step(|c| c.separator(b'}', "expected ',' or '}' after a member"))?;
    }
    if doc.more()? {
        return Err(doc.invalid("unexpected characters after the document", doc.start));
    }
    Ok(split)
}

/// The document being read: `buf[start..end]` is read and not yet consumed; `base` is the
/// document offset of `buf[0]`.
struct Document<R> {
    reader: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    base: u64,
    eof: bool,
}

/// Where a response's parts are in the buffer.
#[derive(Default)]
struct Parts {
    id: Option<(Range<usize>, bool)>,
    values: Option<Range<usize>>,
    labels: Option<Range<usize>>,
    /// And whether it is a list of strings.
    displayed: Option<(Range<usize>, bool)>,
}

impl<R: Read> Document<R> {
    fn invalid(&self, what: &str, at: usize) -> SplitError {
        SplitError::Invalid(format!("{what} at byte {}", self.base + at as u64))
    }

    /// Runs `f` on the unconsumed bytes, reading more and starting again while it needs them;
    /// consumes what it read.
    fn step<T>(
        &mut self,
        mut f: impl FnMut(&mut Cursor<'_>) -> Result<T, Syntax>,
    ) -> Result<T, SplitError> {
        loop {
            let mut c = Cursor::new(&self.buf[..self.end], self.start);
            match f(&mut c) {
                Ok(t) => {
                    self.start = c.i;
                    return Ok(t);
                }
                Err(Syntax::Incomplete) if !self.eof => self.refill()?,
                Err(Syntax::Incomplete) => {
                    return Err(self.invalid("the document ends early (truncated?)", self.end))
                }
                Err(Syntax::Invalid(what, at)) => return Err(self.invalid(what, at)),
            }
        }
    }

    /// Whether anything but whitespace is left.
    fn more(&mut self) -> Result<bool, SplitError> {
        loop {
            let mut c = Cursor::new(&self.buf[..self.end], self.start);
            let found = c.peek().is_ok();
            self.start = c.i;
            if found || self.eof {
                return Ok(found);
            }
            self.refill()?;
        }
    }

    /// Moves the unconsumed bytes to the front (growing the buffer when they fill it) and
    /// reads until the buffer is full or the input ends.
    fn refill(&mut self) -> Result<(), SplitError> {
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.base += self.start as u64;
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buf.len() {
            self.buf.resize(self.buf.len() * 2, 0);
        }
        while self.end < self.buf.len() {
            match self.reader.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => self.end += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let at = self.base + self.end as u64;
                    return Err(SplitError::Invalid(format!(
                        "cannot be read at byte {at}: {e}"
                    )));
                }
            }
        }
        Ok(())
    }

    /// Reads the `"responses"` array, handing each element to `sink`; returns how many.
    fn responses(
        &mut self,
        sink: &mut dyn FnMut(ExportedResponse) -> bool,
    ) -> Result<u64, SplitError> {
        self.step(|c| c.expect(b'[', "expected \"responses\" to be an array"))?;
        let mut count = 0u64;
        let mut closed = self.step(|c| Ok(c.peek()? == b']'))?;
        if closed {
            self.step(|c| c.expect(b']', ""))?;
        }
        while !closed {
            let (from, parts) = self.step(|c| {
                c.peek()?;
                let from = c.i;
                element(c).map(|parts| (from, parts))
            })?;
            count += 1;
            let response = self.response(from, parts).map_err(|what| {
                SplitError::Invalid(format!(
                    "response {count} (at byte {}) {what}",
                    self.base + from as u64
                ))
            })?;
            if !sink(response) {
                return Err(SplitError::Stopped);
            }
            closed = self.step(|c| c.separator(b']', "expected ',' or ']' after a response"))?;
        }
        Ok(count)
    }

    /// The response whose checked bytes end at `self.start`.
    fn response(&self, from: usize, parts: Parts) -> Result<ExportedResponse, String> {
        let text = std::str::from_utf8(&self.buf[from..self.start])
            .map_err(|e| format!("is not valid UTF-8: {e}"))?;
        let part = |r: &Range<usize>| &text[r.start - from..r.end - from];
        let response_id = match &parts.id {
            None => String::new(),
            Some((r, false)) => part(r)[1..r.len() - 1].to_owned(),
            Some((r, true)) => serde_json::from_str(part(r)).map_err(|e| e.to_string())?,
        };
        let displayed = match &parts.displayed {
            None => None,
            Some((r, true)) => Some(part(r).to_owned()),
            Some((_, false)) => {
                return Err("has a \"displayedFields\" that is not a list of strings".into())
            }
        };
        Ok(ExportedResponse::from_export_text(
            response_id,
            parts.values.as_ref().map(|r| part(r).to_owned()),
            parts.labels.as_ref().map(|r| part(r).to_owned()),
            displayed,
        ))
    }
}

/// A list of strings at the cursor: `Ok(true)` with the cursor after it, `Ok(false)` (the
/// cursor anywhere) when the value is something else, to be checked as any value.
fn string_list(c: &mut Cursor<'_>) -> Result<bool, Syntax> {
    if c.peek()? != b'[' {
        return Ok(false);
    }
    c.i += 1;
    if c.peek()? == b']' {
        c.i += 1;
        return Ok(true);
    }
    loop {
        if c.peek()? != b'"' {
            return Ok(false);
        }
        c.string()?;
        match c.peek()? {
            b',' => c.i += 1,
            b']' => {
                c.i += 1;
                return Ok(true);
            }
            _ => return Ok(false),
        }
    }
}

/// One element of the `"responses"` array: an object, its known members located.
fn element(c: &mut Cursor<'_>) -> Result<Parts, Syntax> {
    let mut parts = Parts::default();
    if c.peek()? != b'{' {
        return Err(Syntax::Invalid("expected a response object", c.i));
    }
    c.i += 1;
    if c.peek()? == b'}' {
        c.i += 1;
        return Ok(parts);
    }
    loop {
        if c.peek()? != b'"' {
            return Err(Syntax::Invalid("expected a member name", c.i));
        }
        let key_at = c.i;
        let escaped_key = c.string()?;
        let key = if escaped_key {
            // A name written with escapes ("\u0076alues") means the same member.
            let raw = std::str::from_utf8(&c.s[key_at..c.i])
                .map_err(|_| Syntax::Invalid("member name is not valid UTF-8", key_at))?;
            serde_json::from_str::<String>(raw)
                .map_err(|_| Syntax::Invalid("invalid member name", key_at))?
        } else {
            String::new()
        };
        let key: &[u8] = if escaped_key {
            key.as_bytes()
        } else {
            &c.s[key_at + 1..c.i - 1]
        };
        c.expect(b':', "expected ':' after a member name")?;
        let at = c.peek()?;
        let from = c.i;
        let slot = match key {
            b"responseId" if at != b'"' => {
                return Err(Syntax::Invalid("\"responseId\" is not a string", from))
            }
            b"values" | b"labels" if at != b'{' => {
                return Err(Syntax::Invalid(
                    "a response's \"values\" or \"labels\" is not a JSON object",
                    from,
                ))
            }
            b"responseId" => Some(0),
            b"values" => Some(1),
            b"labels" => Some(2),
            b"displayedFields" => Some(3),
            _ => None,
        };
        let mut strings = false;
        let escaped = if at == b'"' {
            c.string()?
        } else {
            // `displayedFields` is read as the list of strings it should be (one pass); any
            // other value, or a list that is not one, is checked as any value from its start.
            strings = slot == Some(3) && string_list(c)?;
            if !strings {
                c.i = from;
                c.value(1)?;
            }
            false
        };
        let range = from..c.i;
        let taken = match slot {
            Some(0) => parts.id.replace((range, escaped)).is_some(),
            Some(1) => parts.values.replace(range).is_some(),
            Some(2) => parts.labels.replace(range).is_some(),
            Some(3) => parts.displayed.replace((range, strings)).is_some(),
            _ => false,
        };
        if taken {
            return Err(Syntax::Invalid("a response repeats a member", key_at));
        }
        if c.separator(b'}', "expected ',' or '}' after a member")? {
            return Ok(parts);
        }
    }
}

#[cfg(test)]
#[path = "json_export_tests.rs"]
mod tests;
