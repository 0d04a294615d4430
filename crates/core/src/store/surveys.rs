//! Surveys, their questions and embedded data fields.
//!
//! Contract: [`Store::upsert_surveys`] takes the complete list the token sees and marks every
//! survey missing from it as deleted (cached data is kept). [`Store::set_survey_definition`]
//! stores the raw survey-definitions `result` (for debug exports) and replaces the question
//! rows parsed from it; questions that disappeared from the definition are kept but marked
//! deleted, so cards built on them can say so.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::definition::parse_definition;
use super::{parse_ts, ts, Store};
use crate::calculation::{applicable_calculations, Calculation};
use crate::error::{Error, Result};

/// A survey as listed by `GET /surveys` (input of [`Store::upsert_surveys`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SurveyInfo {
    pub id: String,
    pub name: String,
    pub owner_id: Option<String>,
    pub is_active: bool,
    pub last_modified: Option<String>,
    pub creation_date: Option<String>,
}

/// A cached survey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SurveyRow {
    pub id: String,
    pub name: String,
    pub owner_id: Option<String>,
    pub is_active: bool,
    pub last_modified: Option<String>,
    pub creation_date: Option<String>,
    /// Last time the survey was seen in the survey list.
    pub listed_at: Option<DateTime<Utc>>,
    /// No longer visible to the token (cached data is kept).
    pub deleted: bool,
    /// Whether a definition (questions) has been stored.
    pub has_definition: bool,
}

/// One answer option of a question (for a matrix: one scale point).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Choice {
    /// Qualtrics choice id (`"1"`, `"2"`, ...).
    pub id: String,
    /// Display text, HTML stripped.
    pub label: String,
    /// Recode value: what response exports carry; numeric metrics use it.
    pub recode: String,
    /// `false` for choices excluded from analysis ("Don't know", "N/A").
    pub analyze: bool,
}

/// One row of a question answered per row (matrix statement, slider bar, form field,
/// drill-down level, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SubQuestion {
    /// Row id; exports name the answer field `QIDn_<id>` (form fields `QIDn_<id>_TEXT`).
    pub id: String,
    /// Row text, HTML stripped.
    pub label: String,
}

/// A question of a survey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QuestionRow {
    pub survey_id: String,
    /// `QID16`.
    pub qid: String,
    /// `Q16` (the DataExportTag), when present.
    pub export_tag: Option<String>,
    /// Question text, HTML stripped.
    pub text: String,
    /// `MC`, `Matrix`, `TE`, `Slider`, `NPS`, ...
    pub question_type: String,
    pub selector: Option<String>,
    pub sub_selector: Option<String>,
    /// Answer options in display order (scale points for a matrix).
    pub choices: Vec<Choice>,
    /// Rows, each exported as its own field: matrix statements, slider bars, constant-sum
    /// and rank-order items, form fields, drill-down levels.
    pub sub_questions: Vec<SubQuestion>,
    /// Order in the survey.
    #[ts(type = "number")]
    pub position: i64,
    /// Gone from the latest definition (or in the trash block).
    pub deleted: bool,
    /// A text entry (single line or form fields) whose answers must be numbers: the
    /// definition's `Validation.Settings.ContentType` is `ValidNumber`. Exports still carry
    /// the answers as text (`QIDn_TEXT`); calculations read them as numbers.
    #[serde(default)]
    pub numeric_entry: bool,
    /// The calculations that mean something for this question, most specific first
    /// (decided by `calculation::applicable_calculations`; the UI offers exactly these).
    #[serde(default)]
    pub calculations: Vec<Calculation>,
}

impl QuestionRow {
    /// `row` with its applicable calculations filled in.
    pub fn with_calculations(mut row: QuestionRow) -> QuestionRow {
        row.calculations = applicable_calculations(&row);
        row
    }

    /// A short human name: the export tag, else the QID.
    pub fn short_name(&self) -> &str {
        self.export_tag.as_deref().unwrap_or(&self.qid)
    }

    /// Whether answers are chosen from a list (usable for Group by, Distribution...).
    pub fn is_choice(&self) -> bool {
        !self.choices.is_empty()
    }

    /// Whether several choices can be selected at once (multi-answer selectors).
    pub fn is_multi_select(&self) -> bool {
        matches!(
            self.selector.as_deref(),
            Some("MAVR" | "MAHR" | "MACOL" | "MSB" | "MultipleAnswer")
        ) || self.sub_selector.as_deref() == Some("MultipleAnswer")
    }

    /// Whether answers are free text (`TE`).
    pub fn is_text_entry(&self) -> bool {
        self.question_type == "TE"
    }

