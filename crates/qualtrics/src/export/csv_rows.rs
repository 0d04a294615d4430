//! The mapping of Qualtrics' CSV/TSV exports to [`ExportedResponse`]s.
//!
//! Contract: Qualtrics CSV exports have three header rows (export tags, question texts,
//! `{"ImportId": ...}` cells); responses are keyed by ImportId (`startDate`, `QID1`, ...)
//! like JSON exports, with cell text as string values. Files with two header rows (the
//! ImportId row second) are read the same; files with a single header row are keyed by
//! column name. Empty cells and empty lines are left out. Each row's `values` is written as
//! JSON text straight from the reader's buffer: no map, no value per cell, no copy of the
//! row before it.

use std::io::Read;

use serde_json::Value;

use super::csv::{CsvReader, PlainRecord};
use super::parse::{ParseError, Sink};
use crate::models::export::ExportedResponse;

/// Maps CSV rows to responses once the header rows are known.
pub(crate) struct CsvLayout {
    /// Each column's key as the JSON text that starts its member, `,"key":` (quoted and
    /// escaped once; the first member written drops the comma).
    keys: Vec<String>,
    /// For plain records, with the closing quote of the member before and the value's
    /// opening quote: `","key":"` (the first member written starts at the comma's place
    /// with `{"key":"` from [`CsvLayout::first_keys`]), so a cell costs two copies.
    keys_quoted: Vec<String>,
    /// `{"key":"`, for the first member of a plain record.
    first_keys: Vec<String>,
    /// The length of all keys together (to size a row's JSON text once).
    keys_len: usize,
    id_column: Option<usize>,
}

impl CsvLayout {
    /// Builds the layout from the column names and, when the file has Qualtrics' ImportId
    /// header row, its cells.
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
        let keys: Vec<String> = keys
            .iter()
            .map(|k| format!(",{}:", json_string(k)))
            .collect();
        let keys_len = keys.iter().map(String::len).sum();
        let keys_quoted = keys.iter().map(|k| format!("\"{k}\"")).collect();
        let first_keys = keys.iter().map(|k| format!("{{{}\"", &k[1..])).collect();
        CsvLayout {
            keys,
            keys_quoted,
            first_keys,
            keys_len,
            id_column,
        }
    }

    /// A plain record (nothing to unescape or escape) as a response: each non-empty cell is
    /// copied between its key and a closing quote, the same text [`CsvLayout::response`]
    /// writes, with no per-cell checks.
    pub(crate) fn plain_response(&self, record: PlainRecord<'_>) -> ExportedResponse {
        let PlainRecord {
            text,
            start,
            fields,
        } = record;
        let cell = |(s, e): (usize, usize)| text.get(s - start..e - start).unwrap_or_default();
        let response_id = self
            .id_column
            .and_then(|i| fields.get(i))
            .map_or(String::new(), |&f| cell(f).to_string());
        // The exact length (the text of the non-empty cells and their keys, and `"}`):
        // sized by all keys, a row took a quarter more memory than it needed.
        let len = self
            .keys_quoted
            .iter()
            .zip(fields)
            .filter(|(_, &(s, e))| s != e)
            .map(|(key, &(s, e))| key.len() + (e - s))
            .sum::<usize>()
            + 2;
        let mut json = String::with_capacity(len);
        let mut members = self.keys_quoted.iter().zip(fields).enumerate();
        for (i, (_, &(s, e))) in members.by_ref() {
            if s != e {
                json.push_str(&self.first_keys[i]);
                json.push_str(cell((s, e)));
                break;
            }
        }
        if json.is_empty() {
            return ExportedResponse::from_csv_values(response_id, "{}".into());
        }
        for (_, (key, &(s, e))) in members {
            if s != e {
                json.push_str(key);
                json.push_str(cell((s, e)));
            }
        }
        json.push_str("\"}");
        ExportedResponse::from_csv_values(response_id, json)
    }

    /// One data row as a response: `values` is written as JSON text directly (cells as
    /// strings, empty cells left out). `plain` says no cell needs escaping.
    pub(crate) fn response<'a>(
        &self,
        row: impl ExactSizeIterator<Item = &'a str>,
        row_len: usize,
        plain: bool,
    ) -> ExportedResponse {
        let mut response_id = String::new();
        // Keys, cells, and per cell two quotes, a colon and a comma.
        let mut json = String::with_capacity(self.keys_len + row_len + 2 * row.len() + 2);
        json.push('{');
        for (i, (key, cell)) in self.keys.iter().zip(row).enumerate() {
            if Some(i) == self.id_column {
                response_id = cell.to_string();
            }
            if cell.is_empty() {
                continue;
            }
            json.push_str(if json.len() == 1 { &key[1..] } else { key });
            if plain || is_plain(cell) {
                json.push('"');
                json.push_str(cell);
                json.push('"');
            } else {
                write_json_string(&mut json, cell);
            }
        }
        json.push('}');
        ExportedResponse::from_csv_values(response_id, json)
    }
}

