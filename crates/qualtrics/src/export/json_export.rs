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
//! read every byte twice and allocated per value; this is one pass, three allocations a
//! response (id, values, labels).

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
    displayed: Option<Range<usize>>,
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
            Some(r) if strings(part(r).as_bytes()) => Some(part(r).to_owned()),
            Some(_) => return Err("has a \"displayedFields\" that is not a list of strings".into()),
        };
        Ok(ExportedResponse::from_export_text(
            response_id,
            parts.values.as_ref().map(|r| part(r).to_owned()),
            parts.labels.as_ref().map(|r| part(r).to_owned()),
            displayed,
        ))
    }
}

/// Whether `text`, a checked JSON value, is an array of strings.
fn strings(text: &[u8]) -> bool {
    let mut c = Cursor::new(text, 0);
    let mut items = || -> Result<bool, Syntax> {
        c.expect(b'[', "")?;
        if c.peek()? == b']' {
            return Ok(true);
        }
        loop {
            if c.peek()? != b'"' {
                return Ok(false);
            }
            c.string()?;
            if c.separator(b']', "")? {
                return Ok(true);
            }
        }
    };
    items().unwrap_or(false)
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
        let escaped = if at == b'"' {
            c.string()?
        } else {
            c.value(1).map(|()| false)?
        };
        let range = from..c.i;
        let taken = match slot {
            Some(0) => parts.id.replace((range, escaped)).is_some(),
            Some(1) => parts.values.replace(range).is_some(),
            Some(2) => parts.labels.replace(range).is_some(),
            Some(3) => parts.displayed.replace(range).is_some(),
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
mod tests {
    use super::*;

    /// Reads `doc` through a reader that hands out `chunk` bytes at a time.
    fn read(doc: &str, chunk: usize) -> Result<(Vec<ExportedResponse>, Split), String> {
        struct Trickle<'a>(&'a [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.len().min(self.1).min(out.len());
                out[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut got = Vec::new();
        match for_each_response(Trickle(doc.as_bytes(), chunk), &mut |r| {
            got.push(r);
            true
        }) {
            Ok(s) => Ok((got, s)),
            Err(SplitError::Invalid(m)) => Err(m),
            Err(SplitError::Stopped) => Err("stopped".into()),
        }
    }

    #[test]
    fn responses_come_out_as_written_at_any_read_size() {
        let doc = r#" {"meta": {"a": [1, "]}"]}, "responses" : [ {"responseId": "R_1", "values": {"v": "x\"}", "n": [1, 2.5e3]}, "labels": {}, "displayedFields": ["QID1"], "displayedValues": {"QID1": [1, 2]}}, {"responseId": "R_\u0032", "\u0076alues": {}} ], "n": 2 } "#;
        for chunk in [1, 2, 3, 7, 64, 4096] {
            let (got, s) = read(doc, chunk).unwrap();
            assert_eq!(
                s,
                Split {
                    elements: 2,
                    found: true
                }
            );
            assert_eq!(got[0].response_id, "R_1");
            assert_eq!(got[0].values_json(), r#"{"v": "x\"}", "n": [1, 2.5e3]}"#);
            assert_eq!(got[0].labels_json(), "{}");
            assert_eq!(got[0].displayed_fields(), ["QID1"]);
            assert_eq!(got[1].response_id, "R_2");
            assert_eq!(got[1].values_json(), "{}");
        }
        assert_eq!(read(r#"{"responses": []}"#, 5).unwrap().1.elements, 0);
        assert!(!read("{}", 1).unwrap().1.found);
        assert!(!read(r#"{"other": 1}"#, 1).unwrap().1.found);
    }

    #[test]
    fn a_response_longer_than_the_buffer_grows_it() {
        let long = "x".repeat(3 * BUFFER);
        let doc =
            format!(r#"{{"responses": [{{"responseId": "R_1", "values": {{"t": "{long}"}}}}]}}"#);
        let (got, _) = read(&doc, 100_000).unwrap();
        assert_eq!(got[0].values_json().len(), long.len() + 9);
    }

    #[test]
    fn broken_documents_are_reported_with_their_offset() {
        for (doc, needle) in [
            (r#"{"responses": [{"a": 1}, {"b": 2"#, "ends early"),
            (r#"{"responses": [{"a": 1]}"#, "expected ',' or '}'"),
            (r#"{"responses": [{"a": "open}]}"#, "ends early"),
            (
                r#"{"responses": [{"a": 1} {"b": 2}]}"#,
                "expected ',' or ']'",
            ),
            (r#"{"responses": [{"a": 1}]} x"#, "after the document"),
            (r#"{"responses" [1]}"#, "expected ':'"),
            (r#"[{"a": 1}]"#, "to be an object"),
            (r#"{"responses": {"a": 1}}"#, "to be an array"),
            (r#"{"x": @}"#, "expected a value"),
            (r#"{"responses": [{"a": 1x}]}"#, "invalid number"),
            (r#"{"responses": [{"a": "\q"}]}"#, "invalid escape"),
            (r#"{"responses": [7]}"#, "expected a response object"),
            (r#"{"responses": [{"values": [1]}]}"#, "not a JSON object"),
            (r#"{"responses": [{"responseId": 5}]}"#, "not a string"),
            (
                r#"{"responses": [{"values": {}, "values": {}}]}"#,
                "repeats a member",
            ),
            ("", "ends early"),
        ] {
            for chunk in [1, 4096] {
                let err = read(doc, chunk).unwrap_err();
                assert!(err.contains(needle), "{doc:?}: {err}");
                assert!(err.contains("at byte"), "{doc:?}: {err}");
            }
        }
        let err = read(
            r#"{"responses": [{"values": {"t": "a"}, "displayedFields": [1]}]}"#,
            3,
        )
        .unwrap_err();
        assert!(
            err.starts_with("response 1 (at byte 15) has a \"displayedFields\""),
            "{err}"
        );
        let bad_utf8 = b"{\"responses\": [{\"values\": {\"t\": \"\xff\"}}]}";
        let err = for_each_response(&bad_utf8[..], &mut |_| true).unwrap_err();
        assert!(matches!(err, SplitError::Invalid(m) if m.contains("not valid UTF-8")));
    }

    /// What `serde_json` makes of `doc` under the same rules: `Some(ids)` when it is JSON
    /// with a `responses` array of well-formed responses.
    fn serde_reading(doc: &[u8]) -> Option<Vec<String>> {
        use serde_json::Value;
        let v: Value = serde_json::from_slice(doc).ok()?;
        let mut ids = Vec::new();
        for r in v.as_object()?.get("responses")?.as_array()? {
            let r = r.as_object()?;
            for key in ["values", "labels"] {
                if r.get(key).is_some_and(|v| !v.is_object()) {
                    return None;
                }
            }
            if let Some(d) = r.get("displayedFields") {
                if !d.as_array()?.iter().all(Value::is_string) {
                    return None;
                }
            }
            ids.push(match r.get("responseId") {
                None => String::new(),
                Some(id) => id.as_str()?.to_string(),
            });
        }
        Some(ids)
    }

    #[test]
    fn every_single_byte_change_is_judged_like_serde_json() {
        let doc = br#"{"responses": [{"responseId": "R_1", "values": {"n": -12.5e+2, "t": "a\"\u00e9", "l": [true, false, null]}, "labels": {"n": "x"}, "displayedFields": ["QID1"]}, {"responseId": "R_2", "values": {}}]}"#;
        let mut compared = 0;
        for at in 0..doc.len() {
            for b in [
                b'"', b'\\', b'{', b'}', b'[', b']', b',', b':', b' ', b'1', b'e', b'.', b'-',
                b'u', b'x', 0x01, 0xff,
            ] {
                let mut changed = doc.to_vec();
                changed[at] = b;
                let ours = for_each_response(&changed[..], &mut |_| true);
                let mut ids = Vec::new();
                let ours = ours.is_ok_and(|s| s.found).then(|| {
                    for_each_response(&changed[..], &mut |r| {
                        ids.push(r.response_id);
                        true
                    })
                    .unwrap();
                    ids
                });
                // serde_json keeps the last of repeated members; this reader refuses them.
                let repeated = serde_reading(&changed).is_some() && ours.is_none() && {
                    let text = String::from_utf8_lossy(&changed).into_owned();
                    [
                        "\"values\"",
                        "\"labels\"",
                        "\"responseId\"",
                        "\"displayedFields\"",
                    ]
                    .iter()
                    .any(|k| text.matches(k).count() > 2)
                };
                if !repeated {
                    assert_eq!(
                        ours,
                        serde_reading(&changed),
                        "{}",
                        String::from_utf8_lossy(&changed)
                    );
                }
                compared += 1;
            }
        }
        assert!(compared > 3000);
    }

    #[test]
    fn the_sink_can_stop() {
        let doc = r#"{"responses": [{}, {}, {}]}"#;
        let mut seen = 0;
        let r = for_each_response(doc.as_bytes(), &mut |_| {
            seen += 1;
            seen < 2
        });
        assert!(matches!(r, Err(SplitError::Stopped)));
        assert_eq!(seen, 2);
    }
}
