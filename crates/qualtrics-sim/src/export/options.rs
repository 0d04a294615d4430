//! Parsing and validation of the `POST export-responses` body.
//!
//! Contract: [`parse`] either returns fully validated [`ExportOptions`] or the
//! 400 error Qualtrics would give (`QVAL_*` code, specific message). Checks,
//! in order: body is a JSON object; every key is known, exact case
//! ("Unexpected json key provided: X"); `format` present and valid; value
//! types; JSON/NDJSON-incompatible options; `continuationToken` with
//! `allowContinuation`; `filterId` with `allowContinuation`,
//! `continuationToken` or `sortByLastModifiedDate`; `includeLabelColumns` with
//! `useLabels`; dates; `limit`; ids in `questionIds`/`surveyMetadataIds`/
//! `embeddedDataIds`; `filterId` exists; `timeZone` (UTC only in the simulator).
//! Formats `json`, `ndjson`, `csv` and `tsv` are produced; `spss` and `xml`
//! are answered with 400 `QVAL_12`. The continuation token itself is resolved
//! by the caller (it needs server state).

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::data::model::{FilterSpec, SurveySpec};
use crate::data::render::{Selection, METADATA_IDS};
use crate::envelope::ApiError;

/// All body keys Qualtrics accepts for this endpoint.
pub const KNOWN_KEYS: [&str; 22] = [
    "format",
    "compress",
    "startDate",
    "endDate",
    "limit",
    "questionIds",
    "surveyMetadataIds",
    "embeddedDataIds",
    "useLabels",
    "seenUnansweredRecode",
    "multiselectSeenUnansweredRecode",
    "includeDisplayOrder",
    "formatDecimalAsComma",
    "timeZone",
    "newlineReplacement",
    "breakoutSets",
    "exportResponsesInProgress",
    "filterId",
    "allowContinuation",
    "continuationToken",
    "includeLabelColumns",
    "sortByLastModifiedDate",
];

/// Options not allowed with `json`/`ndjson`.
pub const JSON_INCOMPATIBLE: [&str; 8] = [
    "includeDisplayOrder",
    "useLabels",
    "formatDecimalAsComma",
    "seenUnansweredRecode",
    "multiselectSeenUnansweredRecode",
    "timeZone",
    "newlineReplacement",
    "breakoutSets",
];

/// Export file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// `{"responses":[...]}`.
    Json,
    /// One response object per line.
    Ndjson,
    /// Comma-separated, 3 header rows.
    Csv,
    /// Tab-separated, 3 header rows.
    Tsv,
}

impl Format {
    /// File extension.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Ndjson => "ndjson",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
        }
    }
}

/// A validated export request.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// File format.
    pub format: Format,
    /// Zip the file (default true).
    pub compress: bool,
    /// Recorded-date window start (inclusive).
    pub start: Option<DateTime<Utc>>,
    /// Recorded-date window end (exclusive).
    pub end: Option<DateTime<Utc>>,
    /// Maximum number of responses.
    pub limit: Option<u64>,
    /// Field selection.
    pub selection: Selection,
    /// Labels instead of recodes (CSV/TSV).
    pub use_labels: bool,
    /// Export only unfinished responses.
    pub in_progress: bool,
    /// Saved filter.
    pub filter: Option<&'static FilterSpec>,
    /// A continuation token was requested.
    pub allow_continuation: bool,
    /// Resume from this token.
    pub continuation_token: Option<String>,
}

fn bool_field(body: &Map<String, Value>, key: &str) -> Result<Option<bool>, ApiError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(other) => Err(ApiError::qval(
            "QVAL_4",
            format!("Invalid value for parameter {key}: expected a boolean, got {other}."),
        )),
    }
}

fn string_field<'a>(body: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>, ApiError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if !s.is_empty() => Ok(Some(s)),
        Some(Value::String(_)) => Err(ApiError::qval(
            "QVAL_5",
            format!("Parameter {key} should not be empty."),
        )),
        Some(other) => Err(ApiError::qval(
            "QVAL_4",
            format!("Invalid value for parameter {key}: expected a string, got {other}."),
        )),
    }
}

