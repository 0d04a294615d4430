//! End-to-end test of the real desktop app: the `pulsemap-app` binary driven through
//! tauri-driver + WebKitWebDriver (fantoccini), against a `qualtrics-sim` this test starts
//! in-process on loopback, with the real Secret Service (run under `scripts/with-keyring.sh`).
//!
//! Gated: runs only with `PULSEMAP_E2E=1` (use `scripts/e2e.sh`, which also builds the UI,
//! installs tauri-driver and provides xvfb + keyring); plain `cargo test` prints a notice and
//! passes. Screenshots of every screen go to `target/e2e-screenshots/NN-name.png`.
//!
//! One journey, in order (each step depends on the previous one): bad token → red "token
//! rejected"; good token → green "Connection established"; create a map, a stage and a lane;
//! add an NPS card on the Onboarding survey grouped by plan; the displayed value equals core's
//! own computation on the app's data dir; a card with a date range, a segment and a target
//! (`e2e/scoped_card.rs`) shows what `pulsemap metric --json` computes for the same settings;
//! restart the app with the simulator stopped → the value is painted from the cache under the
//! "Offline: showing data from …" notice; presentation mode; PNG and PDF exports (magic bytes);
//! debug data download (a zip without the token); the native menu bar and its open Help menu
//! (whole-display screenshots, see `e2e/menu.rs`). axe-core runs on every screen it visits
//! (no serious or critical violation; see `e2e/axe.rs`). A workshop pack exported from the
//! demo opens read-only in a second run with a fresh data dir and no connection (`e2e/packs.rs`).

#[path = "e2e/axe.rs"]
mod axe;
#[path = "e2e/driver.rs"]
mod driver;
#[path = "e2e/installed.rs"]
mod installed;
#[path = "e2e/menu.rs"]
mod menu;
#[path = "e2e/packs.rs"]
mod packs;
#[path = "e2e/scoped_card.rs"]
mod scoped_card;

use std::io::Read;
use std::path::{Path, PathBuf};

use axe::expect_axe_clean;
use driver::{
    click, dom_click, fill, pick_option, select_value, shot, text_until, tid, visible, Driver,
    E2eResult,
};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use pulsemap_core::app::{Options, Pulsemap};
use pulsemap_core::maps;
use pulsemap_core::metrics::{Calculation, GroupBy};
use qualtrics_sim::catalog::{
    API_TOKEN, ONBOARDING_NPS_QID, ONBOARDING_PLAN_QID, ONBOARDING_SURVEY_ID,
};
use qualtrics_sim::{SimConfig, SimHandle};

const MAP_NAME: &str = "E2E journey";
const CARD_NAME: &str = "NPS by plan";

fn enabled() -> bool {
    std::env::var("PULSEMAP_E2E").as_deref() == Ok("1")
}

fn screenshots_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/e2e-screenshots")
}

/// Parses a formatted card value ("+42", "−7", "78.4%", "1,234").
fn parse_displayed(text: &str) -> Option<f64> {
    let cleaned: String = text
        .trim()
        .replace('\u{2212}', "-")
        .chars()
        .filter(|c| !matches!(c, '+' | '%' | ','))
        .collect();
    cleaned.trim().parse().ok()
}

