//! Survey definition (`GET /survey-definitions/{id}`) and legacy survey
//! (`GET /surveys/{id}`) documents.
//!
//! Contract: both are derived from the static [`SurveySpec`] and follow the key
//! sets of the recorded `fetch_description` / `fetch_description_legacy`
//! bodies (values differ). Not-analysed choices carry
//! `"ExcludeFromAnalysis": true` (or, in QSF shapes, the question's
//! `AnalyzeChoices` `"No"`) in the definition unless the choice is marked in the
//! legacy view only, and always `"analyze": false` in the legacy view. NPS questions use type `MC`, selector `NPS`, no
//! sub-selector (as in the recorded legacy view).

use serde_json::{json, Map, Value};

use super::catalog::{BRAND_ID, MAIN_USER_ID};
use super::model::{Choice, Question, QuestionKind, SurveySpec};

pub use super::legacy::{legacy, ResponseCounts};

pub(super) fn block_id(spec: &SurveySpec) -> String {
    format!("BL_{}", &spec.id[3..])
}

fn choices_def(choices: &[Choice], qsf: bool) -> Value {
    let mut m = Map::new();
    for c in choices {
        let mut choice = json!({"Display": c.label});
        if !c.analyze && c.marked_in_definition && !qsf {
            choice["ExcludeFromAnalysis"] = json!(true);
        }
        m.insert(c.id.to_string(), choice);
    }
    Value::Object(m)
}

fn order(choices: &[Choice]) -> Value {
    json!(choices.iter().map(|c| c.id).collect::<Vec<_>>())
}

/// `RecodeValues` (only when a recode differs from its id, as Qualtrics omits it otherwise)
/// and, in QSF shapes, `AnalyzeChoices` with `"No"` for each not-analysed choice.
fn recodes_def(d: &mut Value, choices: &[Choice], qsf: bool) {
    if choices.iter().any(|c| c.recode != c.id) {
        let recodes: Map<String, Value> = choices
            .iter()
            .map(|c| (c.id.to_string(), json!(c.recode)))
            .collect();
        d["RecodeValues"] = Value::Object(recodes);
    }
    if qsf && choices.iter().any(|c| !c.analyze && c.marked_in_definition) {
        let analyze: Map<String, Value> = choices
            .iter()
            .filter(|c| !c.analyze && c.marked_in_definition)
            .map(|c| (c.id.to_string(), json!("No")))
            .collect();
        d["AnalyzeChoices"] = Value::Object(analyze);
    }
}

