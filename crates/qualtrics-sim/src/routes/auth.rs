//! Authentication, `GET /API/v3/whoami` and `POST /oauth2/token`.
//!
//! Contract: API calls authenticate with `X-API-TOKEN` or
//! `Authorization: Bearer <oauth token>`. No credentials → 400 `ATP_2`;
//! unknown, revoked (fault) or expired credentials → 401 `DCD_7`.
//! `/oauth2/token` takes `grant_type=client_credentials` (form body) with the
//! client id/secret via HTTP Basic or as `client_id`/`client_secret` form
//! fields and answers plain OAuth JSON; a bad client gets 401
//! `{"error":"invalid_client",...}`, a bad grant type 400
//! `{"error":"unsupported_grant_type",...}`. Tokens expire after
//! `SimConfig::oauth_expires_in` seconds. Survey and export routes go through [`authorize`],
//! which adds the `forbidApi` fault's 403 after authentication.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use bytes::Bytes;
use serde_json::json;

use crate::data::catalog::{
    self, UserSpec, API_TOKEN, MAIN_USER, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET,
};
use crate::envelope::{ok, ApiError};
use crate::state::{lock, Grant, SimState};

/// Resolve the caller of an API request.
pub fn authenticate(state: &SimState, headers: &HeaderMap) -> Result<&'static UserSpec, ApiError> {
    if let Some(token) = headers.get("x-api-token") {
        let token = token.to_str().map_err(|_| ApiError::bad_token())?;
        if token == API_TOKEN && state.faults.is_revoked() {
            return Err(ApiError::bad_token());
        }
        return catalog::user_for_api_token(token).ok_or_else(ApiError::bad_token);
    }
    if let Some(auth) = headers.get(header::AUTHORIZATION) {
        let auth = auth.to_str().map_err(|_| ApiError::bad_token())?;
        let Some(token) = auth
            .strip_prefix("Bearer ")
            .or_else(|| auth.strip_prefix("bearer "))
        else {
            return Err(ApiError::bad_token());
        };
        let grants = lock(&state.grants);
        return match grants.get(token.trim()) {
            Some(g) if g.expires > Instant::now() => Ok(g.user),
            _ => Err(ApiError::bad_token()),
        };
    }
    Err(ApiError::missing_auth())
}

/// Authenticate a survey/export request: 401 for bad credentials first, then 403 while
/// the `forbidApi` fault is on (the user lacks the API permission).
pub fn authorize(state: &SimState, headers: &HeaderMap) -> Result<&'static UserSpec, ApiError> {
    let user = authenticate(state, headers)?;
    if state.faults.api_forbidden() {
        return Err(ApiError::forbidden());
    }
    Ok(user)
}

/// `GET /API/v3/whoami`.
pub async fn whoami(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let user = authenticate(&state, &headers)?;
    Ok(ok(json!({
        "brandId": catalog::BRAND_ID,
        "userId": user.id,
        "userName": user.user_name,
        "accountType": user.account_type,
        "firstName": user.first_name,
        "lastName": user.last_name,
        "email": user.email,
        "datacenter": state.config.datacenter,
    })))
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        Json(json!({"error": error, "error_description": description})),
    )
        .into_response()
}

fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

/// `POST /oauth2/token` (client credentials grant).
pub async fn oauth_token(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let creds = basic_credentials(&headers)
        .or_else(|| Some((field("client_id")?, field("client_secret")?)));
    let Some((client_id, secret)) = creds else {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed: no client credentials provided.",
        );
    };
    if client_id != OAUTH_CLIENT_ID
        || secret != OAUTH_CLIENT_SECRET
        || state.faults.oauth_client_rejected()
    {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed: unknown client or wrong secret.",
        );
    }
    match field("grant_type").as_deref() {
        Some("client_credentials") => {}
        Some(_) => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "Only grant_type=client_credentials is supported.",
            )
        }
        None => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "Missing grant_type.",
            )
        }
    }
    let scope = field("scope").unwrap_or_else(|| "manage:all".to_string());
    let token = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    let expires_in = state.config.oauth_expires_in;
    lock(&state.grants).insert(
        token.clone(),
        Grant {
            user: &MAIN_USER,
            expires: Instant::now() + Duration::from_secs(expires_in),
        },
    );
    Json(json!({"access_token": token, "token_type": "Bearer", "expires_in": expires_in, "scope": scope})).into_response()
}
