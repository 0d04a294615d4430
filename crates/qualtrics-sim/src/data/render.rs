//! Rendering of generated responses into export shapes (JSON element, CSV columns).
//!
//! Contract: [`response_json`] produces one element of the JSON export's
//! `responses` array exactly as API.md §5 describes: `values` (metadata with
//! numeric `status`/`progress`/`duration`/`finished`, string lat/long,
//! `recordedDate` with millis, single choice = recode number, multi-select =
//! array of recode strings, `QIDn_TEXT`, `QIDn_<row>`, `QIDn_NPS_GROUP`,
//! embedded data by name), `labels` (coded fields only; `finished` is
//! `"True"`/`"False"`), `displayedFields` and `displayedValues`. Unanswered
//! questions are absent. [`csv_columns`] gives the CSV columns (export tag,
//! question text, ImportId cell, value) in the layout of the recorded CSVs.

use serde_json::{json, Map, Value};

use super::generate::{nps_group, Answer, Generated};
use super::model::{Choice, QuestionKind};

pub use super::csv::{csv_columns, Column};

/// Survey metadata field ids accepted in `surveyMetadataIds`, in export order.
pub const METADATA_IDS: [&str; 17] = [
    "startDate",
    "endDate",
    "status",
    "ipAddress",
    "progress",
    "duration",
    "finished",
    "recordedDate",
    "_recordId",
    "recipientLastName",
    "recipientFirstName",
    "recipientEmail",
    "externalDataReference",
    "locationLatitude",
    "locationLongitude",
    "distributionChannel",
    "userLanguage",
];

/// Which fields an export includes (`None` = all; an empty list = none).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Selection {
    /// `questionIds`.
    pub questions: Option<Vec<String>>,
    /// `surveyMetadataIds`.
    pub metadata: Option<Vec<String>>,
    /// `embeddedDataIds`.
    pub embedded: Option<Vec<String>>,
}

fn allows(list: &Option<Vec<String>>, id: &str) -> bool {
    list.as_ref().is_none_or(|l| l.iter().any(|x| x == id))
}

impl Selection {
    /// Whether the question is exported.
    pub fn question(&self, qid: &str) -> bool {
        allows(&self.questions, qid)
    }
    /// Whether the metadata field is exported.
    pub fn meta(&self, id: &str) -> bool {
        allows(&self.metadata, id)
    }
    /// Whether the embedded data field is exported.
    pub fn embedded(&self, name: &str) -> bool {
        allows(&self.embedded, name)
    }
}