fn question_def(q: &Question, qsf: bool) -> Value {
    let (t, selector, sub) = q.type_triple();
    let mut d = json!({
        "QuestionText": q.text,
        "DataExportTag": q.tag,
        "QuestionType": t,
        "Selector": selector,
    });
    if let Some(sub) = sub {
        d["SubSelector"] = json!(sub);
    }
    d["Configuration"] = json!({"QuestionDescriptionOption": "UseText"});
    d["QuestionDescription"] = json!(q.text);
    let mut validation = json!({"ForceResponse": "ON", "ForceResponseType": "ON", "Type": "None"});
    match q.kind {
        QuestionKind::Matrix { rows, scale, .. } => {
            d["Choices"] = choices_def(rows, qsf);
            d["ChoiceOrder"] = order(rows);
            d["Answers"] = choices_def(scale, qsf);
            d["AnswerOrder"] = order(scale);
            d["ChoiceDataExportTags"] = json!(false);
            recodes_def(&mut d, scale, qsf);
        }
        QuestionKind::DrillDown {
            levels, options, ..
        } => {
            d["Choices"] = choices_def(levels, qsf);
            d["ChoiceOrder"] = order(levels);
            d["Answers"] = choices_def(options, qsf);
        }
        QuestionKind::Text => {
            d["DefaultChoices"] = json!(false);
            d["GradingData"] = json!([]);
            d["SearchSource"] = json!({"AllowFreeResponse": "false"});
            validation["ForceResponse"] = json!("OFF");
        }
        QuestionKind::NumberEntry { min, max, decimals } => {
            // Content validation as the survey editor saves it (docs/QUALTRICS.md).
            d["DefaultChoices"] = json!(false);
            d["SearchSource"] = json!({"AllowFreeResponse": "false"});
            validation = json!({
                "ForceResponse": "OFF", "ForceResponseType": "ON", "Type": "ContentType",
                "MinChars": "1", "ContentType": "ValidNumber",
                "ValidDateType": "DateWithFormat", "ValidPhoneType": "ValidUSPhone",
                "ValidZipType": "ValidUSZip",
                "ValidNumber": {"Min": min.to_string(), "Max": max.to_string(),
                    "NumDecimals": decimals.to_string()},
            });
        }
        QuestionKind::Slider {
            rows,
            min,
            max,
            decimals,
            ..
        } => {
            d["Choices"] = choices_def(rows, qsf);
            d["ChoiceOrder"] = order(rows);
            d["Configuration"] = json!({
                "QuestionDescriptionOption": "UseText", "CSSliderMin": min, "CSSliderMax": max,
                "GridLines": 10, "SnapToGrid": decimals == 0, "NumDecimals": decimals.to_string(),
                "ShowValue": true, "CustomStart": false, "NotApplicable": false,
                "MobileFirst": true
            });
        }
        QuestionKind::ConstantSum { rows, total } => {
            d["Choices"] = choices_def(rows, qsf);
            d["ChoiceOrder"] = order(rows);
            validation = json!({"ForceResponse": "OFF", "Type": "ChoicesTotal",
                                "ChoiceTotal": total.to_string()});
        }
        QuestionKind::RankOrder(rows) | QuestionKind::Form(rows) => {
            d["Choices"] = choices_def(rows, qsf);
            d["ChoiceOrder"] = order(rows);
        }
        QuestionKind::NumberForm(rows) => {
            d["Choices"] = choices_def(rows, qsf);
            d["ChoiceOrder"] = order(rows);
            validation = json!({
                "ForceResponse": "OFF", "Type": "ContentType", "ContentType": "ValidNumber",
                "ValidNumber": {"Min": "0", "Max": "500", "NumDecimals": "0"},
            });
        }
        QuestionKind::SideBySide { rows, columns } => {
            // As the recorded QSF: each column is a matrix under `AdditionalQuestions`, with
            // its own `QuestionID` (`QIDn#k`) and export tag (`Qn#k`).
            d["Choices"] = choices_def(rows, qsf);
            d["ChoiceOrder"] = order(rows);
            d["NumberOfQuestions"] = json!(columns.len());
            let mut additional = Map::new();
            for (i, col) in columns.iter().enumerate() {
                let k = i + 1;
                let mut c = json!({
                    "QuestionText": col.text, "QuestionDescription": col.text,
                    "QuestionType": "Matrix", "Selector": "Likert",
                    "SubSelector": if col.multi { "MultipleAnswer" } else { "SingleAnswer" },
                    "QuestionID": format!("{}#{k}", q.qid),
                    "DataExportTag": format!("{}#{k}", q.tag),
                    "Choices": choices_def(rows, qsf),
                    "Answers": choices_def(col.answers, qsf),
                    "AnswerOrder": order(col.answers),
                    "RecodeValues": [], "VariableNaming": [], "AnalyzeChoices": [],
                });
                recodes_def(&mut c, col.answers, qsf);
                additional.insert(k.to_string(), c);
            }
            d["AdditionalQuestions"] = Value::Object(additional);
        }
        QuestionKind::Nps if qsf => {
            // PHP sends an array keyed exactly 0..10 as a JSON list (as in exported QSF).
            d["Choices"] = Value::Array(
                q.choices()
                    .iter()
                    .map(|c| json!({"Display": c.label}))
                    .collect(),
            );
            d["ChoiceOrder"] = order(q.choices());
        }
        _ => {
            d["Choices"] = choices_def(q.choices(), qsf);
            d["ChoiceOrder"] = order(q.choices());
            recodes_def(&mut d, q.choices(), qsf);
        }
    }
    d["Validation"] = json!({ "Settings": validation });
    d["Language"] = json!([]);
    d["NextChoiceId"] = json!(q.choices().len().max(q.rows().len()) + 1);
    d["NextAnswerId"] = json!(1);
    d["QuestionID"] = json!(q.qid);
    d["DataVisibility"] = json!({"Private": false, "Hidden": false});
    d["QuestionText_Unsafe"] = json!(q.text);
    d
}

