//! The "Question Types" survey: definition shapes (list-shaped NPS choices, AnalyzeChoices,
//! recodes) and the export key of every question type, over HTTP.

use crate::common::*;
use qualtrics_sim::catalog::API_TOKEN;
use qualtrics_sim::types_survey::*;
use serde_json::{json, Value};

async fn definition(sim: &qualtrics_sim::SimHandle) -> Value {
    let (status, body) = get(
        sim,
        &format!("/API/v3/survey-definitions/{TYPES_SURVEY_ID}"),
        API_TOKEN,
    )
    .await;
    assert_eq!(status, 200);
    body["result"].clone()
}

#[tokio::test]
async fn definition_uses_qsf_shapes() {
    let sim = start_default().await;
    let d = definition(&sim).await;
    let q = &d["Questions"];
    let nps = &q[TYPES_NPS_QID];
    assert_eq!(nps["Selector"], "NPS");
    let choices = nps["Choices"].as_array().expect("NPS choices as a list");
    assert_eq!(choices.len(), 11);
    assert_eq!(choices[0]["Display"], "0");
    assert_eq!(nps["ChoiceOrder"][0], "0");
    let slider = &q[TYPES_SLIDER_QID];
    assert_eq!(
        (slider["QuestionType"].as_str(), slider["Selector"].as_str()),
        (Some("Slider"), Some("HSLIDER"))
    );
    assert_eq!(slider["Configuration"]["NumDecimals"], "1");
    assert_eq!(q[TYPES_STARS_QID]["Selector"], "STAR");
    assert_eq!(q[TYPES_BARS_QID]["Selector"], "HBAR");
    assert_eq!(q[TYPES_FORM_QID]["Selector"], "FORM");
    assert_eq!(q[TYPES_MATRIX_MULTI_QID]["SubSelector"], "MultipleAnswer");
    let bipolar = &q[TYPES_BIPOLAR_QID];
    assert_eq!(bipolar["RecodeValues"]["1"], "5", "reverse-coded");
    assert_eq!(bipolar["AnalyzeChoices"], json!({"6": "No"}));
    let negative = &q[TYPES_NEGATIVE_QID];
    assert_eq!(negative["RecodeValues"]["1"], "-2");
    assert!(negative["Choices"]["6"]
        .get("ExcludeFromAnalysis")
        .is_none());
    assert_eq!(q[TYPES_DRILL_QID]["QuestionType"], "DD");
    let sbs = &q[TYPES_SIDE_BY_SIDE_QID]["AdditionalQuestions"];
    assert_eq!(sbs["1"]["QuestionID"], "QID19#1");
    assert_eq!(sbs["2"]["SubSelector"], "MultipleAnswer");
    let na = &q[TYPES_MATRIX_NA_QID];
    assert!(
        na.get("AnalyzeChoices").is_none()
            && na["Answers"]["6"].get("ExcludeFromAnalysis").is_none(),
        "this N/A column is marked in the legacy view only"
    );
}

#[tokio::test]
async fn every_type_exports_under_its_qualtrics_key() {
    let sim = start_default().await;
    let (responses, _) = export_json(&sim, TYPES_SURVEY_ID, json!({"format": "json"})).await;
    assert!(
        responses.len() as u64 > TYPES_RESPONSES * 9 / 10,
        "{}",
        responses.len()
    );
    let mut decimals = 0;
    for r in &responses {
        let v = &r["values"];
        if v["finished"] != 1 {
            continue;
        }
        assert!(v["QID1"].is_i64() && v["QID1_NPS_GROUP"].is_i64(), "{v}");
        if let Some(x) = v.get("QID2_1") {
            let x = x.as_f64().expect("slider value is a number");
            assert!((0.0..=100.0).contains(&x));
            decimals += usize::from(x.fract() != 0.0);
        }
        for k in ["QID3_1", "QID3_2"] {
            if let Some(x) = v.get(k) {
                assert!((1.0..=5.0).contains(&x.as_f64().unwrap()), "{k} {x}");
            }
        }
        let sum: i64 = ["QID5_1", "QID5_2", "QID5_3"]
            .iter()
            .map(|k| v[*k].as_i64().expect("constant sum item"))
            .sum();
        assert_eq!(sum, 100);
        let mut ranks: Vec<i64> = (1..=4)
            .map(|k| v[format!("QID6_{k}")].as_i64().expect("rank"))
            .collect();
        ranks.sort();
        assert_eq!(ranks, [1, 2, 3, 4]);
        assert!(v["QID8_1_TEXT"].is_string() && v["QID8_2_TEXT"].is_string());
        assert!(v["QID9"].is_i64() && v["QID10"].is_i64() && v["QID11"].is_i64());
        assert!(v["QID12"].is_array() && v["QID13"].is_array());
        assert!(v["QID15_1"].is_array() && v["QID15_2"].is_array());
        let negative = v["QID16"].as_i64().unwrap();
        assert!((-2..=2).contains(&negative) || negative == 99);
        let country = v["QID17_1"].as_i64().unwrap();
        let city = v["QID17_2"].as_i64().unwrap();
        assert!(
            matches!((country, city), (1, 2 | 3) | (4, 5 | 6)),
            "{country} {city}"
        );
        assert!(v["QID14_1"].is_i64() && v["QID18_2"].is_i64());
        assert!(v["QID19#1_2"].is_i64() && v["QID19#2_1"].is_array(), "{v}");
    }
    assert!(decimals > 0, "the 0-100 slider exports decimals");
}

