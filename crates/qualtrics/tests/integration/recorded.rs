//! Every recorded real Qualtrics body parses with this crate's models, and every recorded
//! cassette replays through the client's real methods (served by wiremock from the
//! recorded bytes, in recorded order).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::common::cassette::Cassette;
use crate::common::token_client;
use qualtrics::{
    DefinitionQuestion, Envelope, ExportRequest, ExportStart, ExportStatus, LegacySurvey, Page,
    SurveyDefinition, SurveySummary,
};
use serde_json::Value;
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ROOT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/recorded/qualtRics"
);

fn files_under(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let p = entry.unwrap().path();
        if p.is_dir() {
            files_under(&p, ext, out);
        } else if p.extension().and_then(|e| e.to_str()) == Some(ext) {
            out.push(p);
        }
    }
    out.sort();
}

/// What a recorded body is, judged by its endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    SurveyList,
    Definition,
    Qsf,
    Legacy,
    ExportStart,
    ExportProgress,
    ExportFile,
    LegacyExportStart,
    LegacyExportProgress,
    DownloadMetadata,
    OtherEnvelope,
}

/// Classifies by a normalised endpoint path like `get surveys/SV_x/export-responses/ES_y`.
fn classify(method: &str, api_path: &str, query: &str) -> Kind {
    let parts: Vec<&str> = api_path
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let post = method.eq_ignore_ascii_case("post");
    match parts.as_slice() {
        ["surveys"] => Kind::SurveyList,
        ["surveys", _] => Kind::Legacy,
        ["survey-definitions", _] if query.contains("format=qsf") => Kind::Qsf,
        ["survey-definitions", _] => Kind::Definition,
        ["surveys", _, "export-responses"] if post => Kind::ExportStart,
        ["surveys", _, "export-responses", _] => Kind::ExportProgress,
        ["surveys", _, "export-responses", _, "file"] => Kind::ExportFile,
        ["responseexports"] if post => Kind::LegacyExportStart,
        ["responseexports", _] => Kind::LegacyExportProgress,
        ["responseexports", _, "file"] => Kind::DownloadMetadata,
        [first, ..] if first.starts_with("mailinglists") || first.starts_with("distributions") => {
            Kind::OtherEnvelope
        }
        other => panic!("unclassified recorded endpoint {method} {other:?}"),
    }
}

fn envelope<T: serde::de::DeserializeOwned>(body: &[u8], what: &str) -> T {
    serde_json::from_slice::<Envelope<T>>(body)
        .unwrap_or_else(|e| panic!("{what}: {e}"))
        .result
}

