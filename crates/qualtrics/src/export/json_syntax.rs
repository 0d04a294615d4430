//! A JSON syntax checker over a byte slice that may end mid-value.
//!
//! Contract: [`Cursor`] walks one JSON value at a time through a slice and checks it in full
//! (RFC 8259): objects and arrays nested at most [`MAX_DEPTH`] deep, strings closed with
//! valid escapes (`\uXXXX` surrogates paired) and no raw control characters
//! ([`super::json_string`]), numbers in JSON's grammar, the three literals. It never
//! allocates. Reaching the end of the slice inside a value is [`Syntax::Incomplete`], not an
//! error, so a streaming caller can read more bytes and start the value again; anything
//! else wrong is [`Syntax::Invalid`] with the index where it was seen. UTF-8 is not checked
//! here: the caller checks each value's bytes once (`std::str::from_utf8`), which is faster
//! over a whole element than byte by byte.
//!
//! Why it looks the way it does (each measured on a 1M-response export): one loop over a
//! local index with a bit stack of open containers instead of a call per nested value; the
//! expected byte tested before whitespace is considered (exports carry none); a plain
//! integer before `,`, `]` or `}` taken without the whole number grammar; array items that
//! are single digits (the choice codes of `displayedValues`) taken four `d,` to a word. The
//! shortcuts accept and reject exactly what the full rules do (`json_syntax_tests.rs`).

use super::json_string::string_end;

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
        self.i = skip_whitespace(self.s, self.i)?;
        Ok(self.s[self.i])
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
    ///
    /// One loop with the open containers as a bit stack (no recursion), over a local index
    /// with each expected byte tested before whitespace is considered (exports have none):
    /// the per-value cost of calls and bookkeeping was most of the time spent on the small
    /// numbers and short arrays an export is made of.
    pub(crate) fn value(&mut self, depth: usize) -> Result<(), Syntax> {
        let s = self.s;
        let mut i = self.i;
        // Bit k: whether the k-th container opened by this call is an object. At most
        // `MAX_DEPTH` (128) are open, so a `u128` holds them all.
        let mut objects = 0u128;
        let mut open = 0usize;
        // Whether the innermost open container is an object (bit `open - 1`, kept apart
        // so an item does not cost a variable `u128` shift).
        let mut object = false;
        loop {
            // A value is due at `i`.
            let Some(&b) = s.get(i) else {
                return Err(Syntax::Incomplete);
            };
            match b {
                b'"' => i = string_end(s, i)?,
                b'0'..=b'9' if open > 0 && !object => {
                    // Items of an array: four `digit,` a word (the lists of choice codes
                    // in `displayedValues`), then the next item is due.
                    let run = single_digit_items(s, i);
                    if run > 0 {
                        i += run;
                        continue;
                    }
                    i = number_end(s, i)?;
                }
                b'0'..=b'9' | b'-' => i = number_end(s, i)?,
                b'{' | b'[' => {
                    if depth + open >= MAX_DEPTH {
                        return Err(Syntax::Invalid("values nested too deeply", i));
                    }
                    i = skip_whitespace(s, i + 1)?;
                    // `}` and `]` are two code points after `{` and `[`.
                    if s[i] == b + 2 {
                        i += 1;
                    } else {
                        object = b == b'{';
                        objects = objects & !(1 << open) | u128::from(object) << open;
                        open += 1;
                        if object {
                            i = member_name_end(s, i)?;
                        }
                        continue;
                    }
                }
                b't' => i = literal_end(s, i, b"true")?,
                b'f' => i = literal_end(s, i, b"false")?,
                b'n' => i = literal_end(s, i, b"null")?,
                b' ' | b'\n' | b'\r' | b'\t' => {
                    i = skip_whitespace(s, i)?;
                    continue;
                }
                _ => return Err(Syntax::Invalid("expected a value", i)),
            }
            // A value ended: close containers until one has another item.
            loop {
                if open == 0 {
                    self.i = i;
                    return Ok(());
                }
                let Some(&b) = s.get(i) else {
                    return Err(Syntax::Incomplete);
                };
                match b {
                    b',' => {
                        i += 1;
                        if object {
                            i = member_name_end(s, i)?;
                        }
                        break;
                    }
                    b'}' if object => {}
                    b']' if !object => {}
                    b' ' | b'\n' | b'\r' | b'\t' => {
                        i = skip_whitespace(s, i)?;
                        continue;
                    }
                    _ if object => {
                        return Err(Syntax::Invalid("expected ',' or '}' after a member", i))
                    }
                    _ => return Err(Syntax::Invalid("expected ',' or ']' after an item", i)),
                }
                i += 1;
                open -= 1;
                object = open > 0 && objects >> (open - 1) & 1 == 1;
            }
        }
    }
}

