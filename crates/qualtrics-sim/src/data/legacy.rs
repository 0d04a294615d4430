//! The legacy survey view (`GET /surveys/{id}`): questions with one `recode` and one
//! `analyze` per choice, `exportColumnMap`, blocks, flow, embedded data and response counts.
//!
//! Contract: derived from the static [`SurveySpec`] in the key sets of the recorded
//! `fetch_description_legacy` / `colmap_fetch` bodies (values differ); every not-analysed
//! choice says `"analyze": false` here, whatever the definition says.

use serde_json::{json, Map, Value};

use super::catalog::{BRAND_ID, MAIN_USER_ID};
use super::definition::block_id;
use super::model::{Choice, Question, QuestionKind, SurveySpec};

fn legacy_choices(choices: &[Choice], analyze: bool) -> Value {
    let mut m = Map::new();
    for c in choices {
        let mut v = json!({
            "recode": c.recode,
            "description": c.label,
            "choiceText": c.label,
            "imageDescription": null,
            "variableName": null,
        });
        if analyze {
            v["analyze"] = json!(c.analyze);
        }
        m.insert(c.id.to_string(), v);
    }
    Value::Object(m)
}

fn legacy_question(q: &Question) -> Value {
    let (t, selector, sub) = q.type_triple();
    let mut v = json!({
        "questionType": {"type": t, "selector": selector, "subSelector": sub},
        "questionText": q.text,
        "questionLabel": null,
        "validation": {"doesForceResponse": !matches!(q.kind, QuestionKind::Text)},
        "questionName": q.tag,
    });
    match q.kind {
        QuestionKind::Text => {}
        QuestionKind::NumberEntry { min, max, decimals } => {
            // As the recorded legacy view shows a numeric text entry (QID1007 of
            // crates/qualtrics/tests/fixtures/recorded/qualtRics/extracted/column_map/).
            v["validation"] = json!({
                "doesForceResponse": false, "type": "ValidNumber",
                "settings": {"maxDecimals": decimals, "maximum": max as f64,
                    "minimum": min as f64},
            });
        }
        QuestionKind::Matrix { rows, scale, .. } => {
            v["subQuestions"] = legacy_choices(rows, false);
            v["choices"] = legacy_choices(scale, true);
        }
        QuestionKind::DrillDown {
            levels, options, ..
        } => {
            v["subQuestions"] = legacy_choices(levels, false);
            v["choices"] = legacy_choices(options, true);
        }
        QuestionKind::Slider { rows, .. }
        | QuestionKind::ConstantSum { rows, .. }
        | QuestionKind::RankOrder(rows)
        | QuestionKind::Form(rows)
        | QuestionKind::NumberForm(rows) => v["choices"] = legacy_choices(rows, true),
        QuestionKind::SideBySide { rows, columns } => {
            v["subQuestions"] = legacy_choices(rows, false);
            let cols: Map<String, Value> = columns
                .iter()
                .enumerate()
                .map(|(i, col)| {
                    let sub = if col.multi { "MultipleAnswer" } else { "SingleAnswer" };
                    let c = json!({
                        "questionType": {"type": "Matrix", "selector": "Likert", "subSelector": sub},
                        "questionText": col.text,
                        "questionLabel": null,
                        "validation": {"doesForceResponse": false},
                        "choices": legacy_choices(col.answers, true),
                    });
                    ((i + 1).to_string(), c)
                })
                .collect();
            v["columns"] = Value::Object(cols);
        }
        _ => v["choices"] = legacy_choices(q.choices(), true),
    }
    v
}

