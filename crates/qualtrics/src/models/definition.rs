//! `GET /survey-definitions/{id}`: the survey's questions, blocks and flow.
//!
//! Contract: [`SurveyDefinition`] exposes typed questions (keyed by QID), blocks, the
//! embedded-data fields declared in the flow, and keeps the untouched JSON in
//! [`SurveyDefinition::raw`]. Shape quirks are absorbed: `QuestionCount` as a string,
//! `ChoiceOrder` as strings or ints, `[]` for an empty map, missing `Choices`.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::Error;
use crate::serde_ext::{id_cmp, lenient_map, opt_bool, opt_string, opt_u32, string_list};

/// A survey definition.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SurveyDefinition {
    /// `SV_...`.
    pub survey_id: String,
    /// Survey name.
    pub survey_name: Option<String>,
    /// e.g. `Active`.
    pub survey_status: Option<String>,
    /// Brand id.
    pub brand_id: Option<String>,
    /// Owner `UR_...`.
    pub owner_id: Option<String>,
    /// Last modification (as sent).
    pub last_modified: Option<String>,
    /// `QuestionCount` (a string in real answers).
    pub question_count: Option<u32>,
    /// Questions keyed by QID.
    pub questions: BTreeMap<String, DefinitionQuestion>,
    /// Blocks keyed by `BL_...` id.
    pub blocks: BTreeMap<String, Block>,
    /// Embedded-data fields declared in the survey flow, in flow order, without duplicates.
    pub embedded_data: Vec<EmbeddedDataField>,
    /// The `result` object exactly as received (for debug exports).
    pub raw: Value,
}

/// One question of a definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "RawQuestion", rename_all = "camelCase")]
pub struct DefinitionQuestion {
    /// `QID...`.
    pub question_id: String,
    /// Question text (may contain HTML).
    pub text: String,
    /// Plain description, when Qualtrics provides one.
    pub description: Option<String>,
    /// `DataExportTag`, e.g. `Q16` (the CSV column name).
    pub export_tag: Option<String>,
    /// `MC`, `TE`, `Matrix`, `Slider`, `DB`, ...
    pub question_type: String,
    /// `SAVR`, `MAVR`, `Likert`, `NPS`, ...
    pub selector: Option<String>,
    /// `TX`, `SingleAnswer`, ...
    pub sub_selector: Option<String>,
    /// Choices in display order (`ChoiceOrder` first, then any others by id). For matrix
    /// questions these are the rows (statements / sub-questions).
    pub choices: Vec<Choice>,
    /// `ChoiceOrder` as sent (ids as strings).
    pub choice_order: Vec<String>,
    /// Matrix columns (the answer scale), in `AnswerOrder`; empty for other types.
    pub answers: Vec<Choice>,
}

/// One choice (or matrix answer) of a question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Choice {
    /// Choice id (`"1"`, `"2"`, ...).
    pub id: String,
    /// Display text (may contain HTML).
    pub display: String,
    /// Recode value used in exports (`RecodeValues`, else the id).
    pub recode: String,
    /// `VariableNaming` label, if set.
    pub variable_name: Option<String>,
    /// Whether the choice counts in analysis (`AnalyzeChoices` "No" or
    /// `ExcludeFromAnalysis: true` exclude it).
    pub analyze: bool,
    /// Whether the choice has a text entry box.
    pub text_entry: bool,
    /// Whether selecting it excludes other answers.
    pub exclusive: bool,
}

/// A block of questions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "RawBlock", rename_all = "camelCase")]
pub struct Block {
    /// `BL_...`.
    pub id: String,
    /// `Standard`, `Default` or `Trash`.
    pub block_type: String,
    /// Block name.
    pub description: Option<String>,
    /// QIDs in block order.
    pub question_ids: Vec<String>,
}

/// An embedded-data field set in the survey flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EmbeddedDataField {
    /// Field name (also its key in exported `values`).
    pub name: String,
    /// Value set in the flow, if any.
    pub value: Option<String>,
}