/// Parses a body with the model its kind calls for; returns a short description.
fn check_body(kind: Kind, body: &[u8], what: &str) {
    match kind {
        Kind::SurveyList => {
            let page: Page<SurveySummary> = envelope(body, what);
            assert!(!page.elements.is_empty(), "{what}");
            assert!(
                page.elements
                    .iter()
                    .all(|s| s.id.starts_with("SV_") && !s.name.is_empty()),
                "{what}"
            );
        }
        Kind::Definition => {
            let def = SurveyDefinition::from_value(envelope(body, what))
                .unwrap_or_else(|e| panic!("{what}: {e}"));
            assert!(!def.questions.is_empty(), "{what}");
            assert!(
                def.questions.values().all(|q| !q.question_type.is_empty()),
                "{what}"
            );
        }
        Kind::Qsf => {
            let qsf: Value = envelope(body, what);
            let mut n = 0;
            for e in qsf["SurveyElements"].as_array().unwrap() {
                if e["Element"] == "SQ" {
                    let q: DefinitionQuestion =
                        serde_json::from_value(e["Payload"].clone()).unwrap();
                    assert!(q.question_id.starts_with("QID"), "{what}");
                    n += 1;
                }
            }
            assert!(n > 0, "{what}");
        }
        Kind::Legacy => {
            let legacy = LegacySurvey::from_value(envelope(body, what))
                .unwrap_or_else(|e| panic!("{what}: {e}"));
            assert!(
                legacy.id.starts_with("SV_") && !legacy.questions.is_empty(),
                "{what}"
            );
            assert!(
                legacy
                    .questions
                    .values()
                    .all(|q| !q.question_type.kind.is_empty()),
                "{what}"
            );
        }
        Kind::ExportStart => {
            let start: ExportStart = envelope(body, what);
            assert!(start.progress_id.starts_with("ES_"), "{what}");
        }
        Kind::ExportProgress => {
            let status: ExportStatus = envelope(body, what);
            assert!((0.0..=100.0).contains(&status.percent_complete), "{what}");
            if status.status == qualtrics::ExportState::Complete {
                assert!(status.file_id.is_some(), "{what}");
            }
        }
        Kind::ExportFile => {
            assert_eq!(&body[..4], b"PK\x03\x04", "{what}: a zip");
            let zip = zip::ZipArchive::new(std::io::Cursor::new(body.to_vec())).unwrap();
            assert_eq!(zip.len(), 1, "{what}");
        }
        Kind::LegacyExportStart => {
            let result: Value = envelope(body, what);
            assert!(result["id"].as_str().unwrap().starts_with("ES_"), "{what}");
        }
        Kind::LegacyExportProgress => {
            let status: ExportStatus = envelope(body, what);
            assert_eq!(status.status, qualtrics::ExportState::Complete, "{what}");
        }
        Kind::DownloadMetadata => {
            // httptest's record of the download: a 307 to the same URL, then the 200 zip.
            let meta: Value = serde_json::from_slice(body).unwrap();
            let hops: Vec<u64> = meta["all_headers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h["status"].as_u64().unwrap())
                .collect();
            assert_eq!(hops, [307, 200], "{what}");
        }
        Kind::OtherEnvelope => {
            let result: Value = envelope(body, what);
            assert!(result.is_object(), "{what}");
        }
    }
}

/// Recovers `(method, api path, query)` from an extracted file name
/// `NN_<METHOD>_<path with _ for / and ->.json`, guided by the known routes.
fn from_extracted_name(name: &str) -> (String, String, String) {
    let stem = name.trim_end_matches(".json");
    let mut parts = stem.splitn(3, '_');
    let _index = parts.next();
    let method = parts.next().unwrap().to_string();
    let rest = parts.next().unwrap();
    let (rest, query) = match rest.find("_format_qsf") {
        Some(i) => (&rest[..i], "format=qsf".to_string()),
        None => (rest, String::new()),
    };
    let path = rest
        .replace("survey_definitions", "survey-definitions")
        .replace("export_responses", "export-responses")
        .replace("_SV_", "/SV_")
        .replace("_sv_", "/SV_")
        .replace("_ES_", "/ES_")
        .replace("_ML_", "/ML_")
        .replace("_EMD_", "/EMD_")
        .replace("_export-responses", "/export-responses")
        .replace("_contacts", "/contacts")
        .replace("_history", "/history")
        .replace("_links", "/links")
        .replace("_surveyId", "?surveyId");
    let path = path.split('?').next().unwrap().to_string();
    (method, path, query)
}

#[test]
fn every_recorded_json_body_parses() {
    let mut files = Vec::new();
    files_under(&Path::new(ROOT).join("extracted"), "json", &mut files);
    let extracted = files.len();
    files_under(&Path::new(ROOT).join("httptest-2018"), "json", &mut files);
    let mut by_kind: BTreeMap<Kind, usize> = BTreeMap::new();
    let mut checked = 0;
    for file in &files {
        let rel = file.strip_prefix(ROOT).unwrap().display().to_string();
        let body = std::fs::read(file).unwrap();
        let kind = if rel.starts_with("httptest-2018") {
            let api = rel
                .split("/API/v3/")
                .nth(1)
                .unwrap()
                .trim_end_matches(".json");
            let (api, method) = match api.strip_suffix("-POST") {
                Some(a) => (a.rsplit_once('-').map(|(p, _hash)| p).unwrap_or(a), "post"),
                None => (api, "get"),
            };
            classify(method, api, "")
        } else {
            let name = file.file_name().unwrap().to_str().unwrap();
            let (method, api, query) = from_extracted_name(name);
            classify(&method, &api, &query)
        };
        check_body(kind, &body, &rel);
        *by_kind.entry(kind).or_default() += 1;
        checked += 1;
    }
    println!("recorded JSON bodies checked: {checked} ({extracted} extracted) {by_kind:?}");
    assert!(checked > 0);
    assert_eq!(checked, files.len());
    for kind in [
        Kind::SurveyList,
        Kind::Definition,
        Kind::Qsf,
        Kind::Legacy,
        Kind::ExportStart,
        Kind::ExportProgress,
    ] {
        assert!(
            by_kind.get(&kind).copied().unwrap_or(0) > 0,
            "no {kind:?} recorded body was checked"
        );
    }
}

/// `(api path after /API/v3/, query)` of a recorded URI (hosts differ and some are scrubbed).
fn split_uri(uri: &str) -> (String, String) {
    let after = uri
        .split("/API/v3/")
        .nth(1)
        .unwrap_or_else(|| panic!("not an API URI: {uri}"));
    let (p, q) = after.split_once('?').unwrap_or((after, ""));
    (p.trim_end_matches('/').to_string(), q.to_string())
}

/// Rows of a CSV export (records after Qualtrics' 3 header rows), counted independently of
/// the client's parser: newlines outside quotes.
fn csv_data_rows(text: &str) -> usize {
    let mut in_quotes = false;
    let mut records = 0;
    let mut pending = false;
    for c in text.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            '\n' if !in_quotes => {
                records += 1;
                pending = false;
                continue;
            }
            _ => {}
        }
        pending = true;
    }
    records + usize::from(pending) - 3
}

