//! The qualtrics client's integration tests, one binary: one module per endpoint or concern,
//! against wiremock, the recorded Qualtrics exchanges and the simulator over real HTTP.

mod against_sim;
mod auth;
mod base_url;
mod common;
mod definitions;
mod export;
mod export_csv;
mod logging;
mod recorded;
mod retry;
mod surveys;
mod validation;
