//! The `pulsemap` binary against a simulator started in this process, through the real OS
//! keychain (run under `scripts/with-keyring.sh`).

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use pulsemap_core::app::{Options, Pulsemap};
use pulsemap_core::metrics::{Calculation, CardType, GroupBy, MetricCardConfig, MetricValue};
use qualtrics_sim::catalog::{
    API_TOKEN, SUPPORT_CHANNEL_QID, SUPPORT_CSAT_QID, SUPPORT_SURVEY_ID as SURVEY,
};
use qualtrics_sim::{SimConfig, SimHandle};

#[path = "cli_scope/mod.rs"]
mod cli_scope;

const BAD_TOKEN: &str = "BadToken0000000000000000000000000000wxyz";

struct Cli {
    dir: tempfile::TempDir,
    service: String,
}

impl Cli {
    fn new() -> Self {
        Cli {
            dir: tempfile::tempdir().unwrap(),
            service: format!("pulsemap-cli-test-{}", uuid::Uuid::new_v4()),
        }
    }

    fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_pulsemap"));
        cmd.arg("--data-dir")
            .arg(self.data_dir())
            .args(["--keyring-service", &self.service, "--dev-allow-loopback"])
            .args(args)
            .env_remove("PULSEMAP_TOKEN")
            .env_remove("PULSEMAP_CLIENT_SECRET")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    fn run_with(&self, mut cmd: Command, stdin: &str) -> Output {
        let mut child = cmd.spawn().expect("spawn pulsemap");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        for stream in [&out.stdout, &out.stderr] {
            assert!(
                !String::from_utf8_lossy(stream).contains(API_TOKEN),
                "the token was printed"
            );
        }
        out
    }

    fn run(&self, args: &[&str], stdin: &str) -> Output {
        self.run_with(self.command(args), stdin)
    }