#[tokio::test]
async fn every_cassette_interaction_parses_and_replays_through_the_client() {
    let mut cassettes = Vec::new();
    files_under(&Path::new(ROOT).join("cassettes"), "yml", &mut cassettes);
    let mut interactions = 0usize;
    let mut replayed_flows = 0usize;
    let mut export_flows = 0usize;
    for file in &cassettes {
        let name = file.file_stem().unwrap().to_str().unwrap().to_string();
        let cassette: Cassette = serde_yaml::from_str(&std::fs::read_to_string(file).unwrap())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!cassette.http_interactions.is_empty(), "{name}");
        let server = MockServer::start().await;
        let mut calls = Vec::new();
        for (i, it) in cassette.http_interactions.iter().enumerate() {
            let (api, query) = split_uri(&it.request.uri);
            let kind = classify(&it.request.method, &api, &query);
            let status = it.response.status.code();
            assert_eq!(status, 200, "{name}#{i}");
            let body = it.response.body.bytes();
            check_body(kind, &body, &format!("{name}#{i} {api}"));
            interactions += 1;
            let content_type = it
                .response
                .headers
                .get("content-type")
                .and_then(|v| v.as_str())
                .unwrap_or("application/json")
                .to_string();
            let mut mock = Mock::given(method(it.request.method.to_uppercase().as_str()))
                .and(path(format!("/API/v3/{api}")));
            if query.contains("format=qsf") {
                mock = mock.and(query_param("format", "qsf"));
            }
            if kind == Kind::ExportStart {
                let sent = it
                    .request
                    .body
                    .as_ref()
                    .and_then(|b| b.string.clone())
                    .unwrap();
                mock = mock.and(body_json(serde_json::from_str::<Value>(&sent).unwrap()));
            }
            mock.respond_with(
                ResponseTemplate::new(status).set_body_raw(body.clone(), content_type.as_str()),
            )
            .up_to_n_times(1)
            .expect(1..)
            .named(format!("{name}#{i}"))
            .mount(&server)
            .await;
            calls.push((
                kind,
                api,
                it.request.body.as_ref().and_then(|b| b.string.clone()),
                body,
            ));
        }
        let client = token_client(&server.uri());
        let mut i = 0;
        while i < calls.len() {
            let (kind, api, sent, _) = &calls[i];
            let survey_id = api.split('/').nth(1).unwrap_or_default().to_string();
            match kind {
                Kind::ExportStart => {
                    let request: ExportRequest =
                        serde_json::from_str(sent.as_deref().unwrap()).unwrap();
                    let exchanges = calls[i..]
                        .iter()
                        .take_while(|c| {
                            matches!(
                                c.0,
                                Kind::ExportStart | Kind::ExportProgress | Kind::ExportFile
                            )
                        })
                        .count();
                    let mut ids = Vec::new();
                    let mut max_percent = 0.0f64;
                    let summary = client
                        .export_responses(
                            &survey_id,
                            &request,
                            |p| {
                                if let qualtrics::ExportPhase::Exporting { percent } = p.phase {
                                    max_percent = max_percent.max(percent);
                                }
                            },
                            |r| {
                                ids.push(r.response_id);
                                Ok(())
                            },
                        )
                        .await
                        .unwrap_or_else(|e| panic!("{name}: {e}"));
                    assert_eq!(
                        summary.http_requests as usize, exchanges,
                        "{name}: one request per recorded exchange"
                    );
                    assert_eq!(max_percent, 100.0, "{name}");
                    // The recorded zip's CSV member: same row count as the client delivered.
                    let zip_bytes = &calls[i + exchanges - 1].3;
                    let mut archive =
                        zip::ZipArchive::new(std::io::Cursor::new(zip_bytes.clone())).unwrap();
                    let mut csv = String::new();
                    archive
                        .by_index(0)
                        .unwrap()
                        .read_to_string(&mut csv)
                        .unwrap();
                    assert_eq!(summary.responses as usize, csv_data_rows(&csv), "{name}");
                    assert!(summary.responses > 0, "{name}");
                    for id in ids.iter().filter(|id| !id.is_empty()) {
                        assert!(
                            csv.contains(id.as_str()),
                            "{name}: {id} not in the recorded file"
                        );
                    }
                    export_flows += 1;
                    i += exchanges;
                }
                Kind::SurveyList => {
                    assert!(!client.list_surveys().await.unwrap().is_empty(), "{name}");
                    i += 1;
                }
                Kind::Legacy => {
                    let legacy = client
                        .legacy_survey(&survey_id)
                        .await
                        .unwrap_or_else(|e| panic!("{name}: {e}"));
                    assert_eq!(legacy.id, survey_id);
                    i += 1;
                }
                Kind::Definition => {
                    let def = client
                        .survey_definition(&survey_id)
                        .await
                        .unwrap_or_else(|e| panic!("{name}: {e}"));
                    assert_eq!(def.survey_id, survey_id);
                    i += 1;
                }
                Kind::Qsf => {
                    let qsf = client
                        .survey_qsf(&survey_id)
                        .await
                        .unwrap_or_else(|e| panic!("{name}: {e}"));
                    assert_eq!(qsf["SurveyEntry"]["SurveyID"], survey_id.as_str());
                    i += 1;
                }
                // Mailing lists / distributions: outside this client; envelope-checked above.
                _ => {
                    server.reset().await;
                    i = calls.len();
                    continue;
                }
            }
            replayed_flows += 1;
        }
        // Every mounted recorded exchange was consumed exactly as recorded.
        server.verify().await;
    }
    println!("cassettes: {}, interactions checked: {interactions}, client calls replayed: {replayed_flows} ({export_flows} export flows)", cassettes.len());
    assert_eq!(cassettes.len(), 22);
    assert!(interactions > 0);
    assert_eq!(
        interactions,
        cassettes
            .iter()
            .map(|f| count_interactions(f))
            .sum::<usize>()
    );
    assert!(export_flows >= 9);
}

/// Interactions in a cassette, counted from the raw text (independent of the YAML model).
fn count_interactions(file: &Path) -> usize {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("- request:") || l.starts_with("  - request:"))
        .count()
}
