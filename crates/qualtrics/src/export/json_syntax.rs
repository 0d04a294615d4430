//! A JSON syntax checker over a byte slice that may end mid-value.
//!
//! Contract: [`Cursor`] walks one JSON value at a time through a slice and checks it in full
//! (RFC 8259): objects and arrays nested at most [`MAX_DEPTH`] deep, strings closed with
//! valid escapes (`\uXXXX` surrogates paired) and no raw control characters, numbers in JSON's
//! grammar, the three literals. It never allocates. Reaching the end of the slice inside a
//! value is [`Syntax::Incomplete`], not an error, so a streaming caller can read more bytes
//! and start the value again; anything else wrong is [`Syntax::Invalid`] with the index
//! where it was seen. UTF-8 is not checked here: the caller checks each value's bytes once
//! (`std::str::from_utf8`), which is faster over a whole element than byte by byte.

/// Deepest nesting accepted (`serde_json`'s own recursion limit).
pub(crate) const MAX_DEPTH: usize = 128;

/// Why a value could not be read from the slice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Syntax {
    /// The slice ended inside the value: read more and try again.
    Incomplete,
    /// The bytes are not JSON: what was expected, and the index in the slice.
    Invalid(&'static str, usize),
}

/// Bytes that end the fast run inside a string: the quote, the backslash, control characters.
static STRING_STOP: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = true;
        i += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

