//! The `pulsemap` binary against a simulator started in this process, through the real OS
//! keychain (run under `scripts/with-keyring.sh`).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use pulsemap_core::app::{Options, Pulsemap};
use pulsemap_core::metrics::{Calculation, CardType, GroupBy, MetricCardConfig, MetricValue};
use qualtrics_sim::catalog::{
    API_TOKEN, SUPPORT_CHANNEL_QID, SUPPORT_CSAT_QID, SUPPORT_SURVEY_ID as SURVEY,
};
use qualtrics_sim::{SimConfig, SimHandle};

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
    let status = cli.ok(&["--json", "status"]);
    assert!(status.contains("\"notConfigured\""), "{status}");
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
        survey_id: SURVEY.into(),
        question_id: SUPPORT_CSAT_QID.into(),
        sub_question_id: None,
        group_by: GroupBy::Question {
            question_id: SUPPORT_CHANNEL_QID.into(),
        },
        calculation: Calculation::CsatTop2,
        comparison: None,
        chart: Default::default(),
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
    assert!(cli.ok(&["--json", "status"]).contains("\"notConfigured\""));
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
    assert!(cli.ok(&["--json", "status"]).contains("\"notConfigured\""));
}