fn column_map(spec: &SurveySpec) -> Value {
    let mut m = Map::new();
    for q in spec.questions {
        match q.kind {
            QuestionKind::Nps => {
                m.insert(format!("{}_NPS_GROUP", q.tag), json!({"question": q.qid}));
                m.insert(q.tag.to_string(), json!({"question": q.qid}));
            }
            _ if q.is_multi() && q.rows().is_empty() => {
                for c in q.choices() {
                    let choice = format!("{}.choices.{}", q.qid, c.id);
                    m.insert(
                        format!("{}_{}", q.tag, c.id),
                        json!({"question": q.qid, "choice": choice}),
                    );
                }
            }
            QuestionKind::Matrix {
                rows,
                scale,
                multi: true,
                ..
            } => {
                for r in rows {
                    let sub = format!("{}.subQuestions.{}", q.qid, r.id);
                    for c in scale {
                        let choice = format!("{}.choices.{}", q.qid, c.id);
                        m.insert(
                            format!("{}_{}_{}", q.tag, r.id, c.id),
                            json!({"question": q.qid, "subQuestion": sub, "choice": choice}),
                        );
                    }
                }
            }
            QuestionKind::Matrix { rows, .. } | QuestionKind::DrillDown { levels: rows, .. } => {
                for r in rows {
                    let sub = format!("{}.subQuestions.{}", q.qid, r.id);
                    m.insert(
                        format!("{}_{}", q.tag, r.id),
                        json!({"question": q.qid, "subQuestion": sub}),
                    );
                }
            }
            QuestionKind::Slider { rows, .. }
            | QuestionKind::ConstantSum { rows, .. }
            | QuestionKind::RankOrder(rows) => {
                for r in rows {
                    let choice = format!("{}.choices.{}", q.qid, r.id);
                    m.insert(
                        format!("{}_{}", q.tag, r.id),
                        json!({"question": q.qid, "choice": choice}),
                    );
                }
            }
            QuestionKind::SideBySide { rows, columns } => {
                for (i, col) in columns.iter().enumerate() {
                    let column = format!("{}.columns.{}", q.qid, i + 1);
                    for r in rows {
                        let sub = format!("{}.subQuestions.{}", q.qid, r.id);
                        let base = format!("{}#{}_{}", q.tag, i + 1, r.id);
                        if col.multi {
                            for a in col.answers {
                                let choice = format!("{column}.choices.{}", a.id);
                                m.insert(
                                    format!("{base}_{}", a.id),
                                    json!({"question": q.qid, "column": column, "subQuestion": sub, "choice": choice}),
                                );
                            }
                        } else {
                            m.insert(
                                base,
                                json!({"question": q.qid, "column": column, "subQuestion": sub}),
                            );
                        }
                    }
                }
            }
            QuestionKind::Form(rows) | QuestionKind::NumberForm(rows) => {
                for r in rows {
                    let choice = format!("{}.choices.{}", q.qid, r.id);
                    m.insert(
                        format!("{}_{}_TEXT", q.tag, r.id),
                        json!({"question": q.qid, "choice": choice}),
                    );
                }
            }
            _ => {
                m.insert(q.tag.to_string(), json!({"question": q.qid}));
            }
        }
    }
    Value::Object(m)
}

/// Response counts of the legacy survey resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ResponseCounts {
    /// Recorded (finished) responses, deleted ones left out.
    pub auditable: u64,
    /// In-progress responses, deleted ones left out.
    pub generated: u64,
    /// Deleted responses.
    pub deleted: u64,
}

/// The `result` of legacy `GET /API/v3/surveys/{id}`.
pub fn legacy(spec: &SurveySpec, counts: ResponseCounts) -> Value {
    let questions: Map<String, Value> = spec
        .questions
        .iter()
        .map(|q| (q.qid.to_string(), legacy_question(q)))
        .collect();
    let bl = block_id(spec);
    let elements: Vec<Value> = spec
        .questions
        .iter()
        .map(|q| json!({"type": "Question", "questionId": q.qid}))
        .collect();
    let embedded: Vec<Value> = spec
        .embedded
        .iter()
        .map(|n| json!({"name": n, "defaultValue": ""}))
        .collect();
    let mut flow = Vec::new();
    if !embedded.is_empty() {
        flow.push(json!({"type": "EmbeddedData"}));
    }
    flow.push(json!({"id": bl, "type": "Block"}));
    json!({
        "id": spec.id,
        "name": spec.name,
        "ownerId": MAIN_USER_ID,
        "organizationId": BRAND_ID,
        "isActive": true,
        "creationDate": spec.created,
        "lastModifiedDate": spec.modified,
        "expiration": {"startDate": null, "endDate": null},
        "questions": questions,
        "exportColumnMap": column_map(spec),
        "blocks": {bl: {"description": "Default Question Block", "elements": elements}},
        "flow": flow,
        "embeddedData": embedded,
        "comments": {},
        "loopAndMerge": {},
        "responseCounts": {
            "auditable": counts.auditable,
            "generated": counts.generated,
            "deleted": counts.deleted
        }
    })
}
