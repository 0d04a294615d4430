//! Runtime-switchable faults.
//!
//! Contract: a [`Faults`] value is shared by the server and its handle; every
//! switch takes effect on the next request. Over HTTP the same switches are
//! set with `POST /__sim/faults` and read with `GET /__sim/faults`, JSON body
//! (every key optional, camelCase):
//!
//! ```json
//! {"reset": true, "revokeToken": true, "rateLimitNext": 3, "serverErrorsNext": 2,
//!  "slowExportSecs": 5.0, "failExports": true, "truncateZip": true,
//!  "cycleNextPage": true, "blackHole": true, "forbidApi": true, "rejectOauthClient": true}
//! ```
//!
//! `reset` is applied first. The reply is the current state in the same keys.
//! - `revokeToken`: the main API token answers 401 `DCD_7`.
//! - `rateLimitNext`: the next K API requests answer 429 with `Retry-After: 1`.
//! - `serverErrorsNext`: the next K API requests answer 503, 500, 503, ...
//! - `slowExportSecs`: exports stay `inProgress` for that long after starting.
//! - `failExports`: export progress reports `status: "failed"`.
//! - `truncateZip`: file downloads are cut to half their length (corrupt zip).
//! - `cycleNextPage`: the last page of `GET /surveys` links back to the first
//!   (`nextPage` = `...?offset=0`), so `nextPage` never ends — a server bug a client must
//!   survive without paging forever.
//! - `blackHole`: API requests are accepted and never answered while the switch is on
//!   (a host that accepts TCP connections and then stays silent).
//! - `forbidApi`: survey and export routes answer 403 to every authenticated caller, as
//!   Qualtrics does when the Brand Administrator has not granted the user the "Access API"
//!   permission; `whoami` still answers 200 and bad credentials still get 401 first. The body
//!   is the standard error envelope (API.md §3 `MetaWithError`) with httpStatus
//!   `"403 - Forbidden"`; no recorded 403 body exists (API.md §2 lists it as unknown), so the
//!   errorCode/errorMessage are this simulator's own.
//! - `rejectOauthClient`: `POST /oauth2/token` answers 401 `invalid_client` for the seeded
//!   client, as after its secret was regenerated or the client deleted in Qualtrics (plain
//!   OAuth error JSON, API.md §2); bearer tokens already issued keep working until they expire.
//!
//! `/__sim/*` control routes are never affected by faults.

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The fault switches (all off by default).
#[derive(Debug, Default)]
pub struct Faults {
    revoked: AtomicBool,
    rate_limit: AtomicU32,
    server_errors: AtomicU32,
    server_error_seq: AtomicU32,
    slow_export_ms: AtomicU64,
    fail_exports: AtomicBool,
    truncate_zip: AtomicBool,
    cycle_next_page: AtomicBool,
    black_hole: AtomicBool,
    forbid_api: AtomicBool,
    reject_oauth_client: AtomicBool,
}

/// JSON form of the switches used by `/__sim/faults`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultSettings {
    /// Clear every fault first.
    #[serde(default, skip_serializing)]
    pub reset: Option<bool>,
    /// Main token revoked.
    pub revoke_token: Option<bool>,
    /// Remaining 429 answers.
    pub rate_limit_next: Option<u32>,
    /// Remaining 5xx answers.
    pub server_errors_next: Option<u32>,
    /// Minimum export duration in seconds.
    pub slow_export_secs: Option<f64>,
    /// Exports fail.
    pub fail_exports: Option<bool>,
    /// Downloads are truncated.
    pub truncate_zip: Option<bool>,
    /// The survey list's `nextPage` cycles back to the first page.
    pub cycle_next_page: Option<bool>,
    /// API requests are never answered.
    pub black_hole: Option<bool>,
    /// Survey and export routes answer 403 (API permission missing).
    pub forbid_api: Option<bool>,
    /// The OAuth token endpoint rejects the seeded client.
    pub reject_oauth_client: Option<bool>,
}

