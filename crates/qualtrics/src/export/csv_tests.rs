//! Tests of the CSV reader and the quote check: buffer boundaries, byte order marks, broken
//! quoting, and a differential test against the `csv` crate on generated text.

use std::io;

use super::super::csv_check::check_quotes;
use super::*;

/// Every record of `text` read with buffers of `chunk` bytes.
fn records(text: &[u8], chunk: usize) -> io::Result<Vec<Vec<Vec<u8>>>> {
    let mut reader = CsvReader::with_chunk(text, b',', chunk);
    let mut out = Vec::new();
    while reader.next_record()? {
        out.push(reader.fields().map(<[u8]>::to_vec).collect());
    }
    Ok(out)
}

fn strings(text: &str, chunk: usize) -> Vec<Vec<String>> {
    records(text.as_bytes(), chunk)
        .unwrap()
        .into_iter()
        .map(|r| {
            r.into_iter()
                .map(|f| String::from_utf8(f).unwrap())
                .collect()
        })
        .collect()
}

/// Quotes, doubled quotes, delimiters and newlines inside quotes, CRLF, a `\r` inside
/// quotes, text after a closing quote and a last line without newline read the same
/// whatever the buffer size (records and quoted fields cut anywhere).
#[test]
fn records_read_the_same_across_buffer_boundaries() {
    let text = "a,\"b,\"\"x\"\"\",c\r\n\"multi\nline\",,\"\"\r\n\"cr\r\n\r\"\r\nlast,\"q\"tail,end";
    let want = vec![
        vec!["a", "b,\"x\"", "c"],
        vec!["multi\nline", "", ""],
        vec!["cr\r\n\r"],
        vec!["last", "qtail", "end"],
    ];
    for chunk in [1, 2, 3, 4, 5, 7, 11, 64, CHUNK] {
        assert_eq!(strings(text, chunk), want, "buffer of {chunk} bytes");
    }
}

#[test]
fn a_byte_order_mark_is_skipped_even_before_a_quoted_field() {
    for chunk in [1, 2, 3, 64] {
        let got = strings("\u{feff}\"Start,Date\",b\r\n1,2\r\n", chunk);
        assert_eq!(got, vec![vec!["Start,Date", "b"], vec!["1", "2"]]);
    }
    assert!(records(b"\xEF\xBB\xBF", 64).unwrap().is_empty());
    for chunk in [1, 2, 64] {
        let bom_then_quote = io::BufReader::with_capacity(chunk, &b"\xEF\xBB\xBF\"a\n,b\""[..]);
        assert!(check_quotes(bom_then_quote, b',').unwrap(), "{chunk}");
    }
    // Only at the very start of the input.
    assert_eq!(
        strings("a\n\u{feff}b\n", 64),
        vec![vec!["a"], vec!["\u{feff}b"]]
    );
}

#[test]
fn unterminated_quotes_are_an_error_for_the_reader_and_the_check() {
    for text in ["\"never closed", "a,b\n\"x\"\"", "a,\"b\n"] {
        for chunk in [1, 3, 64] {
            assert!(records(text.as_bytes(), chunk).is_err(), "{text:?}");
        }
        for chunk in [1, 2, 3, 64] {
            let chunked = io::BufReader::with_capacity(chunk, text.as_bytes());
            assert!(check_quotes(chunked, b',').is_err(), "{text:?}, {chunk}");
        }
    }
    // A quote inside an unquoted field is text, not an opening quote.
    assert!(check_quotes(&b"a\"b,c\nd\"\n"[..], b',').is_ok());
    assert_eq!(strings("a\"b,c\n", 64), vec![vec!["a\"b", "c"]]);
    assert!(!check_quotes(&b""[..], b',').unwrap());
    assert!(!check_quotes(&b"\xEF\xBB\xBF"[..], b',').unwrap());
}

#[test]
fn records_say_whether_they_are_utf8_and_plain() {
    let mut reader = CsvReader::new(
        &b"caf\xc3\xa9,x\ncaf\xe9,y\n\"q\"\"\",z\na\\b,c\n"[..],
        b',',
    );
    let mut seen = Vec::new();
    while reader.next_record().unwrap() {
        let text = reader
            .text_fields()
            .map(|f| f.collect::<Vec<_>>().join("|"));
        seen.push((text, reader.is_plain()));
    }
    assert_eq!(
        seen,
        vec![
            (Some("café|x".to_string()), true),
            (None, true),
            (Some("q\"|z".to_string()), false),
            (Some("a\\b|c".to_string()), false),
        ]
    );
}

