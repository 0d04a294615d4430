//! The `{result, meta}` envelope every Qualtrics v3 JSON answer uses.
//!
//! Contract: [`Envelope<T>`] parses success bodies regardless of key order and ignores
//! unknown keys; [`error_info`] extracts `meta.httpStatus` / `meta.error` / `meta.requestId`
//! from any error body (or from none at all) without ever failing.

use serde::Deserialize;

use crate::error::ApiErrorInfo;

/// `{"result": T, "meta": {...}}`.
#[derive(Debug, Clone, Deserialize)]
pub struct Envelope<T> {
    /// The payload.
    pub result: T,
    /// Status line, request id, optional notice.
    #[serde(default)]
    pub meta: Meta,
}

/// `meta` of an envelope.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Meta {
    /// e.g. `"200 - OK"`.
    #[serde(default)]
    pub http_status: Option<String>,
    /// Qualtrics request id.
    #[serde(default)]
    pub request_id: Option<String>,
    /// e.g. "Request proxied. For faster response times, use this host instead: ...".
    #[serde(default)]
    pub notice: Option<String>,
    /// Present on error bodies.
    #[serde(default)]
    pub error: Option<MetaError>,
}

/// `meta.error`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetaError {
    /// e.g. `"DCD_7"`.
    #[serde(default)]
    pub error_code: Option<String>,
    /// e.g. `"Unrecognized X-API-TOKEN."`.
    #[serde(default)]
    pub error_message: Option<String>,
    /// Some 5xx bodies carry it.
    #[serde(default)]
    pub instance_id: Option<String>,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    meta: Option<Meta>,
    // OAuth endpoints answer `{error, error_description}` instead of an envelope.
    #[serde(default)]
    error: Option<serde_json::Value>,
    #[serde(default)]
    error_description: Option<String>,
}

/// Best-effort extraction of Qualtrics' error details from a body.
pub(crate) fn error_info(status: u16, body: &[u8]) -> ApiErrorInfo {
    let mut info = ApiErrorInfo {
        status,
        ..ApiErrorInfo::default()
    };
    let Ok(parsed) = serde_json::from_slice::<ErrorBody>(body) else {
        return info;
    };
    if let Some(meta) = parsed.meta {
        info.http_status = meta.http_status;
        info.request_id = meta.request_id.filter(|r| !r.is_empty());
        if let Some(err) = meta.error {
            info.error_code = err.error_code;
            info.error_message = err.error_message;
        }
    }
    if info.error_code.is_none() {
        if let Some(serde_json::Value::String(code)) = parsed.error {
            info.error_code = Some(code);
        }
    }
    if info.error_message.is_none() {
        info.error_message = parsed.error_description;
    }
    info
}