impl Faults {
    /// Make the main API token answer 401 `DCD_7` (or restore it).
    pub fn revoke_token(&self, on: bool) {
        self.revoked.store(on, Ordering::SeqCst);
    }
    /// The next `k` API requests answer 429 with `Retry-After: 1`.
    pub fn rate_limit_next(&self, k: u32) {
        self.rate_limit.store(k, Ordering::SeqCst);
    }
    /// The next `k` API requests answer 503/500 alternately, starting with 503.
    pub fn server_errors_next(&self, k: u32) {
        self.server_error_seq.store(0, Ordering::SeqCst);
        self.server_errors.store(k, Ordering::SeqCst);
    }
    /// Exports stay `inProgress` for at least `d` after they start.
    pub fn slow_export(&self, d: Duration) {
        self.slow_export_ms
            .store(d.as_millis() as u64, Ordering::SeqCst);
    }
    /// Export progress reports `failed`.
    pub fn fail_exports(&self, on: bool) {
        self.fail_exports.store(on, Ordering::SeqCst);
    }
    /// File downloads are cut short (corrupt zip).
    pub fn truncate_zip(&self, on: bool) {
        self.truncate_zip.store(on, Ordering::SeqCst);
    }
    /// The last page of the survey list links back to the first (or stops doing so).
    pub fn cycle_next_page(&self, on: bool) {
        self.cycle_next_page.store(on, Ordering::SeqCst);
    }
    /// API requests are accepted and left unanswered while on.
    pub fn black_hole(&self, on: bool) {
        self.black_hole.store(on, Ordering::SeqCst);
    }
    /// Survey and export routes answer 403 (the user lacks the API permission).
    pub fn forbid_api(&self, on: bool) {
        self.forbid_api.store(on, Ordering::SeqCst);
    }
    /// `POST /oauth2/token` rejects the seeded client with 401 `invalid_client`.
    pub fn reject_oauth_client(&self, on: bool) {
        self.reject_oauth_client.store(on, Ordering::SeqCst);
    }
    /// Switch every fault off.
    pub fn reset(&self) {
        self.cycle_next_page(false);
        self.black_hole(false);
        self.revoke_token(false);
        self.rate_limit_next(0);
        self.server_errors_next(0);
        self.slow_export(Duration::ZERO);
        self.fail_exports(false);
        self.truncate_zip(false);
        self.forbid_api(false);
        self.reject_oauth_client(false);
    }

    /// Whether the main token is revoked.
    pub fn is_revoked(&self) -> bool {
        self.revoked.load(Ordering::SeqCst)
    }
    /// Current slow-export duration.
    pub fn slow_export_duration(&self) -> Duration {
        Duration::from_millis(self.slow_export_ms.load(Ordering::SeqCst))
    }
    /// Whether exports fail.
    pub fn exports_fail(&self) -> bool {
        self.fail_exports.load(Ordering::SeqCst)
    }
    /// Whether survey and export routes answer 403.
    pub fn api_forbidden(&self) -> bool {
        self.forbid_api.load(Ordering::SeqCst)
    }
    /// Whether the OAuth token endpoint rejects the seeded client.
    pub fn oauth_client_rejected(&self) -> bool {
        self.reject_oauth_client.load(Ordering::SeqCst)
    }
    /// Whether downloads are truncated.
    pub fn zip_truncated(&self) -> bool {
        self.truncate_zip.load(Ordering::SeqCst)
    }

    /// Whether the survey list's `nextPage` cycles.
    pub fn next_page_cycles(&self) -> bool {
        self.cycle_next_page.load(Ordering::SeqCst)
    }
    /// Whether API requests are left unanswered.
    pub fn is_black_hole(&self) -> bool {
        self.black_hole.load(Ordering::SeqCst)
    }

    fn take(counter: &AtomicU32) -> bool {
        counter
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |v| v.checked_sub(1))
            .is_ok()
    }

    /// Consume one rate-limit token; `true` means answer 429.
    pub fn take_rate_limit(&self) -> bool {
        Self::take(&self.rate_limit)
    }

    /// Consume one server-error token; `Some(true)` = 503, `Some(false)` = 500.
    pub fn take_server_error(&self) -> Option<bool> {
        Self::take(&self.server_errors)
            .then(|| self.server_error_seq.fetch_add(1, Ordering::SeqCst) & 1 == 0)
    }

    /// Apply JSON settings (reset first if asked).
    pub fn apply(&self, s: &FaultSettings) {
        if s.reset == Some(true) {
            self.reset();
        }
        if let Some(v) = s.revoke_token {
            self.revoke_token(v);
        }
        if let Some(v) = s.rate_limit_next {
            self.rate_limit_next(v);
        }
        if let Some(v) = s.server_errors_next {
            self.server_errors_next(v);
        }
        if let Some(v) = s.slow_export_secs {
            self.slow_export(Duration::from_secs_f64(v.max(0.0)));
        }
        if let Some(v) = s.fail_exports {
            self.fail_exports(v);
        }
        if let Some(v) = s.truncate_zip {
            self.truncate_zip(v);
        }
        if let Some(v) = s.cycle_next_page {
            self.cycle_next_page(v);
        }
        if let Some(v) = s.black_hole {
            self.black_hole(v);
        }
        if let Some(v) = s.forbid_api {
            self.forbid_api(v);
        }
        if let Some(v) = s.reject_oauth_client {
            self.reject_oauth_client(v);
        }
    }

    /// Current state as JSON settings.
    pub fn snapshot(&self) -> FaultSettings {
        FaultSettings {
            reset: None,
            revoke_token: Some(self.is_revoked()),
            rate_limit_next: Some(self.rate_limit.load(Ordering::SeqCst)),
            server_errors_next: Some(self.server_errors.load(Ordering::SeqCst)),
            slow_export_secs: Some(self.slow_export_duration().as_secs_f64()),
            fail_exports: Some(self.exports_fail()),
            truncate_zip: Some(self.zip_truncated()),
            cycle_next_page: Some(self.next_page_cycles()),
            black_hole: Some(self.is_black_hole()),
            forbid_api: Some(self.api_forbidden()),
            reject_oauth_client: Some(self.oauth_client_rejected()),
        }
    }
}