fn list_field(
    body: &Map<String, Value>,
    key: &str,
    allowed: &[&str],
) -> Result<Option<Vec<String>>, ApiError> {
    let items = match body.get(key) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(ApiError::qval(
                "QVAL_4",
                format!(
                    "Invalid value for parameter {key}: expected an array of strings, got {other}."
                ),
            ))
        }
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let Some(s) = item.as_str() else {
            return Err(ApiError::qval(
                "QVAL_4",
                format!("Invalid value for parameter {key}: expected an array of strings."),
            ));
        };
        if !allowed.contains(&s) {
            return Err(ApiError::qval(
                "QVAL_9",
                format!("Invalid {key}: {s} does not exist in this survey."),
            ));
        }
        out.push(s.to_string());
    }
    Ok(Some(out))
}

fn date_field(body: &Map<String, Value>, key: &str) -> Result<Option<DateTime<Utc>>, ApiError> {
    let Some(s) = string_field(body, key)? else {
        return Ok(None);
    };
    DateTime::parse_from_rfc3339(s).map(|d| Some(d.with_timezone(&Utc))).map_err(|_| {
        ApiError::qval(
            "QVAL_6",
            format!("Invalid date for parameter {key}: '{s}'. Expected an ISO-8601 date-time such as 2024-01-31T00:00:00Z."),
        )
    })
}

