//! Legacy `GET /surveys/{id}`: questions with `questionType`, `exportColumnMap`,
//! embedded data and response counts.
//!
//! Contract: parses every recorded legacy answer (2018–2025 shapes); unknown fields are
//! ignored; the untouched `result` stays in [`LegacySurvey::raw`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::Error;
use crate::serde_ext::{lenient_map, opt_bool, opt_string};

/// A survey as the legacy endpoint describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LegacySurvey {
    /// `SV_...`.
    pub id: String,
    /// Survey name.
    #[serde(default, deserialize_with = "opt_string")]
    pub name: Option<String>,
    /// Owner `UR_...`.
    #[serde(default, deserialize_with = "opt_string")]
    pub owner_id: Option<String>,
    /// Brand id.
    #[serde(default, deserialize_with = "opt_string")]
    pub organization_id: Option<String>,
    /// Whether the survey is active.
    #[serde(default, deserialize_with = "opt_bool")]
    pub is_active: Option<bool>,
    /// Creation time (as sent).
    #[serde(default, deserialize_with = "opt_string")]
    pub creation_date: Option<String>,
    /// Last modification (as sent).
    #[serde(default, deserialize_with = "opt_string")]
    pub last_modified_date: Option<String>,
    /// Questions keyed by QID.
    #[serde(default, deserialize_with = "lenient_map")]
    pub questions: BTreeMap<String, LegacyQuestion>,
    /// CSV column name → what it holds.
    #[serde(default, deserialize_with = "lenient_map")]
    pub export_column_map: BTreeMap<String, ExportColumn>,
    /// Embedded-data fields.
    #[serde(default)]
    pub embedded_data: Vec<LegacyEmbeddedData>,
    /// Response counts.
    #[serde(default)]
    pub response_counts: Option<ResponseCounts>,
    /// The `result` object exactly as received.
    #[serde(skip_deserializing)]
    pub raw: Value,
}

/// One legacy question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LegacyQuestion {
    /// `{type, selector, subSelector}`.
    #[serde(default)]
    pub question_type: QuestionType,
    /// Question text.
    #[serde(default, deserialize_with = "opt_string")]
    pub question_text: Option<String>,
    /// Optional label.
    #[serde(default, deserialize_with = "opt_string")]
    pub question_label: Option<String>,
    /// Export tag, e.g. `Q16`.
    #[serde(default, deserialize_with = "opt_string")]
    pub question_name: Option<String>,
    /// Choices keyed by id (for matrices: the answer scale).
    #[serde(default, deserialize_with = "lenient_map")]
    pub choices: BTreeMap<String, LegacyChoice>,
    /// Matrix rows keyed by id.
    #[serde(default, deserialize_with = "lenient_map")]
    pub sub_questions: BTreeMap<String, LegacyChoice>,
    /// Side-by-side columns (each a nested question).
    #[serde(default, deserialize_with = "lenient_map")]
    pub columns: BTreeMap<String, LegacyQuestion>,
}

/// `questionType`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuestionType {
    /// `MC`, `Matrix`, `TE`, ...
    #[serde(default, rename = "type")]
    pub kind: String,
    /// `SAVR`, `Likert`, ...
    #[serde(default, deserialize_with = "opt_string")]
    pub selector: Option<String>,
    /// `TX`, `SingleAnswer`, ...
    #[serde(default, deserialize_with = "opt_string")]
    pub sub_selector: Option<String>,
}

/// A legacy choice / sub-question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LegacyChoice {
    /// Recode value.
    #[serde(default, deserialize_with = "opt_string")]
    pub recode: Option<String>,
    /// Display text.
    #[serde(default, deserialize_with = "opt_string")]
    pub choice_text: Option<String>,
    /// Plain description.
    #[serde(default, deserialize_with = "opt_string")]
    pub description: Option<String>,
    /// Variable naming label.
    #[serde(default, deserialize_with = "opt_string")]
    pub variable_name: Option<String>,
    /// Whether it counts in analysis (absent = true).
    #[serde(default, deserialize_with = "opt_bool")]
    pub analyze: Option<bool>,
    /// Text-entry settings, when the choice has a text box.
    #[serde(default)]
    pub text_entry: Option<Value>,
}

/// One `exportColumnMap` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportColumn {
    /// `QID...`.
    pub question: String,
    /// e.g. `QID1.subQuestions.3`.
    #[serde(default, deserialize_with = "opt_string")]
    pub sub_question: Option<String>,
    /// e.g. `QID2.choices.1`.
    #[serde(default, deserialize_with = "opt_string")]
    pub choice: Option<String>,
    /// e.g. `QID1.subQuestions.3.textEntry`.
    #[serde(default, deserialize_with = "opt_string")]
    pub text_entry: Option<String>,
}

/// `embeddedData[]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LegacyEmbeddedData {
    /// Field name.
    pub name: String,
    /// Default value.
    #[serde(default, deserialize_with = "opt_string")]
    pub default_value: Option<String>,
}

/// `responseCounts`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResponseCounts {
    /// Recorded responses.
    #[serde(default)]
    pub auditable: u64,
    /// Generated (test) responses.
    #[serde(default)]
    pub generated: u64,
    /// Deleted responses.
    #[serde(default)]
    pub deleted: u64,
}

impl LegacySurvey {
    /// Builds a legacy survey from the envelope's `result`.
    pub fn from_value(raw: Value) -> Result<LegacySurvey, Error> {
        let mut survey: LegacySurvey = serde_json::from_value(raw.clone())
            .map_err(|e| Error::malformed("legacy survey", e))?;
        survey.raw = raw;
        Ok(survey)
    }
}

impl LegacyChoice {
    /// Whether the choice counts in analysis (default true).
    pub fn is_analyzed(&self) -> bool {
        self.analyze.unwrap_or(true)
    }
}
