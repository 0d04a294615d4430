//! Map files and workshop packs between data dirs (issue 14): round trips, survey
//! replacement by export tag, unbound cards, hostile files refused with nothing changed,
//! packs opened read-only with no connection, templates and duplicates.

use std::path::Path;
use std::sync::Arc;

use chrono::{SubsecRound, Utc};
use pulsemap_core::app::Pulsemap;
use pulsemap_core::maps::file::{MapImportOptions, SurveyReplacement, FORMAT_VERSION};
use pulsemap_core::maps::{CardContent, MapView};
use pulsemap_core::metrics::{Calculation, GroupBy};
use pulsemap_core::store::{AttemptMode, AttemptOutcome, ResponseRow};
use pulsemap_core::ErrorKind;
use qualtrics_sim::{catalog, SimConfig};

use crate::app_support::{number_card, open_app, MemorySecrets};

const SV: &str = catalog::ONBOARDING_SURVEY_ID;

fn app(dir: &Path) -> Pulsemap {
    open_app(dir, Arc::new(MemorySecrets::default()))
}

/// Caches a simulator survey (definition, optionally with its tags rewritten, and responses)
/// without any network, as a refresh would.
fn cache_survey(app: &Pulsemap, survey: &str, retag: &[(&str, &str)]) {
    let cfg = SimConfig {
        responses: 200,
        ..SimConfig::default()
    };
    let mut def =
        serde_json::to_string(&qualtrics_sim::definition_json(&cfg, survey).unwrap()).unwrap();
    for (i, (from, to)) in retag.iter().enumerate() {
        def = def.replace(
            &format!("\"DataExportTag\":\"{from}\""),
            &format!("\"DataExportTag\":\"@{i}\""),
        );
        def = def.replace(&format!("\"@{i}\""), &format!("\"{to}\""));
    }
    let store = app.store();
    store
        .set_survey_definition(survey, &serde_json::from_str(&def).unwrap())
        .unwrap();
    let mut imp = store.importer(survey).unwrap();
    for i in 0..qualtrics_sim::response_total(&cfg, survey) {
        let raw = qualtrics_sim::generate_response(&cfg, survey, i);
        let in_progress = qualtrics_sim::response_in_progress(&cfg, survey, i);
        imp.add(ResponseRow::from_export_json(&raw, in_progress).unwrap())
            .unwrap();
    }
    imp.commit(Some("t"), Utc::now()).unwrap();
}

/// A map with 3 stages, 2 lanes, a text card, an NPS card and a CSAT card grouped by plan.
fn sample(app: &Pulsemap) -> MapView {
    let map = app.create_map("Onboarding").unwrap();
    let id = map.map.id.clone();
    for s in ["Discover", "Sign up", "Use"] {
        app.add_stage(&id, s).unwrap();
    }
    app.add_lane(&id, "Actions").unwrap();
    let view = app.add_lane(&id, "Metrics").unwrap();
    let (s, l) = (&view.stages, &view.lanes);
    app.add_text_card(&id, &s[0].id, &l[0].id, "Hears about us")
        .unwrap();
    let nps = app
        .add_metric_card(
            &id,
            &s[2].id,
            &l[1].id,
            &number_card(
                SV,
                catalog::ONBOARDING_NPS_QID,
                Calculation::Nps,
                GroupBy::None,
            ),
        )
        .unwrap();
    assert!(
        nps.cards.iter().any(|c| c.cached_value.is_some()),
        "the source map has values"
    );
    let by_plan = GroupBy::Question {
        question_id: catalog::ONBOARDING_PLAN_QID.into(),
    };
    app.add_metric_card(
        &id,
        &s[2].id,
        &l[1].id,
        &number_card(
            SV,
            catalog::ONBOARDING_CSAT_QID,
            Calculation::CsatTop2,
            by_plan,
        ),
    )
    .unwrap();
    app.open_map(&id).unwrap()
}

/// Names, cells and contents of a map, independent of ids.
fn shape(v: &MapView) -> Vec<(String, String, u32, CardContent)> {
    let name = |list: &[(String, String)], id: &str| {
        list.iter()
            .find(|(i, _)| i == id)
            .map(|(_, n)| n.clone())
            .unwrap()
    };
    let stages: Vec<_> = v
        .stages
        .iter()
        .map(|s| (s.id.to_string(), s.name.clone()))
        .collect();
    let lanes: Vec<_> = v
        .lanes
        .iter()
        .map(|s| (s.id.to_string(), s.name.clone()))
        .collect();
    v.cards
        .iter()
        .map(|c| {
            (
                name(&stages, &c.card.stage_id),
                name(&lanes, &c.card.lane_id),
                c.card.position,
                c.card.content.clone(),
            )
        })
        .collect()
}