/// Parse and validate the raw body for `spec`.
pub fn parse(raw: &[u8], spec: &'static SurveySpec) -> Result<ExportOptions, ApiError> {
    let body: Map<String, Value> = match serde_json::from_slice::<Value>(raw) {
        Ok(Value::Object(m)) => m,
        Ok(_) => {
            return Err(ApiError::qval(
                "QVAL_1",
                "The request body must be a JSON object.",
            ))
        }
        Err(e) => {
            return Err(ApiError::qval(
                "QVAL_1",
                format!("The request body is not valid JSON: {e}."),
            ))
        }
    };
    if let Some(key) = body.keys().find(|k| !KNOWN_KEYS.contains(&k.as_str())) {
        return Err(ApiError::qval(
            "QVAL_2",
            format!("Unexpected json key provided: {key}"),
        ));
    }
    let format = match string_field(&body, "format")? {
        None => return Err(ApiError::qval("QVAL_3", "Missing required parameter: format.")),
        Some("json") => Format::Json,
        Some("ndjson") => Format::Ndjson,
        Some("csv") => Format::Csv,
        Some("tsv") => Format::Tsv,
        Some(f @ ("spss" | "xml")) => {
            return Err(ApiError::qval("QVAL_12", format!("Format {f} is not supported by this simulator; use json, ndjson, csv or tsv.")))
        }
        Some(f) => {
            return Err(ApiError::qval("QVAL_4", format!("Invalid value for parameter format: {f}. Expected one of csv, tsv, json, ndjson, spss, xml.")))
        }
    };
    if matches!(format, Format::Json | Format::Ndjson) {
        let bad: Vec<&str> = JSON_INCOMPATIBLE
            .iter()
            .copied()
            .filter(|k| body.contains_key(*k))
            .collect();
        if !bad.is_empty() {
            return Err(ApiError::qval(
                "QVAL_7",
                format!(
                    "The following parameters cannot be used with format {}: {}.",
                    format.ext(),
                    bad.join(", ")
                ),
            ));
        }
    }
    let compress = bool_field(&body, "compress")?.unwrap_or(true);
    let use_labels = bool_field(&body, "useLabels")?.unwrap_or(false);
    let include_label_columns = bool_field(&body, "includeLabelColumns")?.unwrap_or(false);
    let in_progress = bool_field(&body, "exportResponsesInProgress")?.unwrap_or(false);
    let allow_continuation = bool_field(&body, "allowContinuation")?;
    let sort_by_modified = bool_field(&body, "sortByLastModifiedDate")?;
    for key in [
        "includeDisplayOrder",
        "formatDecimalAsComma",
        "breakoutSets",
    ] {
        bool_field(&body, key)?;
    }
    let continuation_token = string_field(&body, "continuationToken")?.map(str::to_string);
    let filter_id = string_field(&body, "filterId")?;
    if continuation_token.is_some() && allow_continuation.is_some() {
        return Err(ApiError::qval("QVAL_8", "continuationToken and allowContinuation cannot be used together; continuationToken implies allowContinuation."));
    }
    // The spec's `filterId` description: it cannot be combined with continuation
    // (`allowContinuation`, `continuationToken`) nor `sortByLastModifiedDate` (same source as
    // the filters route, mkbabb/qualtrics-utils' generated client); the exact error body is
    // not recorded anywhere, so it takes the QVAL_8 shape of the other conflicting options.
    if filter_id.is_some() {
        for (key, present) in [
            ("allowContinuation", allow_continuation.is_some()),
            ("continuationToken", continuation_token.is_some()),
            ("sortByLastModifiedDate", sort_by_modified.is_some()),
        ] {
            if present {
                return Err(ApiError::qval(
                    "QVAL_8",
                    format!("filterId cannot be used together with {key}."),
                ));
            }
        }
    }
    if use_labels && include_label_columns {
        return Err(ApiError::qval(
            "QVAL_8",
            "includeLabelColumns cannot be used together with useLabels.",
        ));
    }
    let start = date_field(&body, "startDate")?;
    let end = date_field(&body, "endDate")?;
    if let (Some(s), Some(e)) = (start, end) {
        if s >= e {
            return Err(ApiError::qval(
                "QVAL_6",
                "startDate must be before endDate.",
            ));
        }
    }
    let limit = match body.get("limit") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => match n.as_u64() {
            Some(l) if l > 0 => Some(l),
            _ => {
                return Err(ApiError::qval(
                    "QVAL_4",
                    format!("Invalid value for parameter limit: {n}. Expected a positive integer."),
                ))
            }
        },
        Some(other) => {
            return Err(ApiError::qval(
                "QVAL_4",
                format!("Invalid value for parameter limit: {other}. Expected a positive integer."),
            ))
        }
    };
    for key in ["seenUnansweredRecode", "multiselectSeenUnansweredRecode"] {
        if let Some(v) = body.get(key) {
            if !v.is_i64() {
                return Err(ApiError::qval(
                    "QVAL_4",
                    format!("Invalid value for parameter {key}: expected an integer, got {v}."),
                ));
            }
        }
    }
    if let Some(tz) = string_field(&body, "timeZone")? {
        if !matches!(tz, "UTC" | "Etc/UTC" | "Etc/GMT" | "GMT" | "Z") {
            return Err(ApiError::qval(
                "QVAL_10",
                format!("Unsupported timeZone: {tz}. The simulator exports times in UTC only."),
            ));
        }
    }
    string_field(&body, "newlineReplacement")?;
    let qids: Vec<&str> = spec.questions.iter().map(|q| q.qid).collect();
    let selection = Selection {
        questions: list_field(&body, "questionIds", &qids)?,
        metadata: list_field(&body, "surveyMetadataIds", &METADATA_IDS)?,
        embedded: list_field(&body, "embeddedDataIds", spec.embedded)?,
    };
    let filter = match filter_id {
        None => None,
        Some(id) => match spec.filters.iter().find(|f| f.id == id) {
            Some(f) => Some(f),
            None => {
                return Err(ApiError::qval(
                    "QVAL_11",
                    format!(
                        "Invalid filterId: {id} is not a filter of survey {}.",
                        spec.id
                    ),
                ))
            }
        },
    };
    Ok(ExportOptions {
        format,
        compress,
        start,
        end,
        limit,
        selection,
        use_labels,
        in_progress,
        filter,
        allow_continuation: allow_continuation == Some(true) || continuation_token.is_some(),
        continuation_token,
    })
}
