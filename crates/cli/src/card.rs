//! `pulsemap map show` and `pulsemap map card set`: read a map's cards and change a metric
//! card's settings, so everything a card can do in the app the CLI can do too.
//!
//! Contract: `card set` takes the `metric` command's flags (the same parser and the same
//! configuration builder, [`crate::metric::build`]) and replaces the card's metric settings
//! with them through the facade call the app's card modal uses
//! ([`Pulsemap::update_metric_card`]: one undo step, the value recomputed from the cache).
//! The card's name, heading, subheading and chart options stay unless `--name`,
//! `--heading`, `--subheading`, `--view` or `--start-at-zero` are given. A calculation that
//! does not apply to the question is refused before anything is saved (as `metric` refuses
//! it); a card of a read-only workshop pack is refused with `mapReadOnly`. It prints the
//! card's new value as `metric` prints it (`--json`: the card with its value, core's
//! `CardView`).

use anyhow::bail;
use clap::{Args, Subcommand, ValueEnum};
use pulsemap_core::app::Pulsemap;
use pulsemap_core::maps::{CardContent, CardView, MapView};
use pulsemap_core::metrics::{ChartView, Clock};
use pulsemap_core::{CardId, MapId};

use crate::args::MetricArgs;
use crate::output::{self, out};

/// `map card` subcommands.
#[derive(Debug, Subcommand)]
pub enum CardCommand {
    /// Replace a metric card's settings with those of the `metric` flags (name, heading,
    /// subheading and chart options stay unless given); prints its new value.
    Set(Box<CardSetArgs>),
}

/// Card face: chart or table.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ViewArg {
    /// The chart.
    Chart,
    /// A table of the values.
    Table,
}

/// `map card set` arguments.
#[derive(Debug, Args)]
pub struct CardSetArgs {
    /// Map id (see `map list`).
    pub map_id: MapId,
    /// Card id (see `map show MAP`).
    pub card_id: CardId,
    /// The card's settings, as for `pulsemap metric`.
    #[command(flatten)]
    pub metric: MetricArgs,
    /// Card name.
    #[arg(long)]
    pub name: Option<String>,
    /// Heading on the card face (the name when empty).
    #[arg(long)]
    pub heading: Option<String>,
    /// Subheading on the card face (empty: none).
    #[arg(long)]
    pub subheading: Option<String>,
    /// Show the chart or a table on the card face.
    #[arg(long, value_enum)]
    pub view: Option<ViewArg>,
    /// Start the value axis at zero (true) or fit it to the data (false).
    #[arg(long, value_name = "true|false")]
    pub start_at_zero: Option<bool>,
}

/// `map card set`.
pub fn set(app: &Pulsemap, args: CardSetArgs, json: bool) -> anyhow::Result<()> {
    if args.metric.tz.is_some() {
        bail!("--tz only applies to `metric`: a card's relative range follows the system zone");
    }
    let view = app.open_map(&args.map_id)?;
    let current = card_of(&view, &args.card_id)?;
    let CardContent::Metric { config: old } = &current.card.content else {
        bail!("card {} is a text card, not a metric card", args.card_id);
    };
    let mut config = crate::metric::build(app, &args.metric)?;
    config.name = args.name.unwrap_or_else(|| old.name.clone());
    config.heading = optional(args.heading, &old.heading);
    config.subheading = optional(args.subheading, &old.subheading);
    config.chart = old.chart;
    if let Some(v) = args.view {
        config.chart.view = match v {
            ViewArg::Chart => ChartView::Chart,
            ViewArg::Table => ChartView::Table,
        };
    }
    if let Some(zero) = args.start_at_zero {
        config.chart.start_at_zero = zero;
    }
    crate::metric::refuse_not_applicable(&app.preview_metric_at(&config, &Clock::system())?)?;
    let view = app.update_metric_card(&args.card_id, &config)?;
    let card = card_of(&view, &args.card_id)?;
    if json {
        return output::print_json(card);
    }
    out!("{} ({})", config.name, card.card.id);
    match &card.cached_value {
        Some(value) => crate::metric::print_value(value),
        None => {
            out!("saved; no value yet: refresh its survey (pulsemap refresh)");
            Ok(())
        }
    }
}

/// A new text setting: given and empty clears it, not given keeps the old one.
fn optional(given: Option<String>, old: &Option<String>) -> Option<String> {
    match given {
        Some(s) if s.trim().is_empty() => None,
        Some(s) => Some(s),
        None => old.clone(),
    }
}

fn card_of<'a>(view: &'a MapView, card_id: &CardId) -> anyhow::Result<&'a CardView> {
    view.cards
        .iter()
        .find(|c| c.card.id == *card_id)
        .ok_or_else(|| {
            pulsemap_core::Error::not_found(format!(
                "card {card_id} is not on map {} (see `pulsemap map show {}`)",
                view.map.id, view.map.id
            ))
            .into()
        })
}

/// `map show`: the map's stages, lanes and cards with their ids and cached values.
pub fn show(app: &Pulsemap, map_id: &MapId, json: bool) -> anyhow::Result<()> {
    let view = app.open_map(map_id)?;
    if json {
        return output::print_json(&view);
    }
    let read_only = view
        .map
        .data_as_of
        .map(|at| format!(" (read-only pack, data as of {})", at.to_rfc3339()))
        .unwrap_or_default();
    out!("{}  {}{read_only}", view.map.id, view.map.name);
    for stage in &view.stages {
        for lane in &view.lanes {
            for c in view.cell(&stage.id, &lane.id) {
                let what = match &c.card.content {
                    CardContent::Text { text } => format!("text: {text}"),
                    CardContent::Metric { config } => {
                        let value = c
                            .cached_value
                            .as_ref()
                            .and_then(|v| v.value)
                            .map_or_else(|| "-".to_owned(), |x| format!("{x:.2}"));
                        format!("metric: {} = {value}", config.name)
                    }
                };
                out!("{}  {} / {}  {what}", c.card.id, stage.name, lane.name);
            }
        }
    }
    Ok(())
}
