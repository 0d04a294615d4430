//! `pulsemap metric`'s card-scope flags (issue 13): the JSON equals the core's computation of
//! the same card on the same clock and zone, it carries the interval, low n, status,
//! freshness and resolved range, and bad values are usage errors naming what is wrong.

use chrono::Utc;
use pulsemap_core::app::{Options, Pulsemap};
use pulsemap_core::metrics::{
    Better, Calculation, Clock, DateRange, MetricCardConfig, MetricValue, SegmentFilter, Target,
};
use qualtrics_sim::catalog::{
    FILTER_EMEA_ID, ONBOARDING_NPS_QID, ONBOARDING_PLAN_QID, ONBOARDING_SURVEY_ID as SV,
};
use serde_json::Value;

use super::{sim, Cli};

fn core(cli: &Cli) -> Pulsemap {
    let mut options = Options::new(cli.data_dir());
    options.keyring_service = cli.service.clone();
    Pulsemap::open(options).unwrap()
}

/// `[--json] metric --survey SV --question Q1 --calc nps` followed by `extra`.
fn nps<'a>(json: bool, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = if json { vec!["--json"] } else { vec![] };
    args.extend([
        "metric",
        "--survey",
        SV,
        "--question",
        "Q1",
        "--calc",
        "nps",
    ]);
    args.extend_from_slice(extra);
    args
}

fn usage_error(cli: &Cli, extra: &[&str], wanted: &str) {
    let mut args = vec![
        "metric",
        "--survey",
        SV,
        "--question",
        "QID1",
        "--calc",
        "nps",
    ];
    args.extend_from_slice(extra);
    let out = cli.run(&args, "");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{extra:?}: {err}");
    assert!(err.contains(wanted), "{extra:?}: {err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metric_scope_flags_match_the_core_and_refuse_bad_values() {
    let sim = sim().await;
    let cli = Cli::new();
    assert!(cli.connect(&sim).status.success());
    cli.ok(&["refresh", SV, "--force"]);

    let json = cli.ok(&nps(
        true,
        &[
            "--range",
            "2025-01-01..2025-03-31",
            "--filter",
            "field:Region=EMEA,APAC",
            "--filter",
            "question:Q4=Enterprise,Pro",
            "--target",
            "40",
            "--better",
            "higher",
            "--amber",
            "5",
            "--min-n",
            "200",
            "--tz",
            "Pacific/Auckland",
        ],
    ));
    let raw: Value = serde_json::from_str(&json).unwrap();
    for key in [
        "ciLow",
        "ciHigh",
        "lowN",
        "status",
        "dataAsOf",
        "resolvedRange",
    ] {
        assert!(raw.get(key).is_some(), "--json lacks {key}: {json}");
    }
    assert_eq!(raw["resolvedRange"]["from"], "2025-01-01");
    let from_cli: MetricValue = serde_json::from_value(raw).unwrap();
    let config = MetricCardConfig {
        name: "x".into(),
        survey_id: pulsemap_core::SurveyId::parse(SV).ok(),
        question_id: ONBOARDING_NPS_QID.into(),
        calculation: Calculation::Nps,
        range: DateRange::Custom {
            from: "2025-01-01".into(),
            to: "2025-03-31".into(),
        },
        filters: vec![
            SegmentFilter::Field {
                name: "Region".into(),
                values: vec!["EMEA".into(), "APAC".into()],
            },
            SegmentFilter::Question {
                question_id: ONBOARDING_PLAN_QID.into(),
                choices: vec!["Enterprise".into(), "Pro".into()],
            },
        ],
        target: Some(Target {
            value: 40.0,
            better: Better::Higher,
            amber_margin: Some(5.0),
        }),
        min_n: 200,
        ..Default::default()
    };
    let app = core(&cli);
    let clock = Clock::in_zone(Utc::now(), "Pacific/Auckland").unwrap();
    let expected = app.preview_metric_at(&config, &clock).unwrap();
    // Compared as text: the CLI prints the exact shortest form of each number.
    assert_eq!(
        json.trim(),
        serde_json::to_string_pretty(&expected).unwrap()
    );
    assert_eq!(from_cli.n, expected.n);
    assert!(expected.n > 0 && expected.ci_low.is_some() && expected.data_as_of.is_some());
    assert_eq!(expected.low_n, expected.n < 200);

    // A comparison with the previous period, in words.
    let human = cli.ok(&nps(
        false,
        &[
            "--type",
            "comparison",
            "--range",
            "2025-01-01..2025-03-31",
            "--compare",
            "previous-range",
        ],
    ));
    assert!(
        human.contains("Previous period (3 Oct – 31 Dec 2024)"),
        "{human}"
    );
    assert!(
        human.contains("the noise at 95%") && human.contains("95% interval:"),
        "{human}"
    );

    // A series split by a field: one line per region.
    let split: MetricValue = serde_json::from_str(&cli.ok(&nps(
        true,
        &[
            "--type",
            "series",
            "--split-by",
            "field:Region",
            "--range",
            "2025-01-01..2025-03-31",
        ],
    )))
    .unwrap();
    let lines: Vec<&str> = split
        .series_groups
        .iter()
        .map(|g| g.label.as_str())
        .collect();
    assert_eq!(lines, ["AMER", "APAC", "EMEA"]);
    let out = cli.run(&nps(false, &["--split-by", "field:Region"]), "");
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--type series"));

    // Saved filters: listed, read on request, then usable by id.
    let out = cli.run(
        &nps(false, &["--filter", &format!("saved:{FILTER_EMEA_ID}")]),
        "",
    );
    assert_eq!(
        out.status.code(),
        Some(13),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("pulsemap filters"));
    let listed = cli.ok(&["filters", SV, "--read"]);
    assert!(listed.contains("Region = EMEA"), "{listed}");
    let saved: MetricValue = serde_json::from_str(&cli.ok(&nps(
        true,
        &["--filter", &format!("saved:{FILTER_EMEA_ID}")],
    )))
    .unwrap();
    let field: MetricValue =
        serde_json::from_str(&cli.ok(&nps(true, &["--filter", "field:Region=EMEA"]))).unwrap();
    assert_eq!((saved.value, saved.n), (field.value, field.n));
    let values = cli.ok(&["field-values", "--survey", SV, "--field", "Region"]);
    assert!(values.contains("EMEA  (n="), "{values}");

    // Bad values: usage errors (exit 2) naming the problem.
    usage_error(&cli, &["--range", "last:90"], "90d");
    usage_error(
        &cli,
        &["--range", "2025-03-02..2025-03-01"],
        "after it ends",
    );
    usage_error(&cli, &["--range", "yesterday"], "is not a range");
    usage_error(&cli, &["--filter", "Region=EMEA"], "is not a filter");
    usage_error(&cli, &["--filter", "field:Region="], "at least one value");
    usage_error(&cli, &["--date-field", "created"], "recorded, end or start");
    usage_error(&cli, &["--tz", "Mars/Olympus"], "unknown time zone");
    usage_error(&cli, &["--better", "lower"], "--target");
    usage_error(&cli, &["--target", "forty"], "not a number");
    usage_error(&cli, &["--min-n", "0"], "--min-n");
    usage_error(&cli, &["--compare", "sideways"], "previous-range");
    // A choice the question does not have: invalid input naming its choices.
    let out = cli.run(&nps(false, &["--filter", "question:Q4=Platinum"]), "");
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Enterprise"));
    // Comparing ranges without a range.
    let out = cli.run(
        &nps(
            false,
            &["--type", "comparison", "--compare", "previous-range"],
        ),
        "",
    );
    assert_eq!(out.status.code(), Some(3));
}
