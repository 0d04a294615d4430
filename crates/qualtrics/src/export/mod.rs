//! The response-export flow: start → adaptive polling → streamed download → streamed parse.
//!
//! Contract: the file is streamed to a temporary file (never held in memory), then parsed
//! on a blocking thread that hands responses one by one to the caller through a bounded
//! channel — a whole export is never collected into a `Vec`. Zip, bare JSON
//! (`compress:false`), NDJSON, CSV and TSV files are read; a failed job, a truncated or
//! corrupt file become [`crate::Error::ExportFailed`].

mod chunks;
mod csv;
mod csv_check;
mod csv_rows;
mod csv_verified;
mod file;
mod flow;
mod json_export;
mod json_string;
mod json_syntax;
mod parse;

pub use file::ExportFile;
pub use flow::PreparedExport;
