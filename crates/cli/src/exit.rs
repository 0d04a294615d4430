//! Exit codes: one per error kind, so scripts can tell a revoked token from an unreachable
//! host without reading messages.
//!
//! Contract: [`CODES`] is the single table — `main` exits with [`code_for`] of the failing
//! error's kind, and `--help` prints the same table ([`help_text`]). `status` and `connect`
//! fail with the kind of an unhealthy connection ([`unhealthy`]): only `connected` and
//! `noSurveys` are success. 0 is success, 2 is a usage error found by the argument parser,
//! and a closed stdout (`pulsemap surveys | head`) ends the command quietly with 0.

use pulsemap_core::dto::{ConnectionState, ConnectionStatus};
use pulsemap_core::ErrorKind;

/// `(kind, exit code, what it means)`, in code order.
pub const CODES: &[(ErrorKind, u8, &str)] = &[
    (ErrorKind::Internal, 1, "internal error"),
    (
        ErrorKind::InvalidInput,
        3,
        "invalid input (flags, stdin, environment)",
    ),
    (
        ErrorKind::InvalidBaseUrl,
        4,
        "the base URL is not a Qualtrics datacenter host",
    ),
    (
        ErrorKind::NotConfigured,
        5,
        "no connection configured: run `pulsemap connect`",
    ),
    (
        ErrorKind::Network,
        6,
        "Qualtrics could not be reached (connection failed, timeout, 5xx)",
    ),
    (ErrorKind::RateLimited, 7, "Qualtrics rate limit"),
    (
        ErrorKind::Unauthorized,
        8,
        "the token / client credentials were rejected",
    ),
    (
        ErrorKind::TokenRevoked,
        9,
        "the saved token was revoked or expired",
    ),
    (
        ErrorKind::Forbidden,
        10,
        "the credentials lack a permission",
    ),
    (
        ErrorKind::WrongDatacenter,
        11,
        "the credentials belong to another datacenter host",
    ),
    (ErrorKind::NoSurveys, 12, "the credentials see no survey"),
    (
        ErrorKind::NotFound,
        13,
        "survey, question or file not found",
    ),
    (ErrorKind::ExportFailed, 14, "a response export failed"),
    (
        ErrorKind::Malformed,
        15,
        "Qualtrics answered something unreadable",
    ),
    (
        ErrorKind::KeychainUnavailable,
        16,
        "no OS keychain to keep the secret",
    ),
    (ErrorKind::Storage, 17, "the local cache (SQLite) failed"),
    (
        ErrorKind::MapFileInvalid,
        18,
        "a .pulsemap file is corrupt or not a map file",
    ),
    (
        ErrorKind::MapFileTooNew,
        19,
        "a .pulsemap file needs a newer Pulsemap",
    ),
    (
        ErrorKind::MapReadOnly,
        20,
        "the map is a read-only workshop pack",
    ),
    (
        ErrorKind::RefreshRunning,
        21,
        "this survey's refresh is already running",
    ),
];

/// The exit code of an error kind.
pub fn code_for(kind: ErrorKind) -> u8 {
    CODES
        .iter()
        .find(|(k, _, _)| *k == kind)
        .map_or(1, |(_, code, _)| *code)
}

/// The table as `--help` shows it, in code order.
pub fn help_text() -> String {
    let mut rows: Vec<(u8, String, &str)> = vec![
        (
            0,
            "success".into(),
            "status/connect: connected or noSurveys",
        ),
        (2, "usage".into(), "unknown flag, missing argument"),
    ];
    rows.extend(
        CODES
            .iter()
            .map(|(kind, code, meaning)| (*code, crate::output::kind_name(*kind), *meaning)),
    );
    rows.sort_by_key(|(code, _, _)| *code);
    let mut text = String::from("Exit codes:\n");
    for (code, name, meaning) in rows {
        text.push_str(&format!("  {code:<3} {name:<20} {meaning}\n"));
    }
    text.push_str(
        "Errors print `error [<kind>]: <message>` on stderr; a closed stdout (e.g. `| head`) \
         ends quietly with 0.",
    );
    text
}

/// The error kind an unhealthy connection status stands for; `None` when it is usable
/// (`connected`, `noSurveys`).
pub fn unhealthy(status: &ConnectionStatus) -> Option<ErrorKind> {
    match status.state {
        ConnectionState::Connected | ConnectionState::NoSurveys => None,
        ConnectionState::NotConfigured => Some(ErrorKind::NotConfigured),
        ConnectionState::TokenRejected => Some(ErrorKind::Unauthorized),
        ConnectionState::TokenRevoked => Some(ErrorKind::TokenRevoked),
        ConnectionState::KeychainUnavailable => Some(ErrorKind::KeychainUnavailable),
        ConnectionState::WrongDatacenter => Some(ErrorKind::WrongDatacenter),
        ConnectionState::PermissionMissing => Some(ErrorKind::Forbidden),
        ConnectionState::ConnectionFailed => Some(status.error_kind.unwrap_or(ErrorKind::Network)),
        // The cache is readable, but Qualtrics was not reached: still a network failure.
        ConnectionState::Offline => Some(ErrorKind::Network),
    }
}
