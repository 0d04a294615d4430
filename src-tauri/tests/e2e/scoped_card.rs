//! Issue 13 end to end: one card with a date range (the simulator world's last 365 days, as a
//! custom from–to: its responses end at a fixed reference date, not today), a segment (embedded
//! field Region = EMEA) and a target (NPS 30, higher is better), built through the real card
//! modal against the simulator. The app must store exactly those settings, and the card face must
//! show the value, target status and resolved range that `pulsemap metric ... --json` (the CLI
//! binary, same data dir, same system time zone) computes for the same settings.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use fantoccini::Client;
use pulsemap_core::app::{Options, Pulsemap};
use pulsemap_core::maps;
use qualtrics_sim::catalog::{ONBOARDING_NPS_QID, ONBOARDING_SURVEY_ID};
use serde_json::{json, Value};

use crate::driver::{
    click, dom_click, fill, pick_option, select_value, shot, text_until, tid, visible, E2eResult,
};
use crate::parse_displayed;

pub const SCOPED_CARD: &str = "EMEA NPS, one year";
const TARGET: f64 = 30.0;

/// The custom range: the 365 days up to the simulator's reference date (ISO dates, inclusive).
pub fn sim_year() -> (String, String) {
    let reference =
        qualtrics_sim::data::timeline::reference_date(qualtrics_sim::SimConfig::default().seed);
    let from = (reference - std::time::Duration::from_secs(364 * 86_400)).date_naive();
    (from.to_string(), reference.date_naive().to_string())
}

/// Sets a date input the way typing does (React listens to `input`), whatever the locale's
/// date format.
async fn set_date(c: &Client, id: &str, iso: &str) -> E2eResult<()> {
    visible(c, &tid(id)).await?;
    c.execute(
        "const e = document.querySelector(arguments[0]);
         Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(e, arguments[1]);
         e.dispatchEvent(new Event('input', { bubbles: true }));",
        vec![json!(tid(id)), json!(iso)],
    )
    .await?;
    Ok(())
}

/// What the scoped card's face shows.
pub struct ScopedShown {
    pub value: String,
    pub status: String,
    pub scope: String,
    pub low_n: bool,
}

/// Builds the scoped card in the last cell of the open map (after the card already there, so
/// that one stays the map's first value) and reads its face.
pub async fn build_scoped_card(c: &Client, shots: &Path) -> E2eResult<ScopedShown> {
    visible(c, &tid("add-card")).await?;
    c.execute(
        "const b = document.querySelectorAll('[data-testid=add-card]'); b[b.length - 1].click();",
        vec![],
    )
    .await?;
    click(c, "add-metric-card").await?;
    visible(c, &tid("metric-modal")).await?;
    fill(c, "metric-name-input", SCOPED_CARD).await?;
    dom_click(c, "metric-type-number").await?;
    fill(c, "metric-survey", "Onboarding").await?;
    pick_option(c, "Onboarding Experience").await?;
    select_value(c, "metric-question", ONBOARDING_NPS_QID).await?;
    select_value(c, "metric-calculation", "nps").await?;
    let (from, to) = sim_year();
    select_value(c, "metric-range", "custom").await?;
    set_date(c, "metric-range-from", &from).await?;
    set_date(c, "metric-range-to", &to).await?;
    select_value(c, "metric-filter-add", "f:Region").await?;
    // The values are offered from the cache (field_values); tick EMEA.
    // (A DOM click: the checkbox may sit below the dialog's scrolled fold.)
    let emea = format!("{}[data-value=\"EMEA\"]", tid("metric-filter-value"));
    let deadline = std::time::Instant::now() + crate::driver::WAIT;
    while c
        .execute(
            "const e = document.querySelector(arguments[0]); if (e) { e.click(); } return !!e;",
            vec![json!(emea)],
        )
        .await?
        != Value::Bool(true)
    {
        if std::time::Instant::now() > deadline {
            return Err("the cache offered no EMEA value for Region".into());
        }
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    }
    text_until(
        c,
        &tid("metric-filter-summary"),
        "the segment in words",
        |t| t.contains("Region is EMEA"),
    )
    .await?;
    dom_click(c, "metric-target-enabled").await?;
    fill(c, "metric-target-value", &TARGET.to_string()).await?;
    text_until(c, &tid("metric-target-rule"), "the target rule", |t| {
        t.contains("On target at +30 or more")
    })
    .await?;
    text_until(c, &tid("preview-value"), "a preview value", |t| {
        parse_displayed(t).is_some()
    })
    .await?;
    shot(c, shots, "08b-scoped-card-modal").await?;
    click(c, "metric-save").await?;

    let card = format!(
        "[data-testid=metric-card]:has([data-testid=metric-name][title=\"{SCOPED_CARD}\"])"
    );
    let value = text_until(
        c,
        &format!("{card} {}", tid("metric-value")),
        "the scoped card's value",
        |t| parse_displayed(t).is_some(),
    )
    .await?;
    let status = visible(c, &format!("{card} {}", tid("metric-status")))
        .await?
        .text()
        .await?;
    let scope = visible(c, &format!("{card} {}", tid("metric-scope")))
        .await?
        .text()
        .await?;
    let low_n = c
        .find_all(fantoccini::Locator::Css(&format!(
            "{card} {}",
            tid("metric-low-n")
        )))
        .await?
        .len()
        == 1;
    // The new card sits under the first one: bring it into view for the screenshot.
    c.execute(
        "document.querySelector(arguments[0]).scrollIntoView({ block: 'center' });",
        vec![json!(card)],
    )
    .await?;
    shot(c, shots, "08c-scoped-card-on-map").await?;
    Ok(ScopedShown {
        value,
        status,
        scope,
        low_n,
    })
}