/// The index of the first non-whitespace byte at or after `i`.
#[inline]
fn skip_whitespace(s: &[u8], mut i: usize) -> Result<usize, Syntax> {
    while let Some(&b) = s.get(i) {
        if !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
            return Ok(i);
        }
        i += 1;
    }
    Err(Syntax::Incomplete)
}

/// The index after the member name at or after `i` and its `:`.
#[inline(always)]
fn member_name_end(s: &[u8], mut i: usize) -> Result<usize, Syntax> {
    if s.get(i) != Some(&b'"') {
        i = skip_whitespace(s, i)?;
        if s[i] != b'"' {
            return Err(Syntax::Invalid("expected a member name", i));
        }
    }
    i = string_end(s, i)?;
    if s.get(i) != Some(&b':') {
        i = skip_whitespace(s, i)?;
        if s[i] != b':' {
            return Err(Syntax::Invalid("expected ':' after a member name", i));
        }
    }
    Ok(i + 1)
}

/// The index after the number at `i`. A plain integer followed by `,`, `]` or `}` (most
/// numbers of an export: codes, counts, indices) is taken without the full grammar.
#[inline(always)]
fn number_end(s: &[u8], start: usize) -> Result<usize, Syntax> {
    let mut i = start;
    match s[i] {
        b'0' => i += 1,
        b'1'..=b'9' => {
            i += 1;
            while s.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
        _ => return full_number_end(s, start),
    }
    if matches!(s.get(i), Some(b',' | b']' | b'}')) {
        Ok(i)
    } else {
        full_number_end(s, start)
    }
}

/// The index after the number at `i`, in JSON's whole grammar.
#[inline(never)]
fn full_number_end(s: &[u8], mut i: usize) -> Result<usize, Syntax> {
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
    Ok(i)
}

/// The index after `word` (`true`, `false`, `null`) at `i`.
fn literal_end(s: &[u8], i: usize, word: &'static [u8]) -> Result<usize, Syntax> {
    let rest = &s[i..];
    let n = rest.len().min(word.len());
    if rest[..n] != word[..n] {
        return Err(Syntax::Invalid("expected a value", i));
    }
    if n < word.len() || rest.len() == n {
        return Err(Syntax::Incomplete);
    }
    if rest[n].is_ascii_alphanumeric() {
        return Err(Syntax::Invalid("expected a value", i + n));
    }
    Ok(i + n)
}

/// How many bytes from `i` are whole runs of four `digit,` (single-digit array items, each
/// followed by its comma), checked a word at a time: a multiple of 8, 0 when none.
#[inline]
fn single_digit_items(s: &[u8], mut i: usize) -> usize {
    const COMMAS: u64 = 0x2C00_2C00_2C00_2C00;
    const ODD: u64 = 0xFF00_FF00_FF00_FF00;
    const EVEN_HIGH: u64 = 0x0080_0080_0080_0080;
    let start = i;
    while let Some(chunk) = s.get(i..i + 8) {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        // Bytes 1, 3, 5, 7 are commas; bytes 0, 2, 4, 6 xor '0' (0x30..=0x39 are the only
        // bytes it maps below 10) are below 10, which is when adding 0x76 leaves their high
        // bit clear (a carry lands in a comma's masked-out byte, never in the next digit).
        let digits = (word & !ODD) ^ 0x0030_0030_0030_0030;
        if word & ODD != COMMAS || ((digits + 0x0076_0076_0076_0076) | digits) & EVEN_HIGH != 0 {
            break;
        }
        i += 8;
    }
    i - start
}

#[cfg(test)]
#[path = "json_syntax_tests.rs"]
mod tests;
