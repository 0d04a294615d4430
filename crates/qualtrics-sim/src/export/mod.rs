//! Response export: request options and the streaming file writer.
//!
//! Contract: pure with respect to server state — the routes module owns jobs,
//! files and continuation tokens.

pub mod options;
pub mod writer;