/// How long `pulsemap metric` may take on the journey's small cache (it takes well under a
/// second; SQLite's busy timeout is 5 s).
const CLI_DEADLINE: Duration = Duration::from_secs(60);

/// Runs `cmd` to completion with its output captured, or kills it after `deadline`.
fn output_within(mut cmd: Command, deadline: Duration) -> E2eResult<Output> {
    let shown = format!("{cmd:?}");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("running {shown}: {e}"))?;
    // Drain both pipes while waiting, so a chatty child never blocks on a full pipe.
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            let err = String::from_utf8_lossy(&stderr.join().unwrap_or_default()).into_owned();
            return Err(format!("{shown} did not finish within {deadline:?} while the app had the data dir open; stderr: {err}").into());
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    Ok(Output {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    })
}

/// Reads a child's pipe to its end on a thread of its own.
fn drain(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut p) = pipe {
            let _ = p.read_to_end(&mut buf);
        }
        buf
    })
}

/// The stored card has the settings picked in the modal, and its face equals the CLI's JSON.
pub fn check_scoped_against_cli(data_dir: &Path, app: &Path, shown: &ScopedShown) -> E2eResult<()> {
    let pm = Pulsemap::open(Options::new(data_dir))?;
    let config = maps::list_maps(pm.store())?
        .iter()
        .flat_map(|m| {
            maps::open_map(pm.store(), &m.id)
                .map(|v| v.cards)
                .unwrap_or_default()
        })
        .find_map(|c| {
            c.card
                .metric_config()
                .filter(|m| m.name == SCOPED_CARD)
                .cloned()
        })
        .ok_or("the app did not store the scoped card")?;
    let stored = serde_json::to_value(&config)?;
    let (from, to) = sim_year();
    assert_eq!(
        stored["range"],
        json!({"kind": "custom", "from": from, "to": to})
    );
    assert_eq!(
        stored["filters"],
        json!([{"kind": "field", "name": "Region", "values": ["EMEA"]}])
    );
    assert_eq!(
        stored["target"],
        json!({"value": TARGET, "better": "higher", "amberMargin": null})
    );
    assert_eq!(stored["dateField"], json!("recordedDate"));
    drop(pm);

    // The CLI binary is built next to the app (scripts/e2e.sh builds every binary).
    let cli = app.with_file_name(format!("pulsemap{}", std::env::consts::EXE_SUFFIX));
    let mut cmd = Command::new(&cli);
    cmd.env("PULSEMAP_DATA_DIR", data_dir).args([
        "metric",
        "--survey",
        ONBOARDING_SURVEY_ID,
        "--question",
        ONBOARDING_NPS_QID,
        "--calc",
        "nps",
        "--range",
        &format!("{from}..{to}"),
        "--filter",
        "field:Region=EMEA",
        "--target",
        "30",
        "--better",
        "higher",
        "--json",
    ]);
    // The app still has this data dir open: the CLI must answer (or fail) on its own, never
    // wait on the app. A run that does not end is a failure naming the command, not a hang.
    let started = Instant::now();
    let out = output_within(cmd, CLI_DEADLINE)?;
    eprintln!(
        "e2e: pulsemap metric answered in {} ms with the app running on the same data dir",
        started.elapsed().as_millis()
    );
    assert!(
        out.status.success(),
        "pulsemap metric failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cli_value: Value = serde_json::from_slice(&out.stdout)?;
    let value = cli_value["value"]
        .as_f64()
        .ok_or("the CLI computed no value")?;
    let shown_value = parse_displayed(&shown.value).ok_or("unparseable card value")?;
    assert_eq!(
        shown_value,
        value.round(),
        "card shows {:?}, the CLI computed {value}",
        shown.value
    );
    let words = match cli_value["status"].as_str() {
        Some("green") => "On target",
        Some("amber") => "Near target",
        Some("red") => "Off target",
        other => return Err(format!("CLI status {other:?} for a card with a target").into()),
    };
    assert!(
        shown.status.contains(words),
        "card status {:?}, the CLI says {words}",
        shown.status
    );
    let label = cli_value["resolvedRange"]["label"]
        .as_str()
        .ok_or("the CLI resolved no range")?;
    assert!(
        shown.scope.contains(label) && shown.scope.contains("Region is EMEA"),
        "card scope {:?}, the CLI resolved {label:?}",
        shown.scope
    );
    assert_eq!(
        shown.low_n,
        cli_value["lowN"].as_bool() == Some(true),
        "low n badge differs from the CLI"
    );
    assert!(
        cli_value["n"].as_u64().unwrap_or(0) > 0,
        "no EMEA response in the last 365 days"
    );
    Ok(())
}
