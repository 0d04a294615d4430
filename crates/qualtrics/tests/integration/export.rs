//! The export flow against wiremock: body, polling, progress, download formats, failures.

use crate::common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use crate::common::{export_started, ok_json, token_client};
use qualtrics::{ErrorKind, ExportFormat, ExportPhase, ExportRequest, ExportedResponse};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SV: &str = "SV_exp";

fn response_json(i: usize) -> serde_json::Value {
    serde_json::json!({"responseId": format!("R_{i}"),
        "values": {"startDate": "2024-07-08T15:59:53Z", "endDate": "2024-07-08T16:00:23Z", "status": 0,
                   "finished": !i.is_multiple_of(3), "recordedDate": "2024-07-08T16:00:23.994Z", "progress": 100,
                   "QID1": i % 11, "QID3": ["2", "4"], "QID2_TEXT": "free text", "locationLatitude": "44.9764"},
        "labels": {"finished": "True", "QID1": format!("{}", i % 11), "QID3": ["Tue", "Thu"]},
        "displayedFields": ["QID1", "QID3"], "displayedValues": {"QID1": [0, 1, 2]}})
}

fn json_file(n: usize) -> Vec<u8> {
    let responses: Vec<_> = (0..n).map(response_json).collect();
    // Extra top-level keys before and after the array must be skipped.
    serde_json::to_vec(
        &serde_json::json!({"meta": {"x": [1, 2]}, "responses": responses, "trailer": {"a": null}}),
    )
    .unwrap()
}