    /// Whether this is a form of text fields (`TE`/`FORM`, one `QIDn_<row>_TEXT` per field).
    pub fn is_form(&self) -> bool {
        self.is_text_entry() && self.selector.as_deref() == Some("FORM")
    }

    /// Whether answers are numbers typed into a text entry (see [`QuestionRow::numeric_entry`]).
    pub fn is_numeric_entry(&self) -> bool {
        self.is_text_entry() && self.numeric_entry
    }

    /// Whether each row is answered with a number without choices (slider, constant sum,
    /// rank order).
    pub fn is_numeric_rows(&self) -> bool {
        matches!(self.question_type.as_str(), "Slider" | "CS" | "RO")
    }
}

impl Store {
    /// Records the complete list of surveys visible to the token at `listed_at`: inserts new
    /// ones, updates known ones (un-deleting them), and marks every other survey deleted.
    pub fn upsert_surveys(&self, surveys: &[SurveyInfo], listed_at: DateTime<Utc>) -> Result<()> {
        let at = ts(listed_at);
        self.with_tx(|tx| {
            {
                let mut up = tx.prepare(
                    "INSERT INTO surveys (id, name, owner_id, is_active, last_modified,
                                          creation_date, listed_at, deleted)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0)
                     ON CONFLICT(id) DO UPDATE SET name = excluded.name,
                        owner_id = excluded.owner_id, is_active = excluded.is_active,
                        last_modified = excluded.last_modified,
                        creation_date = excluded.creation_date,
                        listed_at = excluded.listed_at, deleted = 0",
                )?;
                for s in surveys {
                    up.execute(params![
                        s.id,
                        s.name,
                        s.owner_id,
                        s.is_active,
                        s.last_modified,
                        s.creation_date,
                        at
                    ])?;
                }
            }
            tx.execute(
                "UPDATE surveys SET deleted = 1 WHERE listed_at <> ?1",
                [&at],
            )?;
            Ok(())
        })
    }

    /// All cached surveys (deleted ones included, flagged), by name.
    pub fn list_surveys(&self) -> Result<Vec<SurveyRow>> {
        self.with_conn(|c| {
            let mut stmt =
                c.prepare(&format!("{SURVEY_SELECT} ORDER BY name COLLATE NOCASE, id"))?;
            let rows = stmt.query_map([], survey_from_row)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// One cached survey.
    pub fn get_survey(&self, survey_id: &str) -> Result<Option<SurveyRow>> {
        self.with_conn(|c| {
            Ok(c.query_row(
                &format!("{SURVEY_SELECT} WHERE id = ?1"),
                [survey_id],
                survey_from_row,
            )
            .optional()?)
        })
    }

    /// Stores the raw survey-definitions `result` and replaces the survey's question rows and
    /// embedded data fields parsed from it. Questions no longer present are marked deleted.
    /// Creates the survey row (named from `SurveyName`) when it was never listed.
    pub fn set_survey_definition(
        &self,
        survey_id: &str,
        raw_definition_json: &serde_json::Value,
    ) -> Result<()> {
        let parsed = parse_definition(survey_id, raw_definition_json)?;
        let raw = serde_json::to_string(raw_definition_json)?;
        self.with_tx(|tx| {
            tx.execute(
                "INSERT INTO surveys (id, name, is_active, listed_at, definition_json)
                 VALUES (?1, ?2, 1, ?3, ?4)
                 ON CONFLICT(id) DO UPDATE SET definition_json = excluded.definition_json",
                params![survey_id, parsed.survey_name, ts(Utc::now()), raw],
            )?;
            tx.execute(
                "UPDATE questions SET deleted = 1 WHERE survey_id = ?1",
                [survey_id],
            )?;
            {
                let mut up = tx.prepare(
                    "INSERT INTO questions (survey_id, qid, export_tag, text, question_type,
                        selector, sub_selector, choices_json, sub_questions_json, position, deleted,
                        numeric_entry)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                     ON CONFLICT(survey_id, qid) DO UPDATE SET export_tag = excluded.export_tag,
                        text = excluded.text, question_type = excluded.question_type,
                        selector = excluded.selector, sub_selector = excluded.sub_selector,
                        choices_json = excluded.choices_json,
                        sub_questions_json = excluded.sub_questions_json,
                        position = excluded.position, deleted = excluded.deleted,
                        numeric_entry = excluded.numeric_entry",
                )?;
                for q in &parsed.questions {
                    up.execute(params![
                        survey_id,
                        q.qid,
                        q.export_tag,
                        q.text,
                        q.question_type,
                        q.selector,
                        q.sub_selector,
                        serde_json::to_string(&q.choices)?,
                        serde_json::to_string(&q.sub_questions)?,
                        q.position,
                        q.deleted,
                        q.numeric_entry
                    ])?;
                }
            }
            tx.execute(
                "DELETE FROM embedded_fields WHERE survey_id = ?1",
                [survey_id],
            )?;
            let mut ins = tx.prepare(
                "INSERT OR IGNORE INTO embedded_fields (survey_id, name) VALUES (?1, ?2)",
            )?;
            for name in &parsed.embedded_fields {
                ins.execute(params![survey_id, name])?;
            }
            Ok(())
        })?;
        self.columns.invalidate_survey(survey_id);
        Ok(())
    }

    /// The raw definition JSON last stored for a survey.
    pub fn survey_definition(&self, survey_id: &str) -> Result<Option<serde_json::Value>> {
        let raw: Option<Option<String>> = self.with_conn(|c| {
            Ok(c.query_row(
                "SELECT definition_json FROM surveys WHERE id = ?1",
                [survey_id],
                |r| r.get(0),
            )
            .optional()?)
        })?;
        match raw.flatten() {
            Some(s) => Ok(Some(serde_json::from_str(&s)?)),
            None => Ok(None),
        }
    }

    /// Questions of a survey in survey order (deleted ones included, flagged).
    pub fn list_questions(&self, survey_id: &str) -> Result<Vec<QuestionRow>> {
        self.with_conn(|c| {
            let mut stmt = c.prepare(&format!(
                "{QUESTION_SELECT} WHERE survey_id = ?1 ORDER BY position, qid"
            ))?;
            let rows = stmt.query_map([survey_id], question_from_row)?;
            rows.map(|r| r.map_err(Error::from).and_then(|x| x))
                .collect()
        })
    }

    /// One question.
    pub fn get_question(&self, survey_id: &str, qid: &str) -> Result<Option<QuestionRow>> {
        self.with_conn(|c| {
            c.query_row(
                &format!("{QUESTION_SELECT} WHERE survey_id = ?1 AND qid = ?2"),
                [survey_id, qid],
                question_from_row,
            )
            .optional()?
            .transpose()
        })
    }

    /// Embedded data fields declared by a survey's flow, by name.
    pub fn list_embedded_fields(&self, survey_id: &str) -> Result<Vec<String>> {
        self.with_conn(|c| {
            let mut stmt =
                c.prepare("SELECT name FROM embedded_fields WHERE survey_id = ?1 ORDER BY name")?;
            let rows = stmt.query_map([survey_id], |r| r.get(0))?;
            Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
        })
    }
}

const SURVEY_SELECT: &str = "SELECT id, name, owner_id, is_active, last_modified, creation_date,
    listed_at, deleted, definition_json IS NOT NULL FROM surveys";

fn survey_from_row(r: &Row<'_>) -> rusqlite::Result<SurveyRow> {
    let listed: Option<String> = r.get(6)?;
    Ok(SurveyRow {
        id: r.get(0)?,
        name: r.get(1)?,
        owner_id: r.get(2)?,
        is_active: r.get(3)?,
        last_modified: r.get(4)?,
        creation_date: r.get(5)?,
        listed_at: listed.as_deref().and_then(parse_ts),
        deleted: r.get(7)?,
        has_definition: r.get(8)?,
    })
}

const QUESTION_SELECT: &str = "SELECT survey_id, qid, export_tag, text, question_type, selector,
    sub_selector, choices_json, sub_questions_json, position, deleted, numeric_entry
    FROM questions";

fn question_from_row(r: &Row<'_>) -> rusqlite::Result<Result<QuestionRow>> {
    let choices: String = r.get(7)?;
    let subs: String = r.get(8)?;
    let build = |choices: Vec<Choice>, sub_questions: Vec<SubQuestion>| -> rusqlite::Result<_> {
        Ok(QuestionRow::with_calculations(QuestionRow {
            survey_id: r.get(0)?,
            qid: r.get(1)?,
            export_tag: r.get(2)?,
            text: r.get(3)?,
            question_type: r.get(4)?,
            selector: r.get(5)?,
            sub_selector: r.get(6)?,
            choices,
            sub_questions,
            position: r.get(9)?,
            deleted: r.get(10)?,
            numeric_entry: r.get(11)?,
            calculations: Vec::new(),
        }))
    };
    match (serde_json::from_str(&choices), serde_json::from_str(&subs)) {
        (Ok(c), Ok(s)) => Ok(Ok(build(c, s)?)),
        (Err(e), _) | (_, Err(e)) => Ok(Err(e.into())),
    }
}
