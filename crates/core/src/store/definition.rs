//! Raw survey-definitions JSON → question rows.
//!
//! Contract: [`parse_definition`] reads the `result` object of
//! `GET /API/v3/survey-definitions/{id}` (the `{"result": ...}` envelope is accepted too) and
//! returns one [`QuestionRow`] per entry of `Questions`:
//! * text = `QuestionText` with HTML stripped (tags removed, entities decoded, whitespace
//!   collapsed); type/selector/sub-selector as given;
//! * choices in `ChoiceOrder` (strings or integers), then any unordered ones; label =
//!   `Display` stripped; recode = `RecodeValues[id]`, else the choice id;
//! * a choice is *not analysed* when the choice carries `"Analyze": false` or
//!   `"ExcludeFromAnalysis": true`, or the question lists it in `AnalyzeChoices` with
//!   `"No"`/`false` (Qualtrics' "exclude from analysis" setting, e.g. "Don't know");
//! * `Choices`, `Answers`, `RecodeValues` and `AnalyzeChoices` may be objects or lists; a
//!   list's item i has id `"i"` (PHP's encoding of keys 0..n, e.g. NPS choices 0..10);
//! * matrix and drill-down questions: `Choices` are the rows (sub-questions, exported as
//!   `QIDn_<row>`), and `Answers` (in `AnswerOrder`) are the scale points / options, recoded
//!   through `RecodeValues`;
//! * side by side: one matrix question per column of `AdditionalQuestions`, with the
//!   column's `QuestionID` (`QIDn#k`, answers exported as `QIDn#k_<row>`) and its text after
//!   the question's;
//! * slider, constant sum, rank order and form text entry: `Choices` are the rows (exported
//!   as `QIDn_<row>`, forms as `QIDn_<row>_TEXT`) and the question has no choices: each row
//!   is answered with a number (or a text);
//! * a text entry (single line or form) whose `Validation.Settings.ContentType` is
//!   `ValidNumber` is a numeric entry (`numeric_entry`): answered with numbers, exported as
//!   text;
//! * position follows the survey flow (blocks in flow order, then any other block, then
//!   questions in no block); questions in a `Trash` block are marked deleted.
//!
//! Embedded data fields are collected from every `EmbeddedData` element of `SurveyFlow`
//! (recursively) and from a top-level `EmbeddedData`/`embeddedData` list if present.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::flow::{embedded_fields, flow_order};
use super::html::strip_html;
use super::surveys::{Choice, QuestionRow, SubQuestion};
use crate::error::{Error, ErrorKind, Result};

/// What [`parse_definition`] extracts.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedDefinition {
    /// `SurveyName` (or the survey id when absent).
    pub survey_name: String,
    /// One row per question, sorted by position.
    pub questions: Vec<QuestionRow>,
    /// Embedded data field names, deduplicated, in flow order.
    pub embedded_fields: Vec<String>,
}

/// Parses a raw survey definition (see the module docs for the mapping).
pub fn parse_definition(survey_id: &str, raw: &Value) -> Result<ParsedDefinition> {
    let root = match raw.get("result") {
        Some(r) if r.is_object() => r,
        _ => raw,
    };
    let malformed = |what: &str| {
        Error::new(
            ErrorKind::Malformed,
            format!("survey definition of {survey_id}: {what}"),
        )
    };
    let root = root
        .as_object()
        .ok_or_else(|| malformed("not a JSON object"))?;
    let questions = match root.get("Questions") {
        Some(Value::Object(q)) => q.clone(),
        Some(Value::Array(a)) if a.is_empty() => Map::new(),
        None | Some(Value::Null) => Map::new(),
        Some(_) => return Err(malformed("`Questions` is not an object")),
    };
    let survey_name = root
        .get("SurveyName")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| survey_id.to_owned());

    let (order, trashed) = flow_order(root);
    let mut positions: HashMap<&str, usize> = HashMap::new();
    for (i, qid) in order.iter().enumerate() {
        positions.entry(qid.as_str()).or_insert(i);
    }
    let mut out = Vec::with_capacity(questions.len());
    for (i, (key, q)) in questions.iter().enumerate() {
        let q = q
            .as_object()
            .ok_or_else(|| malformed(&format!("question {key} is not an object")))?;
        let qid = q
            .get("QuestionID")
            .and_then(Value::as_str)
            .unwrap_or(key)
            .to_owned();
        let position = positions
            .get(key.as_str())
            .copied()
            .unwrap_or(order.len() + i);
        if q.get("QuestionType").and_then(Value::as_str) == Some("SBS") {
            out.extend(side_by_side_columns(
                survey_id,
                &qid,
                q,
                position as i64,
                trashed.contains(key),
            ));
            continue;
        }
        out.push(parse_question(
            survey_id,
            &qid,
            q,
            position as i64,
            trashed.contains(key),
        ));
    }
    out.sort_by_key(|q| q.position);
    for (i, q) in out.iter_mut().enumerate() {
        q.position = i as i64;
    }
    Ok(ParsedDefinition {
        survey_name,
        questions: out,
        embedded_fields: embedded_fields(root),
    })
}

