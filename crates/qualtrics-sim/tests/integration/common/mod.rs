//! Shared helpers for the simulator's HTTP tests: start a simulator, call it
//! with reqwest, run an export to completion, unzip, parse CSV, load recordings.
#![allow(dead_code)]

use std::io::{Cursor, Read};
use std::path::PathBuf;

use qualtrics_sim::catalog::API_TOKEN;
use qualtrics_sim::{SimConfig, SimHandle};
use serde_json::Value;

pub async fn start(config: SimConfig) -> SimHandle {
    SimHandle::start(config).await.expect("simulator starts")
}

pub async fn start_default() -> SimHandle {
    start(SimConfig {
        export_polls: 1,
        ..SimConfig::default()
    })
    .await
}

/// The default config with `responses` per seeded survey and `export_polls` in-progress polls.
pub fn config(responses: u64, export_polls: u32) -> SimConfig {
    SimConfig {
        responses,
        export_polls,
        ..SimConfig::default()
    }
}

/// The default config (2000 responses per seeded survey) whose exports complete on the first poll.
pub fn no_polls() -> SimConfig {
    SimConfig {
        export_polls: 0,
        ..SimConfig::default()
    }
}

/// Start a simulator with [`config`]`(responses, export_polls)`.
pub async fn start_with(responses: u64, export_polls: u32) -> SimHandle {
    start(config(responses, export_polls)).await
}

pub fn client() -> reqwest::Client {
    reqwest::Client::new()
}

/// Send a request and parse its JSON answer (whatever the status).
pub async fn json_of(request: reqwest::RequestBuilder) -> Value {
    request
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json body")
}

/// `POST` a JSON body to a simulator control route (`/__sim/...`, no token).
pub async fn control_post(sim: &SimHandle, path: &str, body: &Value) -> reqwest::Response {
    client()
        .post(format!("{}{}", sim.base_url(), path))
        .json(body)
        .send()
        .await
        .expect("control request")
}

/// `GET` a simulator control route (`/__sim/...`, no token) as JSON.
pub async fn control_get(sim: &SimHandle, path: &str) -> Value {
    json_of(client().get(format!("{}{}", sim.base_url(), path))).await
}

pub async fn get(sim: &SimHandle, path: &str, token: &str) -> (u16, Value) {
    let resp = client()
        .get(format!("{}{}", sim.base_url(), path))
        .header("X-API-TOKEN", token)
        .send()
        .await
        .expect("request");
    let status = resp.status().as_u16();
    (status, resp.json().await.expect("json body"))
}

pub async fn post_json(sim: &SimHandle, path: &str, token: &str, body: &Value) -> (u16, Value) {
    post_raw(sim, path, token, body.to_string()).await
}

pub async fn post_raw(sim: &SimHandle, path: &str, token: &str, body: String) -> (u16, Value) {
    let resp = client()
        .post(format!("{}{}", sim.base_url(), path))
        .header("X-API-TOKEN", token)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("request");
    let status = resp.status().as_u16();
    (status, resp.json().await.expect("json body"))
}

pub fn export_path(survey: &str) -> String {
    format!("/API/v3/surveys/{survey}/export-responses")
}

/// `POST` an export start with the main token: (status, body).
pub async fn start_export(sim: &SimHandle, survey: &str, body: &Value) -> (u16, Value) {
    post_json(sim, &export_path(survey), API_TOKEN, body).await
}

/// `GET` an export's progress once with the main token: (status, body).
pub async fn poll_export(sim: &SimHandle, survey: &str, progress_id: &str) -> (u16, Value) {
    get(
        sim,
        &format!("{}/{progress_id}", export_path(survey)),
        API_TOKEN,
    )
    .await
}

/// Start an export, poll until complete; returns (file id, final progress result, polls).
pub async fn run_export(sim: &SimHandle, survey: &str, body: &Value) -> (String, Value, u32) {
    let (status, started) = start_export(sim, survey, body).await;
    assert_eq!(status, 200, "export start failed: {started}");
    let pid = started["result"]["progressId"]
        .as_str()
        .expect("progressId")
        .to_string();
    let mut polls = 0;
    loop {
        polls += 1;
        assert!(polls < 2000, "export never completed");
        let (status, p) = poll_export(sim, survey, &pid).await;
        assert_eq!(status, 200, "{p}");
        match p["result"]["status"].as_str() {
            Some("complete") => {
                let fid = p["result"]["fileId"].as_str().expect("fileId").to_string();
                return (fid, p["result"].clone(), polls);
            }
            Some("inProgress") => tokio::time::sleep(std::time::Duration::from_millis(10)).await,
            other => panic!("unexpected export status {other:?}: {p}"),
        }
    }
}