/// A position in a slice of JSON text.
pub(crate) struct Cursor<'a> {
    pub(crate) s: &'a [u8],
    pub(crate) i: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(s: &'a [u8], i: usize) -> Cursor<'a> {
        Cursor { s, i }
    }

    fn invalid<T>(&self, what: &'static str) -> Result<T, Syntax> {
        Err(Syntax::Invalid(what, self.i))
    }

    /// Skips whitespace; returns the next byte (not consumed).
    #[inline]
    pub(crate) fn peek(&mut self) -> Result<u8, Syntax> {
        while let Some(&b) = self.s.get(self.i) {
            if !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                return Ok(b);
            }
            self.i += 1;
        }
        Err(Syntax::Incomplete)
    }

    /// Skips whitespace and consumes `byte`, or fails with `what`.
    #[inline]
    pub(crate) fn expect(&mut self, byte: u8, what: &'static str) -> Result<(), Syntax> {
        if self.peek()? == byte {
            self.i += 1;
            Ok(())
        } else {
            self.invalid(what)
        }
    }

    /// After a member or an item: `,` (`false`, more follow) or `close` (`true`, done).
    #[inline]
    pub(crate) fn separator(&mut self, close: u8, what: &'static str) -> Result<bool, Syntax> {
        let b = self.peek()?;
        self.i += 1;
        if b == b',' {
            Ok(false)
        } else if b == close {
            Ok(true)
        } else {
            self.i -= 1;
            self.invalid(what)
        }
    }

    /// Checks one value starting at the next non-whitespace byte, `depth` levels deep.
    pub(crate) fn value(&mut self, depth: usize) -> Result<(), Syntax> {
        match self.peek()? {
            b'"' => self.string().map(|_| ()),
            b'{' => self.container(depth + 1, b'}'),
            b'[' => self.container(depth + 1, b']'),
            b'-' | b'0'..=b'9' => self.number(),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            _ => self.invalid("expected a value"),
        }
    }

    /// An object (`close` = `}`) or an array (`]`) at the cursor, on its opening bracket.
    fn container(&mut self, depth: usize, close: u8) -> Result<(), Syntax> {
        if depth > MAX_DEPTH {
            return self.invalid("values nested too deeply");
        }
        let object = close == b'}';
        self.i += 1;
        if self.peek()? == close {
            self.i += 1;
            return Ok(());
        }
        loop {
            if object {
                if self.peek()? != b'"' {
                    return self.invalid("expected a member name");
                }
                self.string()?;
                self.expect(b':', "expected ':' after a member name")?;
            }
            self.value(depth)?;
            let after = if object {
                "expected ',' or '}' after a member"
            } else {
                "expected ',' or ']' after an item"
            };
            if self.separator(close, after)? {
                return Ok(());
            }
        }
    }

    /// A string at the cursor (on its opening quote); leaves the cursor after the closing one.
    /// Returns whether it held an escape.
    pub(crate) fn string(&mut self) -> Result<bool, Syntax> {
        let s = self.s;
        let mut i = self.i + 1;
        let mut escaped = false;
        loop {
            while i < s.len() && !STRING_STOP[s[i] as usize] {
                i += 1;
            }
            let Some(&b) = s.get(i) else {
                return Err(Syntax::Incomplete);
            };
            match b {
                b'"' => {
                    self.i = i + 1;
                    return Ok(escaped);
                }
                b'\\' => {
                    escaped = true;
                    i = self.escape(i)?;
                }
                _ => return Err(Syntax::Invalid("control character in a string", i)),
            }
        }
    }

    /// The escape at `at` (its backslash); returns the index after it.
    fn escape(&self, at: usize) -> Result<usize, Syntax> {
        let s = self.s;
        let Some(&kind) = s.get(at + 1) else {
            return Err(Syntax::Incomplete);
        };
        match kind {
            b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Ok(at + 2),
            b'u' => {
                let unit = hex4(s, at + 2)?;
                if (0xDC00..0xE000).contains(&unit) {
                    return Err(Syntax::Invalid("lone low surrogate in a \\u escape", at));
                }
                if !(0xD800..0xDC00).contains(&unit) {
                    return Ok(at + 6);
                }
                // A high surrogate must be followed by an escaped low one.
                match (s.get(at + 6), s.get(at + 7)) {
                    (Some(b'\\'), Some(b'u')) => {}
                    (None, _) | (Some(b'\\'), None) => return Err(Syntax::Incomplete),
                    _ => return Err(Syntax::Invalid("lone high surrogate in a \\u escape", at)),
                }
                let low = hex4(s, at + 8)?;
                if (0xDC00..0xE000).contains(&low) {
                    Ok(at + 12)
                } else {
                    Err(Syntax::Invalid("lone high surrogate in a \\u escape", at))
                }
            }
            _ => Err(Syntax::Invalid("invalid escape in a string", at)),
        }
    }

    fn number(&mut self) -> Result<(), Syntax> {
        let s = self.s;
        let mut i = self.i;
        let digits = |mut i: usize| -> Result<(usize, usize), Syntax> {
            let start = i;
            while i < s.len() && s[i].is_ascii_digit() {
                i += 1;
            }
            if i == s.len() {
                return Err(Syntax::Incomplete);
            }
            Ok((i, i - start))
        };
        if s[i] == b'-' {
            i += 1;
        }
        match s.get(i) {
            None => return Err(Syntax::Incomplete),
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => i = digits(i)?.0,
            Some(_) => return Err(Syntax::Invalid("expected a digit in a number", i)),
        }
        if i == s.len() {
            return Err(Syntax::Incomplete);
        }
        if s[i] == b'.' {
            let (next, n) = digits(i + 1)?;
            if n == 0 {
                return Err(Syntax::Invalid(
                    "expected a digit after '.' in a number",
                    next,
                ));
            }
            i = next;
        }
        if matches!(s[i], b'e' | b'E') {
            i += 1;
            match s.get(i) {
                None => return Err(Syntax::Incomplete),
                Some(b'+' | b'-') => i += 1,
                Some(_) => {}
            }
            let (next, n) = digits(i)?;
            if n == 0 {
                return Err(Syntax::Invalid("expected a digit in an exponent", next));
            }
            i = next;
        }
        // A number runs into its terminator; a letter or a second '-' is not JSON.
        if s[i].is_ascii_alphanumeric() || matches!(s[i], b'.' | b'-' | b'+') {
            return Err(Syntax::Invalid("invalid number", i));
        }
        self.i = i;
        Ok(())
    }

    fn literal(&mut self, word: &'static [u8]) -> Result<(), Syntax> {
        let rest = &self.s[self.i..];
        let n = rest.len().min(word.len());
        if rest[..n] != word[..n] {
            return self.invalid("expected a value");
        }
        if n < word.len() || rest.len() == n {
            return Err(Syntax::Incomplete);
        }
        if rest[n].is_ascii_alphanumeric() {
            return Err(Syntax::Invalid("expected a value", self.i + n));
        }
        self.i += n;
        Ok(())
    }
}

