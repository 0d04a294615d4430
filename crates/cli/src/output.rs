//! Rendering of results for people (stdout) and of progress (stderr).
//!
//! Contract: nothing rendered here ever contains a secret — the inputs are DTOs that only
//! carry the masked hint. Results are written with [`out!`], which returns a write error (a
//! closed stdout, `pulsemap surveys | head`) instead of panicking like `println!`.

use std::io::Write;
use std::sync::Mutex;

/// `println!` that returns the write error with `?` instead of panicking on a closed stdout.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout(), $($arg)*)?
    }};
}
pub(crate) use out;

use pulsemap_core::dto::{ConnectionStatus, RefreshPhase, RefreshProgress, SurveySummaryDto};
use pulsemap_core::ErrorKind;

/// The camelCase code of an error kind (what the UI branches on), e.g. `unauthorized`.
pub fn kind_name(kind: ErrorKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| format!("{kind:?}"))
}

/// Prints a value as pretty JSON on stdout.
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    out!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Human rendering of a connection status.
pub fn print_status(s: &ConnectionStatus) -> anyhow::Result<()> {
    let state = serde_json::to_value(s.state)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    out!("state:       {state}");
    let rows = [
        ("base url", s.base_url.clone()),
        ("auth", s.auth_method.map(|m| m.as_str().to_string())),
        ("client id", s.client_id.clone()),
        ("secret", s.masked_secret.clone()),
        ("user", s.user_name.clone()),
        ("brand", s.brand_id.clone()),
        ("datacenter", s.datacenter.clone()),
        ("surveys", s.survey_count.map(|c| c.to_string())),
        ("validated", s.validated_at.map(|t| t.to_rfc3339())),
        ("checked", s.checked_at.map(|t| t.to_rfc3339())),
    ];
    for (label, value) in rows {
        if let Some(v) = value {
            out!("{:<12} {v}", format!("{label}:"));
        }
    }
    if let Some(host) = &s.suggested_base_url {
        out!("{:<12} {host}", "use host:");
    }
    if let Some(m) = &s.message {
        out!("{m}");
    }
    Ok(())
}

/// Human rendering of the survey list.
pub fn print_surveys(surveys: &[SurveySummaryDto]) -> anyhow::Result<()> {
    out!(
        "{:<20} {:>9}  {:<25} {:<8} NAME",
        "ID",
        "RESPONSES",
        "LAST REFRESH",
        "STATE"
    );
    for s in surveys {
        let state = if s.deleted {
            "deleted"
        } else if s.is_active {
            "active"
        } else {
            "inactive"
        };
        let last = s
            .last_refreshed_at
            .map(|t| t.to_rfc3339())
            .unwrap_or_else(|| "never".into());
        out!(
            "{:<20} {:>9}  {:<25} {:<8} {}",
            s.id,
            s.response_count,
            last,
            state,
            s.name
        );
    }
    Ok(())
}

/// Writes refresh progress lines to stderr, throttled to changes of whole percents.
#[derive(Debug, Default)]
pub struct ProgressPrinter {
    last: Mutex<Option<String>>,
}

impl ProgressPrinter {
    /// Prints one progress event (deduplicated).
    pub fn show(&self, p: &RefreshProgress) {
        let line = match &p.phase {
            RefreshPhase::Listing => format!("{}: fetching survey definition", p.survey_id),
            RefreshPhase::Exporting { percent } => {
                format!("{}: exporting {:.0}%", p.survey_id, percent)
            }
            RefreshPhase::Downloading { bytes } => {
                format!("{}: downloading {} KiB", p.survey_id, bytes / 1024)
            }
            RefreshPhase::Importing { rows } => format!("{}: imported {rows} rows", p.survey_id),
            RefreshPhase::Computing => format!("{}: recomputing cards", p.survey_id),
            RefreshPhase::Done => format!("{}: done", p.survey_id),
        };
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if last.as_deref() != Some(line.as_str()) {
            let _ = writeln!(std::io::stderr(), "{line}");
            *last = Some(line);
        }
    }
}
