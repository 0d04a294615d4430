//! `qualtrics-sim`: a faithful, deterministic local simulator of the Qualtrics
//! API v3 (axum), used to test the Pulsemap client over real HTTP.
//!
//! Contract:
//! - Start with [`SimHandle::start`]; routes, shapes and error envelopes follow
//!   the recorded exchanges in `crates/qualtrics/tests/fixtures/recorded/` (SOURCES.md there).
//! - Data is seeded: response `i` of a survey is a pure function of
//!   `(SimConfig::seed, survey id, i)` ([`generate_response`]); nothing is held
//!   in memory, exports stream to a temp file.
//! - Ids other crates' tests use live in [`catalog`].
//! - Faults are switched with [`SimHandle::faults`] or `POST /__sim/faults`
//!   (see [`faults`]); `POST /__sim/responses` adds responses,
//!   `POST /__sim/responses/delete` deletes some, `POST /__sim/responses/edit`
//!   sets an embedded-data field on some (counts unchanged), `GET /__sim/stats`
//!   counts requests per route and reports every export (reused or written,
//!   writer time).
//! - Opt-in export file reuse ([`SimConfig::reuse_export_files`], off by
//!   default): an export whose plan equals an earlier, already-written one is
//!   served from that file at once (see [`reuse`]); polls and faults apply as
//!   to any export.
//! - Wrong datacenter: [`SimConfig::host_datacenter`] makes API-token calls "proxied"
//!   (a `meta.notice` naming the right host), as real Qualtrics does.
//! - Not-analysed choices ("Don't know"): legacy view `"analyze": false`,
//!   definitions `"ExcludeFromAnalysis": true` on the choice.

pub mod data;
pub mod envelope;
pub mod export;
pub mod faults;
pub mod reuse;
pub mod routes;
pub mod server;
pub mod state;

pub use data::catalog;
pub use data::types_survey;
pub use faults::{FaultSettings, Faults};
pub use server::SimHandle;

use serde_json::Value;

/// Simulator configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimConfig {
    /// Seed of every generated value.
    pub seed: u64,
    /// Responses of the main survey ("Onboarding Experience").
    pub responses: u64,
    /// Datacenter id reported by `whoami`: where the brand's accounts live.
    pub datacenter: String,
    /// The datacenter this simulator plays, i.e. the host a user typed (`None`: the same as
    /// `datacenter`). When it differs, calls made with an API token are proxied the way real
    /// Qualtrics proxies them: answered as usual, with `meta.notice` "Request proxied. For
    /// faster response times, use this host instead: {datacenter}.qualtrics.com" (see
    /// [`server`]).
    pub host_datacenter: Option<String>,
    /// `GET /surveys` page size.
    pub page_size: usize,
    /// `inProgress` polls answered before an export completes.
    pub export_polls: u32,
    /// Lifetime of OAuth access tokens in seconds.
    pub oauth_expires_in: u64,
    /// Serve an export whose plan (survey, data version, resolved range, every option
    /// that changes the bytes) equals an earlier export's from that already-written file,
    /// complete as soon as `export_polls` allows. Off by default: every export writes its
    /// own file.
    pub reuse_export_files: bool,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            seed: 42,
            responses: 2000,
            datacenter: "iad1".to_string(),
            host_datacenter: None,
            page_size: 100,
            export_polls: 3,
            oauth_expires_in: 3600,
            reuse_export_files: false,
        }
    }
}

/// The `result` of `GET /API/v3/survey-definitions/{id}`, or `None` for an unknown survey.
pub fn definition_json(_config: &SimConfig, survey_id: &str) -> Option<Value> {
    catalog::survey(survey_id).map(data::definition::definition)
}

/// The `result` of legacy `GET /API/v3/surveys/{id}` for the seeded responses.
pub fn legacy_survey_json(config: &SimConfig, survey_id: &str) -> Option<Value> {
    let spec = catalog::survey(survey_id)?;
    let total = data::timeline::base_count(config, spec);
    let counts = routes::surveys::response_counts(config, spec, total, &Default::default());
    Some(data::definition::legacy(spec, counts))
}

/// One element of the JSON export's `responses` for response `index` (all
/// fields), or `Value::Null` for an unknown survey. Works for any index,
/// including ones beyond [`response_total`] (responses added at runtime).
pub fn generate_response(config: &SimConfig, survey_id: &str, index: u64) -> Value {
    match catalog::survey(survey_id) {
        Some(spec) => {
            let g = data::generate::generate(config, spec, index);
            data::render::response_json(&g, &data::render::Selection::default())
        }
        None => Value::Null,
    }
}

/// Whether seeded response `index` is in progress (excluded from normal exports).
pub fn response_in_progress(config: &SimConfig, survey_id: &str, index: u64) -> bool {
    catalog::survey(survey_id).is_some_and(|s| data::timeline::is_in_progress(config, s, index))
}

/// Number of seeded responses of a survey (finished and in progress), 0 if unknown.
pub fn response_total(config: &SimConfig, survey_id: &str) -> u64 {
    data::timeline::total_for(config, survey_id).unwrap_or(0)
}
