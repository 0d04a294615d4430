//! Survey routes: list (paged), definitions, legacy survey, filters.
//!
//! Contract: `GET /API/v3/surveys?offset=N` returns `page_size` elements per
//! page with `nextPage` = `http://<Host>/API/v3/surveys?offset=N` or `null`;
//! the user without surveys gets an empty list, and 404 for any survey id. With the
//! `cycleNextPage` fault the last page links back to `?offset=0` instead of `null`.
//! Unknown survey ids → 404.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::Response;
use serde_json::{json, Value};

use super::auth::authorize;
use crate::data::catalog::{self, UserSpec, MAIN_USER_ID, SURVEYS};
use crate::data::definition::{self, ResponseCounts};
use crate::data::model::SurveySpec;
use crate::data::timeline;
use crate::envelope::{ok, ApiError};
use crate::state::SimState;

/// Authenticate and resolve a survey visible to the caller.
pub fn visible_survey(
    state: &SimState,
    headers: &HeaderMap,
    id: &str,
) -> Result<&'static SurveySpec, ApiError> {
    let user = authorize(state, headers)?;
    match catalog::survey(id) {
        Some(spec) if user.sees_surveys => Ok(spec),
        _ => Err(ApiError::not_found("QVAL_404")),
    }
}

fn surveys_for(user: &UserSpec) -> &'static [SurveySpec] {
    if user.sees_surveys {
        &SURVEYS
    } else {
        &[]
    }
}

/// `GET /API/v3/surveys`.
pub async fn list(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let user = authorize(&state, &headers)?;
    let offset: usize = match query.get("offset") {
        None => 0,
        Some(v) => v.parse().map_err(|_| {
            ApiError::qval(
                "QVAL_4",
                format!("Invalid value for parameter offset: {v}."),
            )
        })?,
    };
    let all = surveys_for(user);
    let page = state.config.page_size.max(1);
    let elements: Vec<Value> = all
        .iter()
        .skip(offset)
        .take(page)
        .map(|s| {
            json!({"id": s.id, "name": s.name, "ownerId": MAIN_USER_ID, "lastModified": s.modified,
                   "creationDate": s.created, "isActive": true})
        })
        .collect();
    let next = offset + page;
    let next = if next >= all.len() && state.faults.next_page_cycles() {
        0
    } else {
        next
    };
    let next_page = if next < all.len() {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        json!(format!("http://{host}/API/v3/surveys?offset={next}"))
    } else {
        Value::Null
    };
    Ok(ok(json!({"elements": elements, "nextPage": next_page})))
}

/// `GET /API/v3/survey-definitions/{surveyId}`.
pub async fn definition(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let spec = visible_survey(&state, &headers, &id)?;
    Ok(ok(definition::definition(spec)))
}

/// Counts among `total` responses of which the indices in `deleted` are deleted.
pub fn response_counts(
    config: &crate::SimConfig,
    spec: &SurveySpec,
    total: u64,
    deleted: &BTreeSet<u64>,
) -> ResponseCounts {
    let unfinished = (0..total)
        .filter(|i| timeline::is_in_progress(config, spec, *i) && !deleted.contains(i))
        .count() as u64;
    let deleted = deleted.range(..total).count() as u64;
    ResponseCounts {
        auditable: total - deleted - unfinished,
        generated: unfinished,
        deleted,
    }
}

/// Legacy `GET /API/v3/surveys/{surveyId}`.
pub async fn legacy(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let spec = visible_survey(&state, &headers, &id)?;
    let data = state.snapshot(spec);
    let counts = response_counts(&state.config, spec, data.total, &data.deleted);
    Ok(ok(definition::legacy(spec, counts)))
}

/// `GET /API/v3/surveys/{surveyId}/filters`: `result.elements[] = {filterId, filterName,
/// creationDate}`, 404 for an unknown survey. Source: the official Stoplight spec as quoted
/// by the MIT-licensed clients generated from it (mkbabb/qualtrics-utils,
/// `responseImportsExports.json`); filters are created in the web UI only, so the simulator
/// seeds them per survey (`catalog`).
pub async fn filters(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let spec = visible_survey(&state, &headers, &id)?;
    let elements: Vec<Value> = spec
        .filters
        .iter()
        .map(|f| json!({"filterId": f.id, "filterName": f.name, "creationDate": f.created}))
        .collect();
    Ok(ok(json!({"elements": elements})))
}