#[tokio::test]
async fn legacy_view_marks_not_analysed_choices_and_maps_columns() {
    let sim = start_default().await;
    let (status, body) = get(
        &sim,
        &format!("/API/v3/surveys/{TYPES_SURVEY_ID}"),
        API_TOKEN,
    )
    .await;
    assert_eq!(status, 200);
    let r = &body["result"];
    assert_eq!(
        r["questions"][TYPES_NEGATIVE_QID]["choices"]["6"]["analyze"],
        false
    );
    assert_eq!(
        r["questions"][TYPES_NEGATIVE_QID]["choices"]["6"]["recode"],
        "99"
    );
    assert_eq!(
        r["questions"][TYPES_BIPOLAR_QID]["choices"]["6"]["analyze"],
        false
    );
    assert_eq!(
        r["questions"][TYPES_MATRIX_NA_QID]["choices"]["6"]["analyze"],
        false
    );
    let map = &r["exportColumnMap"];
    assert_eq!(map["Q2_1"]["choice"], "QID2.choices.1");
    assert_eq!(map["Q8_3_TEXT"]["choice"], "QID8.choices.3");
    assert_eq!(map["Q17_2"]["subQuestion"], "QID17.subQuestions.2");
    assert_eq!(map["Q15_2_1"]["choice"], "QID15.choices.1");
    assert_eq!(map["Q19#1_2"]["column"], "QID19.columns.1");
    assert_eq!(map["Q19#2_1_2"]["choice"], "QID19.columns.2.choices.2");
    assert_eq!(
        r["questions"][TYPES_SIDE_BY_SIDE_QID]["columns"]["2"]["questionType"]["subSelector"],
        "MultipleAnswer"
    );
}

#[tokio::test]
async fn csv_export_has_a_column_per_row_and_answer_like_the_recorded_csv() {
    let sim = start_default().await;
    let (fid, _, _) = run_export(
        &sim,
        TYPES_SURVEY_ID,
        &json!({"format": "csv", "limit": 20, "compress": false}),
    )
    .await;
    let text = download(&sim, TYPES_SURVEY_ID, &fid)
        .await
        .text()
        .await
        .unwrap();
    let rows = parse_csv(&text, ',');
    assert_eq!(rows.len(), 3 + 20);
    assert!(rows.iter().all(|r| r.len() == rows[0].len()));
    let col = |tag: &str| {
        rows[0]
            .iter()
            .position(|h| h == tag)
            .unwrap_or_else(|| panic!("{tag}"))
    };
    // As colmap_fetch's CSV: `sidebyside#2_1_1` → {"ImportId":"QID8#2_1","choiceId":"1"}.
    assert_eq!(
        rows[2][col("Q19#2_1_2")],
        r#"{"ImportId":"QID19#2_1","choiceId":"2"}"#
    );
    assert_eq!(rows[2][col("Q19#1_2")], r#"{"ImportId":"QID19#1_2"}"#);
    assert_eq!(rows[2][col("Q8_3")], r#"{"ImportId":"QID8_3_TEXT"}"#);
    assert_eq!(rows[2][col("Q2_1")], r#"{"ImportId":"QID2_1"}"#);
    assert_eq!(
        rows[2][col("Q15_1_2")],
        r#"{"ImportId":"QID15_1","choiceId":"2"}"#
    );
    assert!(
        rows[3..].iter().any(|r| r[col("Q2_1")].contains('.')),
        "decimals"
    );
}
