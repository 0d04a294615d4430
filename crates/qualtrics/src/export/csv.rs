//! A streaming RFC 4180 record reader (quoted fields, doubled quotes, embedded newlines,
//! CRLF) and the mapping of Qualtrics' CSV/TSV exports to [`ExportedResponse`]s.
//!
//! Contract: Qualtrics CSV exports have three header rows (export tags, question texts,
//! `{"ImportId": ...}` cells); responses are keyed by ImportId (`startDate`, `QID1`, ...)
//! like JSON exports, with cell text as string values. Files with a single header row are
//! keyed by column name. Empty cells are left out.

use std::io::BufRead;

use serde_json::Value;

use crate::models::export::ExportedResponse;

/// One record's fields, unescaped, in one reused buffer (no allocation per field).
#[derive(Debug, Default)]
pub(crate) struct Record {
    data: Vec<u8>,
    /// End offset of each field in `data`.
    ends: Vec<usize>,
}

impl Record {
    /// The fields, in order.
    pub(crate) fn fields(&self) -> impl Iterator<Item = &[u8]> {
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let f = &self.data[start..end];
            start = end;
            f
        })
    }

    fn end_field(&mut self) {
        self.ends.push(self.data.len());
    }

    /// Ends the record's last field at a newline, dropping a `\r` before it.
    fn end_line(&mut self) {
        let field_start = self.ends.last().copied().unwrap_or(0);
        if self.data.len() > field_start && self.data.last() == Some(&b'\r') {
            self.data.pop();
        }
        self.end_field();
    }

    /// The fields as strings (header rows).
    pub(crate) fn to_strings(&self) -> Vec<String> {
        self.fields()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect()
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a field: a quote here opens a quoted field.
    FieldStart,
    Unquoted,
    Quoted,
    /// Saw a quote inside quotes: the end of the quoting, or the first of a doubled quote.
    QuotePending,
}

/// Reads one record into `record` (cleared first); `Ok(false)` at end of input. Runs of plain
/// bytes are found with `memchr` and copied at once.
pub(crate) fn read_record_into<R: BufRead>(
    reader: &mut R,
    delimiter: u8,
    record: &mut Record,
) -> std::io::Result<bool> {
    record.data.clear();
    record.ends.clear();
    let mut state = State::FieldStart;
    let mut any = false;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            if !any {
                return Ok(false);
            }
            if state == State::Quoted {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "unterminated quoted field",
                ));
            }
            record.end_field();
            return Ok(true);
        }
        any = true;
        let mut at = 0;
        let mut done = false;
        while at < buf.len() {
            match state {
                State::FieldStart if buf[at] == b'"' => {
                    state = State::Quoted;
                    at += 1;
                }
                State::FieldStart | State::Unquoted => {
                    let rest = &buf[at..];
                    match memchr::memchr2(delimiter, b'\n', rest) {
                        Some(i) => {
                            record.data.extend_from_slice(&rest[..i]);
                            at += i + 1;
                            state = State::FieldStart;
                            if rest[i] == b'\n' {
                                record.end_line();
                                done = true;
                                break;
                            }
                            record.end_field();
                        }
                        None => {
                            record.data.extend_from_slice(rest);
                            at = buf.len();
                            state = State::Unquoted;
                        }
                    }
                }
                State::Quoted => {
                    let rest = &buf[at..];
                    match memchr::memchr(b'"', rest) {
                        Some(i) => {
                            record.data.extend_from_slice(&rest[..i]);
                            at += i + 1;
                            state = State::QuotePending;
                        }
                        None => {
                            record.data.extend_from_slice(rest);
                            at = buf.len();
                        }
                    }
                }
                State::QuotePending => {
                    if buf[at] == b'"' {
                        record.data.push(b'"');
                        at += 1;
                        state = State::Quoted;
                    } else {
                        // The quoting ended; this byte is read as unquoted text.
                        state = State::Unquoted;
                    }
                }
            }
        }
        reader.consume(at);
        if done {
            return Ok(true);
        }
    }
}

/// Reads one record as strings; `Ok(None)` at end of input.
pub(crate) fn read_record<R: BufRead>(
    reader: &mut R,
    delimiter: u8,
) -> std::io::Result<Option<Vec<String>>> {
    let mut record = Record::default();
    Ok(read_record_into(reader, delimiter, &mut record)?.then(|| record.to_strings()))
}

/// Maps CSV rows to responses once the header rows are known.
pub(crate) struct CsvLayout {
    /// Each column's key as JSON string text (quoted and escaped once).
    keys: Vec<Vec<u8>>,
    id_column: Option<usize>,
}

