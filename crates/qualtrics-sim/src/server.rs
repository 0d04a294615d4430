//! The axum router, middleware (statistics, faults) and [`SimHandle`].
//!
//! Contract: [`SimHandle::start`] binds `127.0.0.1:0`, serves until the handle
//! is dropped or [`SimHandle::shutdown`] is awaited; accepted connections use
//! `TCP_NODELAY`. Every request is counted
//! per route template; requests outside `/__sim` first pass the black-hole, rate-limit and
//! server-error faults. Unknown routes → 404 in the Qualtrics envelope.
//!
//! Proxying: when [`SimConfig::host_datacenter`] differs from [`SimConfig::datacenter`],
//! every successful JSON answer to a call made with `X-API-TOKEN` gets
//! `meta.notice` = "Request proxied. For faster response times, use this host instead:
//! {datacenter}.qualtrics.com" — the shape of a real captured body quoted by the
//! "ddsurveys" Python client (and reported against iad1/pdx1 in the qualtrics-lti-connector
//! notes). Bearer (OAuth) calls are not proxied by Qualtrics, so they get no notice.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::serve::ListenerExt;
use axum::Router;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::data::catalog;
use crate::envelope::{server_error, too_many_requests, ApiError};
use crate::faults::Faults;
use crate::routes::{auth, control, export, surveys};
use crate::state::{EditField, SimState};
use crate::SimConfig;

async fn count_and_fault(State(state): State<Arc<SimState>>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let template = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let is_control = path.starts_with("/__sim");
    state.record(format!("{} {}", req.method(), template), is_control);
    let proxied_to = (!is_control && req.headers().contains_key("x-api-token"))
        .then(|| state.proxied_to())
        .flatten();
    if !is_control {
        // Accept and stay silent while the switch is on (the client gives up first).
        while state.faults.is_black_hole() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        if state.faults.take_rate_limit() {
            return too_many_requests(1);
        }
        if let Some(unavailable) = state.faults.take_server_error() {
            let status = if unavailable {
                StatusCode::SERVICE_UNAVAILABLE
            } else {
                StatusCode::INTERNAL_SERVER_ERROR
            };
            return server_error(status);
        }
    }
    let response = next.run(req).await;
    match proxied_to {
        Some(host) => with_notice(response, &host).await,
        None => response,
    }
}

/// Adds the "Request proxied" `meta.notice` to a successful JSON answer.
async fn with_notice(response: Response, host: &str) -> Response {
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if response.status() != StatusCode::OK || !is_json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return server_error(StatusCode::INTERNAL_SERVER_ERROR);
    };
    let mut value: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(_) => return Response::from_parts(parts, axum::body::Body::from(bytes)),
    };
    if let Some(meta) = value.get_mut("meta").and_then(|m| m.as_object_mut()) {
        meta.insert(
            "notice".into(),
            format!("Request proxied. For faster response times, use this host instead: {host}")
                .into(),
        );
    }
    let body = serde_json::to_vec(&value).unwrap_or_else(|_| bytes.to_vec());
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(body))
}

async fn not_found() -> Response {
    ApiError::not_found("ROUTE_NOT_FOUND").into_response()
}

/// Build the router over a state.
pub fn router(state: Arc<SimState>) -> Router {
    let api = Router::new()
        .route("/API/v3/whoami", get(auth::whoami))
        .route("/API/v3/surveys", get(surveys::list))
        .route("/API/v3/surveys/{surveyId}", get(surveys::legacy))
        .route(
            "/API/v3/survey-definitions/{surveyId}",
            get(surveys::definition),
        )
        .route("/API/v3/surveys/{surveyId}/filters", get(surveys::filters))
        .route(
            "/API/v3/surveys/{surveyId}/export-responses",
            post(export::start),
        )
        .route(
            "/API/v3/surveys/{surveyId}/export-responses/{exportProgressId}",
            get(export::progress),
        )
        .route(
            "/API/v3/surveys/{surveyId}/export-responses/{fileId}/file",
            get(export::file),
        )
        .route("/oauth2/token", post(auth::oauth_token))
        .route(
            "/__sim/faults",
            get(control::get_faults).post(control::set_faults),
        )
        .route("/__sim/responses", post(control::add_responses))
        .route("/__sim/responses/delete", post(control::delete_responses))
        .route("/__sim/responses/edit", post(control::edit_responses))
        .route("/__sim/stats", get(control::stats))
        .fallback(not_found);
    api.layer(middleware::from_fn_with_state(
        state.clone(),
        count_and_fault,
    ))
    .with_state(state)
}

