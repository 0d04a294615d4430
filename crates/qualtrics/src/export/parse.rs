//! Streaming parsers for export files.
//!
//! Contract: responses are decoded one at a time and handed to a sink; the sink returns
//! `false` to stop early. JSON files are split into the elements of their `responses` array
//! by [`super::json_stream`] (other top-level keys are skipped) and each element is decoded
//! on its own, so memory stays bounded by one response regardless of file size.

use std::io::BufRead;

use super::csv::{is_import_row, read_record, read_record_into, CsvLayout, Record};
use super::json_stream::{for_each_element, SplitError};
use crate::models::export::{ExportFormat, ExportedResponse};

/// Why parsing ended early.
#[derive(Debug)]
pub(crate) enum ParseError {
    /// The sink asked to stop.
    Stopped,
    /// The file is not what it should be.
    Invalid(String),
}

/// Receives parsed responses; returns `false` to stop.
pub(crate) type Sink<'a> = &'a mut dyn FnMut(ExportedResponse) -> bool;

/// Parses `reader` as `format`, returning how many responses were handed over.
pub(crate) fn parse<R: BufRead>(
    reader: R,
    format: ExportFormat,
    sink: Sink<'_>,
) -> Result<u64, ParseError> {
    match format {
        ExportFormat::Json => parse_json(reader, sink),
        ExportFormat::Ndjson => parse_ndjson(reader, sink),
        ExportFormat::Csv => parse_delimited(reader, b',', sink),
        ExportFormat::Tsv => parse_delimited(reader, b'\t', sink),
    }
}

fn parse_json<R: BufRead>(reader: R, sink: Sink<'_>) -> Result<u64, ParseError> {
    let split = for_each_element(reader, &mut |bytes| {
        let response: ExportedResponse =
            serde_json::from_slice(bytes).map_err(|e| format!("is not a response: {e}"))?;
        let response = checked(response).map_err(str::to_string)?;
        Ok(sink(response))
    })
    .map_err(|e| match e {
        SplitError::Stopped => ParseError::Stopped,
        SplitError::Invalid(m) => {
            ParseError::Invalid(format!("the JSON export file is not valid: {m}"))
        }
    })?;
    if !split.found {
        return Err(ParseError::Invalid(
            "the JSON export file has no \"responses\" array".into(),
        ));
    }
    Ok(split.elements)
}

/// Rejects a response whose `values` or `labels` is not an object; falls back to
/// `values._recordId` when `responseId` is missing.
fn checked(mut response: ExportedResponse) -> Result<ExportedResponse, &'static str> {
    if !response.is_well_formed() {
        return Err("a response's \"values\" or \"labels\" is not a JSON object");
    }
    if response.response_id.is_empty() {
        if let Some(id) = response.value("_recordId").and_then(|v| v.as_str()) {
            response.response_id = id.to_string();
        }
    }
    Ok(response)
}

fn parse_ndjson<R: BufRead>(reader: R, sink: Sink<'_>) -> Result<u64, ParseError> {
    let mut count = 0u64;
    for (index, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| {
            ParseError::Invalid(format!("the NDJSON export file cannot be read: {e}"))
        })?;
        if line.trim().is_empty() {
            continue;
        }
        let response: ExportedResponse = serde_json::from_str(&line).map_err(|e| {
            ParseError::Invalid(format!(
                "line {} of the NDJSON export file is not a response: {e}",
                index + 1
            ))
        })?;
        let response = checked(response).map_err(|e| {
            ParseError::Invalid(format!("line {} of the NDJSON export file: {e}", index + 1))
        })?;
        count += 1;
        if !sink(response) {
            return Err(ParseError::Stopped);
        }
    }
    Ok(count)
}

fn parse_delimited<R: BufRead>(
    mut reader: R,
    delimiter: u8,
    sink: Sink<'_>,
) -> Result<u64, ParseError> {
    let invalid =
        |e: std::io::Error| ParseError::Invalid(format!("the CSV export file cannot be read: {e}"));
    let Some(names) = read_record(&mut reader, delimiter).map_err(invalid)? else {
        return Err(ParseError::Invalid("the CSV export file is empty".into()));
    };
    let mut pending: Vec<Vec<String>> = Vec::new();
    // Qualtrics writes three header rows; older files two or one. Look ahead two rows.
    for _ in 0..2 {
        match read_record(&mut reader, delimiter).map_err(invalid)? {
            Some(row) => pending.push(row),
            None => break,
        }
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
    let mut count = 0u64;
    for row in pending {
        if row.len() == 1 && row[0].is_empty() {
            continue;
        }
        count += 1;
        if !sink(layout.response(row.iter().map(|c| c.as_bytes()))) {
            return Err(ParseError::Stopped);
        }
    }
    // Data rows: one reused record buffer, no allocation per field.
    let mut record = Record::default();
    while read_record_into(&mut reader, delimiter, &mut record).map_err(invalid)? {
        let mut fields = record.fields();
        if let (Some(first), None) = (fields.next(), fields.next()) {
            if first.is_empty() {
                continue;
            }
        }
        count += 1;
        if !sink(layout.response(record.fields())) {
            return Err(ParseError::Stopped);
        }
    }
    Ok(count)
}
