//! One function per subcommand, each a thin adapter onto the core facade.
//!
//! Contract: commands return `anyhow::Error` wrapping the core error unchanged (so `main` can
//! print its kind and exit with its code); they never print a secret. `connect` and `status`
//! print the status, then fail with the kind of an unhealthy connection
//! ([`crate::exit::unhealthy`]); while they wait on Qualtrics they say so on stderr.
//! `surveys` fails when the list cannot be fetched (`--cached` prints the cache instead).

use chrono::Utc;
use std::future::Future;
use std::time::{Duration, Instant};

use pulsemap_core::app::Pulsemap;
use pulsemap_core::dto::{
    AuthInput, ConnectionInput, ConnectionStatus, DebugExportOptions, RefreshMode, RefreshReport,
};

use crate::args::{
    CacheAction, CacheArgs, ConnectArgs, DebugExportArgs, FieldValuesArgs, FiltersArgs, MetricArgs,
    RefreshArgs, SupportAddressAction, SupportAddressArgs, SurveysArgs,
};
use crate::output::{self, out, ProgressPrinter};
use crate::read_secret;

/// How often a waiting command says it is still waiting.
const WAITING_EVERY: Duration = Duration::from_secs(3);

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
    let host = args.base_url.trim().to_string();
    let save = app.save_connection(ConnectionInput {
        base_url: args.base_url,
        auth,
    });
    let status = waiting(&format!("Checking the credentials with {host}"), save).await?;
    report_status(&status, json)
}

/// `status`.
pub async fn status(app: &Pulsemap, json: bool) -> anyhow::Result<()> {
    let check = app.connection_status();
    let status = waiting("Checking the connection with Qualtrics", check).await?;
    report_status(&status, json)
}

/// Prints a status, then fails with its kind when the connection is not usable.
fn report_status(status: &ConnectionStatus, json: bool) -> anyhow::Result<()> {
    if json {
        output::print_json(status)?;
    } else {
        output::print_status(status)?;
    }
    match crate::exit::unhealthy(status) {
        None => Ok(()),
        Some(kind) => {
            let message = status
                .message
                .clone()
                .unwrap_or_else(|| format!("the connection is {}", output::kind_name(kind)));
            Err(pulsemap_core::Error::new(kind, message).into())
        }
    }
}

/// Runs `work`, saying on stderr what it waits for at once and every [`WAITING_EVERY`]
/// after that, so a silent host never means a silent terminal.
async fn waiting<T>(what: &str, work: impl Future<Output = T>) -> T {
    eprintln!("{what}…");
    let started = Instant::now();
    let mut ticks =
        tokio::time::interval_at(tokio::time::Instant::now() + WAITING_EVERY, WAITING_EVERY);
    tokio::pin!(work);
    loop {
        tokio::select! {
            done = &mut work => return done,
            _ = ticks.tick() => eprintln!(
                "{what}: still waiting for an answer ({} s)…",
                started.elapsed().as_secs()
            ),
        }
    }
}

/// `disconnect`.
pub fn disconnect(app: &Pulsemap, json: bool) -> anyhow::Result<()> {
    app.delete_connection()?;
    if json {
        output::print_json(&serde_json::json!({ "deleted": true }))
    } else {
        out!("Connection deleted (keychain entry and settings removed; cache kept).");
        Ok(())
    }
}

/// `surveys`.
pub async fn surveys(app: &Pulsemap, args: SurveysArgs, json: bool) -> anyhow::Result<()> {
    let surveys = if args.cached {
        app.cached_surveys()?
    } else {
        app.sync_surveys().await?
    };
    if json {
        output::print_json(&surveys)
    } else {
        output::print_surveys(&surveys)
    }
}

