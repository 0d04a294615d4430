//! `qualtrics-sim` binary: serve the simulator on a port until killed.
//!
//! Usage: `qualtrics-sim --port P --seed S --responses N [--datacenter iad1]
//! [--host-datacenter fra1]
//! [--page-size 100] [--export-polls 3] [--oauth-expires-in 3600]
//! [--reuse-export-files]`.
//! Prints `qualtrics-sim listening on http://127.0.0.1:P` once bound.

use std::net::SocketAddr;

use anyhow::Context;
use clap::Parser;
use qualtrics_sim::{SimConfig, SimHandle};

#[derive(Debug, Parser)]
#[command(
    name = "qualtrics-sim",
    about = "Local, deterministic Qualtrics API v3 simulator"
)]
struct Args {
    /// Port on 127.0.0.1 (0 = any free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Seed of the generated data.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Responses of the main survey.
    #[arg(long, default_value_t = 2000)]
    responses: u64,
    /// Datacenter reported by whoami.
    #[arg(long, default_value = "iad1")]
    datacenter: String,
    /// Datacenter this simulator plays (the host users typed); when it differs from
    /// --datacenter, API-token calls carry the "Request proxied" notice.
    #[arg(long)]
    host_datacenter: Option<String>,
    /// Page size of GET /surveys.
    #[arg(long, default_value_t = 100)]
    page_size: usize,
    /// inProgress polls before an export completes.
    #[arg(long, default_value_t = 3)]
    export_polls: u32,
    /// OAuth token lifetime in seconds.
    #[arg(long, default_value_t = 3600)]
    oauth_expires_in: u64,
    /// Serve an export identical to an earlier one (same survey, data, range and
    /// byte-relevant options) from the already-written file (default: write every export).
    #[arg(long)]
    reuse_export_files: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    let args = Args::parse();
    let config = SimConfig {
        seed: args.seed,
        responses: args.responses,
        datacenter: args.datacenter,
        host_datacenter: args.host_datacenter,
        page_size: args.page_size,
        export_polls: args.export_polls,
        oauth_expires_in: args.oauth_expires_in,
        reuse_export_files: args.reuse_export_files,
    };
    let handle = SimHandle::start_on(config, SocketAddr::from(([127, 0, 0, 1], args.port)))
        .await
        .context("binding the simulator port")?;
    println!("qualtrics-sim listening on {}", handle.base_url());
    tokio::signal::ctrl_c()
        .await
        .context("waiting for Ctrl-C")?;
    handle.shutdown().await;
    Ok(())
}