/// The `result` of `GET /API/v3/survey-definitions/{id}`.
pub fn definition(spec: &SurveySpec) -> Value {
    let questions: Map<String, Value> = spec
        .questions
        .iter()
        .map(|q| (q.qid.to_string(), question_def(q, spec.qsf_shapes)))
        .collect();
    let elements: Vec<Value> = spec
        .questions
        .iter()
        .enumerate()
        .flat_map(|(i, q)| {
            let mut v = vec![json!({"Type": "Question", "QuestionID": q.qid})];
            if i + 1 < spec.questions.len() {
                v.push(json!({"Type": "Page Break"}));
            }
            v
        })
        .collect();
    let bl = block_id(spec);
    let embedded: Vec<Value> = spec
        .embedded
        .iter()
        .map(|n| json!({"Description": n, "Type": "Recipient", "Field": n, "VariableType": "String", "DataVisibility": [], "Value": ""}))
        .collect();
    let mut flow = Vec::new();
    if !embedded.is_empty() {
        flow.push(json!({"Type": "EmbeddedData", "FlowID": "FL_2", "EmbeddedData": embedded}));
    }
    flow.push(json!({"Type": "Standard", "ID": bl, "FlowID": "FL_3"}));
    json!({
        "QuestionCount": spec.questions.len().to_string(),
        "SurveyOptions": {
            "BackButton": "false",
            "SaveAndContinue": "true",
            "SurveyProtection": "PublicSurvey",
            "BallotBoxStuffingPrevention": "false",
            "NoIndex": "Yes",
            "SecureResponseFiles": "true",
            "SurveyExpiration": null,
            "SurveyTermination": "DefaultMessage",
            "Header": "",
            "Footer": "",
            "ProgressBarDisplay": "None",
            "PartialData": "+1 week",
            "AnonymizeResponse": "No",
            "CollectGeoLocation": "false",
            "SurveyName": spec.name,
            "SurveyLanguage": "EN",
            "SurveyStartDate": null,
            "SurveyExpirationDate": null,
            "SurveyCreationDate": spec.created
        },
        "SurveyID": spec.id,
        "SurveyName": spec.name,
        "SurveyStatus": "Active",
        "LastModified": spec.modified,
        "BrandID": BRAND_ID,
        "OwnerID": MAIN_USER_ID,
        "LastAccessed": null,
        "CreatorID": MAIN_USER_ID,
        "LastActivated": spec.created,
        "Questions": questions,
        "Blocks": {
            bl.clone(): {
                "Type": "Default",
                "SubType": "",
                "Description": "Default Question Block",
                "ID": bl,
                "BlockElements": elements,
                "Options": {"BlockLocking": "false", "RandomizeQuestions": "false", "BlockVisibility": "Expanded"}
            }
        },
        "ResponseSets": {"RS_default": "Default Response Set"},
        "SurveyFlow": {"Type": "Root", "FlowID": "FL_1", "Flow": flow, "Properties": {"Count": 3, "RemovedFieldsets": []}},
        "Scoring": {
            "ScoringCategories": [],
            "ScoringCategoryGroups": [],
            "ScoringSummaryCategory": null,
            "ScoringSummaryAfterQuestions": 0,
            "ScoringSummaryAfterSurvey": 0,
            "DefaultScoringCategory": null,
            "AutoScoringCategory": null
        },
        "ProjectInfo": {
            "SurveyID": spec.id,
            "ProjectCategory": "CX",
            "ProjectType": "CustomerSatisfactionScore",
            "CompositionType": null,
            "ContentBundle": null
        },
        "BrandBaseURL": format!("https://{BRAND_ID}.qualtrics.com")
    })
}
