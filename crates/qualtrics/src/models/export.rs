//! Response-export models: job state, progress, summary and exported responses.
//!
//! Contract: responses keep every field Qualtrics sends (`values`, `labels`,
//! `displayedFields`; the first two as their JSON text) and offer lenient typed accessors;
//! job answers accept numbers as strings and unknown statuses.

use std::borrow::Cow;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

pub use super::request::{ExportFormat, ExportRequest};
use crate::models::survey::parse_date;
use crate::serde_ext::{f64_any, opt_string, value_as_bool};

/// State of an export job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ExportState {
    /// Still running.
    InProgress,
    /// Done; `fileId` is available.
    Complete,
    /// Qualtrics gave up.
    Failed,
    /// A status this client does not know.
    Other(String),
}

impl<'de> Deserialize<'de> for ExportState {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(match s.as_str() {
            "inProgress" | "in progress" | "queued" => ExportState::InProgress,
            "complete" => ExportState::Complete,
            "failed" | "cancelled" => ExportState::Failed,
            _ => ExportState::Other(s),
        })
    }
}

/// Answer of the export start (`result`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportStart {
    /// `ES_...`, used to poll.
    pub progress_id: String,
    /// Usually 0.
    #[serde(default, deserialize_with = "f64_any")]
    pub percent_complete: f64,
    /// Usually in progress.
    #[serde(default = "in_progress")]
    pub status: ExportState,
    /// Present when continuation was requested (some API versions send it here).
    #[serde(default, deserialize_with = "opt_string")]
    pub continuation_token: Option<String>,
}

fn in_progress() -> ExportState {
    ExportState::InProgress
}

/// Answer of an export poll (`result`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportStatus {
    /// Job state.
    pub status: ExportState,
    /// 0–100.
    #[serde(default, deserialize_with = "f64_any")]
    pub percent_complete: f64,
    /// Set once complete.
    #[serde(default, deserialize_with = "opt_string")]
    pub file_id: Option<String>,
    /// Set once complete when continuation was requested.
    #[serde(default, deserialize_with = "opt_string")]
    pub continuation_token: Option<String>,
}

/// Where an export flow is.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "phase", rename_all = "camelCase")]
pub enum ExportPhase {
    /// Qualtrics is building the file.
    Exporting {
        /// 0–100.
        percent: f64,
    },
    /// The file is downloading.
    Downloading {
        /// Bytes received so far.
        bytes: u64,
    },
    /// The file is being read.
    Parsing {
        /// Responses handed over so far.
        responses: u64,
    },
}

/// A progress report of [`crate::Client::export_responses`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ExportProgress {
    /// Current phase and its figure.
    pub phase: ExportPhase,
}

/// Outcome of a whole export flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportSummary {
    /// Responses handed to the callback.
    pub responses: u64,
    /// Token for the next incremental export, if continuation was requested.
    pub continuation_token: Option<String>,
    /// The export file id.
    pub file_id: String,
    /// HTTP requests made (including retries and token fetches).
    pub http_requests: u32,
}

/// One exported response.
///
/// `values` and `labels` are kept as the JSON text the export carried (one allocation each
/// instead of a tree of maps and strings, so bulk imports can store them as they are); the
/// accessors parse them once, on first use.
#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportedResponse {
    /// `R_...`.
    #[serde(default)]
    pub response_id: String,
    /// Field → recode/value (numbers, strings, arrays), as JSON object text.
    #[serde(default = "JsonText::empty_object")]
    values: JsonText,
    /// Field → label, for coded fields, as JSON object text.
    #[serde(default = "JsonText::empty_object")]
    labels: JsonText,
    /// Fields that were shown to the respondent, as JSON array text (read on demand: most
    /// imports never ask, and a list of strings per response is a dozen allocations).
    #[serde(default = "JsonText::empty_array")]
    displayed_fields: JsonText,
    #[serde(skip)]
    parsed: OnceLock<Parsed>,
}

#[derive(Debug, Clone, Default)]
struct Parsed {
    values: Map<String, Value>,
    labels: Map<String, Value>,
}

/// JSON text kept as it is: read from an export as a raw value (checked by the JSON parser
/// once), or written by this crate's CSV reader (valid by construction, so not parsed again
/// as `RawValue::from_string` would).
#[derive(Clone)]
struct JsonText(Cow<'static, str>);

impl JsonText {
    /// `{}`, without an allocation (every CSV row has no labels).
    fn empty_object() -> JsonText {
        JsonText(Cow::Borrowed("{}"))
    }

    /// `[]`, without an allocation.
    fn empty_array() -> JsonText {
        JsonText(Cow::Borrowed("[]"))
    }

    fn get(&self) -> &str {
        &self.0
    }
}

impl Serialize for JsonText {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Written as the raw JSON it is (checked here, the rare path, not when read).
        let raw: &RawValue = serde_json::from_str(&self.0).map_err(serde::ser::Error::custom)?;
        raw.serialize(s)
    }
}

impl<'de> Deserialize<'de> for JsonText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text: Box<str> = Box::<RawValue>::deserialize(d)?.into();
        Ok(JsonText(Cow::Owned(text.into_string())))
    }
}

fn is_object(raw: &JsonText) -> bool {
    raw.get().trim_start().starts_with('{')
}

impl std::fmt::Debug for ExportedResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportedResponse")
            .field("response_id", &self.response_id)
            .field("values", &self.values.get())
            .field("labels", &self.labels.get())
            .field("displayed_fields", &self.displayed_fields.get())
            .finish()
    }
}

