//! The Qualtrics JSON envelope for successes and errors.
//!
//! Contract: successes are `{"result": ..., "meta": {"httpStatus": "200 - OK",
//! "requestId": "<uuid>"}}`; errors are `{"meta": {"httpStatus": "<code> -
//! <reason>", "error": {"errorMessage", "errorCode"}, "requestId"}}` with no
//! `result`. 5xx errors add `meta.error.instanceId`; 429 adds `Retry-After`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// `"<code> - <reason phrase>"`, e.g. `"401 - Unauthorized"`.
pub fn http_status_text(status: StatusCode) -> String {
    format!(
        "{} - {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("Unknown")
    )
}

fn request_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A 200 response wrapping `result` in the envelope.
pub fn ok(result: Value) -> Response {
    Json(json!({
        "result": result,
        "meta": {"httpStatus": http_status_text(StatusCode::OK), "requestId": request_id()}
    }))
    .into_response()
}

/// An API error rendered in the Qualtrics error envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// `meta.error.errorCode`.
    pub code: String,
    /// `meta.error.errorMessage`.
    pub message: String,
}

impl ApiError {
    /// Build an error.
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code: code.to_string(),
            message: message.into(),
        }
    }

    /// 400 validation error (`QVAL_*`).
    pub fn qval(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// 404 for an unknown resource (survey, export, file, route).
    pub fn not_found(code: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            code,
            "The requested resource does not exist.",
        )
    }

    /// 400 `ATP_2`: no credentials at all.
    pub fn missing_auth() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "ATP_2",
            "Expected authorization in headers, but none were provided.",
        )
    }

    /// 403: authenticated, but the user lacks the API permission (the `forbidApi` fault).
    /// Code and message are the simulator's own: no real 403 body was recorded (API.md §2).
    pub fn forbidden() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "AUTH_403",
            "You do not have permission to access this API. Ask your Brand Administrator to \
             enable the Access API permission.",
        )
    }

    /// 401 `DCD_7`: unknown, revoked or expired credentials.
    pub fn bad_token() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "DCD_7",
            "Unrecognized X-API-TOKEN.",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({
            "meta": {
                "httpStatus": http_status_text(self.status),
                "error": {"errorMessage": self.message, "errorCode": self.code},
                "requestId": request_id()
            }
        });
        (self.status, Json(body)).into_response()
    }
}

/// 429 Too Many Requests with `Retry-After: <secs>`.
pub fn too_many_requests(retry_after_secs: u64) -> Response {
    let mut resp = ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "RATE_LIMIT_EXCEEDED",
        "Too many requests. Please slow down and retry after the Retry-After interval.",
    )
    .into_response();
    if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    resp
}

/// 500 or 503 with `meta.error.instanceId`.
pub fn server_error(status: StatusCode) -> Response {
    let (code, message) = if status == StatusCode::SERVICE_UNAVAILABLE {
        (
            "SERVICE_UNAVAILABLE",
            "The service is temporarily unavailable. Please try again later.",
        )
    } else {
        (
            "INTERNAL_SERVER_ERROR",
            "An internal server error occurred. Please try again later.",
        )
    };
    let body = json!({
        "meta": {
            "httpStatus": http_status_text(status),
            "error": {"errorMessage": message, "errorCode": code, "instanceId": format!("sim-{}", request_id())},
            "requestId": request_id()
        }
    });
    (status, Json(body)).into_response()
}
