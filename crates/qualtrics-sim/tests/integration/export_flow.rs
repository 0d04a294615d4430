//! Export state machine, zip packaging, JSON/CSV file shapes, determinism.

use crate::common::*;
use qualtrics_sim::catalog::*;
use qualtrics_sim::{generate_response, response_in_progress, response_total, SimConfig};
use serde_json::{json, Value};

fn finished_count(config: &SimConfig, survey: &str) -> usize {
    (0..response_total(config, survey))
        .filter(|i| !response_in_progress(config, survey, *i))
        .count()
}

#[tokio::test]
async fn export_state_machine_ramps_then_completes() {
    let sim = start_with(300, 3).await;
    let (status, started) =
        start_export(&sim, ONBOARDING_SURVEY_ID, &json!({"format": "json"})).await;
    assert_eq!(status, 200);
    let r = &started["result"];
    assert!(r["progressId"].as_str().unwrap().starts_with("ES_"));
    assert_eq!(r["progressId"].as_str().unwrap().len(), 18);
    assert_eq!(r["percentComplete"], 0.0);
    assert_eq!(r["status"], "inProgress");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let pid = r["progressId"].as_str().unwrap();
    let mut seen = Vec::new();
    for _ in 0..4 {
        let (status, p) = poll_export(&sim, ONBOARDING_SURVEY_ID, pid).await;
        assert_eq!(status, 200);
        seen.push(p["result"].clone());
    }
    for p in &seen[..3] {
        assert_eq!(p["status"], "inProgress");
        assert!(p.get("fileId").is_none() && p.get("progressId").is_none());
    }
    assert_eq!(seen[0]["percentComplete"], 0.0);
    assert_eq!(seen[1]["percentComplete"], 0.0);
    let ramp = seen[2]["percentComplete"].as_f64().unwrap();
    assert!(ramp > 80.0 && ramp < 100.0, "{ramp}");
    let done = &seen[3];
    assert_eq!(done["status"], "complete");
    assert_eq!(done["percentComplete"], 100.0);
    let fid = done["fileId"].as_str().unwrap();
    assert!(fid.ends_with("-def") && fid.len() == 40, "{fid}");
    assert!(
        done.get("continuationToken").is_none(),
        "token only when requested"
    );

    let resp = download(&sim, ONBOARDING_SURVEY_ID, fid).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "application/zip");
    assert_eq!(
        resp.headers()["content-disposition"],
        "attachment; filename=Onboarding+Experience.zip"
    );
    let bytes = resp.bytes().await.unwrap();
    let (name, content) = unzip_single(&bytes);
    assert_eq!(name, "Onboarding Experience.json");
    let doc: Value = serde_json::from_slice(&content).unwrap();
    let config = SimConfig {
        responses: 300,
        ..SimConfig::default()
    };
    assert_eq!(
        doc["responses"].as_array().unwrap().len(),
        finished_count(&config, ONBOARDING_SURVEY_ID)
    );
}

