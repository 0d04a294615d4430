//! `pulsemap-bench`: runs the Pulsemap benchmark suite against the Qualtrics simulator and
//! prints figures (see docs/BENCHMARKS.md). It is not a timed test: it reports, it does not
//! assert targets.

mod measure;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "pulsemap-bench", about = "Pulsemap benchmark suite")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Internal: run COMMAND, then write its wall time and peak RSS to REPORT as JSON.
    Probe {
        #[arg(long)]
        report: PathBuf,
        #[arg(last = true, required = true)]
        command: Vec<OsString>,
    },
}

fn main() -> Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Cmd::Probe { report, command } => measure::probe_main(&report, &command),
    }
}
