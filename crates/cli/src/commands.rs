//! One function per subcommand, each a thin adapter onto the core facade.
//!
//! Contract: commands return `anyhow::Error` wrapping the core error unchanged (so `main` can
//! print its kind); they never print a secret.

use pulsemap_core::app::Pulsemap;
use pulsemap_core::dto::{AuthInput, ConnectionInput, DebugExportOptions, RefreshMode};

use crate::args::{ConnectArgs, DebugExportArgs, MetricArgs, RefreshArgs};
use crate::output::{self, ProgressPrinter};
use crate::read_secret;

/// `connect`.
pub async fn connect(app: &Pulsemap, args: ConnectArgs, json: bool) -> anyhow::Result<()> {
    let auth = match &args.oauth_client_id {
        Some(client_id) => AuthInput::OAuth {
            client_id: client_id.clone(),
            client_secret: read_secret(
                args.client_secret_stdin,
                "PULSEMAP_CLIENT_SECRET",
                "OAuth client secret",
            )?,
        },
        None => AuthInput::ApiToken {
            token: read_secret(args.token_stdin, "PULSEMAP_TOKEN", "API token")?,
        },
    };
    let status = app
        .save_connection(ConnectionInput {
            base_url: args.base_url,
            auth,
        })
        .await?;
    if json {
        output::print_json(&status)
    } else {
        output::print_status(&status);
        Ok(())
    }
}

/// `status`.
pub async fn status(app: &Pulsemap, json: bool) -> anyhow::Result<()> {
    let status = app.connection_status().await?;
    if json {
        output::print_json(&status)
    } else {
        output::print_status(&status);
        Ok(())
    }
}

/// `disconnect`.
pub fn disconnect(app: &Pulsemap, json: bool) -> anyhow::Result<()> {
    app.delete_connection()?;
    if json {
        output::print_json(&serde_json::json!({ "deleted": true }))
    } else {
        println!("Connection deleted (keychain entry and settings removed; cache kept).");
        Ok(())
    }
}

/// `surveys`.
pub async fn surveys(app: &Pulsemap, json: bool) -> anyhow::Result<()> {
    let surveys = app.list_surveys().await?;
    if json {
        output::print_json(&surveys)
    } else {
        output::print_surveys(&surveys);
        Ok(())
    }
}

/// `refresh`.
pub async fn refresh(app: &Pulsemap, args: RefreshArgs, json: bool) -> anyhow::Result<()> {
    let mode = if args.full {
        RefreshMode::FullResync
    } else if args.force {
        RefreshMode::Force
    } else {
        RefreshMode::IfStale
    };
    let ids = if args.surveys.is_empty() {
        app.cached_surveys()?
            .into_iter()
            .filter(|s| !s.deleted)
            .map(|s| s.id)
            .collect()
    } else {
        args.surveys
    };
    anyhow::ensure!(
        !ids.is_empty(),
        "no survey to refresh: run `pulsemap surveys` first"
    );
    let printer = ProgressPrinter::default();
    let mut reports = Vec::new();
    for id in &ids {
        let report = app.refresh_survey(id, mode, |p| printer.show(&p)).await?;
        if !json {
            if report.refreshed {
                println!(
                    "{}: {} new/updated, {} cached, {} in progress, {} HTTP requests",
                    report.survey_id,
                    report.new_responses,
                    report.total_responses,
                    report.in_progress_responses,
                    report.http_requests
                );
            } else {
                println!(
                    "{}: fresh (last attempt {}), {} cached; use --force to refresh now",
                    report.survey_id,
                    report
                        .last_attempt_at
                        .map(|t| t.to_rfc3339())
                        .unwrap_or_default(),
                    report.total_responses
                );
            }
        }
        reports.push(report);
    }
    if json {
        output::print_json(&reports)?;
    }
    Ok(())
}

/// `metric`.
pub fn metric(app: &Pulsemap, args: MetricArgs, json: bool) -> anyhow::Result<()> {
    crate::metric::run(app, args, json)
}

/// `debug-export`.
pub fn debug_export(app: &Pulsemap, args: DebugExportArgs, json: bool) -> anyhow::Result<()> {
    let summary = app.debug_export(
        &args.survey,
        &args.out,
        DebugExportOptions {
            redact_pii: !args.no_redact,
            overwrite: args.force,
        },
    )?;
    if json {
        output::print_json(&summary)
    } else {
        println!(
            "Wrote {} ({} bytes, {} responses, PII {}): {}",
            summary.path.display(),
            summary.bytes,
            summary.responses,
            if summary.redacted {
                "redacted"
            } else {
                "NOT redacted"
            },
            summary.files.join(", ")
        );
        Ok(())
    }
}
