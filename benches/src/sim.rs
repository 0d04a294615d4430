//! The simulator under benchmark: a `qualtrics-sim` child process on loopback, plus its
//! control routes (`GET /__sim/stats`, `POST /__sim/responses`).
//!
//! Contract: [`SimProcess::start`] spawns the release `qualtrics-sim` binary with
//! `--port 0 --seed S --responses N --export-polls K` (plus `--reuse-export-files` when
//! asked), reads the `listening on URL` line and returns once the server answers. Dropping
//! the value kills and reaps that one child (by its handle, never by name).
//! [`SimProcess::counters`] and [`SimProcess::activity_since`] read the simulator's own
//! counts (Qualtrics API requests served, control routes excluded; exports started, exports
//! served from an already-written file, and each written export's writer time), so request
//! and reuse figures do not rely on the client's self-reporting.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};

/// Settings of one simulator run.
#[derive(Debug, Clone, Copy)]
pub struct SimSettings {
    /// Seed of the generated data.
    pub seed: u64,
    /// Responses of the main survey.
    pub responses: u64,
    /// `inProgress` polls answered before an export completes.
    pub export_polls: u32,
    /// Serve an export identical to an earlier one from the already-written file.
    pub reuse_export_files: bool,
}

/// The simulator's counters at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counters {
    /// Qualtrics API requests served.
    pub api_requests: u64,
    /// Exports started.
    pub exports_started: u64,
    /// Exports served from an already-written file.
    pub exports_reused: u64,
}

/// What the simulator did between two moments.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Activity {
    /// Qualtrics API requests served.
    pub api_requests: u64,
    /// Exports started.
    pub exports_started: u64,
    /// Of those, served from an already-written file.
    pub exports_reused: u64,
    /// Writer time (ms, start request to file written) of each export written meanwhile.
    pub writer_ms: Vec<f64>,
}

/// A running `qualtrics-sim` child.
#[derive(Debug)]
pub struct SimProcess {
    child: Child,
    base_url: String,
    runtime: tokio::runtime::Runtime,
    http: reqwest::Client,
}

impl SimProcess {
    /// Starts the simulator binary at `program` and waits until it is listening.
    pub fn start(program: &Path, settings: SimSettings, log: &Path) -> Result<SimProcess> {
        let log_file = std::fs::File::create(log).context("creating the simulator log")?;
        let mut cmd = Command::new(program);
        cmd.args(["--port", "0"])
            .args(["--seed", &settings.seed.to_string()])
            .args(["--responses", &settings.responses.to_string()])
            .args(["--export-polls", &settings.export_polls.to_string()]);
        if settings.reuse_export_files {
            cmd.arg("--reuse-export-files");
        }
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log_file))
            .spawn()
            .with_context(|| format!("starting {}", program.display()))?;
        let stdout = child.stdout.take().context("simulator stdout")?;
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .context("reading the simulator's first line")?;
        let Some(base_url) = line
            .trim()
            .split("listening on ")
            .nth(1)
            .map(str::to_string)
        else {
            let _ = child.kill();
            let _ = child.wait();
            bail!(
                "qualtrics-sim did not report its address (got {line:?}); see {}",
                log.display()
            );
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("starting a runtime for simulator control calls")?;
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .context("building the control HTTP client")?;
        let sim = SimProcess {
            child,
            base_url,
            runtime,
            http,
        };
        sim.stats()
            .context("the simulator does not answer /__sim/stats")?;
        Ok(sim)
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// `127.0.0.1:PORT` (what `pulsemap connect --base-url` takes).
    pub fn host(&self) -> &str {
        self.base_url.trim_start_matches("http://")
    }

    /// `GET /__sim/stats`.
    pub fn stats(&self) -> Result<Value> {
        let url = format!("{}/__sim/stats", self.base_url);
        self.runtime.block_on(async {
            let resp = self.http.get(&url).send().await?.error_for_status()?;
            Ok(resp.json::<Value>().await?)
        })
    }

    /// The simulator's counters now.
    pub fn counters(&self) -> Result<Counters> {
        counters_of(&self.stats()?)
    }

    /// What the simulator did since `before` was read.
    pub fn activity_since(&self, before: &Counters) -> Result<Activity> {
        let stats = self.stats()?;
        let now = counters_of(&stats)?;
        let started = now.exports_started - before.exports_started;
        let records = stats["exports"]
            .as_array()
            .context("/__sim/stats has no exports list")?;
        let writer_ms = records
            .iter()
            .skip(records.len().saturating_sub(started as usize))
            .filter_map(|r| r["writerMs"].as_f64())
            .collect();
        Ok(Activity {
            api_requests: now.api_requests - before.api_requests,
            exports_started: started,
            exports_reused: now.exports_reused - before.exports_reused,
            writer_ms,
        })
    }

    /// `POST /__sim/responses`: adds `count` responses to `survey_id`; returns the new total.
    pub fn add_responses(&self, survey_id: &str, count: u64) -> Result<u64> {
        let url = format!("{}/__sim/responses", self.base_url);
        let body = json!({ "surveyId": survey_id, "count": count });
        let answer: Value = self.runtime.block_on(async {
            let resp = self
                .http
                .post(&url)
                .json(&body)
                .send()
                .await?
                .error_for_status()?;
            anyhow::Ok(resp.json::<Value>().await?)
        })?;
        answer["total"]
            .as_u64()
            .context("/__sim/responses answered no total")
    }
}

fn counters_of(stats: &Value) -> Result<Counters> {
    let num = |key: &str| {
        stats[key]
            .as_u64()
            .with_context(|| format!("/__sim/stats has no numeric {key} (an older qualtrics-sim?)"))
    };
    Ok(Counters {
        api_requests: num("total")?,
        exports_started: num("exportsStarted")?,
        exports_reused: num("exportsReused")?,
    })
}

impl Drop for SimProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
