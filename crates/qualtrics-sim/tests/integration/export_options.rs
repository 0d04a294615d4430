//! Export request validation and options: every rejection rule, date window,
//! limit, field selection, in-progress, filters.

use crate::common::*;
use qualtrics_sim::catalog::*;
use qualtrics_sim::{generate_response, response_in_progress, response_total, SimConfig};
use serde_json::{json, Value};

async fn rejected(sim: &qualtrics_sim::SimHandle, body: Value) -> String {
    let (status, resp) = post_json(sim, &export_path(ONBOARDING_SURVEY_ID), API_TOKEN, &body).await;
    assert_eq!(status, 400, "expected 400 for {body}, got {resp}");
    assert_eq!(resp["meta"]["httpStatus"], "400 - Bad Request");
    assert!(
        resp["meta"]["error"]["errorCode"]
            .as_str()
            .unwrap()
            .starts_with("QVAL_"),
        "{resp}"
    );
    assert!(resp.get("result").is_none());
    resp["meta"]["error"]["errorMessage"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn every_rejection_rule_answers_a_specific_400() {
    let sim = start_default().await;
    let m = rejected(&sim, json!({"format": "json", "contactLookupId": "x"})).await;
    assert_eq!(m, "Unexpected json key provided: contactLookupId");
    let m = rejected(&sim, json!({"Format": "json"})).await;
    assert_eq!(m, "Unexpected json key provided: Format");
    assert!(rejected(&sim, json!({})).await.contains("format"));
    assert!(rejected(&sim, json!({"format": "pdf"}))
        .await
        .contains("pdf"));
    assert!(rejected(&sim, json!({"format": "spss"}))
        .await
        .contains("spss"));
    let (status, _) = post_raw(
        &sim,
        &export_path(ONBOARDING_SURVEY_ID),
        API_TOKEN,
        "not json".into(),
    )
    .await;
    assert_eq!(status, 400);
    for opt in [
        "useLabels",
        "includeDisplayOrder",
        "formatDecimalAsComma",
        "breakoutSets",
    ] {
        for format in ["json", "ndjson"] {
            let m = rejected(&sim, json!({"format": format, opt: true})).await;
            assert!(m.contains(opt) && m.contains(format), "{m}");
        }
    }
    for (opt, v) in [
        ("seenUnansweredRecode", json!(999)),
        ("multiselectSeenUnansweredRecode", json!(999)),
        ("timeZone", json!("UTC")),
        ("newlineReplacement", json!(" ")),
    ] {
        assert!(rejected(&sim, json!({"format": "json", opt: v}))
            .await
            .contains(opt));
    }
    let m = rejected(
        &sim,
        json!({"format": "json", "allowContinuation": true, "continuationToken": "abc"}),
    )
    .await;
    assert!(m.contains("continuationToken") && m.contains("allowContinuation"));
    for (k, v) in [
        ("allowContinuation", json!(true)),
        ("continuationToken", json!("abc")),
        ("sortByLastModifiedDate", json!(true)),
    ] {
        let m = rejected(
            &sim,
            json!({"format": "json", "filterId": FILTER_EMEA_ID, k: v}),
        )
        .await;
        assert!(m.contains("filterId") && m.contains(k), "{m}");
    }
    assert!(rejected(
        &sim,
        json!({"format": "json", "continuationToken": "not-a-token"})
    )
    .await
    .contains("continuation token"));
    assert!(
        rejected(&sim, json!({"format": "json", "startDate": "yesterday"}))
            .await
            .contains("startDate")
    );
    assert!(rejected(
        &sim,
        json!({"format": "json", "endDate": "2025-13-01T00:00:00Z"})
    )
    .await
    .contains("endDate"));
    assert!(rejected(&sim, json!({"format": "json", "startDate": "2025-02-01T00:00:00Z", "endDate": "2025-01-01T00:00:00Z"})).await.contains("before"));
    assert!(rejected(&sim, json!({"format": "json", "limit": 0}))
        .await
        .contains("limit"));
    assert!(rejected(&sim, json!({"format": "json", "limit": "10"}))
        .await
        .contains("limit"));
    assert!(rejected(&sim, json!({"format": "json", "compress": "yes"}))
        .await
        .contains("compress"));
    assert!(
        rejected(&sim, json!({"format": "json", "questionIds": ["QID99"]}))
            .await
            .contains("QID99")
    );
    assert!(rejected(
        &sim,
        json!({"format": "json", "surveyMetadataIds": ["shoeSize"]})
    )
    .await
    .contains("shoeSize"));
    assert!(
        rejected(&sim, json!({"format": "json", "embeddedDataIds": ["Nope"]}))
            .await
            .contains("Nope")
    );
    assert!(rejected(
        &sim,
        json!({"format": "json", "filterId": "no-such-filter"})
    )
    .await
    .contains("no-such-filter"));
    assert!(
        rejected(&sim, json!({"format": "csv", "timeZone": "America/Denver"}))
            .await
            .contains("timeZone")
    );
    assert!(rejected(
        &sim,
        json!({"format": "csv", "useLabels": true, "includeLabelColumns": true})
    )
    .await
    .contains("includeLabelColumns"));
    // CSV accepts the options JSON refuses.
    let (status, _) = start_export(&sim, ONBOARDING_SURVEY_ID, &json!({"format": "csv", "useLabels": true, "includeDisplayOrder": true, "breakoutSets": false, "seenUnansweredRecode": 999, "timeZone": "UTC"})).await;
    assert_eq!(status, 200);
}

fn ids(responses: &[Value]) -> Vec<String> {
    responses
        .iter()
        .map(|r| r["responseId"].as_str().unwrap().to_string())
        .collect()
}

fn expected_ids(config: &SimConfig, range: std::ops::Range<u64>, in_progress: bool) -> Vec<String> {
    range
        .filter(|i| response_in_progress(config, ONBOARDING_SURVEY_ID, *i) == in_progress)
        .map(|i| {
            generate_response(config, ONBOARDING_SURVEY_ID, i)["responseId"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[tokio::test]
async fn date_window_is_start_inclusive_end_exclusive() {
    let config = no_polls();
    let sim = start(config.clone()).await;
    let date = |i: u64| {
        generate_response(&config, ONBOARDING_SURVEY_ID, i)["values"]["recordedDate"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (a, b) = (300, 450);
    let (responses, _) = export_json(
        &sim,
        ONBOARDING_SURVEY_ID,
        json!({"format": "json", "startDate": date(a), "endDate": date(b)}),
    )
    .await;
    assert_eq!(ids(&responses), expected_ids(&config, a..b, false));
    assert!(!responses.is_empty());
    // Offsets other than Z are honoured.
    let (responses, _) = export_json(&sim, ONBOARDING_SURVEY_ID, json!({"format": "json", "startDate": "2025-01-01T02:00:00+02:00", "endDate": "2025-02-01T00:00:00Z"})).await;
    assert!(!responses.is_empty());
    for r in &responses {
        let d = r["values"]["recordedDate"].as_str().unwrap();
        assert!(
            ("2025-01-01T00:00:00.000Z".."2025-02-01T00:00:00.000Z").contains(&d),
            "{d}"
        );
    }
}

#[tokio::test]
async fn limit_caps_the_count() {
    let config = no_polls();
    let sim = start(config.clone()).await;
    let (responses, _) = export_json(
        &sim,
        ONBOARDING_SURVEY_ID,
        json!({"format": "json", "limit": 25}),
    )
    .await;
    assert_eq!(responses.len(), 25);
    assert_eq!(
        ids(&responses),
        expected_ids(&config, 0..2000, false)[..25].to_vec()
    );
}

#[tokio::test]
async fn field_selection_and_empty_lists_mean_none() {
    let sim = start(no_polls()).await;
    let (responses, _) = export_json(&sim, ONBOARDING_SURVEY_ID, json!({"format": "json", "limit": 20, "questionIds": [], "surveyMetadataIds": [], "embeddedDataIds": ["Region"]})).await;
    for r in &responses {
        let keys = keys(&r["values"]);
        assert_eq!(keys, ["Region"], "only the embedded field");
        assert_eq!(r["displayedFields"], json!([]));
    }
    let (responses, _) = export_json(&sim, ONBOARDING_SURVEY_ID, json!({"format": "json", "limit": 20, "questionIds": [ONBOARDING_NPS_QID], "surveyMetadataIds": ["recordedDate"], "embeddedDataIds": []})).await;
    for r in &responses {
        let mut keys = keys(&r["values"]);
        keys.sort();
        assert_eq!(keys, ["QID1", "QID1_NPS_GROUP", "recordedDate"]);
    }
    let sim_csv = start(no_polls()).await;
    let (fid, _, _) = run_export(
        &sim_csv,
        ONBOARDING_SURVEY_ID,
        &json!({"format": "csv", "limit": 5, "questionIds": [], "surveyMetadataIds": []}),
    )
    .await;
    let (_, content) = unzip_single(&download_bytes(&sim_csv, ONBOARDING_SURVEY_ID, &fid).await);
    let rows = parse_csv(&String::from_utf8(content).unwrap(), ',');
    assert_eq!(
        rows[0],
        [
            "Region",
            "Channel",
            "FirstName",
            "LastName",
            "Email",
            "Phone"
        ],
        "like the recorded fetch_survey_exclude"
    );
}

#[tokio::test]
async fn in_progress_exports_only_unfinished_responses() {
    let config = no_polls();
    let sim = start(config.clone()).await;
    let (responses, _) = export_json(
        &sim,
        ONBOARDING_SURVEY_ID,
        json!({"format": "json", "exportResponsesInProgress": true}),
    )
    .await;
    let expected = expected_ids(
        &config,
        0..response_total(&config, ONBOARDING_SURVEY_ID),
        true,
    );
    assert_eq!(ids(&responses), expected);
    assert!(
        responses.len() > 30 && responses.len() < 100,
        "~3% of 2000: {}",
        responses.len()
    );
    for r in &responses {
        assert_eq!(r["values"]["finished"], 0);
        assert_eq!(r["labels"]["finished"], "False");
        assert!(r["values"]["progress"].as_i64().unwrap() < 100);
    }
    let (all, _) = export_json(&sim, ONBOARDING_SURVEY_ID, json!({"format": "json"})).await;
    assert_eq!(all.len() + responses.len(), 2000);
}

#[tokio::test]
async fn filters_are_deterministic_predicates() {
    let sim = start(no_polls()).await;
    let (all, _) = export_json(&sim, ONBOARDING_SURVEY_ID, json!({"format": "json"})).await;
    for (filter, keep) in [
        (
            FILTER_PROMOTERS_ID,
            Box::new(|v: &Value| v["QID1"].as_i64().unwrap() >= 9) as Box<dyn Fn(&Value) -> bool>,
        ),
        (FILTER_EMEA_ID, Box::new(|v: &Value| v["Region"] == "EMEA")),
        (FILTER_ENTERPRISE_ID, Box::new(|v: &Value| v["QID4"] == 3)),
    ] {
        let (filtered, _) = export_json(
            &sim,
            ONBOARDING_SURVEY_ID,
            json!({"format": "json", "filterId": filter}),
        )
        .await;
        let expected: Vec<Value> = all.iter().filter(|r| keep(&r["values"])).cloned().collect();
        assert!(!filtered.is_empty() && filtered.len() < all.len());
        assert_eq!(filtered, expected, "filter {filter}");
    }
}
