//! Which export field holds the answers a card measures or groups by.
//!
//! Contract: [`answer_field`] maps a question (and, for questions answered per row, one of its
//! rows) to its key in exported `values`; an unknown row, or no row for a question with several,
//! is `InvalidInput` naming the question and its rows.

use crate::error::{Error, Result};
use crate::store::QuestionRow;

/// The export field holding the answers of a question (or of one of its rows): `QIDn`,
/// `QIDn_TEXT` (text entry), `QIDn_<row>` (matrix, drill-down, slider, constant sum, rank
/// order), `QIDn_<row>_TEXT` (form fields). A question with a single row (a one-bar slider)
/// needs no row.
pub fn answer_field(question: &QuestionRow, sub_question_id: Option<&str>) -> Result<String> {
    let row = match sub_question_id {
        Some(sub) => {
            if !question.sub_questions.iter().any(|s| s.id == sub) {
                let rows: Vec<&str> = question
                    .sub_questions
                    .iter()
                    .map(|s| s.id.as_str())
                    .collect();
                return Err(Error::invalid(if rows.is_empty() {
                    format!(
                        "row {sub} is not a row of question {}: it has no rows",
                        question.short_name()
                    )
                } else {
                    format!(
                        "row {sub} is not a row of question {} (its rows are {})",
                        question.short_name(),
                        rows.join(", ")
                    )
                }));
            }
            Some(sub)
        }
        None => match question.sub_questions.as_slice() {
            [] => None,
            [only] => Some(only.id.as_str()),
            _ => {
                return Err(Error::invalid(format!(
                    "question {} has several rows ({}): choose one of its rows",
                    question.short_name(),
                    question
                        .sub_questions
                        .iter()
                        .map(|s| format!("{} {}", s.id, s.label))
                        .collect::<Vec<_>>()
                        .join(", ")
                )))
            }
        },
    };
    Ok(match row {
        Some(r) if question.is_form() => format!("{}_{}_TEXT", question.qid, r),
        Some(r) => format!("{}_{}", question.qid, r),
        None if question.is_text_entry() => format!("{}_TEXT", question.qid),
        None => question.qid.clone(),
    })
}
