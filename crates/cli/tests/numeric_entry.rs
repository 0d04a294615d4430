//! `pulsemap metric --question` on a numeric text entry (issue 10), against a simulator
//! started in this process, through the real OS keychain (run under
//! `scripts/with-keyring.sh`): numeric calculations on the typed numbers, and a note that
//! counts the answers left out because they are not numbers.

use std::process::Output;

use pulsemap_core::metrics::MetricValue;
use qualtrics_sim::catalog::API_TOKEN;
use qualtrics_sim::types_survey::{TYPES_NUMBER_ENTRY_QID, TYPES_SURVEY_ID as TYPES};
use qualtrics_sim::{SimConfig, SimHandle};

#[path = "support/mod.rs"]
mod support;
use support::run_pulsemap;

struct Cli {
    dir: tempfile::TempDir,
    service: String,
}

impl Cli {
    fn run(&self, args: &[&str], stdin: &str) -> Output {
        run_pulsemap(self.dir.path(), &self.service, args, stdin)
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args, "");
        assert!(
            out.status.success(),
            "{args:?}: {}",
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metric_computes_a_numeric_text_entry_and_notes_answers_that_are_not_numbers() {
    let sim = SimHandle::start(SimConfig::default()).await.unwrap();
    let cli = Cli {
        dir: tempfile::tempdir().unwrap(),
        service: format!("pulsemap-cli-test-{}", uuid::Uuid::new_v4()),
    };
    let out = cli.run(
        &["connect", "--base-url", &sim.host(), "--token-stdin"],
        API_TOKEN,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    cli.ok(&["refresh", TYPES, "--force"]);
    let average = |question: &str| -> MetricValue {
        let json = cli.ok(&[
            "--json",
            "metric",
            "--survey",
            TYPES,
            "--question",
            question,
            "--calc",
            "average",
        ]);
        serde_json::from_str(&json).unwrap()
    };
    // By tag and by QID, the same typed numbers.
    let before = average("Q20");
    assert_eq!(before, average(TYPES_NUMBER_ENTRY_QID));
    assert!(before.n > 100 && before.value.is_some() && before.problems.is_empty());
    // A field of a numeric form, as `QIDn.<field>` by tag.
    let field = average("Q21.2");
    assert!(
        field.n > 100 && field.value.is_some() && field.problems.is_empty(),
        "{field:?}"
    );

    // Two answers become text that is not a number (an owner's edit in Data & Analysis).
    let cfg = sim.config().clone();
    let answered: Vec<u64> = (0..qualtrics_sim::response_total(&cfg, TYPES))
        .filter(|&i| !qualtrics_sim::response_in_progress(&cfg, TYPES, i))
        .filter(|&i| {
            let v = qualtrics_sim::generate_response(&cfg, TYPES, i)["values"].clone();
            v["finished"] == 1 && v.get("QID20_TEXT").is_some()
        })
        .take(2)
        .collect();
    assert_eq!(sim.edit_responses(TYPES, &answered, "QID20_TEXT", "n/a"), 2);
    cli.ok(&["refresh", TYPES, "--force"]);
    let after = average("Q20");
    assert_eq!(after.n, before.n - 2);
    let human = cli.ok(&[
        "metric",
        "--survey",
        TYPES,
        "--question",
        "Q20",
        "--calc",
        "median",
    ]);
    assert!(
        human.contains("note: 2 answers to Q20 are not a number and were left out."),
        "{human}"
    );
}
