//! Pulsemap desktop shell: a thin Tauri 2 layer over `pulsemap-core`.
//!
//! Contract:
//! - [`run`] opens the core facade on the data dir (`PULSEMAP_DATA_DIR` or the platform app
//!   data dir, see [`paths`]), registers the commands of [`commands`] and the dialog plugin,
//!   and opens the "Pulsemap" window (1280x800, from the root `tauri.conf.json`).
//! - `--demo` switches to the bundled simulator before the window shows (see [`demo`]).
//! - All behaviour lives in core; this crate only adapts arguments, errors ([`error`]) and
//!   events (`commands::refresh`).

pub mod charts;
pub mod commands;
pub mod demo;
pub mod error;
pub mod paths;
pub mod state;

use anyhow::Context;
use pulsemap_core::app::{Options, Pulsemap};
use tauri::Manager;

use crate::state::AppState;

/// Runs the desktop app until its window closes.
pub fn run(demo_mode: bool) -> anyhow::Result<()> {
    init_tracing();
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            let platform = app.path().app_data_dir().ok();
            let dir =
                paths::data_dir(|| platform).context("no data directory: set PULSEMAP_DATA_DIR")?;
            let mut options = Options::new(&dir);
            options.allow_loopback = paths::dev_allow_loopback();
            let pm = Pulsemap::open(options)
                .with_context(|| format!("cannot open the Pulsemap data in {}", dir.display()))?;
            app.manage(AppState::new(pm));
            if demo_mode {
                let state = app.state::<AppState>();
                tauri::async_runtime::block_on(demo::start(&state))
                    .context("cannot start demo mode")?;
            }
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::connection::app_info,
            commands::connection::connection_status,
            commands::connection::save_connection,
            commands::connection::delete_connection,
            commands::connection::set_rotation_reminder_days,
            commands::connection::start_demo,
            commands::connection::leave_demo,
            commands::connection::list_surveys,
            commands::connection::survey_questions,
            commands::maps::list_maps,
            commands::maps::create_map,
            commands::maps::rename_map,
            commands::maps::delete_map,
            commands::maps::open_map,
            commands::maps::add_stage,
            commands::maps::rename_stage,
            commands::maps::move_stage,
            commands::maps::delete_stage,
            commands::maps::add_lane,
            commands::maps::rename_lane,
            commands::maps::move_lane,
            commands::maps::delete_lane,
            commands::cards::add_text_card,
            commands::cards::add_metric_card,
            commands::cards::update_text_card,
            commands::cards::update_metric_card,
            commands::cards::move_card,
            commands::cards::delete_card,
            commands::cards::preview_metric,
            commands::cards::card_chart_svg,
            commands::refresh::refresh_map,
            commands::export::export_map,
            commands::export::debug_export,
        ])
        .run(tauri::generate_context!())
        .context("the desktop shell stopped with an error")?;
    Ok(())
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("PULSEMAP_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
