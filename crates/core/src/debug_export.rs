//! The support "Download survey data" bundle.
//!
//! Contract: [`debug_export`] writes ONE zip file at `dest` (atomically: a temporary file in
//! the same directory renamed into place) holding:
//! `manifest.json` (app version, schema version, created_at, survey id, redaction on/off, file
//! list), `definition.json` (raw survey definition), `responses.json` (raw cached responses,
//! completed and in progress), `cards.json` (configs of the metric cards on this survey),
//! `values.json` (their cached computed values), `refresh_log.json` (refresh attempts),
//! `connection_log.json` and `versions.json`.
//! - `dest` is checked first by [`crate::dest::check_destination`]: never inside the data dir,
//!   never onto something that is not a regular file, and an existing file is replaced only
//!   with `options.overwrite`.
//! - Redaction is ON unless the caller explicitly opts out: e-mail, phone, names, IP address,
//!   location, external references and answers to identifying question types (by the
//!   definition) become `"[redacted]"` in responses, and e-mails, phones, IPs and the user
//!   name inside any text of any file (see [`crate::redact`]). `redactions.json` then lists
//!   what was redacted where and why (never the values), and the manifest counts it.
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
use crate::redact::{RedactionReport, Redactor};
use crate::store::Store;

/// What the redaction manifest says was looked for (the rules of [`crate::redact`]).
const REDACTION_RULES: &[&str] = &[
    "response fields named for personal data: e-mail, phone, names, IP address, \
     latitude/longitude, location, city, postal code, street address, external reference",
    "every field of questions of type TE (text entry), Matrix/TE, Draw, FileUpload, Meta, \
     and every *_TEXT field",
    "e-mail addresses, IP addresses and phone numbers inside any text, in every file",
    "the connected Qualtrics user name, in every file",
];

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
    let redactor = Redactor::new()
        .with_question_types(questions.iter().flat_map(|q| {
            let ids = std::iter::once(q.qid.clone()).chain(q.export_tag.clone());
            ids.map(|id| (id, q.question_type.clone(), q.selector.clone()))
        }))
        .with_known_values(store.get_setting(crate::connection::USER_NAME_SETTING)?);
    let mut report = RedactionReport::default();

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
        redactor.redact_responses(&mut responses, "responses.json", &mut report);
    }

    let mut cards = Vec::new();
    let mut values = Vec::new();
    for (id, config) in crate::refresh::metric_cards_for_survey(store, survey_id)? {
        if let Some(v) = store.get_metric_value::<crate::metrics::MetricValue>(&id)? {
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
    if options.redact_pii {
        // Pulsemap's own files: only personal data inside strings (the user's e-mail in the
        // connection log, an e-mail in a question text...).
        for (name, value) in files.iter_mut().filter(|(n, _)| *n != "responses.json") {
            redactor.redact_text(value, name, &mut report);
        }
        files.push((
            "redactions.json",
            json!({
                "rules": REDACTION_RULES,
                "total": report.total(),
                "redacted": report.entries(),
            }),
        ));
    }
    let mut names: Vec<String> = vec!["manifest.json".to_string()];
    names.extend(files.iter().map(|(n, _)| n.to_string()));
    let manifest = json!({
        "appVersion": env!("CARGO_PKG_VERSION"),
        "schemaVersion": schema_version,
        "createdAt": Utc::now().to_rfc3339(),
        "surveyId": survey_id,
        "surveyName": survey.name,
        "redactPii": options.redact_pii,
        "redactedValues": report.total(),
        "responses": response_total,
        "files": names,
    });
    files.insert(0, ("manifest.json", manifest));

    let data_dir = store.path().and_then(Path::parent);
    let bytes = crate::dest::write_export(dest, data_dir, options.overwrite, |file| {
        let mut zip = zip::ZipWriter::new(file);
        let opts =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, value) in &files {
            zip.start_file(*name, opts).map_err(zip_error)?;
            zip.write_all(&serde_json::to_vec_pretty(value)?)?;
        }
        zip.finish().map_err(zip_error)?;
        Ok(())
    })?;
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
