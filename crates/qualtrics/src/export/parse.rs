//! Streaming parsers for export files.
//!
//! Contract: responses are decoded one at a time and handed to a sink; the sink returns
//! `false` to stop early. JSON files are split into the elements of their `responses` array
//! and read in one pass by [`super::json_export`] (other top-level keys are skipped), one
//! response at a time, so memory stays bounded by one response regardless of file size.

use std::io::BufRead;

use super::csv_rows::parse_delimited;
use super::json_export::{for_each_response, SplitError};
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

/// Checks a JSON or NDJSON `reader` without handing anything over (the first pass of a
/// verified delivery) by parsing it. Delimited files have their own first pass
/// (`csv_verified::scan`, which also unzips them once for the second).
pub(crate) fn check<R: BufRead>(reader: R, format: ExportFormat) -> Result<(), ParseError> {
    parse(reader, format, &mut |_| true).map(|_| ())
}

fn parse_json<R: BufRead>(reader: R, sink: Sink<'_>) -> Result<u64, ParseError> {
    let mut rejected = None;
    let mut seen = 0u64;
    let split = for_each_response(reader, &mut |response| {
        seen += 1;
        match checked(response) {
            Ok(response) => sink(response),
            Err(e) => {
                rejected = Some(format!("response {seen}: {e}"));
                false
            }
        }
    });
    let split = match (split, rejected) {
        (_, Some(e)) => Err(ParseError::Invalid(format!(
            "the JSON export file is not valid: {e}"
        ))),
        (Ok(split), None) => Ok(split),
        (Err(SplitError::Stopped), None) => Err(ParseError::Stopped),
        (Err(SplitError::Invalid(m)), None) => Err(ParseError::Invalid(format!(
            "the JSON export file is not valid: {m}"
        ))),
    }?;
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
