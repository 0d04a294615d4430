//! End-to-end: a workshop pack travels from the designer's app to a facilitator's install
//! with no Qualtrics connection (issue 14).
//!
//! First run (`--demo`, data dir A): the sample map computes its cards from the bundled
//! simulator; the map's Export menu → Workshop pack writes the `.pulsemap` pack through the
//! save-dialog test hook. Second run: a fresh data dir B, never connected, so it has no
//! keychain entry (entries are keyed by each data dir's own id); the open-dialog test hook
//! picks the pack; the import dialog says it opens read-only; the map shows the very values of
//! the first run with a "Pack" badge and no editing control; it presents (stage stepping,
//! large type, "data as of" stamp) and exports a PNG; its editable duplicate undoes a stage
//! delete with Ctrl+Z. Screenshots: 30–35.

use std::path::Path;

use fantoccini::key::Key;

use crate::axe::expect_axe_clean;
use crate::driver::{self, click, shot, text_until, tid, visible, Driver, E2eResult};
use crate::{enabled, parse_displayed, screenshots_dir};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_workshop_pack_opens_read_only_on_an_install_with_no_connection() {
    if !enabled() {
        eprintln!("e2e: skipped (set PULSEMAP_E2E=1; see scripts/e2e.sh)");
        return;
    }
    if let Err(e) = pack_journey().await {
        panic!("e2e workshop pack failed: {e}");
    }
}

/// The sample map's metric values once all three are computed.
async fn computed_values(c: &fantoccini::Client) -> E2eResult<Vec<String>> {
    let deadline = std::time::Instant::now() + driver::WAIT * 2;
    loop {
        let values = driver::texts(c, &tid("metric-value")).await;
        if values.len() == 3 && values.iter().all(|v| parse_displayed(v).is_some()) {
            return Ok(values);
        }
        if std::time::Instant::now() > deadline {
            return Err(format!("demo cards never computed: {values:?}").into());
        }
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    }
}

