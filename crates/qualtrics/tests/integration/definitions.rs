//! Survey definitions and legacy surveys: typed parsing of real recorded bodies and of the
//! shape quirks (string QuestionCount, int ChoiceOrder, `[]` for empty maps).

use crate::common;

use crate::common::token_client;
use qualtrics::{DefinitionQuestion, SurveyDefinition};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

const RECORDED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/recorded/qualtRics/extracted"
);

fn recorded(rel: &str) -> String {
    std::fs::read_to_string(format!("{RECORDED}/{rel}")).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

async fn serve(server: &MockServer, at: &str, body: String) {
    Mock::given(path(at))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn recorded_definition_parses_into_typed_questions() {
    let server = MockServer::start().await;
    serve(
        &server,
        "/API/v3/survey-definitions/SV_3gbwq8aJgqPwQDP",
        recorded("fetch_description/00_GET_survey_definitions_SV_3gbwq8aJgqPwQDP.json"),
    )
    .await;
    let def = token_client(&server.uri())
        .survey_definition("SV_3gbwq8aJgqPwQDP")
        .await
        .unwrap();
    assert_eq!(def.survey_id, "SV_3gbwq8aJgqPwQDP");
    assert_eq!(def.survey_name.as_deref(), Some("Beskar Armor"));
    assert_eq!(
        def.question_count,
        Some(1000),
        "QuestionCount is a string in the recording"
    );
    assert_eq!(def.questions.len(), 12);
    let q63 = &def.questions["QID63"];
    assert_eq!(q63.export_tag.as_deref(), Some("Q63"));
    assert_eq!(
        (
            q63.question_type.as_str(),
            q63.selector.as_deref(),
            q63.sub_selector.as_deref()
        ),
        ("MC", Some("SAVR"), Some("TX"))
    );
    assert_eq!(q63.choices.len(), 5);
    assert_eq!(q63.choices[1].display, "Weekly");
    assert_eq!(q63.choices[1].variable_name.as_deref(), Some("weekly"));
    assert_eq!(q63.choices[1].recode, "2");
    let q16 = &def.questions["QID16"];
    assert_eq!(q16.choice_order, ["5", "4", "3", "2", "1"]);
    let ids: Vec<_> = q16.choices.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["5", "4", "3", "2", "1"], "choices follow ChoiceOrder");
    assert!(
        def.questions["QID19"].choices.is_empty(),
        "text entry has no choices"
    );
    assert_eq!(def.embedded_data.len(), 1);
    assert_eq!(def.embedded_data[0].name, "SolutionRevision");
    assert_eq!(def.embedded_data[0].value.as_deref(), Some("2"));
    // Raw JSON is kept verbatim for debug exports.
    assert_eq!(def.raw["SurveyID"], "SV_3gbwq8aJgqPwQDP");
    assert!(def.raw["SurveyOptions"].is_object());
    // Order: flow blocks first (CSAT intro QID63 before the rest); trash questions excluded.
    let order: Vec<_> = def
        .questions_in_order()
        .iter()
        .map(|q| q.question_id.clone())
        .collect();
    assert_eq!(order.first().map(String::as_str), Some("QID63"));
    assert!(
        !order.contains(&"QID66".to_string()),
        "QID66 is in the trash block"
    );
}

#[test]
fn definition_tolerates_shape_quirks() {
    let raw = serde_json::json!({
        "SurveyID": "SV_q", "SurveyName": "Quirks", "QuestionCount": 3, "Extra": [1, 2],
        "Questions": {
            "QID1": {"QuestionID": "QID1", "QuestionText": "NPS?", "DataExportTag": "Q1", "QuestionType": "MC",
                     "Selector": "NPS", "Choices": {"0": {"Display": "0"}, "10": {"Display": "10"}, "5": {"Display": 5}},
                     "ChoiceOrder": [0, 5, 10]},
            "QID2": {"QuestionText": "Rate", "QuestionType": "Matrix", "Selector": "Likert", "SubSelector": "SingleAnswer",
                     "Choices": {"1": {"Display": "Speed"}, "2": {"Display": "Price", "TextEntry": "true"}},
                     "ChoiceOrder": ["2", "1"],
                     "Answers": {"1": {"Display": "Bad"}, "2": {"Display": "Good"}, "3": {"Display": "Don't know", "ExcludeFromAnalysis": true}},
                     "AnswerOrder": [1, 2, 3],
                     "RecodeValues": {"1": "10", "2": 20}, "AnalyzeChoices": {"1": "No"}},
            "QID3": {"QuestionText": "Why?", "QuestionType": "TE", "Selector": "ML", "Choices": [], "RecodeValues": null}
        },
        "Blocks": [], "SurveyFlow": {"Type": "Root", "Flow": [
            {"Type": "EmbeddedData", "EmbeddedData": [{"Field": "plan", "Value": "pro"}, {"Field": "region"}]},
            {"Type": "Group", "Flow": [{"Type": "EmbeddedData", "EmbeddedData": [{"Field": "plan"}, {"Field": "seats", "Value": 5}]}]}
        ]}
    });
    let def = SurveyDefinition::from_value(raw).unwrap();
    assert_eq!(def.question_count, Some(3));
    let nps = &def.questions["QID1"];
    let ids: Vec<_> = nps.choices.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["0", "5", "10"]);
    assert_eq!(nps.choices[1].display, "5");
    let matrix = &def.questions["QID2"];
    assert!(matrix.is_matrix());
    assert_eq!(
        matrix.question_id, "QID2",
        "missing QuestionID falls back to the key"
    );
    assert_eq!(matrix.choices[0].id, "2");
    assert!(matrix.choices[0].text_entry);
    assert_eq!(matrix.choices[0].recode, "20");
    assert_eq!(matrix.choice("1").unwrap().recode, "10");
    assert!(!matrix.choice("1").unwrap().analyze, "AnalyzeChoices No");
    assert_eq!(matrix.answers.len(), 3);
    assert!(
        matrix.answers[0].analyze && !matrix.answers[2].analyze,
        "ExcludeFromAnalysis"
    );
    assert!(def.questions["QID3"].choices.is_empty());
    let names: Vec<_> = def
        .embedded_data
        .iter()
        .map(|f| (f.name.as_str(), f.value.as_deref()))
        .collect();
    assert_eq!(
        names,
        [
            ("plan", Some("pro")),
            ("region", None),
            ("seats", Some("5"))
        ]
    );
    assert_eq!(def.questions_in_order().len(), 3);
}

