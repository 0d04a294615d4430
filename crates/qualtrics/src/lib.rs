//! Typed async client for the Qualtrics API v3 (reqwest).
//!
//! Contract:
//! * [`BaseUrl::parse`] accepts only `*.qualtrics.com` datacenter hosts (https), unless the
//!   developer switch [`HostPolicy::AllowLoopback`] is used for the local simulator.
//! * [`Credentials`] are an API token or OAuth client credentials; secrets are
//!   [`Secret`]s that never print, and never appear in errors or logs.
//! * [`Client::validate`] checks credentials once, fast, and names the right datacenter
//!   host when the configured one is not it.
//! * [`Client`] exposes `whoami`, the survey list (a [`Page`] stream), survey definitions,
//!   legacy surveys, filters and the response-export flow
//!   ([`Client::export_responses`]): start → adaptive polling → streamed download →
//!   streamed parse, with progress callbacks.
//! * Retries (429/5xx/transport, `Retry-After` honoured) are a separate layer; every error
//!   has an [`ErrorKind`].
//!
//! ```no_run
//! # async fn demo() -> Result<(), qualtrics::Error> {
//! use qualtrics::{BaseUrl, Client, Credentials, ExportRequest, HostPolicy};
//! let base = BaseUrl::parse("iad1.qualtrics.com", HostPolicy::QualtricsOnly)?;
//! let client = Client::new(base, Credentials::api_token("my-token"))?;
//! let me = client.whoami().await?;
//! let summary = client
//!     .export_responses("SV_123", &ExportRequest::new(), |_p| {}, |r| {
//!         println!("{} finished={:?}", r.response_id, r.finished());
//!         Ok(())
//!     })
//!     .await?;
//! # let _ = (me, summary);
//! # Ok(()) }
//! ```

mod auth;
mod base_url;
mod client;
mod envelope;
mod error;
mod export;
mod http;
pub mod models;
mod page;
mod secret;
mod serde_ext;
mod validate;

pub use auth::Credentials;
pub use base_url::{BaseUrl, HostPolicy};
pub use client::{Client, ClientBuilder, PollPolicy};
pub use envelope::{Envelope, Meta, MetaError};
pub use error::{ApiErrorInfo, Error, ErrorKind};
pub use export::{ExportFile, PreparedExport};
pub use http::{RequestMeter, RetryPolicy};
pub use models::definition::{
    Block, Choice, DefinitionQuestion, EmbeddedDataField, SurveyDefinition,
};
pub use models::export::{
    ExportFormat, ExportPhase, ExportProgress, ExportRequest, ExportStart, ExportState,
    ExportStatus, ExportSummary, ExportedResponse,
};
pub use models::legacy::{
    ExportColumn, LegacyChoice, LegacyEmbeddedData, LegacyQuestion, LegacySurvey, QuestionType,
    ResponseCounts,
};
pub use models::survey::{Filter, SurveySummary, WhoAmI};
pub use page::Page;
pub use secret::Secret;
pub use validate::Validation;