async fn pack_journey() -> E2eResult<()> {
    let shots = screenshots_dir();
    let tmp = tempfile::tempdir()?;
    let exports = tmp.path().join("exports");
    let app = Path::new(env!("CARGO_BIN_EXE_pulsemap-app"));

    // ---- designer: the demo computes the sample map, then exports a workshop pack -----------
    let designer = tmp.path().join("designer");
    let driver = Driver::start(
        &[
            ("PULSEMAP_DATA_DIR", &designer),
            ("PULSEMAP_E2E_SAVE_DIR", &exports),
        ],
        &[],
    )?;
    let c = driver.session(app, &["--demo"]).await?;
    let run = async {
        let item = visible(
            &c,
            &format!("{} [data-testid=\"map-open\"]", tid("map-list")),
        )
        .await?;
        item.click().await?;
        let values = computed_values(&c).await?;
        click(&c, "export-menu").await?;
        click(&c, "export-pack").await?;
        text_until(&c, &tid("export-saved"), "the saved pack", |t| {
            t.contains("-pack.pulsemap")
        })
        .await?;
        shot(&c, &shots, "30-pack-exported").await?;
        E2eResult::Ok(values)
    }
    .await;
    if run.is_err() {
        let _ = shot(&c, &shots, "99-failure-pack-export").await;
    }
    let values = run?;
    c.close().await?;
    drop(driver);
    let pack = std::fs::read_dir(&exports)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.to_string_lossy().ends_with("-pack.pulsemap"))
        .ok_or("no pack file was written")?;
    let text = std::fs::read_to_string(&pack)?;
    assert!(text.contains("\"dataAsOf\""), "not a workshop pack");

    // ---- facilitator: fresh data dir, no connection, no keychain entry ----------------------
    let facilitator = tmp.path().join("facilitator");
    let saves = tmp.path().join("facilitator-exports");
    let driver = Driver::start(
        &[
            ("PULSEMAP_DATA_DIR", &facilitator),
            ("PULSEMAP_E2E_SAVE_DIR", &saves),
            ("PULSEMAP_E2E_OPEN_FILE", &pack),
        ],
        &[],
    )?;
    let c = driver.session(app, &[]).await?;
    let run = async {
        visible(&c, &tid("map-list-empty")).await?;
        click(&c, "map-add-menu").await?;
        click(&c, "map-import").await?;
        text_until(&c, &tid("import-pack-note"), "the pack note", |t| {
            t.contains("read-only")
        })
        .await?;
        shot(&c, &shots, "31-pack-import-dialog").await?;
        expect_axe_clean(&c, "open workshop pack dialog").await?;
        click(&c, "import-ok").await?;
        visible(&c, &tid("map-pack-badge-sidebar")).await?;
        text_until(&c, &tid("map-pack-badge"), "the data-as-of badge", |t| {
            t.contains("data as of")
        })
        .await?;
        // The very values the designer saw, with no connection at all.
        let deadline = std::time::Instant::now() + driver::WAIT;
        loop {
            let shown = driver::texts(&c, &tid("metric-value")).await;
            if shown == values {
                break;
            }
            if std::time::Instant::now() > deadline {
                return Err(format!("pack shows {shown:?}, designer saw {values:?}").into());
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        for id in [
            "add-card",
            "stage-add",
            "map-undo",
            "refresh-now",
            "card-actions",
        ] {
            driver::absent(&c, id, "a read-only pack has no editing control").await?;
        }
        visible(&c, &tid("pack-read-only")).await?;
        shot(&c, &shots, "32-pack-read-only").await?;
        expect_axe_clean(&c, "workshop pack (no connection)").await?;

        click(&c, "present").await?;
        visible(&c, &tid("presentation")).await?;
        text_until(&c, &tid("present-data-as-of"), "the stamp", |t| {
            t.starts_with("Data as of")
        })
        .await?;
        let presented = driver::texts(
            &c,
            &format!("{} {}", tid("presentation"), tid("metric-value")),
        )
        .await;
        assert_eq!(presented, values, "presented values differ from the pack's");
        click(&c, "present-next").await?;
        text_until(&c, &tid("present-position"), "stage 1", |t| {
            t.contains("Stage 1 of")
        })
        .await?;
        shot(&c, &shots, "33-pack-presented").await?;
        click(&c, "present-large").await?;
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        shot(&c, &shots, "34-pack-presented-large-type").await?;
        click(&c, "present-exit").await?;
        visible(&c, &tid("map-grid")).await?;

        click(&c, "export-menu").await?;
        click(&c, "export-png").await?;
        text_until(&c, &tid("export-saved"), "the PNG", |t| t.contains(".png")).await?;
        // Duplicate to edit: the copy is editable, and Ctrl+Z in the real webview undoes a
        // stage delete with its cards (the native Edit menu does not take the key on Linux).
        click(&c, "pack-duplicate").await?;
        text_until(&c, &tid("map-title"), "the copy", |t| t.contains("(copy)")).await?;
        let cards = driver::texts(&c, &tid("card")).await.len();
        let first = visible(&c, &tid("stage-header")).await?;
        first
            .find(fantoccini::Locator::Css(&tid("stage-actions")))
            .await?
            .click()
            .await?;
        click(&c, "stage-delete").await?;
        click(&c, "confirm-ok").await?;
        let deadline = std::time::Instant::now() + driver::WAIT;
        while driver::texts(&c, &tid("card")).await.len() >= cards {
            if std::time::Instant::now() > deadline {
                return Err("deleting the first stage removed no card".into());
            }
            tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        }
        // The button names the step once core's undo state arrives.
        let deadline = std::time::Instant::now() + driver::WAIT;
        loop {
            let undo = visible(&c, &tid("map-undo")).await?;
            let label = undo.attr("aria-label").await?.unwrap_or_default();
            if label.starts_with("Undo delete stage") {
                break;
            }
            if std::time::Instant::now() > deadline {
                return Err(format!("the Undo button says {label:?}").into());
            }
            tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        }
        let ctrl_z = format!("{}z{}", char::from(Key::Control), char::from(Key::Null));
        c.find(fantoccini::Locator::Css("body"))
            .await?
            .send_keys(&ctrl_z)
            .await?;
        let deadline = std::time::Instant::now() + driver::WAIT;
        while driver::texts(&c, &tid("card")).await.len() != cards {
            if std::time::Instant::now() > deadline {
                return Err("Ctrl+Z did not bring the stage's cards back".into());
            }
            tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        }
        shot(&c, &shots, "35-copy-undo-restored-stage").await?;

        // And all along this install had no Qualtrics connection.
        click(&c, "nav-integrations").await?;
        visible(&c, &tid("not-configured")).await?;
        E2eResult::Ok(())
    }
    .await;
    if run.is_err() {
        let _ = shot(&c, &shots, "99-failure-pack-open").await;
    }
    run?;
    c.close().await?;
    let png = std::fs::read_dir(&saves)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "png"))
        .ok_or("no PNG exported from the pack")?;
    assert!(std::fs::read(&png)?.starts_with(b"\x89PNG\r\n\x1a\n"));
    Ok(())
}