/// Four hex digits at `at` as a UTF-16 unit.
fn hex4(s: &[u8], at: usize) -> Result<u32, Syntax> {
    let Some(digits) = s.get(at..at + 4) else {
        // Fewer than four bytes left: incomplete unless one of them is already wrong.
        return match s[at.min(s.len())..]
            .iter()
            .position(|b| !b.is_ascii_hexdigit())
        {
            Some(bad) => Err(Syntax::Invalid("invalid \\u escape", at + bad)),
            None => Err(Syntax::Incomplete),
        };
    };
    let mut unit = 0u32;
    for (k, &b) in digits.iter().enumerate() {
        let d = (b as char)
            .to_digit(16)
            .ok_or(Syntax::Invalid("invalid \\u escape", at + k))?;
        unit = unit << 4 | d;
    }
    Ok(unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks `text` followed by `,`, as inside an array.
    fn check(text: &str) -> Result<usize, Syntax> {
        let with_end = format!("{text},");
        let mut c = Cursor::new(with_end.as_bytes(), 0);
        c.value(0).map(|()| c.i)
    }

    #[test]
    fn accepts_what_serde_json_accepts() {
        for text in [
            r#"{"a": [1, -2.5e+3, 0, 0.25, 1E9, true, false, null, "x\"\\\/\b\f\n\r\t\u00e9"]}"#,
            r#"{}"#,
            r#"[]"#,
            r#"" \ud83d\ude00 ""#,
            r#"{"nested": {"deep": [[[{}]]]}, "é": "ü"}"#,
            "-0",
            "  7",
        ] {
            assert!(
                serde_json::from_str::<serde_json::Value>(text).is_ok(),
                "{text}"
            );
            assert_eq!(check(text), Ok(text.len()), "{text}");
        }
    }

    #[test]
    fn rejects_what_serde_json_rejects() {
        for text in [
            "01",
            "1.",
            "1e",
            "-",
            "1x",
            "+1",
            ".5",
            "tru",
            "nul ",
            "truex",
            r#""a\x""#,
            r#""\u12G4""#,
            r#""\ud83d""#,
            r#""\ude00""#,
            "\"tab\there\"",
            r#"{"a" 1}"#,
            r#"{"a": 1,}"#,
            r#"[1 2]"#,
            r#"{1: 2}"#,
            r#"[,]"#,
        ] {
            assert!(
                serde_json::from_str::<serde_json::Value>(text).is_err(),
                "serde accepts {text}"
            );
            assert!(
                matches!(check(text), Err(Syntax::Invalid(..))),
                "{text}: {:?}",
                check(text)
            );
        }
    }

    #[test]
    fn every_cut_of_a_valid_value_is_incomplete() {
        let text =
            r#"{"a": [1, -2.5e+3, true, null, "x\"\u00e9 \ud83d\ude00"], "b": {"c": false}}"#;
        for cut in 0..text.len() {
            let mut c = Cursor::new(&text.as_bytes()[..cut], 0);
            assert_eq!(c.value(0), Err(Syntax::Incomplete), "cut at {cut}");
        }
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert!(matches!(
            check(&deep),
            Err(Syntax::Invalid("values nested too deeply", _))
        ));
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert_eq!(check(&ok), Ok(ok.len()));
    }
}
