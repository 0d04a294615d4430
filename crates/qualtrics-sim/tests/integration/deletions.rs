//! Responses deleted at runtime (`POST /__sim/responses/delete`): left out of full,
//! continuation and in-progress exports, counted in `responseCounts.deleted`, and never
//! served from a reused export file written before the deletion.

use crate::common::*;
use qualtrics_sim::catalog::*;
use qualtrics_sim::{generate_response, response_in_progress, SimConfig};
use serde_json::{json, Value};

const SV: &str = ONBOARDING_SURVEY_ID;

fn ids(responses: &[Value]) -> Vec<String> {
    responses
        .iter()
        .map(|r| r["responseId"].as_str().unwrap().to_owned())
        .collect()
}

fn expected_ids(config: &SimConfig, range: std::ops::Range<u64>, deleted: &[u64]) -> Vec<String> {
    range
        .filter(|i| !response_in_progress(config, SV, *i) && !deleted.contains(i))
        .map(|i| {
            generate_response(config, SV, i)["responseId"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

async fn counts(sim: &qualtrics_sim::SimHandle) -> Value {
    let (status, body) = get(sim, &format!("/API/v3/surveys/{SV}"), API_TOKEN).await;
    assert_eq!(status, 200);
    body["result"]["responseCounts"].clone()
}

#[tokio::test]
async fn deleted_responses_leave_every_export_and_are_counted() {
    let config = config(400, 0);
    let sim = start(config.clone()).await;
    let before = counts(&sim).await;
    assert_eq!(before["deleted"], json!(0));
    let (_, result) = export_json(
        &sim,
        SV,
        json!({"format": "json", "allowContinuation": true}),
    )
    .await;
    let token = result["continuationToken"].as_str().unwrap().to_owned();

    // Two recorded responses and one in progress are deleted.
    let recorded: Vec<u64> = (0..400)
        .filter(|i| !response_in_progress(&config, SV, *i))
        .take(2)
        .collect();
    let open = (0..400)
        .find(|i| response_in_progress(&config, SV, *i))
        .expect("an in-progress response");
    let deleted = [recorded[0], recorded[1], open];
    let resp = control_post(
        &sim,
        "/__sim/responses/delete",
        &json!({"surveyId": SV, "indices": deleted}),
    )
    .await;
    assert_eq!(resp.status().as_u16(), 200);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body, json!({"surveyId": SV, "deleted": 3, "total": 400}));
    // Deleting again changes nothing.
    assert_eq!(sim.delete_responses(SV, &deleted), 0);

    let after = counts(&sim).await;
    assert_eq!(after["deleted"], json!(3));
    assert_eq!(
        after["auditable"].as_u64().unwrap(),
        before["auditable"].as_u64().unwrap() - 2
    );
    assert_eq!(
        after["generated"].as_u64().unwrap(),
        before["generated"].as_u64().unwrap() - 1
    );

    let (full, _) = export_json(&sim, SV, json!({"format": "json"})).await;
    assert_eq!(ids(&full), expected_ids(&config, 0..400, &deleted));
    let (in_progress, _) = export_json(
        &sim,
        SV,
        json!({"format": "json", "exportResponsesInProgress": true}),
    )
    .await;
    assert_eq!(
        in_progress.len() as u64,
        after["generated"].as_u64().unwrap()
    );
    let open_id = generate_response(&config, SV, open)["responseId"].clone();
    assert!(in_progress.iter().all(|r| r["responseId"] != open_id));

    // A continuation export after the deletion brings only new responses: deletions of
    // responses it already delivered are not announced there (only the counts tell).
    sim.add_responses(SV, 20);
    let (new, _) = export_json(
        &sim,
        SV,
        json!({"format": "json", "continuationToken": token}),
    )
    .await;
    assert_eq!(ids(&new), expected_ids(&config, 400..420, &deleted));
}

#[tokio::test]
async fn a_deletion_invalidates_reusable_export_files() {
    let config = SimConfig {
        reuse_export_files: true,
        ..config(300, 0)
    };
    let sim = start(config.clone()).await;
    let (first, _) = export_json(&sim, SV, json!({"format": "json"})).await;
    let index = (0..300)
        .find(|i| !response_in_progress(&config, SV, *i))
        .unwrap();
    assert_eq!(sim.delete_responses(SV, &[index]), 1);
    let (second, _) = export_json(&sim, SV, json!({"format": "json"})).await;
    assert_eq!(second.len(), first.len() - 1);
    assert_eq!(ids(&second), expected_ids(&config, 0..300, &[index]));
}

#[tokio::test]
async fn bad_deletions_are_refused() {
    let sim = start(config(100, 0)).await;
    let resp = control_post(
        &sim,
        "/__sim/responses/delete",
        &json!({"surveyId": SV, "indices": [5, 100]}),
    )
    .await;
    assert_eq!(resp.status().as_u16(), 400);
    let body: Value = resp.json().await.unwrap();
    assert!(body["meta"]["error"]["errorMessage"]
        .as_str()
        .unwrap()
        .contains("index 100"));
    assert_eq!(counts(&sim).await["deleted"], json!(0), "nothing deleted");
    let resp = control_post(
        &sim,
        "/__sim/responses/delete",
        &json!({"surveyId": "SV_doesNotExist00", "indices": [1]}),
    )
    .await;
    assert_eq!(resp.status().as_u16(), 404);
    let resp = control_post(&sim, "/__sim/responses/delete", &json!({"surveyId": SV})).await;
    assert_eq!(resp.status().as_u16(), 400);
}