/// One survey's refresh outcome, for people.
fn print_refresh(report: &RefreshReport) -> std::io::Result<()> {
    fn at(t: Option<impl std::fmt::Display>) -> String {
        t.map_or_else(|| "never".into(), |t| t.to_string())
    }
    let full_sync = at(report.last_full_sync_at);
    if report.refreshed {
        out!(
            "{}: {} refresh, {} new/updated, {} cached, {} in progress, {} HTTP requests; \
             last full sync {full_sync}",
            report.survey_id,
            report.mode.map_or("incremental", |m| m.code()),
            report.new_responses,
            report.total_responses,
            report.in_progress_responses,
            report.http_requests
        );
    } else if report.last_attempt_failed {
        out!(
            "{}: the last attempt ({}) failed or was interrupted; backing off, next try at \
             {}; {} cached; use --force to refresh now",
            report.survey_id,
            at(report.last_attempt_at),
            at(report.next_refresh_at),
            report.total_responses
        );
    } else {
        out!(
            "{}: fresh (last attempt {}, next at {}), {} cached, last full sync {full_sync}; \
             use --force to refresh now",
            report.survey_id,
            at(report.last_attempt_at),
            at(report.next_refresh_at),
            report.total_responses
        );
    }
    Ok(())
}

/// `refresh`.
pub async fn refresh(app: &Pulsemap, args: RefreshArgs, json: bool) -> anyhow::Result<()> {
    let mode = if args.full {
        RefreshMode::FullResync
    } else if args.force {
        RefreshMode::Force
    } else if args.incremental {
        RefreshMode::Incremental
    } else {
        RefreshMode::IfStale
    };
    let ids = if args.surveys.is_empty() {
        app.cached_surveys()?
            .into_iter()
            .filter(|s| !s.deleted)
            .map(|s| s.id)
            .collect::<Vec<_>>()
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
        let report = app
            .refresh_survey(id, mode, Utc::now(), &|p| printer.show(&p))
            .await?;
        if !json {
            print_refresh(&report)?;
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

/// `filters`: the survey's saved response filters.
pub async fn filters(app: &Pulsemap, args: FiltersArgs, json: bool) -> anyhow::Result<()> {
    let filters = if args.cached {
        app.cached_survey_filters(&args.survey)?
    } else if args.read {
        app.read_survey_filter_members(&args.survey).await?
    } else {
        app.list_survey_filters(&args.survey).await?
    };
    if json {
        return output::print_json(&filters);
    }
    if filters.is_empty() {
        out!("survey {} has no saved filters", args.survey);
    }
    for f in &filters {
        let read = f
            .members_read_at
            .as_deref()
            .unwrap_or("members not read yet");
        out!("{}  {}  ({read})", f.id, f.name);
    }
    Ok(())
}

/// `field-values`: an embedded data field's values with their n, most frequent first.
pub fn field_values(app: &Pulsemap, args: FieldValuesArgs, json: bool) -> anyhow::Result<()> {
    let values = app.field_values(&args.survey, &args.field)?;
    if json {
        return output::print_json(&values);
    }
    if values.is_empty() {
        out!(
            "no cached response of {} carries {:?}",
            args.survey,
            args.field
        );
    }
    for v in &values {
        out!("{}  (n={})", v.value, v.n);
    }
    Ok(())
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
        out!(
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

/// `support-address`: prints the address (empty JSON `null` / a hint when unset).
pub fn support_address(app: &Pulsemap, args: SupportAddressArgs, json: bool) -> anyhow::Result<()> {
    let address = match args.action {
        None => app.support_address()?,
        Some(SupportAddressAction::Set { address }) => Some(app.set_support_address(&address)?),
        Some(SupportAddressAction::Clear) => {
            app.clear_support_address()?;
            None
        }
    };
    if json {
        return output::print_json(&serde_json::json!({ "supportAddress": address }));
    }
    match address {
        Some(address) => out!("{address}"),
        None => {
            eprintln!("No support address set (pulsemap support-address set help@your-org.com).")
        }
    }
    Ok(())
}

/// `cache`: lists each survey's cached responses and their size on disk; `cache clear SV`
/// deletes one survey's (then lists what is left).
pub fn cache(app: &Pulsemap, args: CacheArgs, json: bool) -> anyhow::Result<()> {
    let sizes = match args.action {
        None => app.response_cache_sizes()?,
        Some(CacheAction::Clear { survey }) => {
            let sizes = app.clear_cached_responses(&survey)?;
            eprintln!("Cleared the cached responses of {survey}.");
            sizes
        }
    };
    if json {
        return output::print_json(&sizes);
    }
    if sizes.is_empty() {
        eprintln!("No cached responses.");
    }
    for s in sizes {
        out!(
            "{}\t{} responses\t{} in progress\t{:.1} MB",
            s.survey_id,
            s.responses,
            s.in_progress,
            s.bytes as f64 / 1e6
        );
    }
    Ok(())
}
