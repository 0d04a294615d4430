//! Every refresh re-exports the survey's in-progress responses whole; only what changed in
//! that set is stored: unchanged responses keep their stored copy, an edited one is replaced,
//! new ones are added and ones no longer delivered leave the cache.

use std::collections::BTreeMap;
use std::io::Read;

use chrono::{DateTime, Duration, SubsecRound, Utc};
use pulsemap_core::dto::{DebugExportOptions, RefreshMode, RefreshProgress, RefreshReport};
use pulsemap_core::store::AttemptMode;
use qualtrics_sim::catalog::{SUPPORT_RESPONSES, SUPPORT_SURVEY_ID as SURVEY};
use qualtrics_sim::{generate_response, response_in_progress};
use serde_json::Value;

use crate::app_support::*;

fn quiet(_: RefreshProgress) {}

async fn refresh_at(t: &TestApp, mode: RefreshMode, at: DateTime<Utc>) -> RefreshReport {
    t.app
        .refresh_survey(&crate::sv(SURVEY), mode, at, &quiet)
        .await
        .unwrap()
}

/// The cached in-progress responses: id → (embedded `Region`, when the text was stored).
fn cached_in_progress(t: &TestApp) -> BTreeMap<String, (Value, Option<DateTime<Utc>>)> {
    t.app
        .store()
        .list_in_progress(SURVEY)
        .unwrap()
        .into_iter()
        .map(|r| {
            let region = r.values.get("Region").cloned().unwrap_or(Value::Null);
            (r.response_id, (region, r.imported_at))
        })
        .collect()
}

fn response_id(t: &TestApp, index: u64) -> String {
    generate_response(t.sim.config(), SURVEY, index)["responseId"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The in-progress responses of the support survey's debug bundle.
fn bundled_in_progress(t: &TestApp) -> usize {
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("bundle.zip");
    t.app
        .debug_export(&crate::sv(SURVEY), &out, DebugExportOptions::default())
        .unwrap();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name("responses.json")
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    let responses: Value = serde_json::from_str(&text).unwrap();
    responses["inProgress"].as_array().unwrap().len()
}

#[tokio::test]
async fn refreshes_store_only_the_in_progress_responses_that_changed() {
    let t = connected().await;
    let t0 = Utc::now().trunc_subsecs(3);
    let first = refresh_at(&t, RefreshMode::Force, t0).await;
    let before = cached_in_progress(&t);
    assert!(before.len() >= 3, "{before:?}");
    assert_eq!(first.in_progress_responses as usize, before.len());

    // One in-progress response is edited in Qualtrics and new responses arrive (some of
    // them in progress): an incremental refresh re-exports the whole in-progress set.
    let config = t.sim.config().clone();
    let in_progress: Vec<u64> = (0..SUPPORT_RESPONSES)
        .filter(|i| response_in_progress(&config, SURVEY, *i))
        .collect();
    let (edited, discarded) = (in_progress[0], in_progress[1]);
    assert_eq!(
        t.sim
            .edit_responses(SURVEY, &[edited], "Region", "Antarctica"),
        1
    );
    t.sim.add_responses(SURVEY, 60);
    let second = refresh_at(&t, RefreshMode::Incremental, t0 + Duration::hours(1)).await;
    assert_eq!(second.mode, Some(AttemptMode::Incremental), "{second:?}");
    let after = cached_in_progress(&t);
    let added: Vec<&String> = after
        .keys()
        .filter(|id| !before.contains_key(*id))
        .collect();
    assert!(
        !added.is_empty(),
        "some of the 60 new responses are in progress"
    );
    assert_eq!(after.len(), before.len() + added.len());
    assert_eq!(second.in_progress_responses as usize, after.len());
    let edited_id = response_id(&t, edited);
    assert_eq!(after[&edited_id].0, "Antarctica");
    assert!(after[&edited_id].1 > before[&edited_id].1, "stored again");
    for (id, cached) in &before {
        if *id != edited_id {
            assert_eq!(&after[id], cached, "{id} unchanged: not stored again");
        }
    }
    for id in added {
        assert!(after[id].1 > before[&edited_id].1, "{id} is new");
    }

    // Another in-progress response is discarded upstream: the next refresh (full, since
    // the deleted count grew) drops it and still keeps every other stored copy.
    assert_eq!(t.sim.delete_responses(SURVEY, &[discarded]), 1);
    let third = refresh_at(&t, RefreshMode::Incremental, t0 + Duration::hours(2)).await;
    assert_eq!(third.mode, Some(AttemptMode::Full), "{third:?}");
    let last = cached_in_progress(&t);
    let discarded_id = response_id(&t, discarded);
    assert!(!last.contains_key(&discarded_id));
    assert_eq!(last.len(), after.len() - 1);
    for (id, cached) in &last {
        assert_eq!(&after[id], cached, "{id} unchanged: not stored again");
    }
    let count = t.app.store().in_progress_count(SURVEY).unwrap() as usize;
    assert_eq!(
        (third.in_progress_responses as usize, count),
        (last.len(), last.len())
    );
    assert_eq!(bundled_in_progress(&t), last.len());
}
