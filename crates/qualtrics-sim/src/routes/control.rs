//! Test-control routes under `/__sim` (not part of the Qualtrics API).
//!
//! Contract:
//! - `POST /__sim/faults` — JSON [`FaultSettings`] (see [`crate::faults`]),
//!   answers the resulting state; `GET /__sim/faults` answers the state.
//! - `POST /__sim/responses` `{"surveyId": "SV_...", "count": n}` — adds `n`
//!   deterministic responses recorded after all existing ones; answers
//!   `{"surveyId", "added", "total"}`; unknown survey → 404.
//! - `POST /__sim/responses/delete` `{"surveyId": "SV_...", "indices": [i, ...]}` —
//!   deletes responses by index (as a survey owner deleting them in Qualtrics): exports
//!   leave them out and `responseCounts.deleted` counts them; answers
//!   `{"surveyId", "deleted": <newly deleted>, "total"}`; an index at or beyond the
//!   survey's total → 400, unknown survey → 404.
//! - `POST /__sim/responses/edit` `{"surveyId": "SV_...", "indices": [i, ...],
//!   "field": "Region", "value": "APAC"}` — sets an embedded-data field (or the typed
//!   answer of a text entry question, `"field": "QID20_TEXT"`) on responses by index and
//!   marks them modified now, as an owner correcting them in Qualtrics (Data & Analysis,
//!   where a text entry's content validation is not applied, or the update-response API,
//!   `PUT /responses/{id}` with `embeddedData`: see the API digest's single-response section): the response counts do not change, later
//!   exports carry the new value, and continuation exports do not re-deliver the edited
//!   responses (they announce responses recorded since the token). Answers `{"surveyId",
//!   "edited": n, "total"}`; an index at or beyond the total or a field the survey does not
//!   define (no such embedded field, or no such text entry question) → 400, unknown survey → 404 (deleted responses are skipped).
//! - `GET /__sim/stats` — `{"total": <API requests>, "routes": {"GET /API/v3/whoami": 3, ...},
//!   "exportsStarted": n, "exportsReused": n, "exports": [{"progressId", "surveyId",
//!   "reused", "writerMs"}, ...]}` (route keys use the route templates; control routes
//!   are listed but not part of `total`; `exportsReused` counts exports served from an
//!   already-written file, see [`crate::reuse`]; `exports` lists the last
//!   [`crate::reuse::MAX_RECORDS`] exports, oldest first, `writerMs` being the time from
//!   the start request to the file written, `null` while writing, when reused or failed).

use std::sync::Arc;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::json;

use crate::data::catalog;
use crate::data::model::SurveySpec;
use crate::envelope::ApiError;
use crate::faults::FaultSettings;
use crate::state::{EditField, SimState};

/// `GET /__sim/faults`.
pub async fn get_faults(State(state): State<Arc<SimState>>) -> Response {
    Json(state.faults.snapshot()).into_response()
}

/// `POST /__sim/faults`.
pub async fn set_faults(
    State(state): State<Arc<SimState>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let settings: FaultSettings = serde_json::from_slice(&body)
        .map_err(|e| ApiError::qval("SIM_BAD_FAULTS", format!("Invalid fault settings: {e}")))?;
    state.faults.apply(&settings);
    Ok(Json(state.faults.snapshot()).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AddResponses {
    survey_id: String,
    count: u64,
}

/// `POST /__sim/responses`.
pub async fn add_responses(
    State(state): State<Arc<SimState>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let req: AddResponses = parse(&body, r#"{"surveyId", "count"}"#)?;
    let spec = survey(&req.survey_id)?;
    state.add(spec, req.count);
    let total = state.total(spec);
    Ok(Json(json!({"surveyId": spec.id, "added": req.count, "total": total})).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct DeleteResponses {
    survey_id: String,
    indices: Vec<u64>,
}

/// `POST /__sim/responses/delete`.
pub async fn delete_responses(
    State(state): State<Arc<SimState>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let req: DeleteResponses = parse(&body, r#"{"surveyId", "indices"}"#)?;
    let spec = survey(&req.survey_id)?;
    let total = state.total(spec);
    check_indices(&req.indices, total)?;
    let deleted = state.delete(spec, &req.indices);
    Ok(Json(json!({"surveyId": spec.id, "deleted": deleted, "total": total})).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct EditResponses {
    survey_id: String,
    indices: Vec<u64>,
    field: String,
    value: String,
}

/// `POST /__sim/responses/edit`.
pub async fn edit_responses(
    State(state): State<Arc<SimState>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let req: EditResponses = parse(&body, r#"{"surveyId", "indices", "field", "value"}"#)?;
    let spec = survey(&req.survey_id)?;
    let total = state.total(spec);
    check_indices(&req.indices, total)?;
    let Some(field) = EditField::of(spec, &req.field) else {
        return Err(ApiError::qval(
            "SIM_BAD_REQUEST",
            format!(
                "Survey {} has no embedded data field or text entry answer {:?} (its fields: \
                 {:?})",
                spec.id, req.field, spec.embedded
            ),
        ));
    };
    let edited = state.edit(spec, &req.indices, field, &req.value);
    Ok(Json(json!({"surveyId": spec.id, "edited": edited, "total": total})).into_response())
}

/// A control request's JSON body; `expected` names its fields in the 400 message.
fn parse<T: DeserializeOwned>(body: &[u8], expected: &str) -> Result<T, ApiError> {
    serde_json::from_slice(body)
        .map_err(|e| ApiError::qval("SIM_BAD_REQUEST", format!("Expected {expected}: {e}")))
}

/// A catalog survey, or 404.
fn survey(id: &str) -> Result<&'static SurveySpec, ApiError> {
    catalog::survey(id).ok_or_else(|| ApiError::not_found("SIM_UNKNOWN_SURVEY"))
}

/// `GET /__sim/stats`.
pub async fn stats(State(state): State<Arc<SimState>>) -> Response {
    Json(json!({
        "total": state.api_requests(),
        "routes": state.stats(),
        "exportsStarted": state.exports.started(),
        "exportsReused": state.exports.reused(),
        "exports": state.exports.records(),
    }))
    .into_response()
}

/// Refuses a response index beyond the survey's `total` responses (delete and edit routes).
fn check_indices(indices: &[u64], total: u64) -> Result<(), ApiError> {
    match indices.iter().find(|&&i| i >= total) {
        Some(bad) => Err(ApiError::qval(
            "SIM_BAD_REQUEST",
            format!("Response index {bad} is beyond the survey's {total} responses"),
        )),
        None => Ok(()),
    }
}