impl SurveyDefinition {
    /// Builds a definition from the envelope's `result`.
    pub fn from_value(raw: Value) -> Result<SurveyDefinition, Error> {
        let parsed: RawDefinition = serde_json::from_value(raw.clone())
            .map_err(|e| Error::malformed("survey definition", e))?;
        let questions = parsed
            .questions
            .into_iter()
            .map(|(qid, mut q)| {
                if q.question_id.is_empty() {
                    q.question_id = qid.clone();
                }
                (qid, q)
            })
            .collect();
        let mut blocks = BTreeMap::new();
        for (key, mut block) in parsed.blocks {
            if block.id.is_empty() {
                block.id = key;
            }
            blocks.insert(block.id.clone(), block);
        }
        let mut embedded_data = Vec::new();
        if let Some(flow) = &parsed.survey_flow {
            collect_embedded(flow, &mut embedded_data);
        }
        Ok(SurveyDefinition {
            survey_id: parsed.survey_id,
            survey_name: parsed.survey_name,
            survey_status: parsed.survey_status,
            brand_id: parsed.brand_id,
            owner_id: parsed.owner_id,
            last_modified: parsed.last_modified,
            question_count: parsed.question_count,
            questions,
            blocks,
            embedded_data,
            raw,
        })
    }

    /// Questions in survey order: blocks as the flow visits them, then questions of blocks
    /// the flow does not name, then questions in no block. Trash blocks are skipped.
    pub fn questions_in_order(&self) -> Vec<&DefinitionQuestion> {
        let mut block_order: Vec<&str> = Vec::new();
        if let Some(flow) = self.raw.get("SurveyFlow") {
            collect_block_ids(flow, &mut block_order);
        }
        let mut rest: Vec<&str> = self.blocks.keys().map(String::as_str).collect();
        rest.sort_by(|a, b| id_cmp(a, b));
        block_order.extend(rest);
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        let mut trashed = BTreeSet::new();
        for id in block_order {
            let Some(block) = self.blocks.get(id) else {
                continue;
            };
            if block.block_type == "Trash" {
                trashed.extend(block.question_ids.iter().map(String::as_str));
                continue;
            }
            for qid in &block.question_ids {
                if let Some(q) = self.questions.get(qid) {
                    if seen.insert(qid.as_str()) {
                        out.push(q);
                    }
                }
            }
        }
        let mut loose: Vec<&DefinitionQuestion> = self
            .questions
            .values()
            .filter(|q| {
                !seen.contains(q.question_id.as_str()) && !trashed.contains(q.question_id.as_str())
            })
            .collect();
        loose.sort_by(|a, b| id_cmp(&a.question_id, &b.question_id));
        out.extend(loose);
        out
    }
}

impl DefinitionQuestion {
    /// Whether this is a matrix (rows in `choices`, scale in `answers`).
    pub fn is_matrix(&self) -> bool {
        self.question_type == "Matrix"
    }

    /// Finds a choice by id.
    pub fn choice(&self, id: &str) -> Option<&Choice> {
        self.choices.iter().find(|c| c.id == id)
    }
}

fn collect_embedded(flow: &Value, out: &mut Vec<EmbeddedDataField>) {
    if flow.get("Type").and_then(Value::as_str) == Some("EmbeddedData") {
        for field in flow
            .get("EmbeddedData")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = field
                .get("Field")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if name.is_empty() || out.iter().any(|f| f.name == name) {
                continue;
            }
            let value = match field.get("Value") {
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            };
            out.push(EmbeddedDataField {
                name: name.to_string(),
                value,
            });
        }
    }
    for child in flow
        .get("Flow")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        collect_embedded(child, out);
    }
}