/// Whether `cell` can be written between quotes as it is in JSON.
fn is_plain(cell: &str) -> bool {
    !cell.bytes().fold(false, |acc, b| {
        acc | (b < 0x20) | (b == b'"') | (b == b'\\')
    })
}

fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    write_json_string(&mut out, text);
    out
}

fn write_json_string(out: &mut String, text: &str) {
    // Serializing a &str cannot fail.
    out.push_str(&serde_json::to_string(text).unwrap_or_default());
}

/// `{"ImportId":"QID1","timeZone":"..."}` → `QID1`.
pub(crate) fn import_id(cell: &str) -> Option<String> {
    let value: Value = serde_json::from_str(cell.trim()).ok()?;
    value.get("ImportId")?.as_str().map(str::to_string)
}

/// Whether a record is Qualtrics' ImportId header row.
fn is_import_row(row: &[String]) -> bool {
    row.first().is_some_and(|c| import_id(c).is_some())
}

/// Whether the reader's current record is an empty line.
fn is_blank<R: Read>(reader: &CsvReader<R>) -> bool {
    let mut fields = reader.fields();
    fields.len() == 1 && fields.next().is_some_and(<[u8]>::is_empty)
}

/// Hands every data row of a delimited export to `sink`; returns how many.
pub(crate) fn parse_delimited<R: Read>(
    reader: R,
    delimiter: u8,
    sink: Sink<'_>,
) -> Result<u64, ParseError> {
    let mut reader = CsvReader::new(reader, delimiter);
    let (layout, pending) = read_header(&mut reader)?;
    let count = deliver_pending(&layout, pending, sink)?;
    Ok(count + deliver_rows(&mut reader, &layout, sink)?)
}

fn invalid(e: std::io::Error) -> ParseError {
    ParseError::Invalid(format!("the CSV export file cannot be read: {e}"))
}

/// Reads the header rows (Qualtrics writes three; older files two or one, so two rows are
/// looked ahead): the layout, and the rows read ahead that turned out to be data.
pub(crate) fn read_header<R: Read>(
    reader: &mut CsvReader<R>,
) -> Result<(CsvLayout, Vec<Vec<String>>), ParseError> {
    if !reader.next_record().map_err(invalid)? {
        return Err(ParseError::Invalid("the CSV export file is empty".into()));
    }
    let names = reader.to_strings();
    let mut pending: Vec<Vec<String>> = Vec::new();
    for _ in 0..2 {
        if !reader.next_record().map_err(invalid)? {
            break;
        }
        pending.push(reader.to_strings());
    }
    let layout = if pending.len() == 2 && is_import_row(&pending[1]) {
        let import = pending.remove(1);
        pending.remove(0);
        CsvLayout::new(names, Some(import))
    } else if pending.first().is_some_and(|r| is_import_row(r)) {
        let import = pending.remove(0);
        CsvLayout::new(names, Some(import))
    } else {
        CsvLayout::new(names, None)
    };
    Ok((layout, pending))
}

