//! [`ExportRequest`]: the body of `POST /surveys/{id}/export-responses`, and its checks.
//!
//! Contract: serialises to exactly the camelCase body Qualtrics expects (unset options are
//! omitted; empty id lists are sent as `[]`, meaning "none"); [`ExportRequest::validate`]
//! rejects locally every combination Qualtrics rejects, and [`ExportRequest::to_body`] never
//! sends `continuationToken` together with `allowContinuation`.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::Error;
use crate::models::survey::parse_date;

/// File format of an export.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// `{"responses": [...]}` (default; parsed into typed responses).
    #[default]
    Json,
    /// One response object per line.
    Ndjson,
    /// Three header rows then one row per response.
    Csv,
    /// Like CSV, tab-separated.
    Tsv,
}

impl ExportFormat {
    fn is_json(self) -> bool {
        matches!(self, ExportFormat::Json | ExportFormat::Ndjson)
    }
}

/// Body of `POST /surveys/{id}/export-responses`. Build it with the setters.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportRequest {
    format: ExportFormat,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    compress: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    start_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    end_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    limit: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    question_ids: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    embedded_data_ids: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    survey_metadata_ids: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    filter_id: Option<String>,
    #[serde(
        default,
        rename = "exportResponsesInProgress",
        skip_serializing_if = "Option::is_none"
    )]
    in_progress: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    allow_continuation: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    continuation_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    use_labels: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    time_zone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    seen_unanswered_recode: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    multiselect_seen_unanswered_recode: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    include_display_order: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    breakout_sets: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    include_label_columns: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sort_by_last_modified_date: Option<bool>,
}

