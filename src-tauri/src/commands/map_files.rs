//! Commands for maps that travel: undo/redo, templates, duplicates, `.pulsemap` map files and
//! workshop packs (see `docs/MAP-FORMAT.md`).
//!
//! Contract:
//! - One-line adapters into the core facade (`Pulsemap::undo_map`, `export_map_file`, ...).
//! - Files come from the native dialogs (`tauri-plugin-dialog`, on a blocking thread);
//!   `Ok(None)` means the user cancelled. `pick_map_file` only returns a path: the UI then asks
//!   `inspect_map_file` what it holds and `import_map_file` with the user's survey choices.
//! - **Test hooks**: with `PULSEMAP_E2E_SAVE_DIR` set the save dialog is skipped (as for every
//!   export); with `PULSEMAP_E2E_OPEN_FILE` set the open dialog is skipped and that file picked
//!   (see [`crate::paths`]).

use std::path::PathBuf;

use pulsemap_core::app::UndoState;
use pulsemap_core::maps::file::{MapFilePreview, MapImportOptions, MapImportReport};
use pulsemap_core::maps::templates::MapTemplate;
use pulsemap_core::maps::MapView;
use pulsemap_core::ErrorKind;
use pulsemap_core::MapId;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

use crate::commands::export::save_target;
use crate::error::{CommandError, CommandResult};
use crate::input::Input;
use crate::paths::{e2e_open_file, safe_file_stem};
use crate::state::AppState;

#[tauri::command]
#[tracing::instrument(err, skip(state))]
pub async fn undo_map(state: State<'_, AppState>, map_id: Input<MapId>) -> CommandResult<MapView> {
    Ok(state.pm().undo_map(map_id.get()?)?)
}

#[tauri::command]
#[tracing::instrument(err, skip(state))]
pub async fn redo_map(state: State<'_, AppState>, map_id: Input<MapId>) -> CommandResult<MapView> {
    Ok(state.pm().redo_map(map_id.get()?)?)
}

#[tauri::command]
#[tracing::instrument(err, skip(state))]
pub async fn map_undo_state(
    state: State<'_, AppState>,
    map_id: Input<MapId>,
) -> CommandResult<UndoState> {
    Ok(state.pm().map_undo_state(map_id.get()?)?)
}

#[tauri::command]
#[tracing::instrument(err, skip(state))]
pub async fn list_map_templates(state: State<'_, AppState>) -> CommandResult<Vec<MapTemplate>> {
    Ok(state.pm().list_map_templates()?)
}

#[tauri::command]
#[tracing::instrument(err, skip(state, name))]
pub async fn create_map_from_template(
    state: State<'_, AppState>,
    template_id: String,
    name: Option<String>,
) -> CommandResult<MapView> {
    Ok(state
        .pm()
        .create_map_from_template(&template_id, name.as_deref())?)
}

#[tauri::command]
#[tracing::instrument(err, skip(state, name))]
pub async fn duplicate_map(
    state: State<'_, AppState>,
    map_id: Input<MapId>,
    name: String,
) -> CommandResult<MapView> {
    Ok(state.pm().duplicate_map(map_id.get()?, &name)?)
}

#[tauri::command]
#[tracing::instrument(err, skip(state, name))]
pub async fn save_map_as_template(
    state: State<'_, AppState>,
    map_id: Input<MapId>,
    name: String,
) -> CommandResult<MapTemplate> {
    Ok(state.pm().save_map_as_template(map_id.get()?, &name)?)
}

/// Asks where to save the map file (or workshop pack) and writes it; the saved path.
#[tauri::command]
#[tracing::instrument(err, skip(app, state))]
pub async fn export_map_file(
    app: AppHandle,
    state: State<'_, AppState>,
    map_id: Input<MapId>,
    pack: bool,
) -> CommandResult<Option<String>> {
    let pm = state.pm();
    let stem = safe_file_stem(&pm.open_map(map_id.get()?)?.map.name);
    let name = format!("{stem}{}.pulsemap", if pack { "-pack" } else { "" });
    let Some(path) = save_target(&app, name, "Pulsemap map", "pulsemap").await? else {
        return Ok(None);
    };
    // The native save dialog already asked before replacing a file.
    pm.export_map_file(map_id.get()?, &path, pack, true)?;
    Ok(Some(path.display().to_string()))
}

/// Asks which `.pulsemap` file to open; its path, or `None` when cancelled.
#[tauri::command]
#[tracing::instrument(err, skip(app))]
pub async fn pick_map_file(app: AppHandle) -> CommandResult<Option<String>> {
    if let Some(path) = e2e_open_file() {
        return Ok(Some(path.display().to_string()));
    }
    let dialog = app
        .dialog()
        .file()
        .add_filter("Pulsemap map or workshop pack", &["pulsemap"]);
    let picked = tauri::async_runtime::spawn_blocking(move || dialog.blocking_pick_file()).await?;
    match picked {
        None => Ok(None),
        Some(fp) => fp
            .into_path()
            .map(|p| Some(p.display().to_string()))
            .map_err(|e| {
                CommandError::new(ErrorKind::InvalidInput, format!("cannot open that: {e}"))
            }),
    }
}

#[tauri::command]
#[tracing::instrument(err, skip(state, path))]
pub async fn inspect_map_file(
    state: State<'_, AppState>,
    path: String,
) -> CommandResult<MapFilePreview> {
    Ok(state.pm().inspect_map_file(&PathBuf::from(path))?)
}

#[tauri::command]
#[tracing::instrument(err, skip(state, path, options))]
pub async fn import_map_file(
    state: State<'_, AppState>,
    path: String,
    options: Input<MapImportOptions>,
) -> CommandResult<MapImportReport> {
    Ok(state
        .pm()
        .import_map_file(&PathBuf::from(path), options.get()?)
        .await?)
}