pub(crate) fn zip_of(name: &str, content: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file(name, zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(content).unwrap();
    zip.finish().unwrap().into_inner()
}

/// Mounts POST → `polls` inProgress answers → complete → file.
pub(crate) async fn mount_flow(
    server: &MockServer,
    body: serde_json::Value,
    polls: usize,
    file: ResponseTemplate,
) {
    Mock::given(method("POST"))
        .and(path(format!("/API/v3/surveys/{SV}/export-responses")))
        .and(body_json(body))
        .respond_with(export_started("ES_1"))
        .expect(1)
        .mount(server)
        .await;
    for i in 0..polls {
        Mock::given(path(format!("/API/v3/surveys/{SV}/export-responses/ES_1")))
            .respond_with(ok_json(serde_json::json!(
                {"percentComplete": (i as f64 + 1.0) * 100.0 / (polls as f64 + 1.0), "status": "inProgress"})))
            .up_to_n_times(1)
            .mount(server)
            .await;
    }
    Mock::given(path(format!("/API/v3/surveys/{SV}/export-responses/ES_1")))
        .respond_with(ok_json(serde_json::json!(
            {"percentComplete": 100.0, "status": "complete", "fileId": "file-1-def", "continuationToken": "CT_next"})))
        .mount(server)
        .await;
    Mock::given(path(format!(
        "/API/v3/surveys/{SV}/export-responses/file-1-def/file"
    )))
    .respond_with(file)
    .mount(server)
    .await;
}

pub(crate) fn zip_answer(bytes: Vec<u8>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(bytes, "application/zip")
}

pub(crate) struct Run {
    pub(crate) result: Result<qualtrics::ExportSummary, qualtrics::Error>,
    pub(crate) responses: Vec<ExportedResponse>,
    phases: Vec<ExportPhase>,
}

pub(crate) async fn run(server: &MockServer, request: &ExportRequest) -> Run {
    let phases = Arc::new(Mutex::new(Vec::new()));
    let mut responses = Vec::new();
    let p = phases.clone();
    let result = token_client(&server.uri())
        .export_responses(
            SV,
            request,
            move |progress| p.lock().unwrap().push(progress.phase),
            |r| {
                responses.push(r);
                Ok(())
            },
        )
        .await;
    let phases = phases.lock().unwrap().clone();
    Run {
        result,
        responses,
        phases,
    }
}

#[tokio::test]
async fn json_zip_flow_streams_every_response_with_progress() {
    let server = MockServer::start().await;
    let request = ExportRequest::new()
        .allow_continuation(true)
        .question_ids(["QID1", "QID3"])
        .embedded_data_ids(Vec::<String>::new())
        .limit(500);
    mount_flow(
        &server,
        serde_json::json!({"format": "json", "limit": 500, "questionIds": ["QID1", "QID3"], "embeddedDataIds": [], "allowContinuation": true}),
        3,
        zip_answer(zip_of("Survey.json", &json_file(250))),
    )
    .await;
    let run = run(&server, &request).await;
    let summary = run.result.unwrap();
    assert_eq!(summary.responses, 250);
    assert_eq!(summary.file_id, "file-1-def");
    assert_eq!(summary.continuation_token.as_deref(), Some("CT_next"));
    assert_eq!(
        summary.http_requests,
        1 + 4 + 1,
        "start, 3 in-progress polls + complete, file"
    );
    assert_eq!(run.responses.len(), 250);
    let r = &run.responses[1];
    assert_eq!(r.response_id, "R_1");
    assert_eq!(r.finished(), Some(true));
    assert_eq!(run.responses[0].finished(), Some(false));
    assert_eq!(
        r.recorded_date().unwrap().to_rfc3339(),
        "2024-07-08T16:00:23.994+00:00"
    );
    assert_eq!(
        r.start_date().unwrap().to_rfc3339(),
        "2024-07-08T15:59:53+00:00"
    );
    assert!(r.end_date().is_some());
    assert_eq!(r.number("QID1"), Some(1.0));
    assert_eq!(r.number("locationLatitude"), Some(44.9764));
    assert_eq!(r.number("QID2_TEXT"), None);
    assert_eq!(r.choices("QID3"), ["2", "4"]);
    assert_eq!(r.choices("QID1"), ["1"]);
    assert!(r.choices("missing").is_empty());
    assert_eq!(r.label("QID1"), Some("1"));
    assert_eq!(r.displayed_fields(), ["QID1", "QID3"]);
    // Progress: exporting percentages rise to 100, then downloading, then parsing counts.
    let exporting: Vec<f64> = run
        .phases
        .iter()
        .filter_map(|p| match p {
            ExportPhase::Exporting { percent } => Some(*percent),
            _ => None,
        })
        .collect();
    assert_eq!(exporting.len(), 5);
    assert!(exporting.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(exporting.last(), Some(&100.0));
    let first_download = run
        .phases
        .iter()
        .position(|p| matches!(p, ExportPhase::Downloading { .. }))
        .unwrap();
    let first_parse = run
        .phases
        .iter()
        .position(|p| matches!(p, ExportPhase::Parsing { .. }))
        .unwrap();
    assert!(first_download > 4 && first_parse > first_download);
    assert_eq!(
        run.phases.last(),
        Some(&ExportPhase::Parsing { responses: 250 })
    );
    assert!(run
        .phases
        .contains(&ExportPhase::Parsing { responses: 200 }));
}

#[tokio::test]
async fn uncompressed_json_and_ndjson_files_are_read() {
    let server = MockServer::start().await;
    mount_flow(
        &server,
        serde_json::json!({"format": "json", "compress": false}),
        0,
        ResponseTemplate::new(200).set_body_raw(json_file(7), "application/json"),
    )
    .await;
    let run1 = run(&server, &ExportRequest::new().compress(false)).await;
    assert_eq!(run1.result.unwrap().responses, 7);
    assert_eq!(run1.responses[6].response_id, "R_6");

    let server = MockServer::start().await;
    let lines: Vec<String> = (0..4).map(|i| response_json(i).to_string()).collect();
    let ndjson = format!("{}\n\n", lines.join("\n"));
    mount_flow(
        &server,
        serde_json::json!({"format": "ndjson"}),
        1,
        zip_answer(zip_of("S.ndjson", ndjson.as_bytes())),
    )
    .await;
    let run2 = run(&server, &ExportRequest::new().format(ExportFormat::Ndjson)).await;
    assert_eq!(run2.result.unwrap().responses, 4);
    assert_eq!(run2.responses[3].choices("QID3"), ["2", "4"]);
}

#[tokio::test]
async fn csv_zip_rows_become_responses_keyed_by_import_id() {
    let server = MockServer::start().await;
    let csv = "StartDate,Finished,ResponseId,Q1,Q2\r\n\
               Start Date,Finished,Response ID,\"How, exactly?\",Comment\r\n\
               \"{\"\"ImportId\"\":\"\"startDate\"\"}\",\"{\"\"ImportId\"\":\"\"finished\"\"}\",\"{\"\"ImportId\"\":\"\"_recordId\"\"}\",\"{\"\"ImportId\"\":\"\"QID1\"\"}\",\"{\"\"ImportId\"\":\"\"QID2_TEXT\"\"}\"\r\n\
               2024-01-01 10:00:00,True,R_a,5,\"multi\nline, \"\"quoted\"\"\"\r\n\
               2024-01-02 10:00:00,False,R_b,,\r\n";
    mount_flow(
        &server,
        serde_json::json!({"format": "csv", "useLabels": true}),
        0,
        zip_answer(zip_of("S.csv", csv.as_bytes())),
    )
    .await;
    let run = run(
        &server,
        &ExportRequest::new()
            .format(ExportFormat::Csv)
            .use_labels(true),
    )
    .await;
    assert_eq!(run.result.unwrap().responses, 2);
    let a = &run.responses[0];
    assert_eq!(a.response_id, "R_a");
    assert_eq!(a.finished(), Some(true));
    assert_eq!(a.number("QID1"), Some(5.0));
    assert_eq!(
        a.text("QID2_TEXT").as_deref(),
        Some("multi\nline, \"quoted\"")
    );
    let b = &run.responses[1];
    assert_eq!(b.finished(), Some(false));
    assert!(!b.values().contains_key("QID1"), "empty cells are left out");
}

#[tokio::test]
async fn failed_job_is_export_failed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(export_started("ES_1"))
        .mount(&server)
        .await;
    Mock::given(path(format!("/API/v3/surveys/{SV}/export-responses/ES_1")))
        .respond_with(ok_json(serde_json::json!(
            {"percentComplete": 40.0, "status": "failed"})))
        .mount(&server)
        .await;
    let run = run(&server, &ExportRequest::new()).await;
    let err = run.result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ExportFailed);
    assert!(
        err.to_string().contains("ES_1") && err.to_string().contains("failed"),
        "{err}"
    );
    assert!(run.responses.is_empty());
}

