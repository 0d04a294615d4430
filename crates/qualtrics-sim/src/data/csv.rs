//! CSV (and TSV) columns of an export, in the layout of the recorded CSVs.
//!
//! Contract: [`csv_columns`] gives, per selected field, a [`Column`] with its three header
//! cells (export tag, question text, ImportId JSON) and its value for a response, as the
//! recorded `colmap_fetch` CSV shows them: `Qn`, `Qn_<choice>` (multi-select),
//! `Qn_<row>` (matrix, slider, constant sum, rank order, drill-down), `Qn_<row>_<col>`
//! (multiple-answer matrix, ImportId `QIDn_<row>` + `choiceId`), `Qn#<col>_<row>` and
//! `Qn#<col>_<row>_<answer>` (side by side), form fields with ImportId `QIDn_<row>_TEXT`.

use serde_json::{json, Value};

use super::generate::{nps_group, Answer, Generated};
use super::model::{Choice, Question, QuestionKind, SurveySpec};
use super::render::{json_number, metadata_value, Selection, METADATA_IDS};

/// One CSV column of an export.
#[derive(Debug, Clone, Copy)]
pub enum Column {
    /// Survey metadata field (by id).
    Meta(&'static str),
    /// `QIDn_NPS_GROUP`.
    NpsGroup(&'static Question),
    /// Single choice / NPS value.
    Single(&'static Question),
    /// One choice of a multi-select.
    MultiChoice(&'static Question, &'static Choice),
    /// One matrix row.
    MatrixRow(&'static Question, &'static Choice),
    /// Text entry.
    Text(&'static Question),
    /// One column of one row of a multiple-answer matrix (`Q_<row>_<col>`).
    MatrixCell(&'static Question, &'static Choice, &'static Choice),
    /// One row answered with a number (slider, constant sum, rank order).
    RowNumber(&'static Question, &'static Choice),
    /// One cell of a single-answer side-by-side column (`Q#<col>_<row>`; column index 0-based).
    SbsCell(&'static Question, usize, &'static Choice),
    /// One answer of a multiple-answer side-by-side cell (`Q#<col>_<row>_<answer>`).
    SbsChoice(&'static Question, usize, &'static Choice, &'static Choice),
    /// One form field (`Q_<row>`, ImportId `QIDn_<row>_TEXT`).
    FormField(&'static Question, &'static Choice),
    /// Embedded data field.
    Embedded(&'static str),
}

fn meta_headers(id: &str) -> (&'static str, &'static str) {
    match id {
        "startDate" => ("StartDate", "Start Date"),
        "endDate" => ("EndDate", "End Date"),
        "status" => ("Status", "Response Type"),
        "ipAddress" => ("IPAddress", "IP Address"),
        "progress" => ("Progress", "Progress"),
        "duration" => ("Duration (in seconds)", "Duration (in seconds)"),
        "finished" => ("Finished", "Finished"),
        "recordedDate" => ("RecordedDate", "Recorded Date"),
        "_recordId" => ("ResponseId", "Response ID"),
        "recipientLastName" => ("RecipientLastName", "Recipient Last Name"),
        "recipientFirstName" => ("RecipientFirstName", "Recipient First Name"),
        "recipientEmail" => ("RecipientEmail", "Recipient Email"),
        "externalDataReference" => ("ExternalReference", "External Data Reference"),
        "locationLatitude" => ("LocationLatitude", "Location Latitude"),
        "locationLongitude" => ("LocationLongitude", "Location Longitude"),
        "distributionChannel" => ("DistributionChannel", "Distribution Channel"),
        _ => ("UserLanguage", "User Language"),
    }
}

/// The CSV columns of an export of `spec` under `sel`.
pub fn csv_columns(spec: &'static SurveySpec, sel: &Selection) -> Vec<Column> {
    let mut cols: Vec<Column> = METADATA_IDS
        .iter()
        .filter(|id| sel.meta(id))
        .map(|id| Column::Meta(id))
        .collect();
    for q in spec.questions.iter().filter(|q| sel.question(q.qid)) {
        match q.kind {
            QuestionKind::Nps => {
                cols.push(Column::NpsGroup(q));
                cols.push(Column::Single(q));
            }
            QuestionKind::Single(_) | QuestionKind::Styled { .. } if !q.is_multi() => {
                cols.push(Column::Single(q))
            }
            QuestionKind::Single(cs)
            | QuestionKind::Multi(cs)
            | QuestionKind::Styled { choices: cs, .. } => {
                cols.extend(cs.iter().map(|c| Column::MultiChoice(q, c)))
            }
            QuestionKind::Matrix {
                rows,
                scale,
                multi: true,
                ..
            } => cols.extend(
                rows.iter()
                    .flat_map(|r| scale.iter().map(move |c| Column::MatrixCell(q, r, c))),
            ),
            QuestionKind::Matrix { rows, .. } | QuestionKind::DrillDown { levels: rows, .. } => {
                cols.extend(rows.iter().map(|r| Column::MatrixRow(q, r)))
            }
            QuestionKind::Slider { rows, .. }
            | QuestionKind::ConstantSum { rows, .. }
            | QuestionKind::RankOrder(rows) => {
                cols.extend(rows.iter().map(|r| Column::RowNumber(q, r)))
            }
            QuestionKind::Form(rows) | QuestionKind::NumberForm(rows) => {
                cols.extend(rows.iter().map(|r| Column::FormField(q, r)))
            }
            QuestionKind::SideBySide { rows, columns } => {
                for (i, col) in columns.iter().enumerate() {
                    for r in rows {
                        if col.multi {
                            cols.extend(col.answers.iter().map(|a| Column::SbsChoice(q, i, r, a)));
                        } else {
                            cols.push(Column::SbsCell(q, i, r));
                        }
                    }
                }
            }
            QuestionKind::Text | QuestionKind::NumberEntry { .. } => cols.push(Column::Text(q)),
        }
    }
    cols.extend(
        spec.embedded
            .iter()
            .filter(|n| sel.embedded(n))
            .map(|n| Column::Embedded(n)),
    );
    cols
}

impl Column {
    /// Header row 1: export tag.
    pub fn tag(&self) -> String {
        match self {
            Column::Meta(id) => meta_headers(id).0.to_string(),
            Column::NpsGroup(q) => format!("{}_NPS_GROUP", q.tag),
            Column::Single(q) | Column::Text(q) => q.tag.to_string(),
            Column::MultiChoice(q, c)
            | Column::MatrixRow(q, c)
            | Column::RowNumber(q, c)
            | Column::FormField(q, c) => format!("{}_{}", q.tag, c.id),
            Column::MatrixCell(q, r, c) => format!("{}_{}_{}", q.tag, r.id, c.id),
            Column::SbsCell(q, i, r) => format!("{}#{}_{}", q.tag, i + 1, r.id),
            Column::SbsChoice(q, i, r, a) => format!("{}#{}_{}_{}", q.tag, i + 1, r.id, a.id),
            Column::Embedded(n) => (*n).to_string(),
        }
    }

    /// Header row 2: question text.
    pub fn text(&self) -> String {
        match self {
            Column::Meta(id) => meta_headers(id).1.to_string(),
            Column::NpsGroup(q) => format!("{} - Group", q.text),
            Column::Single(q) | Column::Text(q) => q.text.to_string(),
            Column::MultiChoice(q, c) => format!("{} - Selected Choice - {}", q.text, c.label),
            Column::MatrixRow(q, c) | Column::RowNumber(q, c) | Column::FormField(q, c) => {
                format!("{} - {}", q.text, c.label)
            }
            Column::MatrixCell(q, r, c) => format!("{} - {} - {}", q.text, r.label, c.label),
            Column::SbsCell(q, i, r) => format!("{} - {} - {}", q.text, sbs_text(q, *i), r.label),
            Column::SbsChoice(q, i, r, a) => format!(
                "{} - {} - {} - {}",
                q.text,
                sbs_text(q, *i),
                r.label,
                a.label
            ),
            Column::Embedded(n) => (*n).to_string(),
        }
    }

    /// Header row 3: ImportId JSON cell.
    pub fn import_id(&self) -> String {
        let v = match self {
            Column::Meta(id) if matches!(*id, "startDate" | "endDate" | "recordedDate") => {
                json!({"ImportId": id, "timeZone": "Z"})
            }
            Column::Meta(id) => json!({"ImportId": id}),
            Column::NpsGroup(q) => json!({"ImportId": format!("{}_NPS_GROUP", q.qid)}),
            Column::Single(q) => json!({"ImportId": q.qid}),
            Column::MultiChoice(q, c) => json!({"ImportId": q.qid, "choiceId": c.id}),
            Column::MatrixRow(q, c) | Column::RowNumber(q, c) => {
                json!({"ImportId": format!("{}_{}", q.qid, c.id)})
            }
            Column::MatrixCell(q, r, c) => {
                json!({"ImportId": format!("{}_{}", q.qid, r.id), "choiceId": c.id})
            }
            Column::FormField(q, c) => json!({"ImportId": format!("{}_{}_TEXT", q.qid, c.id)}),
            Column::SbsCell(q, i, r) => {
                json!({"ImportId": format!("{}#{}_{}", q.qid, i + 1, r.id)})
            }
            Column::SbsChoice(q, i, r, a) => {
                json!({"ImportId": format!("{}#{}_{}", q.qid, i + 1, r.id), "choiceId": a.id})
            }
            Column::Text(q) => json!({"ImportId": format!("{}_TEXT", q.qid)}),
            Column::Embedded(n) => json!({"ImportId": n}),
        };
        v.to_string()
    }

    /// Cell value for a response (`labels` = the `useLabels` option).
    pub fn value(&self, g: &Generated, labels: bool) -> String {
        let pick = |c: &Choice| {
            if labels {
                c.label.to_string()
            } else {
                c.recode.to_string()
            }
        };
        let csv_time =
            |t: &chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M:%S").to_string();
        match self {
            Column::Meta(id) => match *id {
                "startDate" => csv_time(&g.start),
                "endDate" => csv_time(&g.end),
                "recordedDate" => csv_time(&g.recorded),
                "status" if labels => "IP Address".into(),
                "finished" if labels => if g.finished { "True" } else { "False" }.into(),
                "finished" => i32::from(g.finished).to_string(),
                _ => match metadata_value(g, id) {
                    Some(Value::String(s)) => s,
                    Some(v) => v.to_string(),
                    None => String::new(),
                },
            },
            Column::NpsGroup(q) => match g.answer(q.qid) {
                Some(Answer::Choice(c)) => {
                    let (n, label) = nps_group(c.recode_number());
                    if labels {
                        label.to_string()
                    } else {
                        n.to_string()
                    }
                }
                _ => String::new(),
            },
            Column::Single(q) => match g.answer(q.qid) {
                Some(Answer::Choice(c)) => pick(c),
                _ => String::new(),
            },
            Column::MultiChoice(q, choice) => match g.answer(q.qid) {
                Some(Answer::Multi(cs)) if cs.iter().any(|c| c.id == choice.id) => pick(choice),
                _ => String::new(),
            },
            Column::MatrixRow(q, row) => match g.answer(q.qid) {
                Some(Answer::Matrix(cells)) => cells
                    .iter()
                    .find(|(r, _)| r.id == row.id)
                    .map(|(_, p)| pick(p))
                    .unwrap_or_default(),
                _ => String::new(),
            },
            Column::Text(q) => match g.answer(q.qid) {
                Some(Answer::Text(t)) => t.clone(),
                _ => String::new(),
            },
            Column::MatrixCell(q, row, col) => match g.answer(q.qid) {
                Some(Answer::MatrixMulti(cells)) => cells
                    .iter()
                    .find(|(r, cs)| r.id == row.id && cs.iter().any(|c| c.id == col.id))
                    .map(|_| pick(col))
                    .unwrap_or_default(),
                _ => String::new(),
            },
            Column::RowNumber(q, row) => match g.answer(q.qid) {
                Some(Answer::Numbers(cells)) => cells
                    .iter()
                    .find(|(r, _)| r.id == row.id)
                    .map(|(_, v)| json_number(*v).to_string())
                    .unwrap_or_default(),
                _ => String::new(),
            },
            Column::SbsCell(q, i, row) => match g.answer(q.qid) {
                Some(Answer::SideBySide(cells)) => cells
                    .iter()
                    .find(|(c, r, _)| c == i && r.id == row.id)
                    .map(|(_, _, chosen)| pick(chosen[0]))
                    .unwrap_or_default(),
                _ => String::new(),
            },
            Column::SbsChoice(q, i, row, answer) => match g.answer(q.qid) {
                Some(Answer::SideBySide(cells)) => cells
                    .iter()
                    .find(|(c, r, chosen)| {
                        c == i && r.id == row.id && chosen.iter().any(|a| a.id == answer.id)
                    })
                    .map(|_| pick(answer))
                    .unwrap_or_default(),
                _ => String::new(),
            },
            Column::FormField(q, row) => match g.answer(q.qid) {
                Some(Answer::Form(cells)) => cells
                    .iter()
                    .find(|(r, _)| r.id == row.id)
                    .map(|(_, t)| t.clone())
                    .unwrap_or_default(),
                _ => String::new(),
            },
            Column::Embedded(n) => g.embedded_value(n).unwrap_or_default().to_string(),
        }
    }
}

fn sbs_text(q: &Question, column: usize) -> &'static str {
    match q.kind {
        QuestionKind::SideBySide { columns, .. } => columns[column].text,
        _ => "",
    }
}
