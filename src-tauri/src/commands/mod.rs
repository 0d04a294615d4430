//! The Tauri commands of the IPC contract (see `ui/src/ipc/commands.ts`), grouped by screen.
//!
//! Contract: every command is a thin adapter into `pulsemap-core`; arguments arrive in
//! camelCase from JS (Tauri maps them to these snake_case names); every error reaches JS as
//! `{ kind, message }` ([`crate::error::CommandError`]).

pub mod cards;
pub mod connection;
pub mod export;
pub mod map_files;
pub mod maps;
pub mod refresh;
pub mod scope;
pub mod support;
