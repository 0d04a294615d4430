//! qualtrics-sim's integration tests, one binary: each module drives the simulator over real
//! HTTP on loopback (and the binary as a process).

mod auth;
mod binary;
mod common;
mod continuation;
mod deletions;
mod edits;
mod export_flow;
mod export_formats;
mod export_options;
mod export_reuse;
mod faults;
mod question_types;
mod scale;
mod surveys;
