//! HTTP handlers, one module per endpoint family.
//!
//! Contract: handlers are thin; data comes from [`crate::data`], export
//! mechanics from [`crate::export`], mutable state from [`crate::state`].

pub mod auth;
pub mod control;
pub mod export;
pub mod surveys;
