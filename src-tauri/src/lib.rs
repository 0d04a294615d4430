//! Pulsemap desktop shell: a thin Tauri 2 layer over `pulsemap-core`.
//!
//! Contract:
//! - [`run`] opens the core facade on the data dir (`PULSEMAP_DATA_DIR` or the platform app
//!   data dir, see [`paths`]), registers the commands of [`commands`] and the dialog plugin,
//!   and opens the "Pulsemap" window (1280x800, from the root `tauri.conf.json`).
//! - `--demo` switches to the bundled simulator before the window shows (see [`demo`]).
//! - Desktop conventions through Tauri's plugins: one instance (single-instance; a second
//!   launch focuses the first, so two processes never write one database), window size and
//!   position remembered (window-state), the native menu of [`menu`], URLs and folders opened
//!   with opener, and an OS notification when a background refresh finds the token revoked
//!   (notification, see `commands::refresh`).
//! - All behaviour lives in core; this crate only adapts arguments, errors ([`error`]) and
//!   events (`commands::refresh`).

pub mod commands;
pub mod demo;
pub mod error;
pub mod input;
pub mod menu;
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
        // First, so a second launch hands over before opening anything.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
            }
        }))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        .on_menu_event(menu::on_event)
        .setup(move |app| {
            let platform = app.path().app_data_dir().ok();
            let dir =
                paths::data_dir(|| platform).context("no data directory: set PULSEMAP_DATA_DIR")?;
            let pm = Pulsemap::open(Options::new(&dir))
                .with_context(|| format!("cannot open the Pulsemap data in {}", dir.display()))?;
            let about_dir = pm.data_dir().display().to_string();
            app.manage(AppState::new(pm));
            app.set_menu(menu::build(app.handle(), &about_dir)?)?;
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
            commands::map_files::undo_map,
            commands::map_files::redo_map,
            commands::map_files::map_undo_state,
            commands::map_files::list_map_templates,
            commands::map_files::create_map_from_template,
            commands::map_files::duplicate_map,
            commands::map_files::save_map_as_template,
            commands::map_files::export_map_file,
            commands::map_files::pick_map_file,
            commands::map_files::inspect_map_file,
            commands::map_files::import_map_file,
            commands::cards::add_text_card,
            commands::cards::add_metric_card,
            commands::cards::update_text_card,
            commands::cards::update_metric_card,
            commands::cards::move_card,
            commands::cards::delete_card,
            commands::cards::preview_metric,
            commands::cards::card_chart_svg,
            commands::scope::list_survey_filters,
            commands::scope::field_values,
            commands::refresh::refresh_map,
            commands::export::export_map,
            commands::export::debug_export,
            commands::support::support_address,
            commands::support::set_support_address,
            commands::support::contact_support,
            commands::support::reveal_file,
            commands::support::response_cache_sizes,
            commands::support::clear_cached_responses,
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
