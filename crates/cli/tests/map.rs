//! `pulsemap map ...` moves maps between data dirs: export, import (unseen surveys listed,
//! replaced with --survey OLD=NEW or left unbound), workshop packs opened read-only in a data
//! dir with no connection, and a corrupt file refused with its error kind.

use std::path::Path;
use std::process::{Command, Output};

use pulsemap_core::app::{Options, Pulsemap};
use pulsemap_core::metrics::{Calculation, CardType, GroupBy, MetricCardConfig};
use pulsemap_core::store::ResponseRow;
use qualtrics_sim::{catalog, SimConfig};

const SV: &str = catalog::ONBOARDING_SURVEY_ID;

fn pulsemap(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pulsemap"))
        .arg("--data-dir")
        .arg(dir)
        .args(["--keyring-service", "pulsemap-cli-map-test-unused"])
        .args(args)
        .output()
        .expect("run pulsemap")
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = pulsemap(dir, args);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(out.status.success(), "{args:?} failed: {stdout}{stderr}");
    stdout
}

fn open(dir: &Path) -> Pulsemap {
    Pulsemap::open(Options::new(dir)).unwrap()
}

fn cache_survey(app: &Pulsemap, survey: &str) {
    let cfg = SimConfig {
        responses: 100,
        ..SimConfig::default()
    };
    let store = app.store();
    store
        .set_survey_definition(
            survey,
            &qualtrics_sim::definition_json(&cfg, survey).unwrap(),
        )
        .unwrap();
    let mut imp = store.importer(survey).unwrap();
    for i in 0..qualtrics_sim::response_total(&cfg, survey) {
        let raw = qualtrics_sim::generate_response(&cfg, survey, i);
        let in_progress = qualtrics_sim::response_in_progress(&cfg, survey, i);
        imp.add(ResponseRow::from_export_json(&raw, in_progress).unwrap())
            .unwrap();
    }
    imp.commit(Some("t"), chrono::Utc::now()).unwrap();
}

/// A map with one text card and one NPS card in data dir `dir`; returns its id.
fn make_map(dir: &Path) -> String {
    let app = open(dir);
    cache_survey(&app, SV);
    let id = app.create_map("Onboarding").unwrap().map.id;
    app.add_stage(&id, "Sign up").unwrap();
    let v = app.add_lane(&id, "Metrics").unwrap();
    let (s, l) = (&v.stages[0].id, &v.lanes[0].id);
    app.add_text_card(&id, s, l, "Creates an account").unwrap();
    let nps = MetricCardConfig {
        name: "NPS".into(),
        card_type: CardType::Number,
        survey_id: pulsemap_core::SurveyId::parse(SV).ok(),
        question_id: catalog::ONBOARDING_NPS_QID.into(),
        sub_question_id: None,
        group_by: GroupBy::None,
        calculation: Calculation::Nps,
        comparison: None,
        chart: Default::default(),
        ..Default::default()
    };
    let view = app.add_metric_card(&id, s, l, &nps).unwrap();
    assert!(view.cards.iter().any(|c| c.cached_value.is_some()));
    id.to_string()
}

fn maps_json(dir: &Path) -> Vec<serde_json::Value> {
    let out = ok(dir, &["--json", "map", "list"]);
    serde_json::from_str::<Vec<serde_json::Value>>(&out).unwrap()
}

#[test]
fn a_map_moves_between_data_dirs_with_export_and_import() {
    let (a, b, c, files) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let id = make_map(a.path());
    let listed = ok(a.path(), &["map", "list"]);
    assert!(
        listed.contains(&id) && listed.contains("Onboarding"),
        "{listed}"
    );

    let file = files.path().join("onboarding.pulsemap");
    let file_s = file.to_str().unwrap();
    let out = ok(a.path(), &["map", "export", &id, "--out", file_s]);
    assert!(out.contains("map file"), "{out}");

    // B sees no survey: it is named, and the NPS card comes unbound.
    let out = ok(b.path(), &["map", "import", file_s]);
    assert!(
        out.contains(&format!("Survey not visible here: {SV}")),
        "{out}"
    );
    assert!(out.contains("1 card(s) have no survey"), "{out}");
    let maps = maps_json(b.path());
    assert_eq!(maps.len(), 1);
    assert_eq!(maps[0]["name"], "Onboarding");
    assert_eq!(
        (
            maps[0]["stageCount"].as_u64(),
            maps[0]["cardCount"].as_u64()
        ),
        (Some(1), Some(2))
    );

    // C has another survey: --survey OLD=NEW re-points the card (NPS is Q1 in both).
    let web = catalog::WEBSITE_SURVEY_ID;
    cache_survey(&open(c.path()), web);
    let out = ok(
        c.path(),
        &[
            "--json",
            "map",
            "import",
            file_s,
            "--survey",
            &format!("{SV}={web}"),
        ],
    );
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["report"]["unboundCards"], 0);
    assert_eq!(report["report"]["reboundCards"], 1);
    let cards = report["report"]["map"]["cards"].as_array().unwrap();
    let metric = cards
        .iter()
        .find(|c| c["card"]["content"]["kind"] == "metric")
        .unwrap();
    assert_eq!(metric["card"]["content"]["config"]["surveyId"], web);

    // A bad --survey and a corrupt file are refused, nothing is added.
    let bad = pulsemap(c.path(), &["map", "import", file_s, "--survey", "SV_x"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("OLD=NEW"));
    let corrupt = files.path().join("corrupt.pulsemap");
    std::fs::write(
        &corrupt,
        "{\"format\":\"pulsemap-map\",\"version\":1,\"map\":[[[",
    )
    .unwrap();
    let bad = pulsemap(c.path(), &["map", "import", corrupt.to_str().unwrap()]);
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("error [mapFileInvalid]") && err.contains("not valid JSON"),
        "{err}"
    );
    assert_eq!(maps_json(c.path()).len(), 1);
}

