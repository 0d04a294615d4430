//! Survey list paging, definitions and legacy shapes (vs the recorded bodies), filters.

use crate::common::*;
use qualtrics_sim::catalog::*;
use qualtrics_sim::{definition_json, legacy_survey_json, SimConfig};
use serde_json::Value;

#[tokio::test]
async fn survey_paging_follows_next_page() {
    let sim = start(SimConfig {
        page_size: 3,
        ..SimConfig::default()
    })
    .await;
    let mut url = format!("{}/API/v3/surveys", sim.base_url());
    let mut ids = Vec::new();
    let mut pages = 0;
    loop {
        pages += 1;
        let body = json_of(client().get(&url).header("X-API-TOKEN", API_TOKEN)).await;
        for e in body["result"]["elements"].as_array().unwrap() {
            for key in ["id", "name", "ownerId", "lastModified", "creationDate"] {
                assert!(e[key].is_string(), "{key} in {e}");
            }
            assert!(e["isActive"].is_boolean());
            ids.push(e["id"].as_str().unwrap().to_string());
        }
        match &body["result"]["nextPage"] {
            Value::Null => break,
            Value::String(next) => {
                assert_eq!(
                    next,
                    &format!("http://{}/API/v3/surveys?offset={}", sim.host(), ids.len())
                );
                url = next.clone();
            }
            other => panic!("nextPage must be string or null, got {other}"),
        }
    }
    assert_eq!(pages, 2);
    assert_eq!(
        ids,
        vec![
            ONBOARDING_SURVEY_ID,
            SUPPORT_SURVEY_ID,
            WEBSITE_SURVEY_ID,
            EMPTY_SURVEY_ID,
            qualtrics_sim::types_survey::TYPES_SURVEY_ID
        ]
    );
}