#[tokio::test]
async fn truncated_or_corrupt_files_fail_before_any_response_is_delivered() {
    let good = zip_of("S.json", &json_file(50));
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("truncated zip", good[..good.len() / 2].to_vec()),
        ("zip with garbage", {
            let mut g = good.clone();
            let mid = g.len() / 3;
            for b in &mut g[mid..mid + 40] {
                *b ^= 0x5a;
            }
            g
        }),
        ("cut json", zip_of("S.json", &json_file(50)[..400])),
        ("no responses key", zip_of("S.json", b"{\"other\": []}")),
        ("empty zip", {
            let zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
            zip.finish().unwrap().into_inner()
        }),
    ];
    for (label, bytes) in cases {
        let server = MockServer::start().await;
        mount_flow(
            &server,
            serde_json::json!({"format": "json"}),
            0,
            zip_answer(bytes),
        )
        .await;
        let run = run(&server, &ExportRequest::new()).await;
        let err = run.result.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ExportFailed, "{label}: {err}");
        assert!(run.responses.is_empty(), "{label}: nothing delivered");
    }
}

#[tokio::test]
async fn streamed_delivery_reads_once_and_fails_after_the_good_part() {
    async fn served(zip: Vec<u8>) -> MockServer {
        let server = MockServer::start().await;
        let body = serde_json::json!({"format": "json"});
        mount_flow(&server, body, 0, zip_answer(zip)).await;
        server
    }
    async fn streamed(zip: Vec<u8>) -> (Vec<ExportedResponse>, Result<u64, qualtrics::Error>) {
        let server = served(zip).await;
        let mut seen = Vec::new();
        let result = token_client(&server.uri())
            .export_responses_streamed(
                SV,
                &ExportRequest::new(),
                |_| {},
                |r| {
                    seen.push(r);
                    Ok(())
                },
            )
            .await
            .map(|s| s.responses);
        (seen, result)
    }
    // Enough responses that several delivery batches come before the cut.
    let file = json_file(5000);
    let good = zip_of("S.json", &file);
    let verified = run(&served(good.clone()).await, &ExportRequest::new()).await;
    let (all, result) = streamed(good).await;
    assert_eq!(result.unwrap(), 5000);
    assert_eq!(all, verified.responses, "same responses, same order");

    // A file cut in the middle: the verified flow delivers nothing, the streamed one
    // delivers responses from before the cut, then fails the same way.
    let cut = zip_of("S.json", &file[..file.len() / 2]);
    let verified_cut = run(&served(cut.clone()).await, &ExportRequest::new()).await;
    assert!(verified_cut.responses.is_empty());
    let (seen, result) = streamed(cut).await;
    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ExportFailed, "{err}");
    assert!(err.to_string().contains("ends early"), "{err}");
    assert!(seen.len() >= 2048 && seen.len() < 2500, "{}", seen.len());
    assert_eq!(seen[..], all[..seen.len()]);
}