fn enter() -> String {
    char::from(Key::Enter).to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_app_journey() {
    if !enabled() {
        eprintln!(
            "e2e: skipped (set PULSEMAP_E2E=1 and run under xvfb + keyring; see scripts/e2e.sh)"
        );
        return;
    }
    if let Err(e) = journey().await {
        panic!("e2e journey failed: {e}");
    }
}

async fn journey() -> E2eResult<()> {
    let shots = screenshots_dir();
    let tmp = tempfile::tempdir()?;
    let data_dir = tmp.path().join("data");
    let save_dir = tmp.path().join("exports");
    let app = Path::new(env!("CARGO_BIN_EXE_pulsemap-app"));
    let sim = SimHandle::start(SimConfig::default()).await?;
    let driver = Driver::start(
        &[
            ("PULSEMAP_DATA_DIR", &data_dir),
            ("PULSEMAP_E2E_SAVE_DIR", &save_dir),
        ],
        &[("PULSEMAP_DEV_ALLOW_LOOPBACK", "1")],
    )?;

    // ---- first run: connect, build a map, add a metric card --------------------------------
    let c = driver.session(app, &[]).await?;
    let run = first_run(&c, &shots, &sim.host()).await;
    if run.is_err() {
        let _ = shot(&c, &shots, "99-failure-first-run").await;
    }
    let displayed = run?;
    check_against_core(&data_dir, &displayed)?;
    // Issue 13: a card with a range, a segment and a target equals the CLI's computation.
    let scoped = scoped_card::build_scoped_card(&c, &shots).await;
    if scoped.is_err() {
        let _ = shot(&c, &shots, "99-failure-scoped-card").await;
    }
    scoped_card::check_scoped_against_cli(&data_dir, app, &scoped?)?;
    c.close().await?;

    // ---- second run, offline: values from the cache, present, export, debug data ------------
    sim.shutdown().await;
    let c = driver.session(app, &[]).await?;
    let run = offline_run(&c, &shots, &displayed, &save_dir).await;
    if run.is_err() {
        let _ = shot(&c, &shots, "99-failure-offline-run").await;
    }
    run?;
    c.close().await?;
    Ok(())
}

/// Connects, builds the map and returns the displayed NPS value text.
async fn first_run(c: &Client, shots: &Path, host: &str) -> E2eResult<String> {
    visible(c, &tid("home-empty")).await?;
    shot(c, shots, "01-home-empty").await?;
    expect_axe_clean(c, "home without a connection").await?;

    click(c, "nav-integrations").await?;
    visible(c, &tid("not-configured")).await?;
    shot(c, shots, "02-integrations-not-configured").await?;
    expect_axe_clean(c, "integrations (not configured)").await?;

    fill(c, "base-url-input", host).await?;
    fill(c, "token-input", "wrongTokenwrongTokenwrongTokenwrongToken").await?;
    click(c, "save-connection").await?;
    text_until(
        c,
        &tid("banner-token-rejected"),
        "a rejected-token banner",
        |t| !t.is_empty(),
    )
    .await?;
    shot(c, shots, "03-token-rejected").await?;

    fill(c, "token-input", API_TOKEN).await?;
    click(c, "save-connection").await?;
    text_until(
        c,
        &tid("banner-connected"),
        "\"Connection established\"",
        |t| t.contains("Connection established"),
    )
    .await?;
    let masked = visible(c, &tid("masked-secret")).await?.text().await?;
    assert!(
        !masked.contains(API_TOKEN),
        "the token is shown unmasked: {masked}"
    );
    shot(c, shots, "04-connected").await?;
    expect_axe_clean(c, "integrations (connected)").await?;

    click(c, "map-create").await?;
    fill(c, "map-create-input", &format!("{MAP_NAME}{}", enter())).await?;
    text_until(c, &tid("map-title"), "the new map's title", |t| {
        t.contains(MAP_NAME)
    })
    .await?;
    shot(c, shots, "05-new-map").await?;

    // An empty map offers to start with a first stage and lane.
    click(c, "map-start").await?;
    visible(c, &tid("stage-header")).await?;
    click(c, "stage-add").await?;
    fill(c, "stage-add-input", &format!("Onboard{}", enter())).await?;
    let stage_id = header_id(c, "stage-header", "Onboard").await?;
    click(c, "lane-add").await?;
    fill(c, "lane-add-input", &format!("Metrics{}", enter())).await?;
    let lane_id = header_id(c, "lane-header", "Metrics").await?;
    shot(c, shots, "06-stage-and-lane").await?;
    expect_axe_clean(c, "map with a stage and a lane").await?;

    let cell = format!(
        "{}[data-stage-id=\"{stage_id}\"][data-lane-id=\"{lane_id}\"]",
        tid("cell")
    );
    visible(c, &format!("{cell} {}", tid("add-card")))
        .await?
        .click()
        .await?;
    click(c, "add-metric-card").await?;
    visible(c, &tid("metric-modal")).await?;
    fill(c, "metric-name-input", CARD_NAME).await?;
    dom_click(c, "metric-type-number").await?;
    fill(c, "metric-survey", "Onboarding").await?;
    pick_option(c, "Onboarding Experience").await?;
    select_value(c, "metric-question", ONBOARDING_NPS_QID).await?;
    select_value(c, "metric-group-by", &format!("q:{ONBOARDING_PLAN_QID}")).await?;
    select_value(c, "metric-calculation", "nps").await?;
    let preview = text_until(c, &tid("preview-value"), "a preview value", |t| {
        parse_displayed(t).is_some()
    })
    .await?;
    shot(c, shots, "07-metric-modal-preview").await?;
    expect_axe_clean(c, "card dialog with a preview").await?;
    click(c, "metric-save").await?;

    let displayed = text_until(c, &tid("metric-value"), "a computed NPS value", |t| {
        parse_displayed(t).is_some()
    })
    .await?;
    assert_eq!(
        displayed, preview,
        "card value differs from the modal preview"
    );
    shot(c, shots, "08-map-with-nps-card").await?;
    expect_axe_clean(c, "map with a metric card").await?;
    Ok(displayed)
}

/// The `data-id` of the stage/lane header showing `name` (waits for it).
async fn header_id(c: &Client, header: &str, name: &str) -> E2eResult<String> {
    text_until(c, &tid(header), &format!("a header named {name}"), |t| {
        t.contains(name)
    })
    .await?;
    let script = "return Array.from(document.querySelectorAll(arguments[0]))\
        .filter(e => e.innerText.includes(arguments[1])).map(e => e.getAttribute('data-id'))[0];";
    match c
        .execute(script, vec![tid(header).into(), name.into()])
        .await?
    {
        serde_json::Value::String(id) if !id.is_empty() => Ok(id),
        other => Err(format!("{header} {name} has no data-id ({other})").into()),
    }
}

/// The displayed value equals core's own computation of the saved card on the app's data.
fn check_against_core(data_dir: &Path, displayed: &str) -> E2eResult<()> {
    let pm = Pulsemap::open(Options::new(data_dir))?;
    let map = maps::list_maps(pm.store())?
        .into_iter()
        .find(|m| m.name == MAP_NAME)
        .ok_or("the app did not store the map")?;
    let view = maps::open_map(pm.store(), &map.id)?;
    let card = view
        .cards
        .iter()
        .find_map(|c| {
            c.card
                .metric_config()
                .filter(|m| m.name == CARD_NAME)
                .cloned()
        })
        .ok_or("the app did not store the metric card")?;
    assert_eq!(card.survey_id.as_deref(), Some(ONBOARDING_SURVEY_ID));
    assert_eq!(card.question_id, ONBOARDING_NPS_QID);
    assert_eq!(card.calculation, Calculation::Nps);
    assert_eq!(
        card.group_by,
        GroupBy::Question {
            question_id: ONBOARDING_PLAN_QID.into()
        }
    );
    let expected = pm.preview_metric(&card)?;
    let value = expected.value.ok_or("core computed no NPS value")?;
    assert!(expected.n > 0, "core saw no responses");
    assert!(
        expected.groups.len() >= 2,
        "NPS by plan should have groups: {:?}",
        expected.groups
    );
    // The token lives only in the keychain: never in the cache files.
    for entry in std::fs::read_dir(data_dir)? {
        let path = entry?.path();
        if path.is_file() {
            let bytes = std::fs::read(&path)?;
            let hay = String::from_utf8_lossy(&bytes);
            assert!(
                !hay.contains(API_TOKEN),
                "the token leaked into {}",
                path.display()
            );
        }
    }
    let shown = parse_displayed(displayed).ok_or("unparseable value")?;
    assert_eq!(
        shown,
        value.round(),
        "displayed {displayed:?}, core computed {value}"
    );
    Ok(())
}

/// Restarted app with the simulator stopped: cache paint, presentation, exports, debug data.
async fn offline_run(c: &Client, shots: &Path, displayed: &str, save_dir: &Path) -> E2eResult<()> {
    let item = visible(
        c,
        &format!("{} [data-testid^=\"map-item-\"]", tid("map-list")),
    )
    .await?;
    item.find(Locator::Css(&tid("map-open")))
        .await?
        .click()
        .await?;
    text_until(c, &tid("metric-value"), "the cached value", |t| {
        t == displayed
    })
    .await?;
    // Started without Qualtrics but with a cache: the neutral offline notice, not "connection failed".
    text_until(c, &tid("offline-banner"), "the offline banner", |t| {
        t.contains("Offline: showing data from")
    })
    .await?;
    driver::absent(
        c,
        "global-connection-banner",
        "offline is not a connection failure",
    )
    .await?;
    shot(c, shots, "09-restart-offline-from-cache").await?;

    click(c, "present").await?;
    visible(c, &tid("presentation")).await?;
    text_until(
        c,
        &format!("{} {}", tid("presentation"), tid("metric-value")),
        "the value",
        |t| t == displayed,
    )
    .await?;
    // The presentation is an overlay over the (inert) map page: no editing control inside it.
    assert!(
        c.find_all(Locator::Css(&format!(
            "{} {}",
            tid("presentation"),
            tid("add-card")
        )))
        .await?
        .is_empty(),
        "editing controls visible in presentation mode"
    );
    shot(c, shots, "10-presentation").await?;
    expect_axe_clean(c, "presentation").await?;
    // Zoomed to fit in WebKitGTK too: this small map is whole on screen, with no scrolling.
    let fits = c
        .execute(
            "const v = document.querySelector('[data-testid=present-viewport]');
             return [v.scrollWidth - v.clientWidth, v.scrollHeight - v.clientHeight,
                     Number(document.querySelector('[data-testid=present-grid]').dataset.zoom)];",
            vec![],
        )
        .await?;
    let (dx, dy) = (
        fits[0].as_f64().unwrap_or(1e9),
        fits[1].as_f64().unwrap_or(1e9),
    );
    assert!(
        dx <= 1.0 && dy <= 1.0,
        "presentation does not fit the window: {fits}"
    );
    click(c, "present-exit").await?;
    visible(c, &tid("map-grid")).await?;

    for (format, magic) in [("png", &b"\x89PNG\r\n\x1a\n"[..]), ("pdf", &b"%PDF-"[..])] {
        click(c, "export-menu").await?;
        click(c, &format!("export-{format}")).await?;
        let saved = text_until(c, &tid("export-saved"), "the saved export path", |t| {
            t.contains(&format!(".{format}"))
        })
        .await?;
        let path = newest_with_extension(save_dir, format)?;
        let bytes = std::fs::read(&path)?;
        assert!(
            bytes.starts_with(magic),
            "{} is not a {format} file",
            path.display()
        );
        assert!(
            bytes.len() > 1000,
            "{} is suspiciously small",
            path.display()
        );
        assert!(saved.contains(&format!(".{format}")));
        shot(c, shots, &format!("11-exported-{format}")).await?;
        if format == "png" {
            // Keep the exported image itself next to the screenshots, for people to look at.
            std::fs::copy(&path, shots.join("13-exported-map-file.png"))?;
        }
    }

    click(c, "nav-debug").await?;
    visible(c, &tid("debug-page")).await?;
    fill(c, "debug-survey", "Onboarding").await?;
    pick_option(c, "Onboarding Experience").await?;
    click(c, "debug-download").await?;
    text_until(c, &tid("debug-saved"), "the saved bundle path", |t| {
        t.contains(".zip")
    })
    .await?;
    shot(c, shots, "12-debug-data").await?;
    expect_axe_clean(c, "support data").await?;
    let zip_path = newest_with_extension(save_dir, "zip")?;
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip_path)?)?;
    assert!(
        archive.len() > 1,
        "debug bundle has {} files",
        archive.len()
    );
    for i in 0..archive.len() {
        let mut member = archive.by_index(i)?;
        let mut content = Vec::new();
        member.read_to_end(&mut content)?;
        let hay = String::from_utf8_lossy(&content);
        assert!(
            !hay.contains(API_TOKEN),
            "the token leaked into {}",
            member.name()
        );
    }
    menu::help_menu_screenshots(shots).await?;
    Ok(())
}