#[test]
fn list_shaped_choices_are_keyed_from_zero_like_choice_order() {
    // QSF exports send an NPS question's 0..10 choices as a JSON list (PHP's encoding of
    // keys 0..n); `RecodeValues`/`AnalyzeChoices` follow the same rule.
    let choices: Vec<_> = (0..=10)
        .map(|i| serde_json::json!({"Display": i.to_string()}))
        .collect();
    let order: Vec<_> = (0..=10).map(|i| i.to_string()).collect();
    let raw = serde_json::json!({
        "SurveyID": "SV_l", "Questions": {
            "QID1": {"QuestionType": "MC", "Selector": "NPS", "Choices": choices,
                     "ChoiceOrder": order, "AnalyzeChoices": [null, "No"],
                     "RecodeValues": ["0", "-1"]}
        }
    });
    let def = SurveyDefinition::from_value(raw).unwrap();
    let nps = &def.questions["QID1"];
    let ids: Vec<_> = nps.choices.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, order, "ids follow ChoiceOrder, none left over");
    assert_eq!(nps.choice("0").unwrap().display, "0");
    assert_eq!(nps.choice("10").unwrap().display, "10");
    assert_eq!(nps.choice("1").unwrap().recode, "-1");
    assert!(!nps.choice("1").unwrap().analyze);
    assert!(nps.choice("0").unwrap().analyze);
}

#[test]
fn definition_without_survey_id_is_malformed() {
    let err = SurveyDefinition::from_value(serde_json::json!({"Questions": {}})).unwrap_err();
    assert_eq!(err.kind(), qualtrics::ErrorKind::Malformed);
    assert!(err.to_string().contains("SurveyID"), "{err}");
}

