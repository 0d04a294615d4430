//! Pulsemap core: everything the desktop app and the CLI do, with no Tauri dependency.
//!
//! Modules (each states its own contract): `error` (kinds the UI acts on), `store`
//! (SQLite cache), `metrics` (card calculations), `charts`, `connection` + `secrets`
//! (Qualtrics credentials in the OS keychain), `refresh` (cache policy), `debug_export`, `ids` (typed survey, map, stage, lane and card
//! ids).

pub mod app;
pub mod calculation;
pub mod charts;
pub mod connection;
pub mod debug_export;
pub mod dest;
pub mod dto;
pub mod error;
pub mod ids;
pub mod maps;
pub mod metrics;
pub mod redact;
pub mod refresh;
pub mod secrets;
pub mod store;
pub mod support;

pub use error::{Error, ErrorKind, Result};
pub use ids::{CardId, IdError, LaneId, MapId, StageId, SurveyId};