fn newest_with_extension(dir: &Path, ext: &str) -> E2eResult<PathBuf> {
    let mut found: Vec<(std::time::SystemTime, PathBuf)> = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == ext) {
            found.push((std::fs::metadata(&path)?.modified()?, path));
        }
    }
    found.sort();
    found
        .pop()
        .map(|(_, p)| p)
        .ok_or_else(|| format!("no .{ext} file in {}", dir.display()).into())
}

/// In demo mode: opens the sample map from the map list and waits until its five stages and
/// three computed card values are painted (shared with the installed-package test).
async fn sample_map_paints(c: &Client) -> E2eResult<()> {
    text_until(c, &tid("map-list"), "the sample map", |t| {
        t.contains("Customer onboarding")
    })
    .await?;
    let item = visible(
        c,
        &format!("{} [data-testid^=\"map-item-\"]", tid("map-list")),
    )
    .await?;
    item.find(Locator::Css(&tid("map-open")))
        .await?
        .click()
        .await?;
    for stage in ["Discover", "Sign up", "Onboard", "Use", "Renew"] {
        text_until(c, &tid("stage-header"), stage, |t| t.contains(stage)).await?;
    }
    // All three metric cards get values from the simulator's data.
    let deadline = std::time::Instant::now() + driver::WAIT * 2;
    loop {
        let values = driver::texts(c, &tid("metric-value")).await;
        if values.len() == 3 && values.iter().all(|v| parse_displayed(v).is_some()) {
            break;
        }
        if std::time::Instant::now() > deadline {
            return Err(format!("demo cards never computed: {values:?}").into());
        }
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    Ok(())
}

/// `pulsemap-app --demo`: the bundled simulator, the sample map and its computed cards; then
/// leaving the demo (the user's empty data comes back) and entering it again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_mode_shows_the_sample_map() {
    if !enabled() {
        eprintln!("e2e: skipped (set PULSEMAP_E2E=1; see scripts/e2e.sh)");
        return;
    }
    if let Err(e) = demo().await {
        panic!("e2e demo failed: {e}");
    }
}

