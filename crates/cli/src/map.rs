//! `pulsemap map ...`: list, show, export, import, duplicate and template journey maps (so
//! maps move between data dirs in scripts and tests) and set a card's settings (`card`).
//!
//! Contract: every subcommand is a thin adapter onto the core facade (the same code the app
//! runs) and works offline except `import` with `--survey` onto a survey whose questions are
//! not cached yet (its definition is fetched). `--json` prints the core DTOs unchanged.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use pulsemap_core::app::Pulsemap;
use pulsemap_core::maps::file::{MapImportOptions, SurveyReplacement};
use pulsemap_core::{MapId, SurveyId};

use crate::output;

/// `map` arguments.
#[derive(Debug, Args)]
pub struct MapArgs {
    #[command(subcommand)]
    pub command: MapCommand,
}

/// `map` subcommands.
#[derive(Debug, Subcommand)]
pub enum MapCommand {
    /// List the maps of this data dir (workshop packs are marked read-only).
    List,
    /// Show a map's cards with their ids and cached values (--json: the whole map).
    Show {
        /// Map id.
        map_id: MapId,
    },
    /// Change a card of a map (see `map card set --help`).
    #[command(subcommand)]
    Card(crate::card::CardCommand),
    /// Write a map as a .pulsemap file (with --pack: a workshop pack with its values).
    Export(ExportArgs),
    /// Import a .pulsemap file or workshop pack as a new map.
    Import(ImportArgs),
    /// Copy a map under a new name.
    Duplicate {
        /// Map id.
        map_id: MapId,
        /// Name of the copy.
        #[arg(long)]
        name: String,
    },
    /// List the map templates (built in and saved).
    Templates,
    /// Start a new map from a template.
    New {
        /// Template id (see `map templates`), e.g. builtin:support-case.
        #[arg(long)]
        template: String,
        /// Name of the new map (default: the template's).
        #[arg(long)]
        name: Option<String>,
    },
    /// Save a map as a template.
    SaveTemplate {
        /// Map id.
        map_id: MapId,
        /// Template name.
        #[arg(long)]
        name: String,
    },
}

/// `map export` arguments.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Map id (see `map list`).
    pub map_id: MapId,
    /// Destination file.
    #[arg(long)]
    pub out: PathBuf,
    /// A workshop pack: every card's value, n, interval, status and chart, stamped "data as of".
    #[arg(long)]
    pub pack: bool,
    /// Replace the file at --out if it exists (never inside the data dir).
    #[arg(long)]
    pub force: bool,
}

/// `map import` arguments.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The .pulsemap file.
    pub file: PathBuf,
    /// Point the cards of survey OLD (in the file) at survey NEW (here); questions are matched
    /// by export tag. Repeatable. Unseen surveys not replaced leave their cards unbound.
    #[arg(long = "survey", value_name = "OLD=NEW", value_parser = replacement)]
    pub surveys: Vec<SurveyReplacement>,
}

/// `--survey OLD=NEW`: two Qualtrics survey ids (a usage error otherwise).
fn replacement(arg: &str) -> Result<SurveyReplacement, String> {
    let (from, to) = arg
        .split_once('=')
        .ok_or_else(|| format!("{arg:?} must be OLD=NEW (two survey ids)"))?;
    let id = |s: &str| SurveyId::parse(s.trim()).map_err(|e| e.to_string());
    Ok(SurveyReplacement {
        from: id(from)?,
        to: id(to)?,
    })
}

/// Runs a `map` subcommand.
pub async fn run(app: &Pulsemap, args: MapArgs, json: bool) -> anyhow::Result<()> {
    match args.command {
        MapCommand::List => {
            let maps = app.list_maps()?;
            if json {
                return output::print_json(&maps);
            }
            if maps.is_empty() {
                println!("No maps.");
            }
            for m in maps {
                let ro = m
                    .data_as_of
                    .map(|at| format!("  read-only pack, data as of {}", at.to_rfc3339()))
                    .unwrap_or_default();
                println!(
                    "{}  {}  ({} stages, {} lanes, {} cards){ro}",
                    m.id, m.name, m.stage_count, m.lane_count, m.card_count
                );
            }
            Ok(())
        }
        MapCommand::Show { map_id } => crate::card::show(app, &map_id, json),
        MapCommand::Card(crate::card::CardCommand::Set(a)) => crate::card::set(app, *a, json),
        MapCommand::Export(a) => {
            let bytes = app.export_map_file(&a.map_id, &a.out, a.pack, a.force)?;
            if json {
                return output::print_json(&serde_json::json!({
                    "path": a.out, "bytes": bytes, "pack": a.pack,
                }));
            }
            let what = if a.pack { "workshop pack" } else { "map file" };
            println!("Wrote the {what} {} ({bytes} bytes).", a.out.display());
            Ok(())
        }
        MapCommand::Import(a) => {
            let options = MapImportOptions {
                replacements: a.surveys,
            };
            let preview = app.inspect_map_file(&a.file)?;
            let report = app.import_map_file(&a.file, &options).await?;
            if json {
                return output::print_json(&serde_json::json!({
                    "preview": preview, "report": report,
                }));
            }
            let replaced = |id: &str| options.replacements.iter().any(|r| r.from == id);
            for s in preview
                .surveys
                .iter()
                .filter(|s| !s.visible && !replaced(&s.id))
            {
                println!(
                    "Survey not visible here: {} ({}), {} card(s); replace it with --survey {}=NEW",
                    s.id, s.name, s.card_count, s.id
                );
            }
            let m = &report.map.map;
            match m.data_as_of {
                Some(at) => println!(
                    "Imported the workshop pack \"{}\" as map {} (read-only, data as of {}).",
                    m.name,
                    m.id,
                    at.to_rfc3339()
                ),
                None => println!("Imported \"{}\" as map {}.", m.name, m.id),
            }
            if report.unbound_cards > 0 {
                println!(
                    "{} card(s) have no survey/question yet; choose them when opening the map.",
                    report.unbound_cards
                );
            }
            Ok(())
        }
        MapCommand::Duplicate { map_id, name } => {
            let view = app.duplicate_map(&map_id, &name)?;
            print_map(&view, json, "Copied to")
        }
        MapCommand::Templates => {
            let templates = app.list_map_templates()?;
            if json {
                return output::print_json(&templates);
            }
            for t in templates {
                println!("{}  {}  {}", t.id, t.name, t.description);
            }
            Ok(())
        }
        MapCommand::New { template, name } => {
            let view = app.create_map_from_template(&template, name.as_deref())?;
            print_map(&view, json, "Created")
        }
        MapCommand::SaveTemplate { map_id, name } => {
            let t = app.save_map_as_template(&map_id, &name)?;
            if json {
                return output::print_json(&t);
            }
            println!("Saved the template {} ({}).", t.id, t.name);
            Ok(())
        }
    }
}

fn print_map(view: &pulsemap_core::maps::MapView, json: bool, verb: &str) -> anyhow::Result<()> {
    if json {
        return output::print_json(view);
    }
    println!("{verb} map {} \"{}\".", view.map.id, view.map.name);
    Ok(())
}