impl PartialEq for ExportedResponse {
    fn eq(&self, other: &Self) -> bool {
        self.response_id == other.response_id
            && self.displayed_fields() == other.displayed_fields()
            && self.values() == other.values()
            && self.labels() == other.labels()
    }
}

impl ExportedResponse {
    /// A response from its parts (CSV exports, tests).
    pub fn new(
        response_id: impl Into<String>,
        values: Map<String, Value>,
        labels: Map<String, Value>,
    ) -> ExportedResponse {
        let raw = |m: &Map<String, Value>| {
            serde_json::to_string(m)
                .map_or_else(|_| JsonText::empty_object(), |t| JsonText(t.into()))
        };
        ExportedResponse {
            response_id: response_id.into(),
            values: raw(&values),
            labels: raw(&labels),
            displayed_fields: JsonText::empty_array(),
            parsed: OnceLock::from(Parsed { values, labels }),
        }
    }

    /// A response whose `values` is the given JSON object text and without labels. Only
    /// for the CSV reader, which writes a valid object itself (keys and escaped cells from
    /// `serde_json`, plain cells between quotes): the text is not parsed again.
    pub(crate) fn from_csv_values(response_id: String, values: String) -> ExportedResponse {
        ExportedResponse {
            response_id,
            values: JsonText(Cow::Owned(values)),
            labels: JsonText::empty_object(),
            displayed_fields: JsonText::empty_array(),
            parsed: OnceLock::new(),
        }
    }

    /// A response of a JSON export from the text of its parts, already checked as JSON by
    /// the export reader (so not parsed again); a missing part is an empty object.
    pub(crate) fn from_export_text(
        response_id: String,
        values: Option<String>,
        labels: Option<String>,
        displayed_fields: Option<String>,
    ) -> ExportedResponse {
        let text =
            |t: Option<String>| t.map_or_else(JsonText::empty_object, |t| JsonText(Cow::Owned(t)));
        ExportedResponse {
            response_id,
            values: text(values),
            labels: text(labels),
            displayed_fields: displayed_fields
                .map_or_else(JsonText::empty_array, |t| JsonText(Cow::Owned(t))),
            parsed: OnceLock::new(),
        }
    }

    /// Whether `values` and `labels` are JSON objects (checked by the export parsers).
    pub(crate) fn is_well_formed(&self) -> bool {
        is_object(&self.values) && is_object(&self.labels)
    }

    fn parsed(&self) -> &Parsed {
        self.parsed.get_or_init(|| Parsed {
            values: serde_json::from_str(self.values.get()).unwrap_or_default(),
            labels: serde_json::from_str(self.labels.get()).unwrap_or_default(),
        })
    }

    /// Field → recode/value (numbers, strings, arrays).
    pub fn values(&self) -> &Map<String, Value> {
        &self.parsed().values
    }

    /// Field → label, for coded fields.
    pub fn labels(&self) -> &Map<String, Value> {
        &self.parsed().labels
    }

    /// The fields that were shown to the respondent (`displayedFields`), in export order.
    pub fn displayed_fields(&self) -> Vec<String> {
        serde_json::from_str(self.displayed_fields.get()).unwrap_or_default()
    }

    /// `values` as the JSON object text of the export.
    pub fn values_json(&self) -> &str {
        self.values.get()
    }

    /// `labels` as the JSON object text of the export.
    pub fn labels_json(&self) -> &str {
        self.labels.get()
    }

    /// Takes the response apart without copying: (response id, values JSON, labels JSON).
    pub fn into_json_parts(self) -> (String, String, String) {
        let text = |raw: JsonText| raw.0.into_owned();
        (self.response_id, text(self.values), text(self.labels))
    }

    /// A field of `values`, parsed on first use.
    pub fn value(&self, field: &str) -> Option<&Value> {
        self.values().get(field)
    }

    /// `values.finished` as a bool (`1`, `true`, `"True"`, `"1"` all mean finished).
    pub fn finished(&self) -> Option<bool> {
        self.value("finished").and_then(value_as_bool)
    }

    /// `values.recordedDate` (RFC 3339).
    pub fn recorded_date(&self) -> Option<DateTime<Utc>> {
        self.date("recordedDate")
    }

    /// `values.startDate` (RFC 3339).
    pub fn start_date(&self) -> Option<DateTime<Utc>> {
        self.date("startDate")
    }

    /// `values.endDate` (RFC 3339).
    pub fn end_date(&self) -> Option<DateTime<Utc>> {
        self.date("endDate")
    }

    /// A field as a number (numbers and numeric strings).
    pub fn number(&self, field: &str) -> Option<f64> {
        match self.value(field)? {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
            Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
            _ => None,
        }
    }

    /// A field's selected choices as strings: arrays item by item, a single value as one
    /// item, missing/null/empty as none.
    pub fn choices(&self, field: &str) -> Vec<String> {
        fn text(v: &Value) -> Option<String> {
            match v {
                Value::String(s) if !s.is_empty() => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                Value::Bool(b) => Some(b.to_string()),
                _ => None,
            }
        }
        match self.value(field) {
            Some(Value::Array(items)) => items.iter().filter_map(text).collect(),
            Some(v) => text(v).into_iter().collect(),
            None => Vec::new(),
        }
    }

    /// A field as text (strings as is, numbers rendered).
    pub fn text(&self, field: &str) -> Option<String> {
        match self.value(field)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    /// The label of a coded field, if the export carries one.
    pub fn label(&self, field: &str) -> Option<&str> {
        self.labels().get(field).and_then(Value::as_str)
    }

    fn date(&self, field: &str) -> Option<DateTime<Utc>> {
        self.value(field)
            .and_then(Value::as_str)
            .and_then(parse_date)
    }
}
