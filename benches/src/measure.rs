//! Per-run measurement of one child process: wall time, CPU time, peak resident set size,
//! exit status and captured output.
//!
//! Contract: [`Probe::run`] starts `pulsemap-bench probe --report FILE -- PROGRAM ARGS...` (this
//! same binary), which spawns PROGRAM, waits for it and reads `getrusage(RUSAGE_CHILDREN)`.
//! Because the probe has exactly one child, `ru_maxrss` is that child's own peak RSS, which is
//! what `/usr/bin/time -v` reports; a fresh probe per run keeps every figure per run. Wall time
//! is taken inside the probe, from just before the spawn to just after the wait, so the
//! probe's own start-up is not counted. Each stderr line is kept with the time it arrived
//! (seconds since the probe was spawned), which gives a phase timeline of commands that
//! print progress. A non-zero exit of PROGRAM is an error carrying its stderr. PROGRAM gets
//! its spawn time in `PULSEMAP_BENCH_SPAWNED_AT_NS` (ns since the Unix epoch), so a child that
//! times its own start-up (`paint`) counts from the spawn, not from its `main`.

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use nix::sys::resource::{getrusage, UsageWho};
use serde::{Deserialize, Serialize};

/// What the probe writes to its report file.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct ProbeReport {
    wall_s: f64,
    /// User + system CPU time of the child.
    cpu_s: f64,
    peak_rss_kib: u64,
    exit_code: i32,
}

/// One measured run of a child process.
#[derive(Debug, Clone)]
pub struct Measurement {
    /// Wall time from spawn to exit.
    pub wall: Duration,
    /// User + system CPU time of the child.
    pub cpu: Duration,
    /// Peak resident set size of the child, in KiB.
    pub peak_rss_kib: u64,
    /// The child's standard output.
    pub stdout: String,
    /// The child's stderr lines, each with its arrival time (s since the probe started).
    pub stderr_lines: Vec<(f64, String)>,
}

impl Measurement {
    /// Peak RSS in MiB.
    pub fn peak_rss_mib(&self) -> f64 {
        self.peak_rss_kib as f64 / 1024.0
    }
}

/// A command to measure: program, arguments, extra environment, optional stdin bytes.
#[derive(Debug, Clone)]
pub struct Probe {
    program: PathBuf,
    args: Vec<OsString>,
    env: Vec<(String, String)>,
    stdin: Option<Vec<u8>>,
}

impl Probe {
    /// A probe of `program` with no arguments.
    pub fn new(program: impl AsRef<Path>) -> Self {
        Self {
            program: program.as_ref().to_path_buf(),
            args: Vec::new(),
            env: Vec::new(),
            stdin: None,
        }
    }

    /// Appends one argument.
    pub fn arg(mut self, arg: impl Into<OsString>) -> Self {
        self.args.push(arg.into());
        self
    }

    /// Appends arguments.
    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Sets an environment variable for the child.
    pub fn env(mut self, key: &str, value: impl Into<String>) -> Self {
        self.env.push((key.to_string(), value.into()));
        self
    }

    /// Bytes written to the child's stdin (then closed).
    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(bytes.into());
        self
    }

    /// Runs the command under a fresh probe process and returns its measurement.
    pub fn run(&self) -> Result<Measurement> {
        let report_file = tempfile::NamedTempFile::new().context("creating the probe report")?;
        let me = std::env::current_exe().context("locating pulsemap-bench")?;
        let mut cmd = Command::new(me);
        cmd.arg("probe")
            .arg("--report")
            .arg(report_file.path())
            .arg("--")
            .arg(&self.program)
            .args(&self.args)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let spawned = Instant::now();
        let mut child = cmd
            .spawn()
            .with_context(|| format!("starting {}", self.program.display()))?;
        let stderr_pipe = child.stderr.take().context("child stderr")?;
        let stderr_reader = std::thread::spawn(move || {
            BufReader::new(stderr_pipe)
                .lines()
                .map_while(Result::ok)
                .map(|line| (spawned.elapsed().as_secs_f64(), line))
                .collect::<Vec<_>>()
        });
        if let Some(bytes) = &self.stdin {
            let mut pipe = child.stdin.take().context("child stdin")?;
            pipe.write_all(bytes).context("writing child stdin")?;
        }
        let output = child.wait_with_output().context("waiting for the probe")?;
        let stderr_lines = stderr_reader.join().unwrap_or_default();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr: String = stderr_lines
            .iter()
            .rev()
            .take(20)
            .rev()
            .map(|(_, l)| format!("{l}\n"))
            .collect();
        let text = std::fs::read_to_string(report_file.path()).context("reading probe report")?;
        let report: ProbeReport = serde_json::from_str(&text)
            .with_context(|| format!("probe report for {} is invalid", self.program.display()))?;
        if report.exit_code != 0 {
            bail!(
                "{} {} exited with {}: {}",
                self.program.display(),
                self.args
                    .iter()
                    .map(|a| a.to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join(" "),
                report.exit_code,
                stderr.trim()
            );
        }
        Ok(Measurement {
            wall: Duration::from_secs_f64(report.wall_s),
            cpu: Duration::from_secs_f64(report.cpu_s),
            peak_rss_kib: report.peak_rss_kib,
            stdout,
            stderr_lines,
        })
    }
}

/// The `probe` subcommand: runs `command` with inherited stdio, writes the report, and exits
/// with the child's code (or 128 + signal).
pub fn probe_main(report: &Path, command: &[OsString]) -> Result<ExitCode> {
    let (program, args) = command.split_first().context("probe needs a command")?;
    let started = Instant::now();
    let status = Command::new(program)
        .args(args)
        // When the child was spawned, for children that time their own start-up (`paint`).
        .env(crate::paint::SPAWNED_AT_ENV, crate::paint::unix_ns_now())
        .status()
        .with_context(|| format!("starting {}", program.to_string_lossy()))?;
    let wall = started.elapsed();
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).context("getrusage(RUSAGE_CHILDREN)")?;
    let exit_code = match status.code() {
        Some(code) => code,
        None => {
            use std::os::unix::process::ExitStatusExt;
            128 + status.signal().unwrap_or(0)
        }
    };
    let out = ProbeReport {
        wall_s: wall.as_secs_f64(),
        cpu_s: seconds(usage.user_time()) + seconds(usage.system_time()),
        // Linux reports ru_maxrss in KiB.
        peak_rss_kib: u64::try_from(usage.max_rss()).unwrap_or(0),
        exit_code,
    };
    std::fs::write(report, serde_json::to_vec(&out)?).context("writing probe report")?;
    Ok(ExitCode::from(
        u8::try_from(exit_code.clamp(0, 255)).unwrap_or(1),
    ))
}

fn seconds(t: nix::sys::time::TimeVal) -> f64 {
    t.tv_sec() as f64 + t.tv_usec() as f64 / 1e6
}