/// The columns of a side-by-side question, each a matrix question of its own: the QSF keeps
/// them under `AdditionalQuestions` with their own `QuestionID` (`QID8#1`) and export tag,
/// and exports name their answers `QID8#1_<row>`, which is what a matrix `QID8#1` gives.
fn side_by_side_columns(
    survey_id: &str,
    qid: &str,
    q: &Map<String, Value>,
    position: i64,
    deleted: bool,
) -> Vec<QuestionRow> {
    let parent_text = strip_html(
        q.get("QuestionText")
            .and_then(Value::as_str)
            .unwrap_or_default(),
    );
    let parent_tag = q.get("DataExportTag").and_then(Value::as_str);
    let mut columns = entries(q.get("AdditionalQuestions"));
    columns.sort_by_key(|(k, _)| k.parse::<u64>().unwrap_or(u64::MAX));
    columns
        .into_iter()
        .filter_map(|(k, col)| {
            let col = col.as_object()?;
            let col_qid = col
                .get("QuestionID")
                .and_then(Value::as_str)
                .map_or_else(|| format!("{qid}#{k}"), str::to_owned);
            let mut row = parse_question(survey_id, &col_qid, col, position, deleted);
            row.text = match row.text.as_str() {
                "" => parent_text.clone(),
                column => format!("{parent_text} — {column}"),
            };
            if row.export_tag.is_none() {
                row.export_tag = parent_tag.map(|t| format!("{t}#{k}"));
            }
            Some(QuestionRow::with_calculations(row))
        })
        .collect()
}