/// Hands the data rows [`read_header`] read ahead to `sink`; returns how many.
pub(crate) fn deliver_pending(
    layout: &CsvLayout,
    pending: Vec<Vec<String>>,
    sink: Sink<'_>,
) -> Result<u64, ParseError> {
    let mut count = 0u64;
    for row in pending {
        if row.len() == 1 && row[0].is_empty() {
            continue;
        }
        count += 1;
        let len = row.iter().map(String::len).sum();
        if !sink(layout.response(row.iter().map(String::as_str), len, false)) {
            return Err(ParseError::Stopped);
        }
    }
    Ok(count)
}

/// Hands every row `reader` has left to `sink` as a data row; returns how many.
pub(crate) fn deliver_rows<R: Read>(
    reader: &mut CsvReader<R>,
    layout: &CsvLayout,
    sink: Sink<'_>,
) -> Result<u64, ParseError> {
    let mut count = 0u64;
    let mut lossy: Vec<String> = Vec::new();
    while reader.next_record().map_err(invalid)? {
        if is_blank(reader) {
            continue;
        }
        count += 1;
        if let Some(record) = reader.plain_record() {
            if !sink(layout.plain_response(record)) {
                return Err(ParseError::Stopped);
            }
            continue;
        }
        let len: usize = reader.fields().map(<[u8]>::len).sum();
        let response = match reader.text_fields() {
            Some(cells) => layout.response(cells, len, reader.is_plain()),
            None => {
                // Invalid UTF-8 (rare): replaced per cell, like `String::from_utf8_lossy`.
                lossy.clear();
                lossy.extend(
                    reader
                        .fields()
                        .map(|f| String::from_utf8_lossy(f).into_owned()),
                );
                layout.response(lossy.iter().map(String::as_str), len, false)
            }
        };
        if !sink(response) {
            return Err(ParseError::Stopped);
        }
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_become_json_strings() {
        let layout = CsvLayout::new(vec!["ResponseId".into(), "Q\"1".into()], None);
        let r = layout.response(["R_1", "say \"hi\"\\\n"].into_iter(), 12, false);
        assert_eq!(r.response_id, "R_1");
        assert_eq!(r.value("Q\"1").unwrap(), "say \"hi\"\\\n");
        assert_eq!(
            r.values_json(),
            r#"{"ResponseId":"R_1","Q\"1":"say \"hi\"\\\n"}"#
        );
    }

    /// A plain record (nothing to unescape or escape) is written by the fast path with the
    /// same text the general one writes: keys once, empty cells left out, the first member
    /// without a comma, whichever cell is empty.
    #[test]
    fn plain_records_are_written_like_any_other() {
        let layout = CsvLayout::new(
            vec!["A".into(), "ResponseId".into(), "Q\"1".into(), "é".into()],
            None,
        );
        let text = "x,R_1,y,z\n,R_2,,ü\n,,,\nw,R_4,v,\n";
        let mut reader = CsvReader::new(text.as_bytes(), b',');
        let mut seen = 0;
        while reader.next_record().unwrap() {
            let record = reader.plain_record().expect("a plain record");
            let fast = layout.plain_response(record);
            let len = reader.fields().map(<[u8]>::len).sum();
            let general = layout.response(reader.text_fields().unwrap(), len, false);
            assert_eq!(fast.response_id, general.response_id);
            assert_eq!(fast.values_json(), general.values_json());
            seen += 1;
        }
        assert_eq!(seen, 4);
        let mut reader = CsvReader::new(&b"\"q\",R_1\na\\b,R_2\ncaf\xe9,R_3\n"[..], b',');
        while reader.next_record().unwrap() {
            assert!(
                reader.plain_record().is_none(),
                "quoted, escaped or not UTF-8"
            );
        }
    }
}