/// A running simulator. Dropping it stops the server.
#[derive(Debug)]
pub struct SimHandle {
    addr: SocketAddr,
    state: Arc<SimState>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl SimHandle {
    /// Start on `127.0.0.1` with an OS-assigned port.
    pub async fn start(config: SimConfig) -> std::io::Result<SimHandle> {
        Self::start_on(config, SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Start on a given address.
    pub async fn start_on(config: SimConfig, addr: SocketAddr) -> std::io::Result<SimHandle> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        // No Nagle delay: a streamed download's first body write must not wait for the
        // client's delayed ACK of the headers (~40 ms on loopback), which no client causes.
        let listener = listener.tap_io(|tcp| {
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::debug!(error = %e, "could not set TCP_NODELAY");
            }
        });
        let state = Arc::new(SimState::new(config, Arc::new(Faults::default())));
        let app = router(state.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async move {
                let _ = stopped.await;
            });
            if let Err(e) = serve.await {
                tracing::error!(error = %e, "qualtrics-sim server stopped with an error");
            }
        });
        Ok(SimHandle {
            addr,
            state,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// Bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `127.0.0.1:PORT` (what the client's base URL/host takes).
    pub fn host(&self) -> String {
        self.addr.to_string()
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Fault switches.
    pub fn faults(&self) -> &Faults {
        &self.state.faults
    }

    /// Add `count` new responses to a survey (recorded after all others).
    /// Unknown survey ids are ignored.
    pub fn add_responses(&self, survey_id: &str, count: u64) {
        if let Some(spec) = catalog::survey(survey_id) {
            self.state.add(spec, count);
        }
    }

    /// Delete the responses at `indices` of a survey (indices at or beyond its total and
    /// unknown survey ids are ignored); returns how many were newly deleted.
    pub fn delete_responses(&self, survey_id: &str, indices: &[u64]) -> u64 {
        catalog::survey(survey_id).map_or(0, |spec| self.state.delete(spec, indices))
    }

    /// Set `field` (an embedded-data field, or a text entry answer `QIDn_TEXT`) to `value`
    /// on the responses at `indices` of a survey, marking them modified now (as an owner editing them in Qualtrics: response
    /// counts do not change, continuation exports do not re-deliver them). Indices at or
    /// beyond the total, deleted ones, unknown surveys and fields the survey does not define
    /// are ignored; returns how many responses were edited.
    pub fn edit_responses(
        &self,
        survey_id: &str,
        indices: &[u64],
        field: &str,
        value: &str,
    ) -> u64 {
        let Some(spec) = catalog::survey(survey_id) else {
            return 0;
        };
        match EditField::of(spec, field) {
            Some(field) => self.state.edit(spec, indices, field, value),
            None => 0,
        }
    }

    /// Current number of responses of a survey (seeded + added), if it exists.
    pub fn response_count(&self, survey_id: &str) -> Option<u64> {
        catalog::survey(survey_id).map(|s| self.state.total(s))
    }

    /// Total API requests served (excluding `/__sim` control routes).
    pub fn request_count(&self) -> u64 {
        self.state.api_requests()
    }

    /// Requests per route key (`"GET /API/v3/surveys/{surveyId}"`), control routes included.
    pub fn stats(&self) -> BTreeMap<String, u64> {
        self.state.stats()
    }

    /// The configuration the simulator runs with.
    pub fn config(&self) -> &SimConfig {
        &self.state.config
    }

    /// Stop serving and wait for the server task to end.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