fn parse_question(
    survey_id: &str,
    qid: &str,
    q: &Map<String, Value>,
    position: i64,
    deleted: bool,
) -> QuestionRow {
    let s = |k: &str| {
        q.get(k)
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let question_type = s("QuestionType").unwrap_or_else(|| "Unknown".into());
    let text = s("QuestionText")
        .or_else(|| s("QuestionDescription"))
        .unwrap_or_default();
    let recodes = entries(q.get("RecodeValues"));
    let excluded = excluded_choices(q);
    let (choices, sub_questions) = match layout(&question_type, s("Selector").as_deref()) {
        Layout::Grid => (
            build_choices(q.get("Answers"), q.get("AnswerOrder"), &recodes, &excluded),
            rows(q),
        ),
        Layout::Rows => (Vec::new(), rows(q)),
        Layout::Choices => (
            build_choices(q.get("Choices"), q.get("ChoiceOrder"), &recodes, &excluded),
            Vec::new(),
        ),
    };
    QuestionRow::with_calculations(QuestionRow {
        survey_id: survey_id.to_owned(),
        qid: qid.to_owned(),
        export_tag: s("DataExportTag"),
        text: strip_html(&text),
        question_type,
        selector: s("Selector"),
        sub_selector: s("SubSelector"),
        choices,
        sub_questions,
        position,
        deleted,
        numeric_entry: content_type(q) == Some("ValidNumber"),
        calculations: Vec::new(),
    })
}

/// `Validation.Settings.ContentType` (`ValidNumber`, `ValidEmail`, ...) of a text entry: what
/// Qualtrics makes respondents type (the question-level setting covers every form field).
fn content_type(q: &Map<String, Value>) -> Option<&str> {
    q.get("Validation")?
        .get("Settings")?
        .get("ContentType")?
        .as_str()
}

/// Where a question type keeps its answer options and its rows (see the module docs).
enum Layout {
    /// `Choices` are rows, `Answers` the options of every row (matrix, drill-down).
    Grid,
    /// `Choices` are rows, each answered with a number or a text (slider, constant sum,
    /// rank order, form fields).
    Rows,
    /// `Choices` are the options of the one answer.
    Choices,
}

fn layout(question_type: &str, selector: Option<&str>) -> Layout {
    match (question_type, selector) {
        ("Matrix" | "DD", _) => Layout::Grid,
        ("Slider" | "CS" | "RO", _) | ("TE", Some("FORM")) => Layout::Rows,
        _ => Layout::Choices,
    }
}

fn rows(q: &Map<String, Value>) -> Vec<SubQuestion> {
    ordered(q.get("Choices"), q.get("ChoiceOrder"))
        .into_iter()
        .map(|(id, c)| SubQuestion {
            id,
            label: display(c),
        })
        .collect()
}

fn build_choices(
    choices: Option<&Value>,
    order: Option<&Value>,
    recodes: &[(String, &Value)],
    excluded: &HashSet<String>,
) -> Vec<Choice> {
    ordered(choices, order)
        .into_iter()
        .map(|(id, c)| {
            let recode = recodes
                .iter()
                .find(|(k, _)| *k == id)
                .and_then(|(_, v)| scalar_string(v))
                .unwrap_or_else(|| id.clone());
            let flagged_off = c.get("Analyze").and_then(Value::as_bool) == Some(false)
                || c.get("ExcludeFromAnalysis").and_then(Value::as_bool) == Some(true);
            let analyze = !(flagged_off || excluded.contains(&id));
            Choice {
                label: display(c),
                recode,
                analyze,
                id,
            }
        })
        .collect()
}

/// Choice ids listed as not analysed in a question-level `AnalyzeChoices` map.
fn excluded_choices(q: &Map<String, Value>) -> HashSet<String> {
    entries(q.get("AnalyzeChoices"))
        .into_iter()
        .filter(|(_, v)| match v {
            Value::Bool(b) => !b,
            Value::String(s) => s.eq_ignore_ascii_case("no") || s.eq_ignore_ascii_case("false"),
            _ => false,
        })
        .map(|(k, _)| k.clone())
        .collect()
}

/// The entries of an id-keyed collection (`Choices`, `Answers`, `RecodeValues`,
/// `AnalyzeChoices`): an object keeps its keys; a list is what PHP, which serves Qualtrics,
/// sends for an array whose keys are exactly 0..n, so item i has id `"i"` (an NPS question's
/// choices 0..10 arrive as a list of 11). Null items are holes, not choices.
fn entries(v: Option<&Value>) -> Vec<(String, &Value)> {
    match v {
        Some(Value::Object(m)) => m.iter().map(|(k, v)| (k.clone(), v)).collect(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.is_null())
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => Vec::new(),
    }
}

/// The entries of a choices collection in the given order, then the unordered ones.
fn ordered<'a>(map: Option<&'a Value>, order: Option<&Value>) -> Vec<(String, &'a Value)> {
    let all = entries(map);
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(all.len());
    for id in order
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(scalar_string)
    {
        if let Some((_, v)) = all.iter().find(|(k, _)| *k == id) {
            if seen.insert(id.clone()) {
                out.push((id, *v));
            }
        }
    }
    for (id, v) in all {
        if seen.insert(id.clone()) {
            out.push((id, v));
        }
    }
    out
}

fn display(c: &Value) -> String {
    let raw = c.get("Display").and_then(Value::as_str).unwrap_or_default();
    strip_html(raw)
}

fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_tags_and_entities() {
        assert_eq!(
            strip_html("<em>Extremely</em> dissatisfied"),
            "Extremely dissatisfied"
        );
        assert_eq!(
            strip_html("Q&amp;A <b>now</b>&nbsp;&#39;x&#39;"),
            "Q&A now 'x'"
        );
        assert_eq!(strip_html("a &unknown; b"), "a &unknown; b");
    }

    #[test]
    fn numeric_content_validation_marks_a_numeric_entry() {
        let te = |selector: &str, content: &str| {
            serde_json::json!({"QuestionType": "TE", "Selector": selector, "QuestionText": "Q",
                "Choices": {"1": {"Display": "Seats"}},
                "Validation": {"Settings": {"Type": "ContentType", "ContentType": content}}})
        };
        let raw = serde_json::json!({"Questions": {"QID1": te("SL", "ValidNumber"),
            "QID2": te("FORM", "ValidNumber"), "QID3": te("SL", "ValidEmail")}});
        let parsed = parse_definition("SV_1", &raw).unwrap();
        let numeric: Vec<bool> = parsed.questions.iter().map(|q| q.numeric_entry).collect();
        assert_eq!(numeric, [true, true, false]);
        assert!(parsed.questions[1].is_form() && parsed.questions[1].is_numeric_entry());
    }

    #[test]
    fn matrix_rows_and_answers() {
        let raw = serde_json::json!({"SurveyName": "S", "Questions": {"QID4": {
            "QuestionID": "QID4", "QuestionType": "Matrix", "Selector": "Likert",
            "SubSelector": "SingleAnswer", "QuestionText": "Rate",
            "Choices": {"1": {"Display": "Speed"}, "2": {"Display": "Support"}},
            "ChoiceOrder": [2, 1],
            "Answers": {"1": {"Display": "Bad"}, "2": {"Display": "Good"}, "3": {"Display": "N/A"}},
            "AnswerOrder": ["1", "2", "3"], "RecodeValues": {"1": "1", "2": "5", "3": "-1"},
            "AnalyzeChoices": {"3": "No"}}}});
        let parsed = parse_definition("SV_1", &raw).unwrap();
        let q = &parsed.questions[0];
        assert_eq!(
            q.sub_questions
                .iter()
                .map(|s| s.id.as_str())
                .collect::<Vec<_>>(),
            ["2", "1"]
        );
        assert_eq!(
            q.choices
                .iter()
                .map(|c| c.recode.as_str())
                .collect::<Vec<_>>(),
            ["1", "5", "-1"]
        );
        assert_eq!(
            q.choices.iter().map(|c| c.analyze).collect::<Vec<_>>(),
            [true, true, false]
        );
    }

    #[test]
    fn list_shaped_collections_and_analyze_marks() {
        // QSF-era shapes: a list's item i has id "i"; AnalyzeChoices "on" (seen in recorded
        // QSF matrices, whose legacy view says analyze: true) does not exclude.
        let choices: Vec<_> = (0..=10)
            .map(|i| serde_json::json!({"Display": i.to_string()}))
            .collect();
        let raw = serde_json::json!({"Questions": {
            "QID1": {"QuestionType": "MC", "Selector": "NPS", "Choices": choices,
                     "ChoiceOrder": ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"],
                     "AnalyzeChoices": {"3": "on", "10": "No"}},
            "QID2": {"QuestionType": "MC", "Selector": "SAVR",
                     "Choices": [{"Display": "Low"}, {"Display": "High"}],
                     "RecodeValues": ["-1", "1"], "AnalyzeChoices": []},
            "QID3": {"QuestionType": "Slider", "Selector": "HSLIDER",
                     "Choices": {"1": {"Display": "Overall"}}, "ChoiceOrder": ["1"]}}});
        let parsed = parse_definition("SV_1", &raw).unwrap();
        let q = |id: &str| parsed.questions.iter().find(|q| q.qid == id).unwrap();
        let nps = q("QID1");
        assert_eq!(nps.choices.len(), 11);
        assert_eq!(
            (nps.choices[0].id.as_str(), nps.choices[0].label.as_str()),
            ("0", "0")
        );
        assert!(nps.choices[3].analyze, "\"on\" keeps the choice");
        assert!(!nps.choices[10].analyze, "\"No\" excludes it");
        let recodes: Vec<_> = q("QID2")
            .choices
            .iter()
            .map(|c| c.recode.as_str())
            .collect();
        assert_eq!(recodes, ["-1", "1"]);
        let slider = q("QID3");
        assert!(slider.choices.is_empty());
        assert_eq!(slider.sub_questions[0].id, "1");
    }
}
