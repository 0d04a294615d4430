//! One response as an export delivers it, before import: its id, whether it finished, and
//! the raw text of its `values` and `labels` (stored as delivered, read again by metrics).

use serde_json::value::RawValue;
use serde_json::Value;

use crate::error::{Error, ErrorKind, Result};

/// One response to import (one element of an export's `responses`).
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseRow {
    pub response_id: String,
    /// `values.finished` of the export.
    pub finished: bool,
    /// Came from an `exportResponsesInProgress` export (kept apart, never in metrics).
    pub in_progress: bool,
    /// `values` of the export (answers, metadata such as `startDate`, embedded data) as JSON
    /// object text, stored as it is.
    pub values_json: String,
    /// `labels` of the export as JSON object text.
    pub labels_json: Option<String>,
}

impl ResponseRow {
    /// Builds a row from one element of a JSON export (`{"responseId", "values", "labels"}`).
    /// Returns `None` when `responseId` or `values` is missing.
    pub fn from_export_json(element: &Value, in_progress: bool) -> Option<ResponseRow> {
        let response_id = element.get("responseId")?.as_str()?.to_owned();
        let values_json = serde_json::to_string(element.get("values")?.as_object()?).ok()?;
        let labels_json = match element.get("labels").and_then(Value::as_object) {
            Some(labels) => Some(serde_json::to_string(labels).ok()?),
            None => None,
        };
        Self::from_json_parts(response_id, values_json, labels_json, in_progress).ok()
    }

    /// Builds a row from the parts of a response the `qualtrics` export parser delivered
    /// (its `values` and `labels` were checked to be JSON objects there): `finished` is
    /// read with a scan of `values`' top-level members, not a second parse of the text.
    pub fn from_export_parts(
        response_id: String,
        values_json: String,
        labels_json: Option<String>,
        in_progress: bool,
    ) -> ResponseRow {
        let finished = super::json_scan::field(&values_json, "finished").is_some_and(raw_is_true);
        ResponseRow {
            finished,
            in_progress,
            response_id,
            values_json,
            labels_json,
        }
    }

    /// Builds a row from an export response's parts, taking the JSON texts as they are,
    /// after checking that `values_json` is a JSON object (text from elsewhere than the
    /// `qualtrics` parser); `finished` is then read like [`ResponseRow::from_export_parts`].
    pub fn from_json_parts(
        response_id: String,
        values_json: String,
        labels_json: Option<String>,
        in_progress: bool,
    ) -> Result<ResponseRow> {
        let unreadable = |why: String| {
            Error::new(
                ErrorKind::Malformed,
                format!("response {response_id} has unreadable values: {why}"),
            )
        };
        let raw: &RawValue =
            serde_json::from_str(&values_json).map_err(|e| unreadable(e.to_string()))?;
        if !raw.get().starts_with('{') {
            return Err(unreadable("not a JSON object".into()));
        }
        Ok(Self::from_export_parts(
            response_id,
            values_json,
            labels_json,
            in_progress,
        ))
    }
}

/// Whether the raw JSON text of `values.finished` means finished: `true`, `1`, `"1"` or
/// `"true"` in any case. The one reader of `finished` for every way a row is built.
fn raw_is_true(raw: &str) -> bool {
    match raw.as_bytes().first() {
        Some(b't') => raw == "true",
        Some(b'-' | b'0'..=b'9') => raw.parse::<f64>().ok() == Some(1.0),
        Some(b'"') => match serde_json::from_str::<std::borrow::Cow<'_, str>>(raw) {
            Ok(s) => s == "1" || s.eq_ignore_ascii_case("true"),
            Err(_) => false,
        },
        _ => false,
    }
}