#[test]
fn a_workshop_pack_opens_read_only_in_a_data_dir_with_no_connection() {
    let (a, laptop, files) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let id = make_map(a.path());
    let pack = files.path().join("workshop.pulsemap");
    let pack_s = pack.to_str().unwrap();
    ok(a.path(), &["map", "export", &id, "--out", pack_s, "--pack"]);
    let again = pulsemap(a.path(), &["map", "export", &id, "--out", pack_s, "--pack"]);
    assert!(
        !again.status.success(),
        "an existing file is kept without --force"
    );
    ok(
        a.path(),
        &["map", "export", &id, "--out", pack_s, "--pack", "--force"],
    );

    let out = ok(laptop.path(), &["map", "import", pack_s]);
    assert!(out.contains("read-only, data as of"), "{out}");
    let listed = ok(laptop.path(), &["map", "list"]);
    assert!(listed.contains("read-only pack"), "{listed}");
    let maps = maps_json(laptop.path());
    let app = open(laptop.path());
    let view = app
        .open_map(&pulsemap_core::MapId::parse(maps[0]["id"].as_str().unwrap()).unwrap())
        .unwrap();
    assert!(view
        .cards
        .iter()
        .any(|c| c.cached_value.as_ref().is_some_and(|v| v.n > 0)));
}

#[test]
fn templates_and_duplicates_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(dir.path(), &["map", "templates"]);
    for id in [
        "builtin:saas-onboarding",
        "builtin:online-purchase",
        "builtin:support-case",
    ] {
        assert!(out.contains(id), "{out}");
    }
    let out = ok(
        dir.path(),
        &[
            "--json",
            "map",
            "new",
            "--template",
            "builtin:support-case",
            "--name",
            "Cases",
        ],
    );
    let view: serde_json::Value = serde_json::from_str(&out).unwrap();
    let id = view["map"]["id"].as_str().unwrap().to_owned();
    assert_eq!(view["map"]["name"], "Cases");
    ok(
        dir.path(),
        &["map", "duplicate", &id, "--name", "Cases (copy)"],
    );
    let saved = ok(
        dir.path(),
        &["map", "save-template", &id, "--name", "Our cases"],
    );
    assert!(saved.contains("user:"), "{saved}");
    assert_eq!(maps_json(dir.path()).len(), 2);
    assert!(ok(dir.path(), &["map", "templates"]).contains("Our cases"));
}

/// The id of the metric card of a map `make_map` built, from `map show --json`.
fn metric_card(dir: &Path, map: &str) -> String {
    let view: serde_json::Value =
        serde_json::from_str(&ok(dir, &["--json", "map", "show", map])).unwrap();
    let cards = view["cards"].as_array().unwrap();
    let metric = cards
        .iter()
        .find(|c| c["card"]["content"]["kind"] == "metric")
        .unwrap();
    metric["card"]["id"].as_str().unwrap().to_owned()
}

const CSAT_FLAGS: [&str; 14] = [
    "--survey",
    SV,
    "--question",
    catalog::ONBOARDING_CSAT_QID,
    "--calc",
    "csat",
    "--target",
    "80",
    "--amber",
    "5",
    "--min-n",
    "10",
    "--range",
    "2020-01-01..2100-12-31",
];

