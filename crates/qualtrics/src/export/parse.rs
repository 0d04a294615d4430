//! Streaming parsers for export files.
//!
//! Contract: responses are decoded one at a time and handed to a sink; the sink returns
//! `false` to stop early. JSON files are read with a custom serde visitor over the
//! `responses` array (other top-level keys are skipped), so memory stays bounded by one
//! response regardless of file size.

use std::fmt;
use std::io::{BufRead, Read};

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::csv::{is_import_row, read_record, CsvLayout};
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

fn parse_json<R: Read>(reader: R, sink: Sink<'_>) -> Result<u64, ParseError> {
    let mut count = 0u64;
    let mut stopped = false;
    let mut found = false;
    let mut de = serde_json::Deserializer::from_reader(reader);
    let seed = Document {
        sink,
        count: &mut count,
        stopped: &mut stopped,
        found: &mut found,
    };
    let result = seed.deserialize(&mut de).and_then(|()| de.end());
    if stopped {
        return Err(ParseError::Stopped);
    }
    result.map_err(|e| ParseError::Invalid(format!("the JSON export file is not valid: {e}")))?;
    if !found {
        return Err(ParseError::Invalid(
            "the JSON export file has no \"responses\" array".into(),
        ));
    }
    Ok(count)
}

/// The top-level `{"responses": [...], ...}` object.
struct Document<'s, 'a> {
    sink: Sink<'a>,
    count: &'s mut u64,
    stopped: &'s mut bool,
    found: &'s mut bool,
}

impl<'de> DeserializeSeed<'de> for Document<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Document<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object with a \"responses\" array")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "responses" && !*self.found {
                *self.found = true;
                map.next_value_seed(Responses {
                    sink: &mut *self.sink,
                    count: &mut *self.count,
                    stopped: &mut *self.stopped,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// The `responses` array, visited element by element.
struct Responses<'s> {
    sink: &'s mut dyn FnMut(ExportedResponse) -> bool,
    count: &'s mut u64,
    stopped: &'s mut bool,
}

impl<'de> DeserializeSeed<'de> for Responses<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Responses<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of responses")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(response) = seq.next_element::<ExportedResponse>()? {
            let response = with_id(response);
            *self.count += 1;
            if !(self.sink)(response) {
                *self.stopped = true;
                return Err(serde::de::Error::custom("stopped by the caller"));
            }
        }
        Ok(())
    }
}

/// Falls back to `values._recordId` when `responseId` is missing.
fn with_id(mut response: ExportedResponse) -> ExportedResponse {
    if response.response_id.is_empty() {
        if let Some(id) = response.values.get("_recordId").and_then(|v| v.as_str()) {
            response.response_id = id.to_string();
        }
    }
    response
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
        count += 1;
        if !sink(with_id(response)) {
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
    let mut rows = pending.into_iter();
    loop {
        let row = match rows.next() {
            Some(row) => row,
            None => match read_record(&mut reader, delimiter).map_err(invalid)? {
                Some(row) => row,
                None => break,
            },
        };
        if row.len() == 1 && row[0].is_empty() {
            continue;
        }
        count += 1;
        if !sink(layout.response(row)) {
            return Err(ParseError::Stopped);
        }
    }
    Ok(count)
}
