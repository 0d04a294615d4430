//! Responses edited at runtime (`POST /__sim/responses/edit`): later exports carry the new
//! embedded-data value (or text entry answer), the response counts stay, continuation exports do not re-deliver
//! them, and reusable export files written before the edit are not served.

use crate::common::*;
use qualtrics_sim::catalog::*;
use qualtrics_sim::{response_in_progress, SimConfig};
use serde_json::{json, Value};

const SV: &str = ONBOARDING_SURVEY_ID;

fn region_of<'a>(responses: &'a [Value], id: &Value) -> Option<&'a str> {
    responses
        .iter()
        .find(|r| &r["responseId"] == id)
        .and_then(|r| r["values"]["Region"].as_str())
}

async fn counts(sim: &qualtrics_sim::SimHandle) -> Value {
    let (status, body) = get(sim, &format!("/API/v3/surveys/{SV}"), API_TOKEN).await;
    assert_eq!(status, 200);
    body["result"]["responseCounts"].clone()
}

#[tokio::test]
async fn edited_responses_carry_the_new_value_with_the_same_counts() {
    let config = SimConfig {
        reuse_export_files: true,
        ..config(300, 0)
    };
    let sim = start(config.clone()).await;
    let before = counts(&sim).await;
    let (original, result) = export_json(
        &sim,
        SV,
        json!({"format": "json", "allowContinuation": true}),
    )
    .await;
    let token = result["continuationToken"].as_str().unwrap().to_owned();
    let edited: Vec<u64> = (0..300)
        .filter(|i| !response_in_progress(&config, SV, *i))
        .take(5)
        .collect();
    let ids: Vec<Value> = edited
        .iter()
        .map(|i| qualtrics_sim::generate_response(&config, SV, *i)["responseId"].clone())
        .collect();
    assert!(ids
        .iter()
        .all(|id| region_of(&original, id).is_some_and(|r| r != "Antarctica")));

    let resp = control_post(
        &sim,
        "/__sim/responses/edit",
        &json!({"surveyId": SV, "indices": edited, "field": "Region", "value": "Antarctica"}),
    )
    .await;
    assert_eq!(resp.status().as_u16(), 200);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body, json!({"surveyId": SV, "edited": 5, "total": 300}));
    assert_eq!(counts(&sim).await, before, "edits do not change the counts");

    // A full export (not the reusable file written before the edit) carries the new value;
    // every other response is as it was.
    let (full, _) = export_json(&sim, SV, json!({"format": "json"})).await;
    assert_eq!(full.len(), original.len());
    for id in &ids {
        assert_eq!(region_of(&full, id), Some("Antarctica"));
    }
    let unchanged = |r: &&Value| !ids.contains(&r["responseId"]);
    assert!(full
        .iter()
        .filter(unchanged)
        .zip(original.iter().filter(unchanged))
        .all(|(a, b)| a == b));

    // A continuation export announces responses recorded since the token, not edits.
    let (since, _) = export_json(
        &sim,
        SV,
        json!({"format": "json", "continuationToken": token}),
    )
    .await;
    assert!(since.is_empty(), "{} re-delivered", since.len());

    // The handle does the same as the route.
    assert_eq!(
        sim.edit_responses(SV, &edited[..2], "Region", "Atlantis"),
        2
    );
    let (full, _) = export_json(&sim, SV, json!({"format": "json"})).await;
    assert_eq!(region_of(&full, &ids[0]), Some("Atlantis"));
    assert_eq!(region_of(&full, &ids[4]), Some("Antarctica"));
}

#[tokio::test]
async fn bad_edits_are_refused() {
    let sim = start(config(100, 0)).await;
    for (body, says) in [
        (
            json!({"surveyId": SV, "indices": [5, 100], "field": "Region", "value": "X"}),
            "Response index 100",
        ),
        (
            json!({"surveyId": SV, "indices": [5], "field": "Nope", "value": "X"}),
            "no embedded data field or text entry answer \"Nope\"",
        ),
        (json!({"surveyId": SV, "indices": [5]}), "Expected"),
    ] {
        let resp = control_post(&sim, "/__sim/responses/edit", &body).await;
        assert_eq!(resp.status().as_u16(), 400, "{body}");
        let answer: Value = resp.json().await.unwrap();
        let message = answer["meta"]["error"]["errorMessage"].as_str().unwrap();
        assert!(message.contains(says), "{message}");
    }
    let resp = control_post(
        &sim,
        "/__sim/responses/edit",
        &json!({"surveyId": "SV_nope", "indices": [1], "field": "Region", "value": "X"}),
    )
    .await;
    assert_eq!(resp.status().as_u16(), 404);
    assert_eq!(sim.edit_responses(SV, &[1], "Nope", "X"), 0);
}

#[tokio::test]
async fn a_text_entry_answer_can_be_edited_and_other_answers_cannot() {
    use qualtrics_sim::types_survey::TYPES_SURVEY_ID as TYPES;
    let sim = start(config(100, 0)).await;
    let body = json!({"surveyId": TYPES, "indices": [3, 4], "field": "QID20_TEXT",
        "value": "about ten"});
    let resp = control_post(&sim, "/__sim/responses/edit", &body).await;
    assert_eq!(resp.status().as_u16(), 200);
    let (all, _) = export_json(&sim, TYPES, json!({"format": "json"})).await;
    let ids = [3u64, 4]
        .map(|i| qualtrics_sim::generate_response(sim.config(), TYPES, i)["responseId"].clone());
    for id in &ids {
        let r = all
            .iter()
            .find(|r| &r["responseId"] == id)
            .expect("exported");
        assert_eq!(r["values"]["QID20_TEXT"], "about ten");
    }
    // Only text entry answers: an NPS answer or a made-up field is refused.
    for field in ["QID1_TEXT", "QID1", "QID99_TEXT"] {
        let body = json!({"surveyId": TYPES, "indices": [3], "field": field, "value": "x"});
        let resp = control_post(&sim, "/__sim/responses/edit", &body).await;
        assert_eq!(resp.status().as_u16(), 400, "{field}");
    }
}