#[test]
fn a_map_round_trips_to_another_data_dir_that_sees_its_survey() {
    let (a, b, out) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let src = app(a.path());
    cache_survey(&src, SV, &[]);
    let view = sample(&src);
    let file = out.path().join("onboarding.pulsemap");
    src.export_map_file(&view.map.id, &file, false, false)
        .unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("\"format\": \"pulsemap-map\""), "{text}");
    assert!(
        !text.contains("\"snapshot\""),
        "a plain map file carries no values"
    );

    let dst = app(b.path());
    cache_survey(&dst, SV, &[]);
    let preview = dst.inspect_map_file(&file).unwrap();
    assert_eq!(preview.surveys.len(), 1);
    assert!(preview.surveys[0].visible);
    assert_eq!(
        preview.surveys[0].question_tags,
        vec!["Q1".to_string(), "Q2".into(), "Q4".into()]
    );
    let report = block_on(dst.import_map_file(&file, &MapImportOptions::default())).unwrap();
    assert_eq!(report.unbound_cards, 0);
    assert_eq!(report.map.map.name, "Onboarding");
    assert_eq!(shape(&report.map), shape(&view));
    assert!(
        report.map.map.data_as_of.is_none(),
        "an imported map file is editable"
    );
    assert_eq!(dst.list_maps().unwrap().len(), 1);
}

#[test]
fn unseen_surveys_are_listed_and_their_cards_left_unbound_or_replaced_by_export_tag() {
    let (a, b, c, out) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let src = app(a.path());
    cache_survey(&src, SV, &[]);
    let view = sample(&src);
    let file = out.path().join("m.pulsemap");
    src.export_map_file(&view.map.id, &file, false, false)
        .unwrap();

    // No surveys at all here: the survey is listed as not visible, cards come unbound.
    let bare = app(b.path());
    let preview = bare.inspect_map_file(&file).unwrap();
    assert_eq!(preview.surveys[0].id, SV);
    assert!(!preview.surveys[0].visible);
    let report = block_on(bare.import_map_file(&file, &MapImportOptions::default())).unwrap();
    assert_eq!(report.unbound_cards, 2);
    let unbound: Vec<_> = report
        .map
        .cards
        .iter()
        .filter(|c| c.needs_binding)
        .collect();
    assert_eq!(unbound.len(), 2);
    assert!(
        report.map.survey_ids().is_empty(),
        "nothing to refresh for unbound cards"
    );
    assert!(bare.stale_surveys(&report.map.map.id).unwrap().is_empty());

    // Another survey here, whose Q1/Q4 tags sit on other QIDs: questions follow the tags.
    let other = app(c.path());
    let web = catalog::WEBSITE_SURVEY_ID;
    cache_survey(&other, web, &[("Q1", "Q4"), ("Q2", "Q1")]);
    let refused = block_on(other.import_map_file(
        &file,
        &MapImportOptions {
            replacements: vec![SurveyReplacement {
                from: crate::sv(SV),
                to: crate::sv("SV_nope"),
            }],
        },
    ))
    .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::InvalidInput);
    assert!(
        refused.message().contains("SV_nope"),
        "{}",
        refused.message()
    );
    assert!(
        other.list_maps().unwrap().is_empty(),
        "a refused import changes nothing"
    );
    let report = block_on(other.import_map_file(
        &file,
        &MapImportOptions {
            replacements: vec![SurveyReplacement {
                from: crate::sv(SV),
                to: crate::sv(web),
            }],
        },
    ))
    .unwrap();
    let configs: Vec<_> = report
        .map
        .cards
        .iter()
        .filter_map(|c| c.card.metric_config().map(|m| (m.clone(), c.needs_binding)))
        .collect();
    // NPS (tag Q1) is now website QID2; CSAT (Q2) grouped by plan (Q4) has no Q2 there.
    assert_eq!(configs[0].0.survey_id, Some(crate::sv(web)));
    assert_eq!(configs[0].0.question_id, "QID2");
    assert!(!configs[0].1);
    assert!(
        configs[1].1,
        "a card whose tag the new survey lacks is left unbound"
    );
    assert_eq!((report.rebound_cards, report.unbound_cards), (1, 1));
    assert!(report.map.cards.iter().any(|c| c.cached_value.is_none()));
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