fn collect_block_ids<'a>(flow: &'a Value, out: &mut Vec<&'a str>) {
    let kind = flow.get("Type").and_then(Value::as_str).unwrap_or_default();
    if matches!(kind, "Standard" | "Block") {
        if let Some(id) = flow.get("ID").and_then(Value::as_str) {
            if !out.contains(&id) {
                out.push(id);
            }
        }
    }
    for child in flow
        .get("Flow")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        collect_block_ids(child, out);
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawDefinition {
    #[serde(rename = "SurveyID")]
    survey_id: String,
    #[serde(default, deserialize_with = "opt_string")]
    survey_name: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    survey_status: Option<String>,
    #[serde(default, rename = "BrandID", deserialize_with = "opt_string")]
    brand_id: Option<String>,
    #[serde(default, rename = "OwnerID", deserialize_with = "opt_string")]
    owner_id: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    last_modified: Option<String>,
    #[serde(default, deserialize_with = "opt_u32")]
    question_count: Option<u32>,
    #[serde(default, deserialize_with = "lenient_map")]
    questions: BTreeMap<String, DefinitionQuestion>,
    #[serde(default, deserialize_with = "lenient_map")]
    blocks: BTreeMap<String, Block>,
    #[serde(default)]
    survey_flow: Option<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawQuestion {
    #[serde(default, rename = "QuestionID", deserialize_with = "opt_string")]
    question_id: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    question_text: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    question_description: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    data_export_tag: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    question_type: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    selector: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    sub_selector: Option<String>,
    #[serde(default, deserialize_with = "lenient_map")]
    choices: BTreeMap<String, RawChoice>,
    #[serde(default, deserialize_with = "string_list")]
    choice_order: Vec<String>,
    #[serde(default, deserialize_with = "lenient_map")]
    answers: BTreeMap<String, RawChoice>,
    #[serde(default, deserialize_with = "string_list")]
    answer_order: Vec<String>,
    #[serde(default, deserialize_with = "lenient_map")]
    recode_values: BTreeMap<String, Value>,
    #[serde(default, deserialize_with = "lenient_map")]
    variable_naming: BTreeMap<String, Value>,
    #[serde(default, deserialize_with = "lenient_map")]
    analyze_choices: BTreeMap<String, Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawChoice {
    #[serde(default, deserialize_with = "opt_string")]
    display: Option<String>,
    #[serde(default, deserialize_with = "opt_bool")]
    text_entry: Option<bool>,
    #[serde(default, deserialize_with = "opt_bool")]
    exclusive_answer: Option<bool>,
    #[serde(default, deserialize_with = "opt_bool")]
    exclude_from_analysis: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawBlock {
    #[serde(default, rename = "ID", deserialize_with = "opt_string")]
    id: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    r#type: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    description: Option<String>,
    #[serde(default)]
    block_elements: Vec<Value>,
}

impl From<RawBlock> for Block {
    fn from(raw: RawBlock) -> Self {
        Block {
            id: raw.id.unwrap_or_default(),
            block_type: raw.r#type.unwrap_or_default(),
            description: raw.description,
            question_ids: raw
                .block_elements
                .iter()
                .filter(|e| e.get("Type").and_then(Value::as_str) == Some("Question"))
                .filter_map(|e| {
                    e.get("QuestionID")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                })
                .collect(),
        }
    }
}

fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn ordered_choices(
    map: &BTreeMap<String, RawChoice>,
    order: &[String],
    raw: &RawQuestion,
    with_recodes: bool,
) -> Vec<Choice> {
    let mut ids: Vec<&str> = order
        .iter()
        .map(String::as_str)
        .filter(|id| map.contains_key(*id))
        .collect();
    let mut others: Vec<&str> = map
        .keys()
        .map(String::as_str)
        .filter(|id| !ids.contains(id))
        .collect();
    others.sort_by(|a, b| id_cmp(a, b));
    ids.extend(others);
    ids.into_iter()
        .filter_map(|id| map.get(id).map(|c| (id, c)))
        .map(|(id, c)| Choice {
            id: id.to_string(),
            display: c.display.clone().unwrap_or_default(),
            recode: with_recodes
                .then(|| raw.recode_values.get(id).and_then(value_text))
                .flatten()
                .unwrap_or_else(|| id.to_string()),
            variable_name: with_recodes
                .then(|| raw.variable_naming.get(id).and_then(value_text))
                .flatten(),
            analyze: c.exclude_from_analysis != Some(true)
                && (!with_recodes
                    || raw
                        .analyze_choices
                        .get(id)
                        .and_then(value_text)
                        .is_none_or(|v| !v.eq_ignore_ascii_case("no"))),
            text_entry: c.text_entry.unwrap_or(false),
            exclusive: c.exclusive_answer.unwrap_or(false),
        })
        .collect()
}

impl From<RawQuestion> for DefinitionQuestion {
    fn from(raw: RawQuestion) -> Self {
        let choices = ordered_choices(&raw.choices, &raw.choice_order, &raw, true);
        let answers = ordered_choices(&raw.answers, &raw.answer_order, &raw, false);
        DefinitionQuestion {
            question_id: raw.question_id.clone().unwrap_or_default(),
            text: raw.question_text.clone().unwrap_or_default(),
            description: raw.question_description.clone(),
            export_tag: raw.data_export_tag.clone(),
            question_type: raw.question_type.clone().unwrap_or_default(),
            selector: raw.selector.clone(),
            sub_selector: raw.sub_selector.clone(),
            choices,
            choice_order: raw.choice_order.clone(),
            answers,
        }
    }
}
