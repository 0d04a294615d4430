//! JSON strings for [`super::json_syntax::Cursor`]: the body scanned eight bytes at a time.
//!
//! Contract: [`Cursor::string`] checks one string (RFC 8259) — closed, only valid escapes
//! (`\uXXXX` surrogates paired), no raw control characters — with the same answers, error
//! texts and indices as a byte-by-byte scan; the slice ending inside it is
//! [`Syntax::Incomplete`]. Bytes >= 0x80 are passed over: UTF-8 is checked by the caller,
//! once per response (`std::str::from_utf8`, itself word-at-a-time over ASCII).
//!
//! Why words: string bodies are most of an export's bytes and the per-byte table lookup was
//! the reader's hottest loop. A `u64` read with `from_le_bytes` (safe, the same on every
//! target) is tested for the three stop bytes at once with the usual zero-byte trick; only
//! the last fewer-than-eight bytes of the slice are scanned one by one.

use super::json_syntax::{Cursor, Syntax};

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Bytes that end a run of plain string bytes: the quote, the backslash, control characters.
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

/// The position (0..8, little-endian byte order) of the first quote, backslash or control
/// character in `word`, or 8 when it has none.
///
/// Each test sets the high bit of a byte that matches; a borrow can also set it in bytes
/// *after* a true match (never before one), so the lowest set bit is always exact.
#[inline]
fn first_stop(word: u64) -> u32 {
    let quote = word ^ (ONES * u64::from(b'"'));
    let backslash = word ^ (ONES * u64::from(b'\\'));
    let found = (quote.wrapping_sub(ONES) & !quote)
        | (backslash.wrapping_sub(ONES) & !backslash)
        // Below 0x20: subtracting 0x20 borrows out of the byte; `!word` drops bytes >= 0x80.
        | (word.wrapping_sub(ONES * 0x20) & !word);
    (found & HIGH).trailing_zeros() / 8
}

/// The index of the first stop byte at or after `i`, or `s.len()`. Always inlined: left to
/// itself the compiler called it for every string (15% of the reader's time, in a call).
#[inline(always)]
pub(crate) fn find_stop(s: &[u8], mut i: usize) -> usize {
    while let Some(chunk) = s.get(i..i + 8) {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        let k = first_stop(word) as usize;
        i += k;
        if k < 8 {
            return i;
        }
    }
    while i < s.len() && !STRING_STOP[s[i] as usize] {
        i += 1;
    }
    i
}

impl Cursor<'_> {
    /// A string at the cursor (on its opening quote); leaves the cursor after the closing one.
    /// Returns whether it held an escape.
    #[inline]
    pub(crate) fn string(&mut self) -> Result<bool, Syntax> {
        let at = find_stop(self.s, self.i + 1);
        let (end, escaped) = if self.s.get(at) == Some(&b'"') {
            (at + 1, false)
        } else {
            string_rest(self.s, at)?
        };
        self.i = end;
        Ok(escaped)
    }
}

/// The index after the string at `i` (on its opening quote). Small enough to inline into
/// every caller: a string without escapes is one scan and one test.
#[inline(always)]
pub(crate) fn string_end(s: &[u8], i: usize) -> Result<usize, Syntax> {
    let at = find_stop(s, i + 1);
    if s.get(at) == Some(&b'"') {
        Ok(at + 1)
    } else {
        string_rest(s, at).map(|(end, _)| end)
    }
}

/// The rest of a string from its first stop byte at `at`: the index after its closing
/// quote, and whether it held an escape.
#[inline(never)]
fn string_rest(s: &[u8], mut at: usize) -> Result<(usize, bool), Syntax> {
    let mut escaped = false;
    loop {
        match s.get(at) {
            None => return Err(Syntax::Incomplete),
            Some(b'"') => return Ok((at + 1, escaped)),
            Some(b'\\') => {
                escaped = true;
                at = find_stop(s, escape(s, at)?);
            }
            Some(_) => return Err(Syntax::Invalid("control character in a string", at)),
        }
    }
}

/// The escape at `at` (its backslash); returns the index after it.
#[cold]
fn escape(s: &[u8], at: usize) -> Result<usize, Syntax> {
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

    /// The byte-by-byte answer `find_stop` must give.
    fn slow_stop(s: &[u8], i: usize) -> usize {
        (i..s.len())
            .find(|&k| STRING_STOP[s[k] as usize])
            .unwrap_or(s.len())
    }

    #[test]
    fn every_byte_value_at_every_offset_of_a_word_is_found_like_byte_by_byte() {
        // A plain run long enough to cross 8-, 16- and 32-byte boundaries, with one byte
        // of every value at every position, seen from every start offset.
        for len in [1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 40] {
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut s = vec![b'a'; len];
                    s[at] = b;
                    for start in 0..=at {
                        assert_eq!(
                            find_stop(&s, start),
                            slow_stop(&s, start),
                            "byte {b:#04x} at {at} of {len}, from {start}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_borrow_never_hides_or_invents_a_stop() {
        // Bytes next to the stop values (0x1f/0x20, 0x21/0x22/0x23, 0x5b/0x5c/0x5d, 0x7f,
        // 0x80, 0xff) in every pair of positions: the first stop is where a scan finds it.
        let near = [
            0x00, 0x01, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x5b, 0x5c, 0x5d, 0x7f, 0x80, 0xa2, 0xdc,
            0xff,
        ];
        for a in near {
            for b in near {
                for p in 0..16 {
                    for q in 0..16 {
                        let mut s = [b'x'; 16];
                        s[p] = a;
                        s[q] = b;
                        assert_eq!(find_stop(&s, 0), slow_stop(&s, 0), "{s:02x?}");
                    }
                }
            }
        }
    }

    /// `text` as a string value: the cursor's answer, and the index it stopped at.
    fn read(text: &[u8]) -> (Result<bool, Syntax>, usize) {
        let mut c = Cursor::new(text, 0);
        let r = c.string();
        (r, c.i)
    }

    #[test]
    fn escapes_and_control_characters_at_every_offset_are_judged_like_serde_json() {
        let pieces: [&[u8]; 9] = [
            br#"\""#,
            br"\\",
            br"\n",
            br"\u00e9",
            br"\ud83d\ude00",
            "é".as_bytes(),
            b"\x01",
            br"\x",
            br"\ud83d",
        ];
        for piece in pieces {
            for pad in 0..40 {
                for tail in [0, 1, 8, 17] {
                    let mut text = b"\"".to_vec();
                    text.extend(std::iter::repeat_n(b'a', pad));
                    text.extend_from_slice(piece);
                    text.extend(std::iter::repeat_n(b'b', tail));
                    text.push(b'"');
                    let serde = serde_json::from_slice::<String>(&text).is_ok();
                    let (ours, end) = read(&text);
                    assert_eq!(ours.is_ok(), serde, "{}", String::from_utf8_lossy(&text));
                    if serde {
                        assert_eq!(end, text.len());
                        assert_eq!(ours, Ok(piece.starts_with(b"\\")));
                    }
                    // Every cut of a valid string is incomplete.
                    if serde {
                        for cut in 0..text.len() {
                            assert_eq!(read(&text[..cut]).0, Err(Syntax::Incomplete));
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_control_character_is_reported_where_it_is() {
        for at in 1..40 {
            let mut text = vec![b'z'; 45];
            text[0] = b'"';
            text[44] = b'"';
            text[at] = b'\t';
            assert_eq!(
                read(&text).0,
                Err(Syntax::Invalid("control character in a string", at))
            );
        }
    }
}