#[test]
fn hostile_and_newer_files_are_refused_with_specific_errors_and_change_nothing() {
    let (a, out) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let app = app(a.path());
    cache_survey(&app, SV, &[]);
    let good = app.map_file(&sample(&app).map.id, false).unwrap();
    let good = serde_json::to_value(&good).unwrap();
    let before = app.list_maps().unwrap();

    let with = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut v = good.clone();
        f(&mut v);
        serde_json::to_vec(&v).unwrap()
    };
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes();
    let mut huge = br#"{"format":"pulsemap-map","version":1,"pad":""#.to_vec();
    huge.extend(std::iter::repeat_n(b'x', 9 * 1024 * 1024));
    huge.extend(br#""}"#);
    // Survey ids go into Qualtrics request paths: a malformed one is refused naming its card.
    let metric_at = good["map"]["cards"]
        .as_array()
        .unwrap()
        .iter()
        .position(|c| c.get("config").is_some())
        .unwrap();
    let bad_card = format!(
        "card {}: survey id '../x?y' is not a Qualtrics survey id (SV_ followed by letters and \
         digits)",
        metric_at + 1
    );
    let cases: Vec<(&str, Vec<u8>, ErrorKind, &str)> = vec![
        (
            "card survey id",
            with(&|v| v["map"]["cards"][metric_at]["config"]["surveyId"] = "../x?y".into()),
            ErrorKind::MapFileInvalid,
            &bad_card,
        ),
        (
            "listed survey id",
            with(&|v| v["surveys"][0]["id"] = "SV_a/b".into()),
            ErrorKind::MapFileInvalid,
            "survey 1 of \"surveys\": survey id 'SV_a/b' is not a Qualtrics survey id",
        ),
        (
            "newer",
            with(&|v| v["version"] = (FORMAT_VERSION + 1).into()),
            ErrorKind::MapFileTooNew,
            "newer Pulsemap",
        ),
        (
            "corrupt",
            b"{\"format\": \"pulsemap-map\", \"vers".to_vec(),
            ErrorKind::MapFileInvalid,
            "not valid JSON",
        ),
        (
            "binary",
            vec![0xff, 0xfe, 0x00, 0x01],
            ErrorKind::MapFileInvalid,
            "not UTF-8",
        ),
        ("deep", deep, ErrorKind::MapFileInvalid, "nested more than"),
        ("huge", huge, ErrorKind::MapFileInvalid, "MiB"),
        (
            "other format",
            with(&|v| v["format"] = "zip".into()),
            ErrorKind::MapFileInvalid,
            "not a Pulsemap map file",
        ),
        (
            "wrong type",
            with(&|v| v["map"]["stages"] = "Discover".into()),
            ErrorKind::MapFileInvalid,
            "line",
        ),
        (
            "bad index",
            with(&|v| v["map"]["cards"][0]["stage"] = 99.into()),
            ErrorKind::MapFileInvalid,
            "names stage 99",
        ),
        (
            "negative",
            with(&|v| v["map"]["cards"][0]["lane"] = (-1).into()),
            ErrorKind::MapFileInvalid,
            "wrong content",
        ),
        (
            "empty name",
            with(&|v| v["map"]["stages"][1]["name"] = " ".into()),
            ErrorKind::MapFileInvalid,
            "stage 2 has an empty name",
        ),
        (
            "too many",
            with(&|v| {
                v["map"]["lanes"] = serde_json::json!(vec![serde_json::json!({"name": "x"}); 5000])
            }),
            ErrorKind::MapFileInvalid,
            "at most",
        ),
    ];
    for (what, bytes, kind, says) in cases {
        let path = out.path().join(format!("{what}.pulsemap"));
        std::fs::write(&path, bytes).unwrap();
        let err = app.inspect_map_file(&path).unwrap_err();
        assert_eq!(err.kind(), kind, "{what}: {}", err.message());
        assert!(err.message().contains(says), "{what}: {}", err.message());
        let err = block_on(app.import_map_file(&path, &MapImportOptions::default())).unwrap_err();
        assert_eq!(err.kind(), kind, "{what}");
        assert_eq!(app.list_maps().unwrap(), before, "{what} changed the maps");
    }
}

