//! The map-paint children (issue 15 point 5): app start to a painted map, from the cache.
//!
//! Contract:
//! * `paint-seed` creates, through the `Pulsemap` facade, the journey map (24 metric cards)
//!   and the pulse map (6) of [`crate::paint_cards`] over the survey (replacing maps of the
//!   same names), each card's value computed and cached as the app does when a card is added.
//!   With `--age` it only re-caches the maps' values as the app would have left them
//!   yesterday (`open_map_at` on yesterday's clock), so the next paint is the first of a day:
//!   every card whose relative range moved overnight is recomputed before it paints.
//! * `paint` is a fresh process, so "app start" is a real process start with a cold facade.
//!   It does what the desktop app's backend does before the UI's first render of a map:
//!   `Pulsemap::open`, the cached connection status (the banner), the map list (the
//!   sidebar), `open_map` (every card's value), then `card_chart_svg` at the card size for
//!   every card that shows a chart. Every metric card must have a value; the time is taken
//!   when the last chart is rendered. Then it opens the other map the same way. Then, in the
//!   same process, a raw SQLite read of the rows the cards' values come from: every
//!   finished-response page of the survey selected and zstd-decompressed, as the cache stores
//!   them (the work no card value can do without if it is not cached).
//! * Start-up is measured from the spawn: the probe puts its spawn time in
//!   [`SPAWNED_AT_ENV`]; without it (run by hand) the figures start at `main`.
//!
//! Both print one JSON object on stdout.

use std::path::Path;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{bail, ensure, Context, Result};
use chrono::{DateTime, Utc};
use pulsemap_core::app::{Options, Pulsemap, DB_FILE};
use pulsemap_core::charts::{CARD_CHART_HEIGHT, CARD_CHART_WIDTH};
use pulsemap_core::maps::MapView;
use pulsemap_core::metrics::{ChartKind, Clock};
use pulsemap_core::MapId;
use serde_json::json;

use crate::paint_cards::{journey_cards, pulse_cards, PlacedCard, LANES, STAGES};

/// Environment variable the probe sets to its child's spawn time (ns since the Unix epoch).
pub const SPAWNED_AT_ENV: &str = "PULSEMAP_BENCH_SPAWNED_AT_NS";
/// Name of the 24-card map.
pub const JOURNEY_MAP: &str = "Bench: onboarding journey (24 cards)";
/// Name of the 6-card map.
pub const PULSE_MAP: &str = "Bench: onboarding pulse (6 cards)";

/// The current time as [`SPAWNED_AT_ENV`] carries it.
pub fn unix_ns_now() -> String {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos()
        .to_string()
}

fn open(data_dir: &Path) -> Result<Pulsemap> {
    Ok(Pulsemap::open(Options::new(data_dir))?)
}

fn bench_maps(pm: &Pulsemap) -> Result<(MapId, MapId)> {
    let maps = pm.list_maps()?;
    let id = |name: &str| {
        maps.iter()
            .find(|m| m.name == name)
            .map(|m| m.id.clone())
            .with_context(|| format!("no map named {name:?}: run paint-seed first"))
    };
    Ok((id(JOURNEY_MAP)?, id(PULSE_MAP)?))
}

/// The `paint-seed` child; prints `{"journey", "pulse", "cards", "seed_s"}` or, with `age`,
/// `{"aged_s"}`.
pub fn seed_main(data_dir: &Path, survey: &str, seed: u64, age: bool) -> Result<()> {
    let pm = open(data_dir)?;
    if age {
        let (journey, pulse) = bench_maps(&pm)?;
        let t = Instant::now();
        let system = Clock::system();
        let yesterday = Clock {
            now: system.now - chrono::Duration::days(1),
            ..system
        };
        pm.open_map_at(&journey, &yesterday)?;
        pm.open_map_at(&pulse, &yesterday)?;
        println!("{}", json!({ "aged_s": t.elapsed().as_secs_f64() }));
        return Ok(());
    }
    for m in pm.list_maps()? {
        if m.name == JOURNEY_MAP || m.name == PULSE_MAP {
            pm.delete_map(&m.id)?;
        }
    }
    let reference = qualtrics_sim::data::timeline::reference_date(seed);
    let lag = (Utc::now() - reference).num_days().max(0) as u32;
    let t = Instant::now();
    let journey = build(&pm, JOURNEY_MAP, &LANES, journey_cards(survey, lag))?;
    let pulse = build(&pm, PULSE_MAP, &["Weekly"], pulse_cards(survey, lag))?;
    println!(
        "{}",
        json!({
            "journey": journey.map.id,
            "pulse": pulse.map.id,
            "cards": journey.cards.len() + pulse.cards.len(),
            "seed_s": t.elapsed().as_secs_f64(),
        })
    );
    Ok(())
}

fn build(pm: &Pulsemap, name: &str, lanes: &[&str], cards: Vec<PlacedCard>) -> Result<MapView> {
    let mut view = pm.create_map(name)?;
    let map_id = view.map.id.clone();
    for stage in STAGES {
        view = pm.add_stage(&map_id, stage)?;
    }
    for lane in lanes {
        view = pm.add_lane(&map_id, lane)?;
    }
    let (stages, lanes) = (view.stages.clone(), view.lanes.clone());
    for (stage, lane, config) in cards {
        view = pm.add_metric_card(&map_id, &stages[stage].id, &lanes[lane].id, &config)?;
        let added = view
            .cards
            .iter()
            .find(|c| {
                c.card
                    .metric_config()
                    .is_some_and(|m| m.name == config.name)
            })
            .context("the added card is not on the map")?;
        ensure!(
            added.cached_value.is_some(),
            "card {:?} got no value over the cache",
            config.name
        );
    }
    Ok(view)
}