    /// Runs the binary, killing it (and failing) if it has not ended within `limit`.
    fn run_within(&self, args: &[&str], stdin: &str, limit: Duration) -> (Output, Duration) {
        let mut child = self.command(args).spawn().expect("spawn pulsemap");
        let mut input = child.stdin.take().unwrap();
        input.write_all(stdin.as_bytes()).unwrap();
        drop(input);
        let started = Instant::now();
        while child.try_wait().unwrap().is_none() {
            if started.elapsed() > limit {
                let _ = child.kill();
                let out = child.wait_with_output().unwrap();
                panic!(
                    "{args:?} still running after {limit:?}; stderr: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let took = started.elapsed();
        (child.wait_with_output().unwrap(), took)
    }

    /// `status --json`'s stdout, whatever the exit code, and that code.
    fn status_json(&self) -> (String, Option<i32>) {
        let out = self.run(&["--json", "status"], "");
        (String::from_utf8(out.stdout).unwrap(), out.status.code())
    }

    fn connect(&self, sim: &SimHandle) -> Output {
        self.run(
            &["connect", "--base-url", &sim.host(), "--token-stdin"],
            API_TOKEN,
        )
    }

    fn ok(&self, args: &[&str]) -> String {
        self.ok_stdin(args, "")
    }

    fn ok_stdin(&self, args: &[&str], stdin: &str) -> String {
        let out = self.run(args, stdin);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
}

impl Drop for Cli {
    fn drop(&mut self) {
        let _ = self.run(&["disconnect"], "");
    }
}

fn assert_token_not_on_disk(dir: &Path) {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            assert!(
                !bytes
                    .windows(API_TOKEN.len())
                    .any(|w| w == API_TOKEN.as_bytes()),
                "token found in {}",
                path.display()
            );
        }
    }
}

async fn sim() -> SimHandle {
    SimHandle::start(SimConfig {
        ..Default::default()
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_token_is_a_clear_error_and_stores_nothing() {
    let sim = sim().await;
    let cli = Cli::new();
    let host = sim.host();
    let out = cli.run(
        &["connect", "--base-url", &host, "--token-stdin"],
        BAD_TOKEN,
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error [unauthorized]"), "{stderr}");
    assert!(stderr.contains("Nothing was saved"), "{stderr}");
    assert!(!stderr.contains(BAD_TOKEN));
    let (status, code) = cli.status_json();
    assert!(status.contains("\"notConfigured\""), "{status}");
    assert_eq!(code, Some(exit_codes()["notConfigured"]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_are_never_plain_arguments() {
    let cli = Cli::new();
    let out = cli.run(
        &[
            "connect",
            "--base-url",
            "iad1.qualtrics.com",
            "--token",
            API_TOKEN,
        ],
        "",
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "clap rejects an unknown --token flag"
    );
    let out = cli.run(&["connect", "--base-url", "iad1.qualtrics.com"], "");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("PULSEMAP_TOKEN"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_surveys_refresh_metric_and_debug_export() {
    let sim = sim().await;
    let cli = Cli::new();
    let host = sim.host();
    let out = cli.ok_stdin(
        &["connect", "--base-url", &host, "--token-stdin"],
        API_TOKEN,
    );
    assert!(out.contains("state:       connected"), "{out}");
    assert!(
        out.contains(&format!("••••{}", &API_TOKEN[API_TOKEN.len() - 4..])),
        "{out}"
    );

    let surveys = cli.ok(&["surveys"]);
    assert!(surveys.contains(SURVEY), "{surveys}");

    let out = cli.run(&["refresh", SURVEY, "--force"], "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let progress = String::from_utf8_lossy(&out.stderr);
    assert!(
        progress.contains("exporting") && progress.contains('%'),
        "{progress}"
    );
    assert!(progress.contains("imported"), "{progress}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("HTTP requests"), "{stdout}");

    // Metric output equals the core's own computation on the same cache.
    let json = cli.ok(&[
        "--json",
        "metric",
        "--survey",
        SURVEY,
        "--question",
        SUPPORT_CSAT_QID,
        "--calc",
        "csat",
        "--group-by",
        &format!("question:{SUPPORT_CHANNEL_QID}"),
    ]);
    let from_cli: MetricValue = serde_json::from_str(&json).unwrap();
    let mut options = Options::new(cli.data_dir());
    options.keyring_service = cli.service.clone();
    let core = Pulsemap::open(options).unwrap();
    let config = MetricCardConfig {
        name: "x".into(),
        card_type: CardType::Number,
        survey_id: pulsemap_core::SurveyId::parse(SURVEY).ok(),
        question_id: SUPPORT_CSAT_QID.into(),
        sub_question_id: None,
        group_by: GroupBy::Question {
            question_id: SUPPORT_CHANNEL_QID.into(),
        },
        calculation: Calculation::CsatTop2,
        comparison: None,
        chart: Default::default(),
        ..Default::default()
    };
    let expected = core.preview_metric(&config).unwrap();
    drop(core);
    assert_eq!(from_cli, expected);
    assert!(expected.n > 0 && !expected.groups.is_empty());
    let out = cli.run(
        &[
            "metric",
            "--survey",
            "SV_unknown",
            "--question",
            "QID1",
            "--calc",
            "nps",
        ],
        "",
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("error [notFound]"));
    let out = cli.run(
        &[
            "metric",
            "--survey",
            SURVEY,
            "--question",
            "QID1",
            "--calc",
            "mode",
        ],
        "",
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("error [invalidInput]: unknown calculation")
    );
    let human = cli.ok(&[
        "metric",
        "--survey",
        SURVEY,
        "--question",
        SUPPORT_CSAT_QID,
        "--calc",
        "csat",
    ]);
    assert!(
        human.contains("n: ") && human.contains("formula: "),
        "{human}"
    );

    let exports = tempfile::tempdir().unwrap();
    let zip = exports.path().join("support.zip");
    let out = cli.ok(&["debug-export", SURVEY, "--out", zip.to_str().unwrap()]);
    assert!(out.contains("redacted"), "{out}");
    let first = std::fs::read(&zip).unwrap();
    assert!(!first.is_empty());
    // Never over the live database, even with --force; never over a file without --force.
    let db = cli.data_dir().join(pulsemap_core::app::DB_FILE);
    let db_bytes = std::fs::read(&db).unwrap();
    for (dest, force) in [(&db, true), (&zip, false)] {
        let mut args = vec!["debug-export", SURVEY, "--out", dest.to_str().unwrap()];
        if force {
            args.push("--force");
        }
        let out = cli.run(&args, "");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(stderr.contains(dest.to_str().unwrap()), "{stderr}");
    }
    assert_eq!(std::fs::read(&db).unwrap(), db_bytes);
    assert_eq!(std::fs::read(&zip).unwrap(), first);
    cli.ok(&[
        "debug-export",
        SURVEY,
        "--out",
        zip.to_str().unwrap(),
        "--force",
    ]);

    assert_token_not_on_disk(cli.data_dir());
    let status = cli.ok(&["status"]);
    assert!(status.contains("connected"), "{status}");
    cli.ok(&["disconnect"]);
    assert!(cli.status_json().0.contains("\"notConfigured\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_from_environment() {
    let sim = sim().await;
    let cli = Cli::new();
    let host = sim.host();
    let mut cmd = cli.command(&["--json", "connect", "--base-url", &host]);
    cmd.env("PULSEMAP_TOKEN", API_TOKEN);
    let out = cli.run_with(cmd, "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"connected\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_keychain_is_a_clear_error_and_nothing_is_stored() {
    let sim = sim().await;
    let cli = Cli::new();
    let host = sim.host();
    let mut cmd = cli.command(&["connect", "--base-url", &host, "--token-stdin"]);
    cmd.env(
        "DBUS_SESSION_BUS_ADDRESS",
        format!("unix:path={}/no-bus", cli.data_dir().display()),
    );
    let out = cli.run_with(cmd, API_TOKEN);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error [keychainUnavailable]"), "{stderr}");
    assert_token_not_on_disk(cli.data_dir());
    assert!(cli.status_json().0.contains("\"notConfigured\""));
}

/// The exit code of each error kind, read from `pulsemap --help` (so the documentation is
/// what the tests hold the binary to).
fn exit_codes() -> BTreeMap<String, i32> {
    let out = Command::new(env!("CARGO_BIN_EXE_pulsemap"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    let table = &help[help
        .find("Exit codes:")
        .expect("--help documents exit codes")..];
    let codes: BTreeMap<String, i32> = table
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let code = words.next()?.parse().ok()?;
            Some((words.next()?.to_string(), code))
        })
        .collect();
    assert!(codes.len() >= 15, "{table}");
    let distinct: std::collections::BTreeSet<_> = codes.values().collect();
    assert_eq!(distinct.len(), codes.len(), "one code per kind: {table}");
    codes
}

fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_token_or_an_unreachable_host_fails_surveys_and_status() {
    let codes = exit_codes();
    let sim = sim().await;
    let cli = Cli::new();
    assert!(cli.connect(&sim).status.success());
    assert!(cli.ok(&["surveys"]).contains(SURVEY));

    sim.faults().revoke_token(true);
    let out = cli.run(&["surveys"], "");
    assert_eq!(
        out.status.code(),
        Some(codes["tokenRevoked"]),
        "{}",
        stderr_of(&out)
    );
    assert!(
        stderr_of(&out).contains("error [tokenRevoked]"),
        "{}",
        stderr_of(&out)
    );
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains(SURVEY),
        "no stale list presented as current"
    );
    let cached = cli.ok(&["surveys", "--cached"]);
    assert!(cached.contains(SURVEY), "the cache stays available offline");
    let out = cli.run(&["status"], "");
    assert_eq!(
        out.status.code(),
        Some(codes["tokenRevoked"]),
        "{}",
        stderr_of(&out)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("tokenRevoked"));

    sim.faults().revoke_token(false);
    sim.shutdown().await;
    let (status, code) = cli.status_json();
    assert_eq!(code, Some(codes["network"]), "{status}");
    assert!(status.contains("\"connectionFailed\""), "{status}");
    let out = cli.run(&["surveys"], "");
    assert_eq!(
        out.status.code(),
        Some(codes["network"]),
        "{}",
        stderr_of(&out)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_fails_when_the_survey_list_cannot_be_read() {
    let codes = exit_codes();
    let sim = SimHandle::start(SimConfig {
        page_size: 2,
        ..Default::default()
    })
    .await
    .unwrap();
    sim.faults().cycle_next_page(true);
    let cli = Cli::new();
    let (out, _) = cli.run_within(
        &["connect", "--base-url", &sim.host(), "--token-stdin"],
        API_TOKEN,
        Duration::from_secs(60),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(codes["malformed"]),
        "{stdout}{}",
        stderr_of(&out)
    );
    assert!(stdout.contains("connectionFailed"), "{stdout}");
    assert!(!stdout.contains("state:       connected"), "{stdout}");
    assert!(
        stderr_of(&out).contains("survey list could not be read"),
        "{}",
        stderr_of(&out)
    );
    let listed = sim.stats()["GET /API/v3/surveys"];
    assert!(
        listed <= 4,
        "paging stopped at the cycle: {listed} requests"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn piping_into_a_closed_reader_neither_panics_nor_fails() {
    let sim = sim().await;
    let cli = Cli::new();
    assert!(cli.connect(&sim).status.success());
    for args in [&["surveys"][..], &["--json", "surveys"], &["status"]] {
        let mut child = cli.command(args).spawn().unwrap();
        drop(child.stdin.take());
        // The reader goes away before anything is written (`| head` after its lines).
        drop(child.stdout.take());
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        let status = child.wait().unwrap();
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(status.code(), Some(0), "{args:?}: {stderr}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_that_never_answers_fails_fast_with_progress_and_no_retry() {
    let codes = exit_codes();
    let sim = sim().await;
    sim.faults().black_hole(true);
    let cli = Cli::new();
    let (out, took) = cli.run_within(
        &["connect", "--base-url", &sim.host(), "--token-stdin"],
        API_TOKEN,
        Duration::from_secs(90),
    );
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(codes["network"]), "{stderr}");
    assert!(
        stderr.contains(&format!("Checking the credentials with {}", sim.host())),
        "{stderr}"
    );
    assert!(
        stderr.contains("still waiting"),
        "progress while waiting: {stderr}"
    );
    assert!(
        stderr.contains("timed out") && stderr.contains("Nothing was saved"),
        "{stderr}"
    );
    assert_eq!(
        sim.stats()["GET /API/v3/whoami"],
        1,
        "a validation call is never retried"
    );
    assert!(took < Duration::from_secs(40), "gave up after {took:?}");
    assert!(cli.status_json().0.contains("\"notConfigured\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_of_another_datacenter_name_the_right_host() {
    let codes = exit_codes();
    let sim = SimHandle::start(SimConfig {
        datacenter: "iad1".into(),
        host_datacenter: Some("fra1".into()),
        ..Default::default()
    })
    .await
    .unwrap();
    let cli = Cli::new();
    let out = cli.connect(&sim);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(codes["wrongDatacenter"]),
        "{stdout}{}",
        stderr_of(&out)
    );
    assert!(stdout.contains("state:       wrongDatacenter"), "{stdout}");
    assert!(
        stdout.contains("use host:    iad1.qualtrics.com"),
        "{stdout}"
    );
    assert!(
        stderr_of(&out).contains("error [wrongDatacenter]"),
        "{}",
        stderr_of(&out)
    );
    let (status, code) = cli.status_json();
    assert_eq!(code, Some(codes["wrongDatacenter"]));
    let status: serde_json::Value = serde_json::from_str(&status).unwrap();
    assert_eq!(status["suggestedBaseUrl"], "iad1.qualtrics.com");
    assert_eq!(status["errorKind"], "wrongDatacenter");
    assert!(
        status["surveyCount"].as_u64().unwrap() > 0,
        "the proxied connection works"
    );
    assert!(cli.ok(&["surveys"]).contains(SURVEY));

    let right = SimHandle::start(SimConfig {
        host_datacenter: Some("iad1".into()),
        ..Default::default()
    })
    .await
    .unwrap();
    let out = cli.connect(&right);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let (status, code) = cli.status_json();
    assert_eq!(code, Some(0), "{status}");
    assert!(!status.contains("suggestedBaseUrl\": \""), "{status}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_failed_refresh_plain_refresh_backs_off_instead_of_saying_fresh() {
    let sim = sim().await;
    let cli = Cli::new();
    cli.ok_stdin(
        &["connect", "--base-url", &sim.host(), "--token-stdin"],
        API_TOKEN,
    );
    sim.faults().fail_exports(true);
    let failed = cli.run(&["refresh", SURVEY], "");
    assert!(!failed.status.success());
    sim.faults().fail_exports(false);

    let out = cli.ok(&["refresh", SURVEY]);
    assert!(!out.contains("fresh ("), "{out}");
    assert!(
        out.contains("failed or was interrupted; backing off, next try at"),
        "{out}"
    );
    assert!(out.contains("--force"), "{out}");
    let forced = cli.ok(&["refresh", SURVEY, "--force"]);
    assert!(forced.contains("full refresh"), "{forced}");
    assert!(forced.contains("last full sync 20"), "{forced}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metric_takes_slider_rows_and_refuses_meaningless_calculations() {
    use qualtrics_sim::types_survey::TYPES_SURVEY_ID as TYPES;
    let sim = sim().await;
    let cli = Cli::new();
    cli.ok_stdin(
        &["connect", "--base-url", &sim.host(), "--token-stdin"],
        API_TOKEN,
    );
    cli.ok(&["refresh", TYPES, "--force"]);
    let metric = |question: &str, calc: &str, extra: &[&str]| {
        let mut args = vec![
            "--json",
            "metric",
            "--survey",
            TYPES,
            "--question",
            question,
            "--calc",
            calc,
        ];
        args.extend_from_slice(extra);
        cli.run(&args, "")
    };
    // A one-bar slider by tag, and a row of a two-row star slider as `QID3.1`.
    // ... and one row of a side-by-side column (`QID19#1`, tag `Q19#1`).
    for (question, calc) in [
        ("Q2", "average"),
        ("QID3.1", "median"),
        ("Q3.2", "max"),
        ("Q19#1.2", "csat"),
    ] {
        let out = metric(question, calc, &[]);
        assert!(
            out.status.success(),
            "{question}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: MetricValue = serde_json::from_slice(&out.stdout).unwrap();
        assert!(v.n > 0 && v.value.is_some(), "{question}: {v:?}");
    }
    let grouped = metric("Q1", "nps", &["--group-by", "question:Q17.1"]);
    assert!(grouped.status.success());
    let v: MetricValue = serde_json::from_slice(&grouped.stdout).unwrap();
    assert_eq!(
        v.groups.iter().filter(|g| g.n > 0).count(),
        2,
        "France, Japan"
    );
    for (question, calc, extra, reason) in [
        (
            "Q16",
            "nps",
            &[][..],
            "NPS needs a 0-10 answer scale; Q16 is answered on -2-2",
        ),
        (
            "Q7",
            "average",
            &[][..],
            "Average needs numeric answers; Q7 is free text",
        ),
        (
            "Q1",
            "nps",
            &["--group-by", "field:region"][..],
            "\"region\"",
        ),
    ] {
        let out = metric(question, calc, extra);
        assert_eq!(
            out.status.code(),
            Some(3),
            "{question} {calc}: invalidInput"
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("error [invalidInput]") && err.contains(reason),
            "{err}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_api_permission_fails_status_with_the_forbidden_code() {
    let codes = exit_codes();
    let sim = sim().await;
    let cli = Cli::new();
    assert!(cli.connect(&sim).status.success());
    sim.faults().forbid_api(true);
    let (status, code) = cli.status_json();
    assert_eq!(code, Some(codes["forbidden"]), "{status}");
    assert!(status.contains("\"permissionMissing\""), "{status}");
    sim.faults().forbid_api(false);
    let (status, code) = cli.status_json();
    assert_eq!(code, Some(0), "{status}");
}

#[test]
fn the_support_address_is_set_shown_and_cleared_and_a_bad_one_is_refused() {
    let cli = Cli::new();
    let shown: serde_json::Value =
        serde_json::from_str(&cli.ok(&["--json", "support-address"])).unwrap();
    assert_eq!(shown, serde_json::json!({ "supportAddress": null }));
    assert_eq!(
        cli.ok(&["support-address", "set", "help@acme.com"]).trim(),
        "help@acme.com"
    );
    assert_eq!(cli.ok(&["support-address"]).trim(), "help@acme.com");
    let out = cli.run(&["support-address", "set", "help@acme.com?cc=x@y.com"], "");
    assert_eq!(out.status.code(), Some(exit_codes()["invalidInput"]));
    assert!(
        stderr_of(&out).contains("support address"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(cli.ok(&["support-address"]).trim(), "help@acme.com");
    cli.ok(&["support-address", "clear"]);
    assert_eq!(cli.ok(&["support-address"]).trim(), "");
}
