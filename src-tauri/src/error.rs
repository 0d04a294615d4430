//! The error every command returns to the webview.
//!
//! Contract: a command error reaches JavaScript as `{ "kind": ErrorKind, "message": string }`
//! where `kind` is core's camelCase [`ErrorKind`] (the UI branches on it, never on the
//! message). Messages come from `pulsemap-core`, which guarantees they carry no secret; the
//! shell's own errors (dialog, file, task join) are phrased here and never include input values.

use pulsemap_core::{Error as CoreError, ErrorKind};
use serde::Serialize;
use ts_rs::TS;

/// A command failure as serialized to the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CommandError {
    /// Stable code the UI acts on.
    pub kind: ErrorKind,
    /// Human-readable explanation (never a secret).
    pub message: String,
}

impl CommandError {
    /// An error of the shell itself (not from core).
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// [`ErrorKind::Internal`] shorthand.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, message)
    }
}

impl From<CoreError> for CommandError {
    fn from(e: CoreError) -> Self {
        // The UI gets kind and message; the cause chain and Qualtrics' request id go to the
        // debug log (`PULSEMAP_LOG=debug`), for support.
        let mut chain = String::new();
        let mut cause = std::error::Error::source(&e);
        while let Some(c) = cause {
            chain.push_str(" <- ");
            chain.push_str(&c.to_string());
            cause = c.source();
        }
        tracing::debug!(
            kind = ?e.kind(),
            request_id = e.request_id(),
            "command failed: {}{chain}",
            e.message()
        );
        Self {
            kind: e.kind(),
            message: e.message().to_owned(),
        }
    }
}

impl From<std::io::Error> for CommandError {
    fn from(e: std::io::Error) -> Self {
        Self::internal(format!("file error: {e}"))
    }
}

impl From<tauri::Error> for CommandError {
    fn from(e: tauri::Error) -> Self {
        Self::internal(format!("desktop shell error: {e}"))
    }
}

impl From<tokio::task::JoinError> for CommandError {
    fn from(e: tokio::task::JoinError) -> Self {
        Self::internal(format!("background task failed: {e}"))
    }
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for CommandError {}

/// Result of every command.
pub type CommandResult<T> = Result<T, CommandError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_errors_serialize_as_kind_and_message() {
        let e: CommandError = CoreError::new(ErrorKind::TokenRevoked, "token revoked").into();
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "tokenRevoked", "message": "token revoked"})
        );
    }

    #[test]
    fn every_kind_is_camel_case_on_the_wire() {
        let e = CommandError::new(ErrorKind::KeychainUnavailable, "no keychain");
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains("\"kind\":\"keychainUnavailable\""), "{json}");
    }
}