/// One map painted: what the UI gets before its first render.
struct Painted {
    cards: usize,
    /// Cards whose value was computed in this process (a relative range that moved).
    recomputed: usize,
    charts: usize,
    svg_bytes: usize,
    open_map_s: f64,
    charts_s: f64,
}

fn paint(pm: &Pulsemap, map_id: &MapId, started: DateTime<Utc>) -> Result<Painted> {
    let t = Instant::now();
    let view = pm.open_map(map_id)?;
    let recomputed = view
        .cards
        .iter()
        .filter(|c| c.computed_at.is_some_and(|at| at >= started))
        .count();
    let open_map_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let (mut charts, mut svg_bytes) = (0, 0);
    for card in &view.cards {
        let Some(config) = card.card.metric_config() else {
            continue;
        };
        let Some(value) = &card.cached_value else {
            bail!("card {:?} has no value to paint", config.name);
        };
        // What the card face asks for (MetricCardFace.tsx): a chart when it has one and data.
        if config.chart.kind != ChartKind::None && value.n > 0 {
            let svg = pm.card_chart_svg(&card.card.id, CARD_CHART_WIDTH, CARD_CHART_HEIGHT)?;
            ensure!(
                svg.starts_with("<svg"),
                "card {:?}: not an SVG",
                config.name
            );
            charts += 1;
            svg_bytes += svg.len();
        }
    }
    Ok(Painted {
        cards: view.cards.len(),
        recomputed,
        charts,
        svg_bytes,
        open_map_s,
        charts_s: t.elapsed().as_secs_f64(),
    })
}

/// The `paint` child; prints the figures described in the module docs.
pub fn paint_main(data_dir: &Path, survey: &str) -> Result<()> {
    let main_at = Instant::now();
    let started = Utc::now();
    let before_main_s = std::env::var(SPAWNED_AT_ENV)
        .ok()
        .and_then(|ns| ns.parse::<u128>().ok())
        .map(|spawned| {
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .as_nanos();
            Duration::from_nanos(now.saturating_sub(spawned) as u64).as_secs_f64()
        })
        .unwrap_or(0.0);
    let since_spawn = || before_main_s + main_at.elapsed().as_secs_f64();

    let pm = open(data_dir)?;
    let open_s = since_spawn();
    pm.cached_connection_status()?;
    let (journey, pulse) = bench_maps(&pm)?;
    let first = paint(&pm, &journey, started)?;
    let painted_s = since_spawn();
    let t = Instant::now();
    let other = paint(&pm, &pulse, started)?;
    let other_s = t.elapsed().as_secs_f64();
    drop(pm);

    let raw = raw_read(&data_dir.join(DB_FILE), survey)?;
    let part = |p: &Painted| {
        json!({
            "cards": p.cards, "recomputed": p.recomputed, "charts": p.charts,
            "svg_bytes": p.svg_bytes,
            "open_map_s": p.open_map_s, "charts_s": p.charts_s,
        })
    };
    println!(
        "{}",
        json!({
            "before_main_s": before_main_s,
            "facade_open_s": open_s,
            "painted_s": painted_s,
            "other_map_s": other_s,
            "first": part(&first),
            "other": part(&other),
            "raw_read_s": raw.seconds,
            "raw_pages": raw.pages,
            "raw_compressed_bytes": raw.compressed,
            "raw_bytes": raw.decompressed,
            "raw_responses": raw.responses,
        })
    );
    Ok(())
}

/// A raw read of a survey's cached responses.
struct RawRead {
    seconds: f64,
    pages: u64,
    compressed: u64,
    decompressed: u64,
    responses: u64,
}

/// Every finished-response page of `survey` selected and decompressed on a fresh read-only
/// connection, timed from the open; plus the count of the finished responses they hold.
fn raw_read(db: &Path, survey: &str) -> Result<RawRead> {
    let t = Instant::now();
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let key: i64 = conn.query_row(
        "SELECT key FROM response_surveys WHERE survey_id = ?1",
        [survey],
        |r| r.get(0),
    )?;
    let responses: i64 = conn.query_row(
        "SELECT COUNT(*) FROM responses WHERE survey_key = ?1 AND finished = 1",
        [key],
        |r| r.get(0),
    )?;
    let mut stmt = conn.prepare(
        "SELECT data FROM response_pages WHERE survey_key = ?1 AND in_progress = 0 ORDER BY id",
    )?;
    let mut rows = stmt.query([key])?;
    let (mut pages, mut compressed, mut decompressed) = (0u64, 0u64, 0u64);
    while let Some(row) = rows.next()? {
        let data = row.get_ref(0)?.as_blob()?;
        let text = zstd::stream::decode_all(data).context("decompressing a page")?;
        pages += 1;
        compressed += data.len() as u64;
        decompressed += text.len() as u64;
    }
    Ok(RawRead {
        seconds: t.elapsed().as_secs_f64(),
        pages,
        compressed,
        decompressed,
        responses: responses as u64,
    })
}
