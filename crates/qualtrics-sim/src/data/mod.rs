//! The simulated data: catalog (ids, surveys), timeline, generator, renderers.
//!
//! Contract: everything here is pure and deterministic; no wall clock, no
//! server state.

pub mod catalog;
pub mod csv;
pub mod definition;
pub mod generate;
pub mod generate_types;
pub mod legacy;
pub mod model;
pub mod render;
pub mod timeline;
pub mod types_survey;
