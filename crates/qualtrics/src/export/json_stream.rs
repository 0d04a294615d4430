//! A streaming splitter for JSON export files (`{"responses": [{...}, {...}], ...}`).
//!
//! Contract: [`for_each_element`] reads the document once through a `BufRead` and hands the
//! raw bytes of each element of the top-level `"responses"` array to a callback, one at a
//! time, in one reused buffer, so memory is bounded by the largest element whatever the file
//! size. On the way it checks the document's structure: one top-level object, strings and
//! escapes closed, brackets nested and matched, members separated by `,` and `:`, scalars
//! well-formed in their first byte, nothing but whitespace after the object. The bytes of an
//! element are decoded by the callback (`serde_json::from_slice`), which checks them in full.
//! Other top-level members are skipped. Errors name the byte offset.

use std::io::BufRead;

/// Why splitting ended early.
#[derive(Debug)]
pub(crate) enum SplitError {
    /// The callback asked to stop.
    Stopped,
    /// The document is not what it should be (message without a prefix).
    Invalid(String),
}

/// What a whole document held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Split {
    /// Elements handed to the callback.
    pub elements: u64,
    /// Whether the top-level object has a `"responses"` array.
    pub found: bool,
}

/// Receives the raw bytes of one element; `Ok(false)` stops, `Err` is a decoding error.
pub(crate) type ElementSink<'a> = &'a mut dyn FnMut(&[u8]) -> Result<bool, String>;

/// Splits `reader`'s `"responses"` array into elements; see the module docs.
pub(crate) fn for_each_element<R: BufRead>(
    reader: R,
    sink: ElementSink<'_>,
) -> Result<Split, SplitError> {
    let mut s = Scanner { reader, offset: 0 };
    let mut split = Split {
        elements: 0,
        found: false,
    };
    s.expect(b'{', "the document to be an object")?;
    let mut key = Vec::new();
    let mut closed = s.peek_non_ws()? == Some(b'}');
    if closed {
        s.bump();
    }
    while !closed {
        if s.peek_non_ws()? != Some(b'"') {
            return Err(s.invalid("expected a member name"));
        }
        key.clear();
        s.value(Some(&mut key))?;
        s.expect(b':', "':' after a member name")?;
        if key == b"\"responses\"" && !split.found {
            split.found = true;
            split.elements = s.elements(sink)?;
        } else {
            s.value(None)?;
        }
        closed = s.separator(b'}', "',' or '}' after a member")?;
    }
    if s.peek_non_ws()?.is_some() {
        return Err(s.invalid("unexpected characters after the document"));
    }
    Ok(split)
}

struct Scanner<R> {
    reader: R,
    offset: u64,
}

impl<R: BufRead> Scanner<R> {
    fn invalid(&self, what: &str) -> SplitError {
        SplitError::Invalid(format!("{what} at byte {}", self.offset))
    }

    fn fill(&mut self) -> Result<&[u8], SplitError> {
        let offset = self.offset;
        self.reader
            .fill_buf()
            .map_err(|e| SplitError::Invalid(format!("cannot be read at byte {offset}: {e}")))
    }

    fn advance(&mut self, n: usize) {
        self.reader.consume(n);
        self.offset += n as u64;
    }

    /// Consumes one byte (after a successful peek).
    fn bump(&mut self) {
        self.advance(1);
    }

    /// The next non-whitespace byte, not consumed; `None` at the end of input.
    fn peek_non_ws(&mut self) -> Result<Option<u8>, SplitError> {
        loop {
            let buf = self.fill()?;
            if buf.is_empty() {
                return Ok(None);
            }
            match buf.iter().position(|b| !b.is_ascii_whitespace()) {
                Some(i) => {
                    let b = buf[i];
                    self.advance(i);
                    return Ok(Some(b));
                }
                None => {
                    let n = buf.len();
                    self.advance(n);
                }
            }
        }
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), SplitError> {
        if self.peek_non_ws()? == Some(byte) {
            self.bump();
            Ok(())
        } else {
            Err(self.invalid(&format!("expected {what}")))
        }
    }

    /// Reads the `"responses"` array, handing each element to `sink`; returns how many.
    fn elements(&mut self, sink: ElementSink<'_>) -> Result<u64, SplitError> {
        self.expect(b'[', "\"responses\" to be an array")?;
        let mut count = 0u64;
        let mut element = Vec::new();
        let mut closed = self.peek_non_ws()? == Some(b']');
        if closed {
            self.bump();
        }
        while !closed {
            element.clear();
            self.value(Some(&mut element))?;
            count += 1;
            match sink(&element) {
                Ok(true) => {}
                Ok(false) => return Err(SplitError::Stopped),
                Err(e) => {
                    return Err(SplitError::Invalid(format!(
                        "response {count} (ending at byte {}) {e}",
                        self.offset
                    )))
                }
            }
            closed = self.separator(b']', "',' or ']' after a response")?;
        }
        Ok(count)
    }

    /// After a value: `,` (more follow, `false`) or `close` (done, `true`).
    fn separator(&mut self, close: u8, what: &str) -> Result<bool, SplitError> {
        match self.peek_non_ws()? {
            Some(b',') => {
                self.bump();
                Ok(false)
            }
            Some(b) if b == close => {
                self.bump();
                Ok(true)
            }
            None => Err(self.invalid("the document ends early (truncated?)")),
            Some(_) => Err(self.invalid(&format!("expected {what}"))),
        }
    }