#[test]
fn qsf_question_payloads_parse_as_definition_questions() {
    let body: serde_json::Value = serde_json::from_str(&recorded(
        "write_qsf/00_get_survey_definitions_SV_6s93xhVtm1e4j3v_format_qsf.json",
    ))
    .unwrap();
    let mut parsed = 0;
    for element in body["result"]["SurveyElements"].as_array().unwrap() {
        if element["Element"] == "SQ" {
            let q: DefinitionQuestion = serde_json::from_value(element["Payload"].clone()).unwrap();
            assert_eq!(q.question_id, element["PrimaryAttribute"].as_str().unwrap());
            assert!(!q.question_type.is_empty());
            parsed += 1;
        }
    }
    assert_eq!(parsed, 17);
}

#[tokio::test]
async fn recorded_legacy_survey_parses_matrix_side_by_side_and_column_map() {
    let server = MockServer::start().await;
    serve(
        &server,
        "/API/v3/surveys/SV_6s93xhVtm1e4j3v",
        recorded("colmap_fetch/03_get_surveys_SV_6s93xhVtm1e4j3v.json"),
    )
    .await;
    let legacy = token_client(&server.uri())
        .legacy_survey("SV_6s93xhVtm1e4j3v")
        .await
        .unwrap();
    assert_eq!(legacy.id, "SV_6s93xhVtm1e4j3v");
    let matrix = &legacy.questions["QID6"];
    assert_eq!(matrix.question_type.kind, "Matrix");
    assert_eq!(
        matrix.question_type.sub_selector.as_deref(),
        Some("SingleAnswer")
    );
    assert_eq!(matrix.sub_questions.len(), 3);
    assert_eq!(matrix.choices["1"].recode.as_deref(), Some("1"));
    assert!(matrix.choices["1"].is_analyzed());
    let sbs = &legacy.questions["QID8"];
    assert_eq!(sbs.columns.len(), 3);
    assert_eq!(
        sbs.columns["2"].question_type.sub_selector.as_deref(),
        Some("MultipleAnswer")
    );
    let col = &legacy.export_column_map["matrix.choicerandom_3_TEXT"];
    assert_eq!(col.question, "QID1");
    assert_eq!(
        col.text_entry.as_deref(),
        Some("QID1.subQuestions.3.textEntry")
    );
    assert_eq!(legacy.response_counts.unwrap().generated, 14);
    assert!(legacy.embedded_data.is_empty());
    assert_eq!(legacy.raw["id"], "SV_6s93xhVtm1e4j3v");
}

#[tokio::test]
async fn recorded_legacy_survey_has_embedded_data_and_counts() {
    let server = MockServer::start().await;
    serve(
        &server,
        "/API/v3/surveys/SV_3gbwq8aJgqPwQDP",
        recorded("metadata/00_GET_surveys_SV_3gbwq8aJgqPwQDP.json"),
    )
    .await;
    let legacy = token_client(&server.uri())
        .legacy_survey("SV_3gbwq8aJgqPwQDP")
        .await
        .unwrap();
    assert_eq!(legacy.name.as_deref(), Some("Beskar Armor"));
    assert_eq!(legacy.embedded_data[0].name, "SolutionRevision");
    assert_eq!(legacy.embedded_data[0].default_value.as_deref(), Some("2"));
    let counts = legacy.response_counts.unwrap();
    assert_eq!(
        (counts.auditable, counts.generated, counts.deleted),
        (27, 17, 0)
    );
    let q = &legacy.questions["QID63"];
    assert_eq!(q.question_name.as_deref(), Some("Q63"));
    assert_eq!(q.choices.len(), 5);
}

#[tokio::test]
async fn unknown_survey_is_not_found() {
    let server = MockServer::start().await;
    Mock::given(path("/API/v3/survey-definitions/SV_nope"))
        .respond_with(ResponseTemplate::new(404).set_body_json(common::error_body(
            "404 - Not Found",
            "QVAL_1",
            "Invalid survey id.",
        )))
        .mount(&server)
        .await;
    let err = token_client(&server.uri())
        .survey_definition("SV_nope")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
}