pub async fn download(sim: &SimHandle, survey: &str, file_id: &str) -> reqwest::Response {
    client()
        .get(format!(
            "{}{}/{file_id}/file",
            sim.base_url(),
            export_path(survey)
        ))
        .header("X-API-TOKEN", API_TOKEN)
        .send()
        .await
        .expect("download")
}

/// Download a finished export file and return its bytes (any status).
pub async fn download_bytes(sim: &SimHandle, survey: &str, file_id: &str) -> Vec<u8> {
    download(sim, survey, file_id)
        .await
        .bytes()
        .await
        .expect("download bytes")
        .to_vec()
}

/// Unzip a single-member archive: (member name, content).
pub fn unzip_single(bytes: &[u8]) -> (String, Vec<u8>) {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("valid zip");
    assert_eq!(archive.len(), 1, "exactly one member");
    let mut member = archive.by_index(0).expect("member");
    let name = member.name().to_string();
    let mut out = Vec::new();
    member.read_to_end(&mut out).expect("read member");
    (name, out)
}

/// Export as JSON (zipped) and return the `responses` array.
pub async fn export_json(sim: &SimHandle, survey: &str, body: Value) -> (Vec<Value>, Value) {
    let (fid, result, _) = run_export(sim, survey, &body).await;
    let resp = download(sim, survey, &fid).await;
    assert_eq!(resp.status(), 200);
    let bytes = resp.bytes().await.expect("bytes");
    let (_, content) = unzip_single(&bytes);
    let doc: Value = serde_json::from_slice(&content).expect("json file");
    (
        doc["responses"].as_array().expect("responses").clone(),
        result,
    )
}

/// Minimal RFC 4180 parser (quotes, doubled quotes, CRLF or LF).
pub fn parse_csv(text: &str, sep: char) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    cell.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                cell.push(c);
            }
        } else if c == '"' {
            quoted = true;
        } else if c == sep {
            row.push(std::mem::take(&mut cell));
        } else if c == '\n' || c == '\r' {
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
            }
            row.push(std::mem::take(&mut cell));
            rows.push(std::mem::take(&mut row));
        } else {
            cell.push(c);
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows
}

pub fn recorded_path(rel: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../qualtrics/tests/fixtures/recorded/qualtRics/extracted/"
    ))
    .join(rel)
}

pub fn recorded_json(rel: &str) -> Value {
    let text =
        std::fs::read_to_string(recorded_path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"));
    serde_json::from_str(&text).expect("recorded json")
}

pub fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Structural comparison: every key present in both has the same JSON type
/// (recorded `null` matches anything), recursively; arrays compare each of
/// ours against the first recorded element. Returns mismatch descriptions.
pub fn shape_diff(recorded: &Value, ours: &Value, path: &str, out: &mut Vec<String>) {
    match (recorded, ours) {
        (Value::Null, _) => {}
        (Value::Object(r), Value::Object(o)) => {
            for (k, rv) in r {
                if let Some(ov) = o.get(k) {
                    shape_diff(rv, ov, &format!("{path}.{k}"), out);
                }
            }
        }
        (Value::Array(r), Value::Array(o)) => {
            if let Some(first) = r.first() {
                for (i, ov) in o.iter().enumerate() {
                    if json_type(first) == json_type(ov) {
                        shape_diff(first, ov, &format!("{path}[{i}]"), out);
                    } else {
                        out.push(format!(
                            "{path}[{i}]: recorded {} vs ours {}",
                            json_type(first),
                            json_type(ov)
                        ));
                    }
                }
            }
        }
        (r, o) if json_type(r) != json_type(o) => out.push(format!(
            "{path}: recorded {} vs ours {}",
            json_type(r),
            json_type(o)
        )),
        _ => {}
    }
}

/// Keys of a JSON object.
pub fn keys(v: &Value) -> Vec<String> {
    v.as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}