fn iso_secs(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn iso_millis(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

pub(super) fn metadata_value(g: &Generated, id: &str) -> Option<Value> {
    let recipient = g.recipient.as_ref();
    Some(match id {
        "startDate" => json!(iso_secs(&g.start)),
        "endDate" => json!(iso_secs(&g.end)),
        "status" => json!(0),
        "ipAddress" => json!(g.ip),
        "progress" => json!(g.progress),
        "duration" => json!(g.duration),
        "finished" => json!(i32::from(g.finished)),
        "recordedDate" => json!(iso_millis(&g.recorded)),
        "_recordId" => json!(g.response_id),
        "recipientLastName" => json!(recipient?.0),
        "recipientFirstName" => json!(recipient?.1),
        "recipientEmail" => json!(recipient?.2),
        "locationLatitude" => json!(g.latitude),
        "locationLongitude" => json!(g.longitude),
        "distributionChannel" => json!(g.channel),
        "userLanguage" => json!(g.language),
        _ => return None,
    })
}

/// A whole number as a JSON integer, else as a float (slider decimals).
pub(super) fn json_number(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        json!(v as i64)
    } else {
        json!(v)
    }
}

fn recodes(choices: &[Choice]) -> Value {
    Value::Array(choices.iter().map(|c| json!(c.recode_number())).collect())
}

/// One element of the JSON export's `responses` array.
pub fn response_json(g: &Generated, sel: &Selection) -> Value {
    let mut values = Map::new();
    let mut labels = Map::new();
    for id in METADATA_IDS {
        if sel.meta(id) {
            if let Some(v) = metadata_value(g, id) {
                values.insert(id.to_string(), v);
            }
        }
    }
    if sel.meta("status") {
        labels.insert("status".into(), json!("IP Address"));
    }
    if sel.meta("finished") {
        labels.insert(
            "finished".into(),
            json!(if g.finished { "True" } else { "False" }),
        );
    }
    for (q, answer) in &g.answers {
        if !sel.question(q.qid) {
            continue;
        }
        match (answer, q.kind) {
            (Answer::Choice(c), QuestionKind::Nps) => {
                let (group, label) = nps_group(c.recode_number());
                values.insert(format!("{}_NPS_GROUP", q.qid), json!(group));
                values.insert(q.qid.to_string(), json!(c.recode_number()));
                labels.insert(format!("{}_NPS_GROUP", q.qid), json!(label));
                labels.insert(q.qid.to_string(), json!(c.label));
            }
            (Answer::Choice(c), _) => {
                values.insert(q.qid.to_string(), json!(c.recode_number()));
                labels.insert(q.qid.to_string(), json!(c.label));
            }
            (Answer::Multi(cs), _) => {
                values.insert(
                    q.qid.to_string(),
                    json!(cs.iter().map(|c| c.recode).collect::<Vec<_>>()),
                );
                labels.insert(
                    q.qid.to_string(),
                    json!(cs.iter().map(|c| c.label).collect::<Vec<_>>()),
                );
            }
            (Answer::Matrix(cells), _) => {
                for (row, point) in cells {
                    let key = format!("{}_{}", q.qid, row.id);
                    values.insert(key.clone(), json!(point.recode_number()));
                    labels.insert(key, json!(point.label));
                }
            }
            (Answer::MatrixMulti(cells), _) => {
                for (row, points) in cells {
                    let key = format!("{}_{}", q.qid, row.id);
                    values.insert(
                        key.clone(),
                        json!(points.iter().map(|c| c.recode).collect::<Vec<_>>()),
                    );
                    labels.insert(
                        key,
                        json!(points.iter().map(|c| c.label).collect::<Vec<_>>()),
                    );
                }
            }
            (Answer::Numbers(cells), _) => {
                for (row, number) in cells {
                    values.insert(format!("{}_{}", q.qid, row.id), json_number(*number));
                }
            }
            (Answer::SideBySide(cells), QuestionKind::SideBySide { columns, .. }) => {
                for (i, row, chosen) in cells {
                    let key = format!("{}#{}_{}", q.qid, i + 1, row.id);
                    let multi = columns[*i].multi;
                    let value = if multi {
                        json!(chosen.iter().map(|c| c.recode).collect::<Vec<_>>())
                    } else {
                        json!(chosen[0].recode_number())
                    };
                    let label = if multi {
                        json!(chosen.iter().map(|c| c.label).collect::<Vec<_>>())
                    } else {
                        json!(chosen[0].label)
                    };
                    values.insert(key.clone(), value);
                    labels.insert(key, label);
                }
            }
            (Answer::SideBySide(_), _) => {}
            (Answer::Form(cells), _) => {
                for (row, text) in cells {
                    values.insert(format!("{}_{}_TEXT", q.qid, row.id), json!(text));
                }
            }
            (Answer::Text(t), _) => {
                values.insert(format!("{}_TEXT", q.qid), json!(t));
            }
        }
    }
    for (name, value) in &g.embedded {
        if sel.embedded(name) {
            values.insert((*name).to_string(), json!(value));
        }
    }
    let mut fields = Vec::new();
    let mut displayed_values = Map::new();
    for q in g.displayed.iter().filter(|q| sel.question(q.qid)) {
        match q.kind {
            QuestionKind::Nps => {
                fields.push(json!(q.qid));
                displayed_values.insert(q.qid.to_string(), recodes(q.choices()));
                let groups: Vec<Value> = q
                    .choices()
                    .iter()
                    .map(|c| json!(nps_group(c.recode_number()).0))
                    .collect();
                displayed_values.insert(format!("{}_NPS_GROUP", q.qid), Value::Array(groups));
            }
            QuestionKind::Single(c)
            | QuestionKind::Multi(c)
            | QuestionKind::Styled { choices: c, .. } => {
                fields.push(json!(q.qid));
                displayed_values.insert(q.qid.to_string(), recodes(c));
            }
            QuestionKind::Matrix { rows, scale, .. }
            | QuestionKind::DrillDown {
                levels: rows,
                options: scale,
                ..
            } => {
                for row in rows {
                    let key = format!("{}_{}", q.qid, row.id);
                    fields.push(json!(key));
                    displayed_values.insert(key, recodes(scale));
                }
            }
            QuestionKind::RankOrder(rows) => {
                let ranks: Vec<Value> = (1..=rows.len()).map(|k| json!(k)).collect();
                for row in rows {
                    let key = format!("{}_{}", q.qid, row.id);
                    fields.push(json!(key));
                    displayed_values.insert(key, Value::Array(ranks.clone()));
                }
            }
            QuestionKind::Slider { rows, .. } | QuestionKind::ConstantSum { rows, .. } => {
                fields.extend(rows.iter().map(|r| json!(format!("{}_{}", q.qid, r.id))));
            }
            QuestionKind::SideBySide { rows, columns } => {
                for (i, col) in columns.iter().enumerate() {
                    for row in rows {
                        let key = format!("{}#{}_{}", q.qid, i + 1, row.id);
                        fields.push(json!(key));
                        displayed_values.insert(key, recodes(col.answers));
                    }
                }
            }
            QuestionKind::Form(rows) | QuestionKind::NumberForm(rows) => {
                fields.extend(
                    rows.iter()
                        .map(|r| json!(format!("{}_{}_TEXT", q.qid, r.id))),
                );
            }
            QuestionKind::Text | QuestionKind::NumberEntry { .. } => {
                fields.push(json!(format!("{}_TEXT", q.qid)))
            }
        }
    }
    json!({
        "responseId": g.response_id,
        "values": values,
        "labels": labels,
        "displayedFields": fields,
        "displayedValues": displayed_values,
    })
}