#[test]
fn a_workshop_pack_opens_read_only_with_its_values_on_a_machine_with_no_connection() {
    let (a, b, out) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let src = app(a.path());
    cache_survey(&src, SV, &[]);
    let view = sample(&src);
    let pack = out.path().join("workshop.pulsemap");
    src.export_map_file(&view.map.id, &pack, true, false)
        .unwrap();

    // A laptop with nothing: no connection, no surveys, no token anywhere.
    let laptop = app(b.path());
    let preview = laptop.inspect_map_file(&pack).unwrap();
    assert!(preview.data_as_of.is_some());
    let report = block_on(laptop.import_map_file(&pack, &MapImportOptions::default())).unwrap();
    let map = &report.map;
    let as_of = map.map.data_as_of.expect("stamped data as of");
    assert!(as_of <= Utc::now());
    let listed = laptop.list_maps().unwrap();
    assert_eq!(
        listed[0].data_as_of,
        Some(as_of),
        "read-only in the map list"
    );
    let values = |v: &MapView| -> Vec<_> {
        v.cards
            .iter()
            .filter_map(|c| c.cached_value.clone())
            .collect()
    };
    assert_eq!(
        values(map),
        values(&view),
        "value, n, interval and status travel"
    );
    assert!(
        laptop.stale_surveys(&map.map.id).unwrap().is_empty(),
        "no refresh for a pack"
    );
    let metric = map.cards.iter().find(|c| c.cached_value.is_some()).unwrap();
    assert!(laptop
        .card_chart_svg(&metric.card.id, 300, 200)
        .unwrap()
        .contains("<svg"));
    let png = out.path().join("w.png");
    assert!(laptop.export_map_png(&map.map.id, &png).unwrap() > 1000);
    let pdf = out.path().join("w.pdf");
    assert!(laptop.export_map_pdf(&map.map.id, &pdf).unwrap() > 1000);

    // Read-only: edits are refused and change nothing; a duplicate is editable.
    let err = laptop.add_stage(&map.map.id, "New").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MapReadOnly);
    let err = laptop.delete_card(&metric.card.id).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MapReadOnly);
    assert_eq!(
        laptop.open_map(&map.map.id).unwrap().cards.len(),
        map.cards.len()
    );
    let copy = laptop.duplicate_map(&map.map.id, "My copy").unwrap();
    assert!(copy.map.data_as_of.is_none());
    assert_eq!(values(&copy), values(map));
    laptop.add_stage(&copy.map.id, "New").unwrap();
}

/// A pack opened on an install that sees the same survey keeps its frozen values when that
/// survey is refreshed (the refresh recomputes the live maps' cards only).
#[test]
fn a_refresh_of_the_same_survey_leaves_a_packs_frozen_values_alone() {
    let (a, out) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let designer = app(a.path());
    cache_survey(&designer, SV, &[]);
    // The survey's last successful sync, three hours ago: what the pack's data is as of.
    let synced_at = (Utc::now() - chrono::Duration::hours(3)).trunc_subsecs(3);
    let attempt = designer
        .store()
        .begin_refresh_attempt(SV, AttemptMode::Full, synced_at)
        .unwrap();
    let ok = AttemptOutcome {
        ok: true,
        ..Default::default()
    };
    designer
        .store()
        .finish_refresh_attempt(attempt, &ok, synced_at)
        .unwrap();
    let view = sample(&designer);
    let pack = out.path().join("workshop.pulsemap");
    designer
        .export_map_file(&view.map.id, &pack, true, false)
        .unwrap();
    // Frozen values that differ from what the cache computes today (an older snapshot).
    let mut doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&pack).unwrap()).unwrap();
    for card in doc["map"]["cards"].as_array_mut().unwrap() {
        if let Some(snap) = card.get_mut("snapshot") {
            snap["value"]["n"] = 7.into();
        }
    }
    std::fs::write(&pack, serde_json::to_vec(&doc).unwrap()).unwrap();
    let imported = block_on(designer.import_map_file(&pack, &MapImportOptions::default()))
        .unwrap()
        .map;
    let ns = |v: &MapView| -> Vec<u64> {
        v.cards
            .iter()
            .filter_map(|c| c.cached_value.as_ref().map(|x| x.n))
            .collect()
    };
    assert!(ns(&imported).iter().all(|n| *n == 7) && !ns(&imported).is_empty());
    assert_eq!(imported.map.data_as_of, Some(synced_at), "as of the sync");

    // What a successful full refresh records, then recomputes.
    let store = designer.store();
    let attempt = store
        .begin_refresh_attempt(SV, AttemptMode::Full, Utc::now())
        .unwrap();
    store
        .finish_refresh_attempt(attempt, &ok, Utc::now())
        .unwrap();
    let done = pulsemap_core::refresh::recompute_cards(store, SV, Utc::now()).unwrap();
    assert_eq!(
        done,
        ns(&view).len(),
        "only the live map's cards are recomputed"
    );
    let after = designer.open_map(&imported.map.id).unwrap();
    assert!(
        ns(&after).iter().all(|n| *n == 7),
        "pack values changed: {:?}",
        ns(&after)
    );
    let live = designer.open_map(&view.map.id).unwrap();
    assert_eq!(ns(&live), ns(&view));
    // Nor does the pack claim this install's last full sync of the survey.
    let synced = |v: &MapView| v.cards.iter().filter(|c| c.full_sync_at.is_some()).count();
    assert!(synced(&live) > 0);
    assert_eq!(synced(&after), 0);
    // Its cards are as of the pack, not of this install's newer sync.
    for c in after.cards.iter().filter(|c| c.cached_value.is_some()) {
        assert_eq!(c.data_as_of, Some(synced_at));
    }
    assert!(live.cards.iter().any(|c| c.data_as_of > Some(synced_at)));
}