/// A small deterministic generator (xorshift), so failures reproduce.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Random RFC 4180 text: fields quoted when they must be (and sometimes when not),
/// with commas, quotes, CR, LF and non-ASCII inside; `\n` or `\r\n` line ends; the last
/// record with or without one. No empty lines (the `csv` crate skips them).
pub(crate) fn generated(rng: &mut Rng) -> Vec<u8> {
    const PIECES: [&str; 9] = ["a", "Ünï", "é", ",", "\"", "\n", "\r\n", " ", "7"];
    let mut text = Vec::new();
    let records = 1 + rng.below(20);
    for r in 0..records {
        let fields = 1 + rng.below(6);
        for f in 0..fields {
            if f > 0 {
                text.push(b',');
            }
            let mut value = String::new();
            for _ in 0..rng.below(8) {
                value.push_str(PIECES[rng.below(PIECES.len() as u64) as usize]);
            }
            let special = value.contains([',', '"', '\n', '\r']);
            if special || rng.below(4) == 0 || (fields == 1 && value.is_empty()) {
                text.push(b'"');
                text.extend_from_slice(value.replace('"', "\"\"").as_bytes());
                text.push(b'"');
            } else {
                text.extend_from_slice(value.as_bytes());
            }
        }
        if r + 1 < records || rng.below(2) == 0 {
            text.extend_from_slice(if rng.below(2) == 0 { b"\n" } else { b"\r\n" });
        }
    }
    text
}

/// The reader gives the records the `csv` crate gives, for any buffer size, and the
/// quote check accepts the text; cut short inside a quoted field, both fail.
#[test]
fn generated_text_reads_like_the_csv_crate() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for case in 0..400 {
        let text = generated(&mut rng);
        let mut reference = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(&text[..]);
        let want: Vec<Vec<Vec<u8>>> = reference
            .byte_records()
            .map(|r| r.unwrap().iter().map(<[u8]>::to_vec).collect())
            .collect();
        for chunk in [1, 2, 3, 5, 8, 13, 64, CHUNK] {
            let chunked = io::BufReader::with_capacity(chunk, &text[..]);
            assert!(
                check_quotes(chunked, b',').unwrap(),
                "case {case}, {chunk} bytes"
            );
            let got = records(&text, chunk).unwrap();
            assert_eq!(
                got,
                want,
                "case {case}, buffer of {chunk} bytes, text {:?}",
                String::from_utf8_lossy(&text)
            );
        }
        assert!(check_quotes(&text[..], b',').unwrap(), "case {case}");
        // Cut right after an opening quote: unterminated for both.
        if let Some(open) = (0..text.len())
            .find(|&i| text[i] == b'"' && (i == 0 || text[i - 1] == b',' || text[i - 1] == b'\n'))
        {
            let cut = &text[..=open];
            assert!(records(cut, 3).is_err(), "case {case}");
            for chunk in [1, 2, 64] {
                let chunked = io::BufReader::with_capacity(chunk, cut);
                assert!(check_quotes(chunked, b',').is_err(), "case {case}, {chunk}");
            }
        }
    }
}

/// A reader restarted on a new source (a worker's next segment) reads it like a fresh
/// reader, whatever the last source left in the buffer: a record cut short, a grown buffer.
#[test]
fn a_restarted_reader_reads_the_new_source_only() {
    // A record longer than the chunk (the buffer grows), then one cut short.
    let first = format!("{},x\nc,\"d", "y".repeat(50));
    let mut reader = CsvReader::with_chunk(first.as_bytes(), b',', 8);
    assert!(reader.next_record().unwrap());
    for text in [&b"\"e\"\"\",f\r\ng"[..], b"", b"h\n\n"] {
        reader.restart(text);
        let mut got = Vec::new();
        while reader.next_record().unwrap() {
            got.push(reader.to_strings());
        }
        let mut fresh = CsvReader::continuing(text, b',');
        let mut want = Vec::new();
        while fresh.next_record().unwrap() {
            want.push(fresh.to_strings());
        }
        assert_eq!(got, want, "{:?}", String::from_utf8_lossy(text));
    }
    assert_eq!(reader.offset(), 3);
}