#[tokio::test]
async fn user_without_surveys_sees_none() {
    let sim = start_default().await;
    let (status, body) = get(&sim, "/API/v3/surveys", NO_SURVEYS_TOKEN).await;
    assert_eq!(status, 200);
    assert_eq!(body["result"]["elements"].as_array().unwrap().len(), 0);
    assert!(body["result"]["nextPage"].is_null());
    let (status, _) = get(
        &sim,
        &format!("/API/v3/survey-definitions/{ONBOARDING_SURVEY_ID}"),
        NO_SURVEYS_TOKEN,
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn unknown_survey_is_404() {
    let sim = start_default().await;
    for path in [
        "/API/v3/survey-definitions/SV_doesNotExist00",
        "/API/v3/surveys/SV_doesNotExist00",
        "/API/v3/surveys/SV_doesNotExist00/filters",
    ] {
        let (status, body) = get(&sim, path, API_TOKEN).await;
        assert_eq!(status, 404, "{path}");
        assert_eq!(body["meta"]["httpStatus"], "404 - Not Found");
    }
}

fn assert_shape(recorded: &Value, ours: &Value, what: &str) {
    let mut diffs = Vec::new();
    shape_diff(recorded, ours, what, &mut diffs);
    assert!(diffs.is_empty(), "shape mismatches: {diffs:#?}");
}

fn assert_keys_subset(recorded: &Value, ours: &Value, what: &str, optional: &[&str]) {
    let ours_keys = keys(ours);
    let missing: Vec<String> = keys(recorded)
        .into_iter()
        .filter(|k| !ours_keys.contains(k) && !optional.contains(&k.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "{what}: keys of the recording missing from ours: {missing:?}"
    );
}

#[tokio::test]
async fn definition_matches_recorded_structure() {
    let sim = start_default().await;
    let (status, body) = get(
        &sim,
        &format!("/API/v3/survey-definitions/{ONBOARDING_SURVEY_ID}"),
        API_TOKEN,
    )
    .await;
    assert_eq!(status, 200);
    let rec = recorded_json("fetch_description/00_GET_survey_definitions_SV_3gbwq8aJgqPwQDP.json");
    let (r, o) = (&rec["result"], &body["result"]);
    assert_eq!(
        o,
        &definition_json(&SimConfig::default(), ONBOARDING_SURVEY_ID).unwrap(),
        "HTTP and pure fn agree"
    );
    assert_keys_subset(r, o, "definition", &[]);
    assert_shape(&rec["meta"], &body["meta"], "meta");
    let scalar = |v: &Value| {
        let mut v = v.clone();
        for k in ["Questions", "Blocks", "SurveyFlow", "SurveyOptions"] {
            v.as_object_mut().unwrap().remove(k);
        }
        v
    };
    assert_shape(&scalar(r), &scalar(o), "result");
    assert!(o["QuestionCount"].is_string());
    assert_eq!(o["QuestionCount"], "7");
    // Questions: compare each of ours to a recorded question of the same type.
    let rec_mc = &r["Questions"]["QID16"];
    let rec_te = &r["Questions"]["QID22"];
    for (qid, q) in o["Questions"].as_object().unwrap() {
        assert_eq!(q["QuestionID"], qid.as_str());
        let reference = if q["QuestionType"] == "TE" {
            rec_te
        } else {
            rec_mc
        };
        let optional: &[&str] = if q["Selector"] == "NPS" {
            &["SubSelector"]
        } else {
            &[]
        };
        assert_keys_subset(reference, q, qid, optional);
        assert_shape(reference, q, qid);
        if let Some(choices) = q["Choices"].as_object() {
            for c in choices.values() {
                assert!(c["Display"].is_string());
            }
        }
    }
    let matrix = &o["Questions"][ONBOARDING_MATRIX_QID];
    assert_eq!(matrix["QuestionType"], "Matrix");
    let rows: Vec<&str> = matrix["Choices"]
        .as_object()
        .unwrap()
        .values()
        .map(|c| c["Display"].as_str().unwrap())
        .collect();
    assert_eq!(rows, ["Speed", "Reliability", "Support"]);
    assert_eq!(matrix["Answers"].as_object().unwrap().len(), 5);
    let rec_block = r["Blocks"]
        .as_object()
        .unwrap()
        .values()
        .find(|b| b["Type"] == "Standard")
        .unwrap();
    for block in o["Blocks"].as_object().unwrap().values() {
        assert_keys_subset(rec_block, block, "block", &[]);
        assert_shape(rec_block, block, "block");
    }
    assert_eq!(o["SurveyFlow"]["Type"], "Root");
    assert!(o["SurveyFlow"]["Flow"].is_array());
}

#[test]
fn not_analysed_choice_is_marked_in_both_views() {
    let config = SimConfig::default();
    let def = definition_json(&config, ONBOARDING_SURVEY_ID).unwrap();
    let csat = &def["Questions"][ONBOARDING_CSAT_QID];
    let dk = csat["Choices"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, c)| c["Display"] == "Don't know")
        .expect("Don't know choice");
    assert_eq!(dk.1["ExcludeFromAnalysis"], true);
    assert_eq!(
        csat["RecodeValues"][dk.0.as_str()],
        ONBOARDING_CSAT_DONT_KNOW_RECODE.to_string()
    );
    let analysed = csat["Choices"]
        .as_object()
        .unwrap()
        .values()
        .filter(|c| c.get("ExcludeFromAnalysis").is_none())
        .count();
    assert_eq!(analysed, 5);
    let legacy = legacy_survey_json(&config, ONBOARDING_SURVEY_ID).unwrap();
    let choices = legacy["questions"][ONBOARDING_CSAT_QID]["choices"]
        .as_object()
        .unwrap();
    let dk = choices
        .values()
        .find(|c| c["choiceText"] == "Don't know")
        .unwrap();
    assert_eq!(dk["analyze"], false);
    assert_eq!(dk["recode"], "99");
    assert_eq!(choices.values().filter(|c| c["analyze"] == true).count(), 5);
}

#[tokio::test]
async fn legacy_survey_matches_recorded_structure() {
    let sim = start_default().await;
    let (status, body) = get(
        &sim,
        &format!("/API/v3/surveys/{ONBOARDING_SURVEY_ID}"),
        API_TOKEN,
    )
    .await;
    assert_eq!(status, 200);
    let o = &body["result"];
    let rec = recorded_json("fetch_description_legacy/00_GET_surveys_SV_3gbwq8aJgqPwQDP.json");
    let r = &rec["result"];
    assert_keys_subset(r, o, "legacy", &[]);
    let strip = |v: &Value| {
        let mut v = v.clone();
        for k in ["questions", "exportColumnMap", "blocks", "flow"] {
            v.as_object_mut().unwrap().remove(k);
        }
        v
    };
    assert_shape(&strip(r), &strip(o), "legacy");
    let colmap = recorded_json("column_map/00_GET_surveys_SV_5BJRo2RGHajIlOB.json");
    let extract = recorded_json("extract_colmap/13_GET_surveys_SV_56icaa9YAafpAqx.json");
    let reference = |q: &Value| -> Value {
        match (
            q["questionType"]["type"].as_str(),
            q["questionType"]["selector"].as_str(),
        ) {
            (Some("Matrix"), _) => colmap["result"]["questions"]["QID1"].clone(),
            (Some("MC"), Some("NPS")) => extract["result"]["questions"]["QID18"].clone(),
            (Some("MC"), Some("MAVR")) => extract["result"]["questions"]["QID36"].clone(),
            (Some("TE"), _) => r["questions"]["QID19"].clone(),
            _ => r["questions"]["QID16"].clone(),
        }
    };
    for (qid, q) in o["questions"].as_object().unwrap() {
        let rq = reference(q);
        let optional: &[&str] = &["randomization"];
        assert_keys_subset(&rq, q, qid, optional);
        let mut diffs = Vec::new();
        shape_diff(&rq, q, qid, &mut diffs);
        assert!(diffs.is_empty(), "{diffs:?}");
        let rec_choice = rq["choices"]
            .as_object()
            .and_then(|c| c.values().next().cloned());
        if let (Some(rc), Some(choices)) = (rec_choice, q["choices"].as_object()) {
            for c in choices.values() {
                assert_keys_subset(&rc, c, "choice", &["textEntry"]);
                assert_shape(&rc, c, "choice");
            }
        }
    }
    let m = &o["questions"][ONBOARDING_MATRIX_QID];
    assert_eq!(m["subQuestions"].as_object().unwrap().len(), 3);
    assert_eq!(
        o["exportColumnMap"]["Q6_2"]["subQuestion"],
        "QID6.subQuestions.2"
    );
    assert_eq!(o["exportColumnMap"]["Q5_1"]["choice"], "QID5.choices.1");
    let names: Vec<&str> = o["embeddedData"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Region") && names.contains(&"Email"));
    let counts = &o["responseCounts"];
    let total = counts["auditable"].as_u64().unwrap() + counts["generated"].as_u64().unwrap();
    assert_eq!(total, 2000);
    assert!(
        counts["generated"].as_u64().unwrap() > 20 && counts["generated"].as_u64().unwrap() < 120,
        "~3% in progress: {counts}"
    );
}

#[tokio::test]
async fn filters_list() {
    let sim = start_default().await;
    let (status, body) = get(
        &sim,
        &format!("/API/v3/surveys/{ONBOARDING_SURVEY_ID}/filters"),
        API_TOKEN,
    )
    .await;
    assert_eq!(status, 200);
    let elements = body["result"]["elements"].as_array().unwrap();
    let ids: Vec<&str> = elements
        .iter()
        .map(|e| e["filterId"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [FILTER_PROMOTERS_ID, FILTER_EMEA_ID, FILTER_ENTERPRISE_ID]
    );
    for e in elements {
        assert!(e["filterName"].is_string() && e["creationDate"].is_string());
    }
    let (_, body) = get(
        &sim,
        &format!("/API/v3/surveys/{WEBSITE_SURVEY_ID}/filters"),
        API_TOKEN,
    )
    .await;
    assert_eq!(body["result"]["elements"].as_array().unwrap().len(), 0);
}
