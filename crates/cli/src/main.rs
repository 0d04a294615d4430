//! `pulsemap`: the command-line interface over `pulsemap-core`.
//!
//! Contract: every command goes through the [`pulsemap_core::app::Pulsemap`] facade (the same
//! code the desktop app runs); secrets come only from stdin or the environment and are never
//! printed; failures print `error [<kind>]: <message>` on stderr (the core error kind, or
//! `invalidInput` for the CLI's own checks) and exit with that kind's code (table in
//! [`exit`], printed by `--help`; 2 for usage errors rejected by the argument parser);
//! progress goes to stderr, results to stdout (`--json` for machine-readable output). A
//! closed stdout ends the command quietly instead of panicking.

mod args;
mod card;
mod commands;
mod exit;
mod map;
mod metric;
mod output;
mod scope;

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{CommandFactory, FromArgMatches};
use pulsemap_core::app::{Options, Pulsemap};

use crate::args::{Cli, Command};

/// mimalloc: a refresh allocates each response's text on the parser's thread and frees it on
/// the importer's, and glibc's allocator serialises such frees on the first thread's arena
/// lock (a tenth of the importer's time in a 1M refresh's profile).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let matches = Cli::command().after_help(exit::help_text()).get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("PULSEMAP_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error [internal]: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`pulsemap surveys | head`): it has what it wanted.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let kind = match e.downcast_ref::<pulsemap_core::Error>() {
                Some(core) => core.kind(),
                // Errors raised by the CLI itself are about its input (flags, stdin, env).
                None => pulsemap_core::ErrorKind::InvalidInput,
            };
            let message = match e.downcast_ref::<pulsemap_core::Error>() {
                Some(core) => core.message().to_string(),
                None => format!("{e:#}"),
            };
            eprintln!("error [{}]: {message}", output::kind_name(kind));
            ExitCode::from(exit::code_for(kind))
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let data_dir = match cli.data_dir.clone() {
        Some(dir) => dir,
        None => default_data_dir()?,
    };
    let mut options = Options::new(data_dir);
    options.allow_loopback |= cli.dev_allow_loopback;
    options.keyring_service = cli.keyring_service.clone();
    let app = Pulsemap::open(options)?;
    let json = cli.json;
    match cli.command {
        Command::Connect(args) => commands::connect(&app, args, json).await,
        Command::Status => commands::status(&app, json).await,
        Command::Disconnect => commands::disconnect(&app, json),
        Command::Surveys(args) => commands::surveys(&app, args, json).await,
        Command::Refresh(args) => commands::refresh(&app, args, json).await,
        Command::Metric(args) => commands::metric(&app, *args, json),
        Command::DebugExport(args) => commands::debug_export(&app, args, json),
        Command::Filters(args) => commands::filters(&app, args, json).await,
        Command::FieldValues(args) => commands::field_values(&app, args, json),
        Command::Map(args) => map::run(&app, args, json).await,
        Command::SupportAddress(args) => commands::support_address(&app, args, json),
        Command::Cache(args) => commands::cache(&app, args, json),
    }
}

/// The platform data directory (`dirs::data_dir()`): `$XDG_DATA_HOME/pulsemap`, else
/// `~/.local/share/pulsemap` on Linux, `~/Library/Application Support/pulsemap` on macOS,
/// `%APPDATA%\pulsemap` on Windows.
fn default_data_dir() -> anyhow::Result<PathBuf> {
    let base =
        dirs::data_dir().context("this platform has no user data folder; pass --data-dir")?;
    Ok(base.join("pulsemap"))
}

/// Reads one secret: stdin when `from_stdin`, else the environment variable `env`.
pub(crate) fn read_secret(from_stdin: bool, env: &str, what: &str) -> anyhow::Result<String> {
    let raw = if from_stdin {
        let mut buf = String::new();
        std::io::stdin()
            .read_to_string(&mut buf)
            .context("cannot read stdin")?;
        buf
    } else {
        std::env::var(env).map_err(|_| {
            anyhow::anyhow!("no {what} given: pipe it with the --*-stdin flag or set {env}")
        })?
    };
    let secret = raw.trim().to_string();
    anyhow::ensure!(!secret.is_empty(), "the {what} is empty");
    Ok(secret)
}
