//! Typed request/response models (serde), one module per endpoint family.
//!
//! Contract: models accept extra fields and the type quirks seen in recorded traffic.

pub mod definition;
pub mod export;
pub mod legacy;
pub mod request;
pub mod survey;