    /// Reads one value starting at the next non-whitespace byte, appending its bytes to `out`
    /// when given.
    fn value(&mut self, mut out: Option<&mut Vec<u8>>) -> Result<(), SplitError> {
        let Some(first) = self.peek_non_ws()? else {
            return Err(self.invalid("the document ends early (truncated?)"));
        };
        let scalar = !matches!(first, b'{' | b'[' | b'"');
        if scalar && !matches!(first, b'-' | b'0'..=b'9' | b't' | b'f' | b'n') {
            return Err(self.invalid(&format!("unexpected character {:?}", first as char)));
        }
        // Closers still expected, innermost last; a string value is one level of its own.
        let mut stack: Vec<u8> = Vec::new();
        let mut in_string = false;
        let mut escaped = false;
        let mut started = false;
        loop {
            let buf = self.fill()?;
            if buf.is_empty() {
                if scalar && started {
                    return Ok(());
                }
                return Err(self.invalid("the document ends early (truncated?)"));
            }
            let mut i = 0;
            let mut done = false;
            let mut mismatch = false;
            while i < buf.len() {
                let b = buf[i];
                if scalar {
                    if matches!(b, b',' | b']' | b'}') || b.is_ascii_whitespace() {
                        done = true;
                        break;
                    }
                    i += 1;
                    continue;
                }
                i += 1;
                if in_string {
                    if escaped {
                        escaped = false;
                        continue;
                    }
                    match b {
                        b'\\' => escaped = true,
                        b'"' => {
                            in_string = false;
                            if stack.is_empty() {
                                done = true;
                                break;
                            }
                        }
                        // Jump to the next quote or backslash (most bytes are string text).
                        _ => match memchr::memchr2(b'"', b'\\', &buf[i..]) {
                            Some(skip) => i += skip,
                            None => i = buf.len(),
                        },
                    }
                    continue;
                }
                match b {
                    b'"' => in_string = true,
                    b'{' => stack.push(b'}'),
                    b'[' => stack.push(b']'),
                    b'}' | b']' => {
                        if stack.pop() != Some(b) {
                            mismatch = true;
                            break;
                        }
                        if stack.is_empty() {
                            done = true;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            started = true;
            if let Some(out) = out.as_deref_mut() {
                out.extend_from_slice(&buf[..i]);
            }
            self.advance(i);
            if mismatch {
                return Err(self.invalid("mismatched bracket"));
            }
            if done {
                return Ok(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(doc: &str) -> Result<(Vec<String>, Split), String> {
        let mut got = Vec::new();
        // A tiny buffer so values cross buffer boundaries.
        let reader = std::io::BufReader::with_capacity(3, doc.as_bytes());
        let result = for_each_element(reader, &mut |bytes| {
            got.push(String::from_utf8(bytes.to_vec()).unwrap());
            Ok(true)
        });
        match result {
            Ok(s) => Ok((got, s)),
            Err(SplitError::Invalid(m)) => Err(m),
            Err(SplitError::Stopped) => Err("stopped".into()),
        }
    }

    #[test]
    fn elements_come_out_as_written() {
        let doc = r#" {"meta": {"a": [1, "]}"]}, "responses" : [ {"v": "x\"}"}, {"w": [ {}, 2.5e3, -1, true, null ]} ], "n": 2 } "#;
        let (got, s) = split(doc).unwrap();
        assert_eq!(
            got,
            vec![
                r#"{"v": "x\"}"}"#,
                r#"{"w": [ {}, 2.5e3, -1, true, null ]}"#
            ]
        );
        assert_eq!(
            s,
            Split {
                elements: 2,
                found: true
            }
        );
        assert_eq!(split(r#"{"responses": []}"#).unwrap().1.elements, 0);
        assert!(!split(r#"{}"#).unwrap().1.found);
        assert!(!split(r#"{"other": 1}"#).unwrap().1.found);
    }

    #[test]
    fn broken_structure_is_reported_with_its_offset() {
        for (doc, needle) in [
            (r#"{"responses": [{"a": 1}, {"b": 2"#, "ends early"),
            (r#"{"responses": [{"a": 1]}"#, "mismatched"),
            (r#"{"responses": [{"a": "open}]}"#, "ends early"),
            (
                r#"{"responses": [{"a": 1} {"b": 2}]}"#,
                "expected ',' or ']'",
            ),
            (r#"{"responses": [{"a": 1}]} x"#, "after the document"),
            (r#"{"responses" [1]}"#, "expected ':'"),
            (r#"[{"a": 1}]"#, "to be an object"),
            (r#"{"responses": {"a": 1}}"#, "to be an array"),
            (r#"{"x": @}"#, "unexpected character"),
            ("", "to be an object"),
        ] {
            let err = split(doc).unwrap_err();
            assert!(err.contains(needle), "{doc:?}: {err}");
            assert!(err.contains("at byte"), "{doc:?}: {err}");
        }
    }

    #[test]
    fn the_sink_can_stop_and_fail() {
        let doc = r#"{"responses": [1, 2, 3]}"#;
        let mut seen = 0;
        let r = for_each_element(doc.as_bytes(), &mut |_| {
            seen += 1;
            Ok(seen < 2)
        });
        assert!(matches!(r, Err(SplitError::Stopped)));
        assert_eq!(seen, 2);
        let r = for_each_element(doc.as_bytes(), &mut |_| Err("is not a response".into()));
        match r {
            Err(SplitError::Invalid(m)) => assert!(m.starts_with("response 1 "), "{m}"),
            other => panic!("{other:?}"),
        }
    }
}