async fn demo() -> E2eResult<()> {
    let shots = screenshots_dir();
    let tmp = tempfile::tempdir()?;
    let data_dir = tmp.path().join("data");
    let app = Path::new(env!("CARGO_BIN_EXE_pulsemap-app"));
    let driver = Driver::start(&[("PULSEMAP_DATA_DIR", &data_dir)], &[])?;
    let c = driver.session(app, &["--demo"]).await?;
    let run = async {
        sample_map_paints(&c).await?;
        shot(&c, &shots, "20-demo-sample-map").await?;

        // The sidebar's demo badge leads to Integrations, which offers only "Leave demo".
        click(&c, "demo-badge").await?;
        text_until(&c, &tid("demo-active"), "the demo panel", |t| {
            t.contains("exploring demo data")
        })
        .await?;
        driver::absent(
            &c,
            "edit-configuration",
            "the demo's configuration is not editable",
        )
        .await?;
        shot(&c, &shots, "21-demo-integrations").await?;
        click(&c, "leave-demo").await?;
        text_until(&c, &tid("banner-demo-left"), "the left banner", |t| {
            t.contains("Back to your own data")
        })
        .await?;
        visible(&c, &tid("not-configured")).await?;
        // The user's own (empty) data is back: no sample map, no demo badge.
        visible(&c, &tid("map-list-empty")).await?;
        driver::absent(&c, "demo-badge", "the demo was left").await?;
        shot(&c, &shots, "22-demo-left").await?;
        // And the demo comes back as it was left.
        click(&c, "start-demo").await?;
        text_until(&c, &tid("map-list"), "the sample map again", |t| {
            t.contains("Customer onboarding")
        })
        .await?;
        visible(&c, &tid("demo-badge")).await?;
        E2eResult::Ok(())
    }
    .await;
    if run.is_err() {
        let _ = shot(&c, &shots, "99-failure-demo").await;
    }
    run?;
    // Demo data lives apart from the user's data dir.
    assert!(data_dir
        .join("demo")
        .join(pulsemap_core::app::DB_FILE)
        .exists());
    c.close().await?;
    Ok(())
}

#[test]
fn displayed_values_parse_like_the_ui_formats_them() {
    assert_eq!(parse_displayed("+42"), Some(42.0));
    assert_eq!(parse_displayed("\u{2212}7"), Some(-7.0));
    assert_eq!(parse_displayed("78.4%"), Some(78.4));
    assert_eq!(parse_displayed("1,234"), Some(1234.0));
    assert_eq!(parse_displayed("\u{2014}"), None);
}