fn iso(date: DateTime<Utc>) -> String {
    // Qualtrics rejects fractional seconds in export windows.
    date.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl ExportRequest {
    /// A JSON export of everything (the default).
    pub fn new() -> Self {
        Self::default()
    }

    /// File format (default JSON).
    pub fn format(mut self, format: ExportFormat) -> Self {
        self.format = format;
        self
    }

    /// `compress: false` returns the file itself instead of a zip.
    pub fn compress(mut self, compress: bool) -> Self {
        self.compress = Some(compress);
        self
    }

    /// Only responses recorded at or after `date`.
    pub fn start_date(mut self, date: DateTime<Utc>) -> Self {
        self.start_date = Some(iso(date));
        self
    }

    /// Only responses recorded before `date`.
    pub fn end_date(mut self, date: DateTime<Utc>) -> Self {
        self.end_date = Some(iso(date));
        self
    }

    /// At most `limit` responses.
    pub fn limit(mut self, limit: u64) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Only these questions (an empty list exports none).
    pub fn question_ids(mut self, ids: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.question_ids = Some(ids.into_iter().map(Into::into).collect());
        self
    }

    /// Only these embedded-data fields (an empty list exports none).
    pub fn embedded_data_ids(mut self, ids: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.embedded_data_ids = Some(ids.into_iter().map(Into::into).collect());
        self
    }

    /// Only these metadata fields, e.g. `startDate`, `recordedDate`, `finished`.
    pub fn survey_metadata_ids(mut self, ids: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.survey_metadata_ids = Some(ids.into_iter().map(Into::into).collect());
        self
    }

    /// A saved filter (cannot be combined with continuation).
    pub fn filter_id(mut self, id: impl Into<String>) -> Self {
        self.filter_id = Some(id.into());
        self
    }

    /// Export unfinished (in-progress) responses only.
    pub fn in_progress(mut self, in_progress: bool) -> Self {
        self.in_progress = Some(in_progress);
        self
    }

    /// Ask for a continuation token for a later incremental export.
    pub fn allow_continuation(mut self, allow: bool) -> Self {
        self.allow_continuation = Some(allow);
        self
    }

    /// Only responses since the export that issued `token` (implies a new token is issued).
    pub fn continuation_token(mut self, token: impl Into<String>) -> Self {
        self.continuation_token = Some(token.into());
        self
    }

    /// Labels instead of recodes (CSV/TSV only).
    pub fn use_labels(mut self, use_labels: bool) -> Self {
        self.use_labels = Some(use_labels);
        self
    }

    /// Time zone for dates, e.g. `America/Denver` (CSV/TSV only).
    pub fn time_zone(mut self, tz: impl Into<String>) -> Self {
        self.time_zone = Some(tz.into());
        self
    }

    /// Recode for seen-but-unanswered questions (CSV/TSV only).
    pub fn seen_unanswered_recode(mut self, recode: i64) -> Self {
        self.seen_unanswered_recode = Some(recode);
        self
    }

    /// Same for multi-select questions (CSV/TSV only).
    pub fn multiselect_seen_unanswered_recode(mut self, recode: i64) -> Self {
        self.multiselect_seen_unanswered_recode = Some(recode);
        self
    }

    /// Adds `_DO` display-order columns (CSV/TSV only).
    pub fn include_display_order(mut self, include: bool) -> Self {
        self.include_display_order = Some(include);
        self
    }

    /// Breaks out multi-value fields (CSV/TSV only).
    pub fn breakout_sets(mut self, breakout: bool) -> Self {
        self.breakout_sets = Some(breakout);
        self
    }

    /// Both recode and label columns (not with `use_labels`).
    pub fn include_label_columns(mut self, include: bool) -> Self {
        self.include_label_columns = Some(include);
        self
    }

    /// Date window applies to the last-modified date (not with a filter).
    pub fn sort_by_last_modified_date(mut self, sort: bool) -> Self {
        self.sort_by_last_modified_date = Some(sort);
        self
    }

    /// The chosen format.
    pub fn file_format(&self) -> ExportFormat {
        self.format
    }

    /// The continuation token, if any.
    pub fn token(&self) -> Option<&str> {
        self.continuation_token.as_deref()
    }

    /// Checks locally what Qualtrics would reject with a 400.
    pub fn validate(&self) -> Result<(), Error> {
        let bad = |m: &str| Err(Error::InvalidRequest(m.to_string()));
        if self.filter_id.is_some()
            && (self.continuation_token.is_some() || self.allow_continuation == Some(true))
        {
            return bad("a saved filter (filterId) cannot be combined with continuation (allowContinuation / continuationToken)");
        }
        if self.filter_id.is_some() && self.sort_by_last_modified_date == Some(true) {
            return bad("a saved filter (filterId) cannot be combined with sortByLastModifiedDate");
        }
        if let Some(token) = &self.continuation_token {
            if token.trim().is_empty() {
                return bad("the continuation token is empty");
            }
            if self.allow_continuation == Some(false) {
                return bad("a continuation token always yields a new token; allowContinuation cannot be false with it");
            }
        }
        if self
            .filter_id
            .as_deref()
            .is_some_and(|f| f.trim().is_empty())
        {
            return bad("the filter id is empty");
        }
        if self.limit == Some(0) {
            return bad("limit must be at least 1");
        }
        if let (Some(start), Some(end)) = (&self.start_date, &self.end_date) {
            if let (Some(s), Some(e)) = (parse_date(start), parse_date(end)) {
                if s >= e {
                    return bad("startDate must be before endDate");
                }
            }
        }
        if self.use_labels == Some(true) && self.include_label_columns == Some(true) {
            return bad("useLabels and includeLabelColumns cannot be combined");
        }
        if self.format.is_json() {
            let csv_only = [
                ("useLabels", self.use_labels.is_some()),
                ("timeZone", self.time_zone.is_some()),
                (
                    "seenUnansweredRecode",
                    self.seen_unanswered_recode.is_some(),
                ),
                (
                    "multiselectSeenUnansweredRecode",
                    self.multiselect_seen_unanswered_recode.is_some(),
                ),
                ("includeDisplayOrder", self.include_display_order.is_some()),
                ("breakoutSets", self.breakout_sets.is_some()),
            ];
            if let Some((name, _)) = csv_only.iter().find(|(_, set)| *set) {
                return Err(Error::InvalidRequest(format!(
                    "{name} is not allowed with format json/ndjson"
                )));
            }
        }
        Ok(())
    }

    /// The JSON body to send: never both `continuationToken` and `allowContinuation`.
    pub fn to_body(&self) -> Result<Value, Error> {
        self.validate()?;
        let mut body = self.clone();
        if body.continuation_token.is_some() {
            body.allow_continuation = None;
        }
        serde_json::to_value(&body).map_err(|e| Error::InvalidRequest(e.to_string()))
    }
}