#[tokio::test]
async fn unknown_progress_and_file_ids_are_404() {
    let sim = start_default().await;
    let (status, body) = get(
        &sim,
        &format!("{}/ES_unknown0000000", export_path(ONBOARDING_SURVEY_ID)),
        API_TOKEN,
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(body["meta"]["httpStatus"], "404 - Not Found");
    let resp = download(
        &sim,
        ONBOARDING_SURVEY_ID,
        "00000000-0000-0000-0000-000000000000-def",
    )
    .await;
    assert_eq!(resp.status(), 404);
    let (status, _) = post_json(
        &sim,
        &export_path("SV_doesNotExist00"),
        API_TOKEN,
        &json!({"format": "json"}),
    )
    .await;
    assert_eq!(status, 404);
}

fn check_value_types(values: &serde_json::Map<String, Value>) {
    for key in ["status", "progress", "duration", "finished"] {
        assert!(
            values[key].is_number(),
            "{key} must be a number: {values:?}"
        );
    }
    for key in [
        "startDate",
        "endDate",
        "ipAddress",
        "_recordId",
        "locationLatitude",
        "locationLongitude",
        "distributionChannel",
        "userLanguage",
    ] {
        assert!(values[key].is_string(), "{key} must be a string");
    }
    let recorded = values["recordedDate"].as_str().unwrap();
    assert_eq!(
        recorded.len(),
        "2024-07-08T16:00:23.994Z".len(),
        "millis: {recorded}"
    );
    assert!(chrono::DateTime::parse_from_rfc3339(recorded).is_ok());
    assert_eq!(
        values["startDate"].as_str().unwrap().len(),
        "2024-07-08T15:59:53Z".len()
    );
    assert!(values["locationLatitude"]
        .as_str()
        .unwrap()
        .parse::<f64>()
        .is_ok());
}

#[tokio::test]
async fn json_export_values_have_documented_types() {
    let sim = start_default().await;
    let (responses, _) = export_json(
        &sim,
        ONBOARDING_SURVEY_ID,
        json!({"format": "json", "limit": 200}),
    )
    .await;
    assert_eq!(responses.len(), 200);
    let mut saw_text = false;
    let mut saw_dont_know = false;
    for r in &responses {
        let id = r["responseId"].as_str().unwrap();
        assert!(id.starts_with("R_") && id.len() == 17);
        let v = r["values"].as_object().unwrap();
        check_value_types(v);
        assert_eq!(v["_recordId"].as_str().unwrap(), id);
        assert_eq!(v["finished"], 1);
        assert_eq!(v["progress"], 100);
        let nps = v["QID1"].as_i64().unwrap();
        assert!((0..=10).contains(&nps));
        let group = v["QID1_NPS_GROUP"].as_i64().unwrap();
        assert_eq!(
            group,
            if nps >= 9 {
                3
            } else if nps >= 7 {
                2
            } else {
                1
            }
        );
        let csat = v["QID2"].as_i64().unwrap();
        assert!((1..=5).contains(&csat) || csat == ONBOARDING_CSAT_DONT_KNOW_RECODE);
        saw_dont_know |= csat == ONBOARDING_CSAT_DONT_KNOW_RECODE;
        assert!((1..=7).contains(&v["QID3"].as_i64().unwrap()));
        assert!((1..=3).contains(&v["QID4"].as_i64().unwrap()));
        if let Some(features) = v.get("QID5") {
            assert!(
                features.as_array().unwrap().iter().all(|f| f.is_string()),
                "multi-select = array of strings"
            );
        }
        for row in 1..=3 {
            assert!((1..=5).contains(&v[&format!("QID6_{row}")].as_i64().unwrap()));
        }
        if let Some(t) = v.get("QID7_TEXT") {
            assert!(t.is_string());
            saw_text = true;
        }
        assert!(v.get("QID7").is_none());
        for ed in [
            "Region",
            "Channel",
            "FirstName",
            "LastName",
            "Email",
            "Phone",
        ] {
            assert!(v[ed].is_string(), "embedded {ed}");
        }
        let labels = &r["labels"];
        assert_eq!(labels["finished"], "True");
        assert_eq!(labels["status"], "IP Address");
        assert!(labels["QID4"].is_string());
        assert!(
            labels.get("QID7_TEXT").is_none(),
            "labels only for coded fields"
        );
        assert!(r["displayedFields"]
            .as_array()
            .unwrap()
            .contains(&json!("QID7_TEXT")));
        assert_eq!(
            r["displayedValues"]["QID1"],
            json!([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
        );
        assert_eq!(
            r["displayedValues"]["QID1_NPS_GROUP"],
            json!([1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 3])
        );
    }
    assert!(
        saw_text && saw_dont_know,
        "200 responses include text answers and Don't know"
    );
}

#[tokio::test]
async fn json_export_matches_the_generator_and_is_deterministic() {
    let config = config(400, 1);
    let a = start(config.clone()).await;
    let b = start(config.clone()).await;
    let c = start(SimConfig {
        seed: 7,
        ..config.clone()
    })
    .await;
    let body = json!({"format": "json"});
    let (ra, _) = export_json(&a, ONBOARDING_SURVEY_ID, body.clone()).await;
    let (rb, _) = export_json(&b, ONBOARDING_SURVEY_ID, body.clone()).await;
    let (rc, _) = export_json(&c, ONBOARDING_SURVEY_ID, body).await;
    assert_eq!(
        serde_json::to_vec(&ra).unwrap(),
        serde_json::to_vec(&rb).unwrap(),
        "same seed, same bytes"
    );
    assert_ne!(ra, rc, "another seed gives other data");
    let expected: Vec<Value> = (0..400)
        .filter(|i| !response_in_progress(&config, ONBOARDING_SURVEY_ID, *i))
        .map(|i| generate_response(&config, ONBOARDING_SURVEY_ID, i))
        .collect();
    assert_eq!(ra, expected);
    let dates: Vec<&str> = ra
        .iter()
        .map(|r| r["values"]["recordedDate"].as_str().unwrap())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "recorded order");
    let first = chrono::DateTime::parse_from_rfc3339(dates[0]).unwrap();
    let last = chrono::DateTime::parse_from_rfc3339(dates[dates.len() - 1]).unwrap();
    assert!((last - first).num_days() > 500, "spread over ~18 months");
}

#[tokio::test]
async fn grouped_nps_differs_by_plan() {
    let config = SimConfig {
        responses: 3000,
        ..SimConfig::default()
    };
    let mut by_plan = [(0i64, 0i64, 0i64); 3];
    for i in 0..3000 {
        if response_in_progress(&config, ONBOARDING_SURVEY_ID, i) {
            continue;
        }
        let r = generate_response(&config, ONBOARDING_SURVEY_ID, i);
        let plan = r["values"]["QID4"].as_i64().unwrap() as usize - 1;
        let nps = r["values"]["QID1"].as_i64().unwrap();
        by_plan[plan].0 += 1;
        by_plan[plan].1 += i64::from(nps >= 9);
        by_plan[plan].2 += i64::from(nps <= 6);
    }
    let score = |(n, p, d): (i64, i64, i64)| (p - d) as f64 * 100.0 / n as f64;
    let (basic, pro, enterprise) = (score(by_plan[0]), score(by_plan[1]), score(by_plan[2]));
    assert!(
        enterprise > pro + 10.0 && pro > basic + 10.0,
        "NPS basic {basic:.1} pro {pro:.1} enterprise {enterprise:.1}"
    );
}

#[tokio::test]
async fn csv_export_has_three_header_rows_like_the_recordings() {
    let sim = start_with(200, 0).await;
    let (fid, _, _) = run_export(&sim, ONBOARDING_SURVEY_ID, &json!({"format": "csv"})).await;
    let (name, content) = unzip_single(&download_bytes(&sim, ONBOARDING_SURVEY_ID, &fid).await);
    assert_eq!(name, "Onboarding Experience.csv");
    let rows = parse_csv(&String::from_utf8(content).unwrap(), ',');
    let recorded = std::fs::read_to_string(recorded_path(
        "fetch_survey/08_GET_surveys_SV_3gbwq8aJgqPwQDP_export_responses_19fd6c27_d2ec_46ff_8dd3_f4efb700db38__Beskar_Armor.csv",
    ))
    .unwrap();
    let rec = parse_csv(&recorded, ',');
    assert_eq!(rows[0][..17], rec[0][..17], "metadata export tags");
    assert_eq!(rows[1][..17], rec[1][..17], "metadata texts");
    let import_id = |cell: &str| serde_json::from_str::<Value>(cell).unwrap()["ImportId"].clone();
    for i in 0..17 {
        assert_eq!(import_id(&rows[2][i]), import_id(&rec[2][i]));
    }
    assert!(
        rows[0].contains(&"Q1_NPS_GROUP".to_string())
            && rows[0].contains(&"Q6_3".to_string())
            && rows[0].contains(&"Region".to_string())
    );
    let config = SimConfig {
        responses: 200,
        ..SimConfig::default()
    };
    let data = &rows[3..];
    assert_eq!(data.len(), finished_count(&config, ONBOARDING_SURVEY_ID));
    let plan_col = rows[0].iter().position(|c| c == "Q4").unwrap();
    assert!(
        data.iter()
            .all(|r| ["1", "2", "3"].contains(&r[plan_col].as_str())),
        "recodes by default"
    );
    let date_col = rows[0].iter().position(|c| c == "RecordedDate").unwrap();
    assert!(chrono::NaiveDateTime::parse_from_str(&data[0][date_col], "%Y-%m-%d %H:%M:%S").is_ok());

    let (fid, _, _) = run_export(
        &sim,
        ONBOARDING_SURVEY_ID,
        &json!({"format": "csv", "useLabels": true, "compress": false}),
    )
    .await;
    let resp = download(&sim, ONBOARDING_SURVEY_ID, &fid).await;
    assert_eq!(resp.headers()["content-type"], "text/csv");
    let rows = parse_csv(&resp.text().await.unwrap(), ',');
    assert!(
        rows[3..]
            .iter()
            .all(|r| ["Basic", "Pro", "Enterprise"].contains(&r[plan_col].as_str())),
        "labels with useLabels"
    );
    let finished_col = rows[0].iter().position(|c| c == "Finished").unwrap();
    assert_eq!(rows[3][finished_col], "True");
}

#[tokio::test]
async fn uncompressed_json_is_served_raw() {
    let sim = start_default().await;
    let (fid, _, _) = run_export(
        &sim,
        WEBSITE_SURVEY_ID,
        &json!({"format": "json", "compress": false}),
    )
    .await;
    let resp = download(&sim, WEBSITE_SURVEY_ID, &fid).await;
    assert_eq!(resp.headers()["content-type"], "application/json");
    let doc: Value = resp.json().await.unwrap();
    let n = doc["responses"].as_array().unwrap().len();
    assert_eq!(n, finished_count(&SimConfig::default(), WEBSITE_SURVEY_ID));
    assert!(n > 100);
    let (fid, _, _) = run_export(&sim, EMPTY_SURVEY_ID, &json!({"format": "json"})).await;
    let (_, content) = unzip_single(&download_bytes(&sim, EMPTY_SURVEY_ID, &fid).await);
    assert_eq!(String::from_utf8(content).unwrap(), "{\"responses\":[]}");
}