#[test]
fn a_card_set_from_the_command_line_shows_what_metric_computes_for_the_same_flags() {
    let dir = tempfile::tempdir().unwrap();
    let map = make_map(dir.path());
    let card = metric_card(dir.path(), &map);
    let metric: serde_json::Value = serde_json::from_str(&ok(
        dir.path(),
        &[&["--json", "metric"][..], &CSAT_FLAGS].concat(),
    ))
    .unwrap();
    assert!(metric["value"].is_number(), "{metric}");
    let set = [
        &["--json", "map", "card", "set", &map, &card][..],
        &CSAT_FLAGS,
        &["--heading", "Onboarding CSAT", "--view", "table"],
        &["--start-at-zero", "true"],
    ]
    .concat();
    let set: serde_json::Value = serde_json::from_str(&ok(dir.path(), &set)).unwrap();
    let value = &set["cachedValue"];
    for key in [
        "value", "n", "status", "ciLow", "ciHigh", "target", "formula", "lowN",
    ] {
        assert_eq!(
            value[key], metric[key],
            "{key}: card {value} vs metric {metric}"
        );
    }
    let config = &set["card"]["content"]["config"];
    assert_eq!(config["name"], "NPS", "the name stays unless --name");
    assert_eq!(config["questionId"], catalog::ONBOARDING_CSAT_QID);
    assert_eq!(config["heading"], "Onboarding CSAT");
    assert_eq!(config["chart"]["view"], "table");
    assert_eq!(config["chart"]["startAtZero"], true);

    // The app paints the same value, and the edit is one undo step.
    let app = open(dir.path());
    let map_id = pulsemap_core::MapId::parse(&map).unwrap();
    let painted = app.open_map(&map_id).unwrap();
    let painted = painted
        .cards
        .iter()
        .find(|c| c.card.id == card.as_str())
        .unwrap();
    assert_eq!(
        serde_json::to_value(painted.cached_value.as_ref().unwrap().value).unwrap(),
        metric["value"]
    );
    drop(app);
    let text = ok(
        dir.path(),
        &[&["map", "card", "set", &map, &card][..], &CSAT_FLAGS].concat(),
    );
    assert!(
        text.contains("value: ") && text.contains("target: 80"),
        "{text}"
    );
    let shown = ok(dir.path(), &["map", "show", &map]);
    assert!(
        shown.contains(&format!("{card}  Sign up / Metrics  metric: NPS = ")),
        "{shown}"
    );
}

#[test]
fn card_set_refuses_bad_flags_unknown_cards_and_read_only_packs() {
    let (a, laptop, files) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let map = make_map(a.path());
    let card = metric_card(a.path(), &map);
    let set = |dir: &Path, map: &str, card: &str, extra: &[&str]| {
        let args = [&["map", "card", "set", map, card][..], &CSAT_FLAGS, extra].concat();
        let out = pulsemap(dir, &args);
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    for (extra, says) in [
        (&["--range", "fortnight"][..], "--range"),
        (&["--view", "sideways"], "sideways"),
        (&["--start-at-zero", "maybe"], "--start-at-zero"),
        (&["--min-n", "0"], "--min-n"),
    ] {
        let (code, stderr) = set(a.path(), &map, &card, extra);
        assert_eq!(code, Some(2), "{extra:?}: {stderr}");
        assert!(stderr.contains(says), "{extra:?}: {stderr}");
    }
    let (code, stderr) = set(a.path(), &map, "no-such-card", &[]);
    assert_eq!(code, Some(13), "{stderr}");
    assert!(
        stderr.contains("card no-such-card is not on map"),
        "{stderr}"
    );
    let (code, stderr) = set(a.path(), &map, &card, &["--tz", "Europe/Paris"]);
    assert_eq!(code, Some(3), "{stderr}");
    assert!(stderr.contains("--tz only applies to `metric`"), "{stderr}");

    // A workshop pack is read-only: the facade refuses the edit, whatever the flags.
    let pack = files.path().join("workshop.pulsemap");
    let pack_s = pack.to_str().unwrap();
    ok(
        a.path(),
        &["map", "export", &map, "--out", pack_s, "--pack"],
    );
    ok(laptop.path(), &["map", "import", pack_s]);
    cache_survey(&open(laptop.path()), SV);
    let pack_map = maps_json(laptop.path())[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let pack_card = metric_card(laptop.path(), &pack_map);
    let before = ok(laptop.path(), &["--json", "map", "show", &pack_map]);
    let (code, stderr) = set(laptop.path(), &pack_map, &pack_card, &[]);
    assert_eq!(code, Some(20), "{stderr}");
    assert!(stderr.contains("error [mapReadOnly]"), "{stderr}");
    assert_eq!(
        ok(laptop.path(), &["--json", "map", "show", &pack_map]),
        before
    );
}
