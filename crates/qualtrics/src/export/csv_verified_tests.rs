//! Tests of the verified delimited delivery: the record starts the first pass notes are
//! record starts, and rows parsed segment by segment on several threads are the rows of
//! one sequential parse, in order.

use std::io::{self, Seek, SeekFrom, Write};

use super::super::csv::tests::{generated, Rng};
use super::super::csv_rows::parse_delimited;
use super::*;

fn records(reader: &mut CsvReader<impl Read>) -> Vec<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    while reader.next_record().unwrap() {
        out.push(reader.fields().map(<[u8]>::to_vec).collect());
    }
    out
}

fn temp_with(text: &[u8]) -> File {
    let mut file = tempfile::tempfile().unwrap();
    file.write_all(text).unwrap();
    file
}

/// Reading from any noted record start gives the records a reading from the start gives
/// from there on (generated text with quoted delimiters, quotes and newlines), whatever
/// the pieces the text comes in.
#[test]
fn noted_record_starts_are_where_records_start() {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    for case in 0..300 {
        let text = generated(&mut rng);
        let file = temp_with(&text);
        let all = records(&mut CsvReader::new(&text[..], b','));
        for piece in [1, 2, 3, 7, 64] {
            let mut src = io::BufReader::with_capacity(piece, &text[..]);
            let scanned = scan(&mut src, b',', None, 1).unwrap();
            assert_eq!(scanned.len, text.len() as u64);
            for &start in &scanned.record_starts {
                let at = At {
                    file: &file,
                    pos: start,
                    end: scanned.len,
                };
                let rest = records(&mut CsvReader::continuing(at, b','));
                assert!(
                    !rest.is_empty() || start == scanned.len,
                    "case {case}: nothing read from {start}"
                );
                assert_eq!(
                    rest[..],
                    all[all.len() - rest.len()..],
                    "case {case}, pieces of {piece}, from {start}: {:?}",
                    String::from_utf8_lossy(&text)
                );
            }
        }
    }
}

/// A Qualtrics-shaped export (BOM, three header rows) whose rows have quoted cells with
/// delimiters, doubled quotes and newlines, blank lines, invalid UTF-8 and a byte order
/// mark at the start of a row.
fn export_text(rows: usize) -> Vec<u8> {
    let mut text = "\u{feff}ResponseId,Q1,Q2\r\nResponse ID,Q one,\"Q, two\"\r\n\
        \"{\"\"ImportId\"\":\"\"_recordId\"\"}\",\"{\"\"ImportId\"\":\"\"QID1\"\"}\",\
        \"{\"\"ImportId\"\":\"\"QID2_TEXT\"\"}\"\r\n"
        .as_bytes()
        .to_vec();
    for i in 0..rows {
        let row = match i % 6 {
            0 => format!("R_{i},\"a, \"\"b\"\"\r\nc\",x\\y\r\n"),
            1 => format!("R_{i},,\r\n\r\n"),
            2 => format!("\u{feff}R_{i},é,\"\"\r\n"),
            3 => format!("R_{i},\"\n\",plain\n"),
            _ => format!("R_{i},{i},text {i}\r\n"),
        };
        text.extend_from_slice(row.as_bytes());
        if i % 50 == 0 {
            text.extend_from_slice(b"R_bad,caf\xe9,\r\n");
        }
    }
    text
}

fn delivered(text: &File, scanned: &Scanned) -> Vec<(String, String)> {
    let mut got = Vec::new();
    let n = deliver(text, scanned, b',', &mut |r| {
        got.push((r.response_id.clone(), r.values_json().to_string()));
        true
    })
    .unwrap();
    assert_eq!(n as usize, got.len());
    got
}

#[test]
fn rows_parsed_in_segments_are_the_rows_of_one_parse_in_order() {
    let text = export_text(3_000);
    let mut want = Vec::new();
    parse_delimited(&text[..], b',', &mut |r| {
        want.push((r.response_id.clone(), r.values_json().to_string()));
        true
    })
    .unwrap();
    assert_eq!(want.len(), 3_000 + 60);
    assert_eq!(want[3].0, "\u{feff}R_2");
    let file = temp_with(&text);
    for segment in [1, 100, 4096, 1 << 20] {
        let mut src = io::BufReader::with_capacity(1000, &text[..]);
        let scanned = scan(&mut src, b',', None, segment).unwrap();
        if segment < 4096 {
            assert!(scanned.record_starts.len() > 50, "{segment}");
        }
        assert_eq!(delivered(&file, &scanned), want, "segments of {segment}");
    }
}

#[test]
fn the_first_pass_copies_the_text_to_the_spill_file() {
    let text = export_text(500);
    let mut spill = tempfile::tempfile().unwrap();
    let mut src = io::BufReader::with_capacity(333, &text[..]);
    let scanned = scan(&mut src, b',', Some(&mut spill), 64).unwrap();
    spill.seek(SeekFrom::Start(0)).unwrap();
    let mut copy = Vec::new();
    spill.read_to_end(&mut copy).unwrap();
    assert_eq!(copy, text);
    assert_eq!(delivered(&spill, &scanned).len(), 510);
}

#[test]
fn a_sink_that_stops_stops_the_workers() {
    let text = export_text(3_000);
    let file = temp_with(&text);
    let scanned = scan(&mut &text[..], b',', None, 100).unwrap();
    let mut seen = 0;
    let stopped = deliver(&file, &scanned, b',', &mut |_| {
        seen += 1;
        seen < 700
    });
    assert!(matches!(stopped, Err(ParseError::Stopped)));
    assert_eq!(seen, 700);
}

#[test]
fn broken_text_fails_the_first_pass() {
    let mut text = export_text(100);
    text.extend_from_slice(b"R_x,\"never closed\r\n");
    let err = scan(&mut &text[..], b',', None, 100).unwrap_err();
    assert!(
        matches!(&err, ParseError::Invalid(m) if m.contains("unterminated quoted field")),
        "{err:?}"
    );
    assert!(matches!(
        scan(&mut &b""[..], b',', None, 100),
        Err(ParseError::Invalid(_))
    ));
}