#[test]
fn templates_start_maps_with_unbound_suggested_cards_and_any_map_saves_as_one() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let templates = app.list_map_templates().unwrap();
    let names: Vec<_> = templates.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        ["SaaS onboarding", "Online purchase", "Support case"]
    );
    for t in &templates {
        let v = app.create_map_from_template(&t.id, None).unwrap();
        assert_eq!(v.stages.len(), 5, "{}", t.name);
        assert_eq!(v.lanes.len(), 3);
        // What the picker previews is what the map gets.
        let stages: Vec<_> = v.stages.iter().map(|s| s.name.clone()).collect();
        let lanes: Vec<_> = v.lanes.iter().map(|l| l.name.clone()).collect();
        assert_eq!((&t.stages, &t.lanes), (&stages, &lanes), "{}", t.name);
        assert!(t.metric_cards.len() >= 3, "{:?}", t.metric_cards);
        let metrics: Vec<_> = v
            .cards
            .iter()
            .filter(|c| c.card.metric_config().is_some())
            .collect();
        assert!(metrics.len() >= 3);
        assert!(metrics
            .iter()
            .all(|c| c.needs_binding && c.cached_value.is_none()));
        let calcs: Vec<_> = metrics
            .iter()
            .map(|c| c.card.metric_config().unwrap().calculation)
            .collect();
        for want in [
            Calculation::Nps,
            Calculation::CsatTop2,
            Calculation::CesAverage,
        ] {
            assert!(calcs.contains(&want), "{}: {want:?}", t.name);
        }
    }
    // Binding a suggested card: pick a survey and question the first time it is opened.
    cache_survey(&app, SV, &[]);
    let v = app
        .create_map_from_template("builtin:saas-onboarding", Some("Ours"))
        .unwrap();
    assert_eq!(v.map.name, "Ours");
    let card = v.cards.iter().find(|c| c.needs_binding).unwrap();
    let mut cfg = card.card.metric_config().unwrap().clone();
    cfg.survey_id = Some(crate::sv(SV));
    cfg.question_id = catalog::ONBOARDING_NPS_QID.into();
    let bound = app.update_metric_card(&card.card.id, &cfg).unwrap();
    let bound = bound.cards.iter().find(|c| c.card.id == card.card.id);
    assert!(!bound.unwrap().needs_binding);

    let saved = app.save_map_as_template(&v.map.id, "Our journey").unwrap();
    assert!(!saved.builtin);
    let again = app.list_map_templates().unwrap();
    assert_eq!(again.len(), 4);
    let from_saved = app.create_map_from_template(&saved.id, None).unwrap();
    assert_eq!(from_saved.map.name, "Our journey");
    assert_eq!(shape(&from_saved), shape(&app.open_map(&v.map.id).unwrap()));
    assert!(
        app.create_map_from_template("builtin:nope", None)
            .unwrap_err()
            .kind()
            == ErrorKind::NotFound
    );
}
