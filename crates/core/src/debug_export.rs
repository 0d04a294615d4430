//! The support "Download survey data" bundle.
//!
//! Contract: [`debug_export`] writes ONE zip file at `dest` (atomically: a temporary file in
//! the same directory renamed into place) holding:
//! `manifest.json` (app version, schema version, created_at, survey id, redaction on/off, file
//! list), `definition.json` (raw survey definition), `responses.json` (raw cached responses,
//! completed and in progress), `cards.json` (configs of the metric cards on this survey),
//! `values.json` (their cached computed values), `refresh_log.json` (refresh attempts),
//! `connection_log.json` and `versions.json`.
//! - Redaction is ON unless the caller explicitly opts out: e-mail, phone, names, IP address,
//!   location and free-text answers become `"[redacted]"` (see [`crate::redact`]).
//! - No secret is ever included: the bundle is built only from SQLite (which never holds one)
//!   and the keychain is not read. Connection settings are exported without the masked hint.
//! - Works offline, from the cache only.

use std::io::Write;
use std::path::Path;

use chrono::Utc;
use serde_json::{json, Value};
use zip::write::SimpleFileOptions;

use crate::dto::{DebugExportOptions, DebugExportSummary};
use crate::error::{Error, ErrorKind, Result};
use crate::redact::Redactor;
use crate::store::Store;

/// How many connection-log events the bundle carries.
const CONNECTION_LOG_LIMIT: usize = 500;
/// How many refresh attempts the bundle carries.
const REFRESH_LOG_LIMIT: usize = 500;

/// Writes the debug bundle of `survey_id` to `dest`; see the module docs.
pub fn debug_export(
    store: &Store,
    survey_id: &str,
    dest: &Path,
    options: DebugExportOptions,
) -> Result<DebugExportSummary> {
    let survey = store
        .get_survey(survey_id)?
        .ok_or_else(|| Error::not_found(format!("survey {survey_id} is not in the local cache")))?;
    let definition = store.survey_definition(survey_id)?.unwrap_or(Value::Null);
    let questions = store.list_questions(survey_id)?;
    let redactor = Redactor::new().with_text_entry_questions(
        questions
            .iter()
            .filter(|q| q.is_text_entry())
            .map(|q| q.qid.clone()),
    );

    let mut completed = Vec::new();
    store.for_each_response(survey_id, |r| {
        completed.push(json!({
            "responseId": r.response_id,
            "finished": r.finished,
            "startDate": r.start_date,
            "endDate": r.end_date,
            "recordedDate": r.recorded_date,
            "values": r.values,
            "labels": r.labels,
        }));
        Ok(())
    })?;
    let mut in_progress = Vec::new();
    for r in store.list_in_progress(survey_id)? {
        in_progress.push(json!({
            "responseId": r.response_id,
            "startDate": r.start_date,
            "values": r.values,
        }));
    }
    let response_total = (completed.len() + in_progress.len()) as u32;
    let mut responses = json!({
        "surveyId": survey_id,
        "completed": completed,
        "inProgress": in_progress,
    });
    if options.redact_pii {
        redactor.redact(&mut responses);
    }

    let mut cards = Vec::new();
    let mut values = Vec::new();
    for (id, config) in crate::refresh::metric_cards_for_survey(store, survey_id)? {
        if let Some(v) = store.get_metric_value(&id)? {
            values.push(serde_json::to_value(v)?);
        }
        cards.push(json!({ "cardId": id, "config": config }));
    }
    let refresh_log = store.list_refresh_attempts(Some(survey_id), REFRESH_LOG_LIMIT)?;
    let connection_log = store.list_connection_log(CONNECTION_LOG_LIMIT)?;
    let schema_version = store.schema_version()?;
    let versions = json!({
        "app": env!("CARGO_PKG_VERSION"),
        "schemaVersion": schema_version,
        "sqlite": rusqlite::version(),
        "os": std::env::consts::OS,
        "arch": std::env::consts::ARCH,
    });

    let mut files: Vec<(&str, Value)> = vec![
        (
            "definition.json",
            json!({ "survey": survey_json(&survey), "definition": definition }),
        ),
        ("responses.json", responses),
        ("cards.json", serde_json::to_value(&cards)?),
        ("values.json", Value::Array(values)),
        ("refresh_log.json", serde_json::to_value(&refresh_log)?),
        (
            "connection_log.json",
            serde_json::to_value(&connection_log)?,
        ),
        ("versions.json", versions),
    ];
    let mut names: Vec<String> = vec!["manifest.json".to_string()];
    names.extend(files.iter().map(|(n, _)| n.to_string()));
    let manifest = json!({
        "appVersion": env!("CARGO_PKG_VERSION"),
        "schemaVersion": schema_version,
        "createdAt": Utc::now().to_rfc3339(),
        "surveyId": survey_id,
        "surveyName": survey.name,
        "redactPii": options.redact_pii,
        "responses": response_total,
        "files": names,
    });
    files.insert(0, ("manifest.json", manifest));

    let dir = match dest.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir)?;
    let tmp = tempfile::NamedTempFile::new_in(&dir)?;
    {
        let mut zip = zip::ZipWriter::new(tmp.as_file());
        let opts =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, value) in &files {
            zip.start_file(*name, opts).map_err(zip_error)?;
            zip.write_all(&serde_json::to_vec_pretty(value)?)?;
        }
        zip.finish().map_err(zip_error)?;
    }
    tmp.persist(dest).map_err(|e| Error::from(e.error))?;
    let bytes = std::fs::metadata(dest)?.len();
    Ok(DebugExportSummary {
        path: dest.to_path_buf(),
        files: names,
        bytes,
        redacted: options.redact_pii,
        responses: response_total,
    })
}

fn survey_json(s: &crate::store::SurveyRow) -> Value {
    json!({
        "id": s.id,
        "name": s.name,
        "ownerId": s.owner_id,
        "isActive": s.is_active,
        "lastModified": s.last_modified,
        "creationDate": s.creation_date,
        "deleted": s.deleted,
    })
}

fn zip_error(e: zip::result::ZipError) -> Error {
    Error::new(
        ErrorKind::Internal,
        format!("could not write the debug zip: {e}"),
    )
}