impl CsvLayout {
    /// Builds the layout from the first record; `third` is the third record when the file
    /// has Qualtrics' three header rows (it is consumed as a header then).
    pub(crate) fn new(names: Vec<String>, import_ids: Option<Vec<String>>) -> CsvLayout {
        let mut names = names;
        if let Some(first) = names.first_mut() {
            if let Some(stripped) = first.strip_prefix('\u{feff}') {
                *first = stripped.to_string();
            }
        }
        let mut keys: Vec<String> = Vec::with_capacity(names.len());
        for (i, name) in names.iter().enumerate() {
            let import = import_ids
                .as_ref()
                .and_then(|ids| ids.get(i))
                .and_then(|cell| import_id(cell));
            let key = match import {
                Some(id) if !keys.contains(&id) => id,
                _ => name.clone(),
            };
            keys.push(key);
        }
        let id_column = keys.iter().position(|k| k == "_recordId").or_else(|| {
            names
                .iter()
                .position(|n| n.eq_ignore_ascii_case("ResponseId"))
        });
        let keys = keys
            .iter()
            .map(|k| {
                let mut out = Vec::with_capacity(k.len() + 2);
                write_json_string(&mut out, k);
                out
            })
            .collect();
        CsvLayout { keys, id_column }
    }

    /// One data row as a response: `values` is written as JSON text directly (cells as
    /// strings, empty cells left out), without building a map.
    pub(crate) fn response<'a>(&self, row: impl IntoIterator<Item = &'a [u8]>) -> ExportedResponse {
        let mut response_id = String::new();
        let mut json: Vec<u8> = Vec::with_capacity(1024);
        json.push(b'{');
        for (i, (key, cell)) in self.keys.iter().zip(row).enumerate() {
            if Some(i) == self.id_column {
                response_id = String::from_utf8_lossy(cell).into_owned();
            }
            if cell.is_empty() {
                continue;
            }
            if json.len() > 1 {
                json.push(b',');
            }
            json.extend_from_slice(key);
            json.push(b':');
            write_json_bytes(&mut json, cell);
        }
        json.push(b'}');
        ExportedResponse::from_values_json(response_id, json)
    }
}

/// Writes `cell` as a JSON string: plain UTF-8 text without quotes, backslashes or control
/// characters (most cells) is copied as is; anything else goes through `serde_json`
/// (invalid UTF-8 replaced, like `String::from_utf8_lossy`).
fn write_json_bytes(out: &mut Vec<u8>, cell: &[u8]) {
    let plain = cell.iter().all(|&b| b >= 0x20 && b != b'"' && b != b'\\');
    match std::str::from_utf8(cell) {
        Ok(_) if plain => {
            out.push(b'"');
            out.extend_from_slice(cell);
            out.push(b'"');
        }
        Ok(text) => write_json_string(out, text),
        Err(_) => write_json_string(out, &String::from_utf8_lossy(cell)),
    }
}

fn write_json_string(out: &mut Vec<u8>, text: &str) {
    // Writing a &str into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, text);
}

/// `{"ImportId":"QID1","timeZone":"..."}` → `QID1`.
pub(crate) fn import_id(cell: &str) -> Option<String> {
    let value: Value = serde_json::from_str(cell.trim()).ok()?;
    value.get("ImportId")?.as_str().map(str::to_string)
}

/// Whether a record is Qualtrics' ImportId header row.
pub(crate) fn is_import_row(row: &[String]) -> bool {
    row.first().is_some_and(|c| import_id(c).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Quotes, doubled quotes, delimiters and newlines inside quotes, CRLF and a last line
    /// without newline read the same whatever the buffer size (state kept across refills).
    #[test]
    fn records_read_the_same_across_buffer_refills() {
        let text = "a,\"b,\"\"x\"\"\",c\r\n\"multi\nline\",,\"\"\r\nlast,\"q\"tail,end";
        let want = vec![
            vec!["a", "b,\"x\"", "c"],
            vec!["multi\nline", "", ""],
            vec!["last", "qtail", "end"],
        ];
        for cap in [1, 2, 3, 7, 64] {
            let mut reader = std::io::BufReader::with_capacity(cap, text.as_bytes());
            let mut got = Vec::new();
            while let Some(r) = read_record(&mut reader, b',').unwrap() {
                got.push(r);
            }
            assert_eq!(got, want, "buffer of {cap} bytes");
        }
        let mut open = std::io::BufReader::new("\"never closed".as_bytes());
        assert!(read_record(&mut open, b',').is_err());
    }

    #[test]
    fn cells_become_json_strings() {
        let layout = CsvLayout::new(vec!["ResponseId".into(), "Q\"1".into()], None);
        let r = layout.response([&b"R_1"[..], &b"say \"hi\"\\\n"[..]]);
        assert_eq!(r.response_id, "R_1");
        assert_eq!(r.value("Q\"1").unwrap(), "say \"hi\"\\\n");
        let r = layout.response([&b"R_2"[..], &b"caf\xe9"[..]]);
        assert_eq!(r.value("Q\"1").unwrap(), "caf\u{fffd}");
    }
}
