//! pulsemap-core's integration tests, one binary: each module covers one area through the
//! public API (the facade, store, metrics, charts, refresh against the simulator, secrets).

mod app;
mod app_support;
mod cache_clear;
mod charts_map_export;
mod charts_render;
mod connection;
mod connection_checks;
mod connection_guidance;
mod connection_keys;
mod debug_export;
mod map_files;
mod map_undo;
mod metrics_edge;
mod metrics_incremental;
mod metrics_perf;
mod metrics_saved_filter;
mod metrics_scope;
mod metrics_scope_compare;
mod metrics_scope_days;
mod metrics_sim;
mod numeric_entry;
mod question_types;
mod refresh;
mod refresh_edits;
mod refresh_in_progress;
mod refresh_lock;
mod refresh_policy;
mod secrets_keychain;
mod store_basic;
mod store_ids;
mod store_import;
mod store_in_progress;
mod store_local;
mod store_maps;
mod support;

/// A survey id for the facade (every id the tests use is a valid Qualtrics survey id).
fn sv(id: &str) -> pulsemap_core::SurveyId {
    pulsemap_core::SurveyId::parse(id).expect("a valid survey id")
}
