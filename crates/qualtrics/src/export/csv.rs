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

/// Reads one record; `Ok(None)` at end of input.
pub(crate) fn read_record<R: BufRead>(
    reader: &mut R,
    delimiter: u8,
) -> std::io::Result<Option<Vec<String>>> {
    let mut fields = Vec::new();
    let mut field: Vec<u8> = Vec::new();
    let mut in_quotes = false;
    let mut quote_pending = false; // saw a quote inside quotes: end of quoting or escaped quote
    let mut any = false;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            if !any {
                return Ok(None);
            }
            if in_quotes && !quote_pending {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "unterminated quoted field",
                ));
            }
            fields.push(finish(&mut field));
            return Ok(Some(fields));
        }
        let mut consumed = 0;
        let mut done = false;
        for &byte in buf {
            consumed += 1;
            any = true;
            if in_quotes {
                if quote_pending {
                    quote_pending = false;
                    if byte == b'"' {
                        field.push(b'"');
                        continue;
                    }
                    in_quotes = false;
                    // fall through to unquoted handling of this byte
                } else if byte == b'"' {
                    quote_pending = true;
                    continue;
                } else {
                    field.push(byte);
                    continue;
                }
            }
            match byte {
                b'"' if field.is_empty() => in_quotes = true,
                b'\n' => {
                    if field.last() == Some(&b'\r') {
                        field.pop();
                    }
                    fields.push(finish(&mut field));
                    done = true;
                    break;
                }
                b if b == delimiter => fields.push(finish(&mut field)),
                b => field.push(b),
            }
        }
        reader.consume(consumed);
        if done {
            return Ok(Some(fields));
        }
    }
}

fn finish(field: &mut Vec<u8>) -> String {
    let text = String::from_utf8_lossy(field).into_owned();
    field.clear();
    text
}

/// Maps CSV rows to responses once the header rows are known.
pub(crate) struct CsvLayout {
    keys: Vec<String>,
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
        CsvLayout { keys, id_column }
    }

    /// One data row as a response: `values` is written as JSON text directly (cells as
    /// strings, empty cells left out), without building a map.
    pub(crate) fn response(&self, row: Vec<String>) -> ExportedResponse {
        let response_id = self
            .id_column
            .and_then(|i| row.get(i).cloned())
            .unwrap_or_default();
        let mut json: Vec<u8> = Vec::with_capacity(row.iter().map(|c| c.len() + 24).sum());
        json.push(b'{');
        for (key, cell) in self.keys.iter().zip(&row) {
            if cell.is_empty() {
                continue;
            }
            if json.len() > 1 {
                json.push(b',');
            }
            write_json_string(&mut json, key);
            json.push(b':');
            write_json_string(&mut json, cell);
        }
        json.push(b'}');
        ExportedResponse::from_values_json(response_id, json)
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