#[tokio::test]
async fn callback_error_stops_the_flow_and_is_returned() {
    let server = MockServer::start().await;
    mount_flow(
        &server,
        serde_json::json!({"format": "json"}),
        0,
        zip_answer(zip_of("S.json", &json_file(300))),
    )
    .await;
    let mut seen = 0;
    let err = token_client(&server.uri())
        .export_responses(
            SV,
            &ExportRequest::new(),
            |_| {},
            |_| {
                seen += 1;
                if seen == 10 {
                    Err(qualtrics::Error::InvalidRequest("disk full".into()))
                } else {
                    Ok(())
                }
            },
        )
        .await
        .unwrap_err();
    assert_eq!(seen, 10);
    assert!(err.to_string().contains("disk full"));
}

#[tokio::test]
async fn invalid_combinations_are_refused_locally() {
    let server = MockServer::start().await; // no mocks: any request would 404
    let client = token_client(&server.uri());
    let cases = [
        (
            ExportRequest::new().filter_id("f").allow_continuation(true),
            "filterId",
        ),
        (
            ExportRequest::new().filter_id("f").continuation_token("t"),
            "filterId",
        ),
        (ExportRequest::new().use_labels(true), "useLabels"),
        (
            ExportRequest::new()
                .format(ExportFormat::Ndjson)
                .time_zone("UTC"),
            "timeZone",
        ),
        (ExportRequest::new().limit(0), "limit"),
        (ExportRequest::new().continuation_token(""), "empty"),
        (
            ExportRequest::new()
                .continuation_token("t")
                .allow_continuation(false),
            "allowContinuation",
        ),
        (
            ExportRequest::new()
                .start_date("2024-02-01T00:00:00Z".parse().unwrap())
                .end_date("2024-01-01T00:00:00Z".parse().unwrap()),
            "before",
        ),
        (
            ExportRequest::new()
                .format(ExportFormat::Csv)
                .use_labels(true)
                .include_label_columns(true),
            "includeLabelColumns",
        ),
    ];
    for (request, needle) in cases {
        let err = client
            .export_responses(SV, &request, |_| {}, |_| Ok(()))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::BadRequest, "{err}");
        assert!(err.to_string().contains(needle), "{needle}: {err}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[test]
fn continuation_token_is_never_sent_with_allow_continuation() {
    let body = ExportRequest::new()
        .allow_continuation(true)
        .continuation_token("CT_1")
        .to_body()
        .unwrap();
    assert_eq!(
        body,
        serde_json::json!({"format": "json", "continuationToken": "CT_1"})
    );
    let body = ExportRequest::new()
        .start_date("2024-01-01T00:00:00.123Z".parse().unwrap())
        .in_progress(true)
        .survey_metadata_ids(["recordedDate"])
        .to_body()
        .unwrap();
    assert_eq!(
        body,
        serde_json::json!({"format": "json", "startDate": "2024-01-01T00:00:00Z", "exportResponsesInProgress": true, "surveyMetadataIds": ["recordedDate"]})
    );
}

#[tokio::test]
async fn download_follows_a_same_host_redirect() {
    let server = MockServer::start().await;
    let file = format!(
        "{}/API/v3/surveys/{SV}/export-responses/file-1-def/file-real",
        server.uri()
    );
    mount_flow(
        &server,
        serde_json::json!({"format": "json"}),
        0,
        ResponseTemplate::new(307).insert_header("location", file.as_str()),
    )
    .await;
    Mock::given(path(format!(
        "/API/v3/surveys/{SV}/export-responses/file-1-def/file-real"
    )))
    .and(wiremock::matchers::header("x-api-token", common::TOKEN))
    .respond_with(zip_answer(zip_of("S.json", &json_file(3))))
    .expect(1)
    .mount(&server)
    .await;
    let run = run(&server, &ExportRequest::new()).await;
    assert_eq!(run.result.unwrap().responses, 3);
}

#[tokio::test]
async fn redirect_to_a_foreign_host_is_not_followed() {
    let server = MockServer::start().await;
    mount_flow(
        &server,
        serde_json::json!({"format": "json"}),
        0,
        ResponseTemplate::new(307).insert_header("location", "https://files.evil.example/steal"),
    )
    .await;
    let err = run(&server, &ExportRequest::new())
        .await
        .result
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Malformed);
    assert!(err.to_string().contains("files.evil.example"), "{err}");
}

#[tokio::test]
async fn low_level_endpoints_work_on_their_own() {
    let server = MockServer::start().await;
    mount_flow(
        &server,
        serde_json::json!({"format": "json"}),
        0,
        zip_answer(zip_of("S.json", &json_file(2))),
    )
    .await;
    let client = token_client(&server.uri());
    let start = client
        .start_export(SV, &ExportRequest::new())
        .await
        .unwrap();
    assert_eq!(start.progress_id, "ES_1");
    let status = client
        .export_progress(SV, &start.progress_id)
        .await
        .unwrap();
    assert_eq!(status.status, qualtrics::ExportState::Complete);
    let mut last = 0;
    let file = client
        .download_export_file(SV, status.file_id.as_deref().unwrap(), |b| last = b)
        .await
        .unwrap();
    assert_eq!(file.len(), last);
    assert!(file.is_zip().unwrap());
    let mut ids = Vec::new();
    let n = file
        .for_each_response(
            ExportFormat::Json,
            |_| {},
            |r| {
                ids.push(r.response_id);
                Ok(())
            },
        )
        .await
        .unwrap();
    assert_eq!((n, ids), (2, vec!["R_0".to_string(), "R_1".to_string()]));
}

#[tokio::test]
async fn prepare_export_downloads_without_reading_and_a_metered_client_counts_every_request() {
    let server = MockServer::start().await;
    mount_flow(
        &server,
        serde_json::json!({"format": "json", "allowContinuation": true}),
        2,
        zip_answer(zip_of("Survey.json", &json_file(30))),
    )
    .await;
    // One 503 before the survey answer: retried, and counted.
    Mock::given(method("GET"))
        .and(path(format!("/API/v3/surveys/{SV}")))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/API/v3/surveys/{SV}")))
        .respond_with(ok_json(serde_json::json!({"id": SV, "name": "S"})))
        .mount(&server)
        .await;
    let shared = token_client(&server.uri());
    let (client, meter) = shared.metered();
    client.legacy_survey(SV).await.unwrap();
    assert_eq!(meter.get(), 2, "the retried request counts");

    let mut phases = Vec::new();
    let prepared = client
        .prepare_export(SV, &ExportRequest::new().allow_continuation(true), |p| {
            phases.push(p.phase)
        })
        .await
        .unwrap();
    // start + 3 polls + download
    assert_eq!(meter.get(), 2 + 5);
    assert_eq!(prepared.continuation_token.as_deref(), Some("CT_next"));
    assert_eq!(prepared.file_id, "file-1-def");
    assert!(phases
        .iter()
        .any(|p| matches!(p, ExportPhase::Downloading { .. })));
    assert!(!phases
        .iter()
        .any(|p| matches!(p, ExportPhase::Parsing { .. })));
    let mut ids = Vec::new();
    let n = prepared
        .file
        .stream_responses(
            prepared.format,
            |_| {},
            |r| {
                ids.push(r.response_id);
                Ok(())
            },
        )
        .await
        .unwrap();
    assert_eq!((n, ids.len()), (30, 30));
    // Requests through other handles are not counted on this meter.
    shared.legacy_survey(SV).await.unwrap();
    assert_eq!(meter.get(), 7);
}
