//! Commands that write files the user asked for: map export (PNG/PDF) and the support debug
//! bundle.
//!
//! Contract:
//! - The destination comes from the native save dialog (`tauri-plugin-dialog`, run on a
//!   blocking thread); `Ok(None)` means the user cancelled. The saved path is returned.
//! - **Test hook**: with `PULSEMAP_E2E_SAVE_DIR` set the dialog is skipped and the file is
//!   written into that dir under the suggested name (see [`crate::paths`]).
//! - The files are written by core (`export_map_png/pdf`, `debug_export`); the
//!   debug bundle never contains the token (core's guarantee, checked by the e2e test).

use std::path::PathBuf;

use pulsemap_core::dto::DebugExportOptions;
use pulsemap_core::ErrorKind;
use pulsemap_core::{MapId, SurveyId};
use serde::Deserialize;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

use crate::error::{CommandError, CommandResult};
use crate::input::Input;
use crate::paths::{e2e_save_dir, safe_file_stem};
use crate::state::AppState;

/// Map export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ExportFormat {
    /// PNG image.
    Png,
    /// PDF document.
    Pdf,
}

impl ExportFormat {
    fn extension(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Pdf => "pdf",
        }
    }

    fn filter_name(self) -> &'static str {
        match self {
            Self::Png => "PNG image",
            Self::Pdf => "PDF document",
        }
    }
}

/// Asks where to save `file_name` (or uses the e2e hook dir); `None` = cancelled.
pub(crate) async fn save_target(
    app: &AppHandle,
    file_name: String,
    filter: &'static str,
    extension: &'static str,
) -> CommandResult<Option<PathBuf>> {
    if let Some(dir) = e2e_save_dir() {
        std::fs::create_dir_all(&dir)?;
        return Ok(Some(dir.join(file_name)));
    }
    let dialog = app
        .dialog()
        .file()
        .set_file_name(&file_name)
        .add_filter(filter, &[extension]);
    let picked = tauri::async_runtime::spawn_blocking(move || dialog.blocking_save_file()).await?;
    match picked {
        None => Ok(None),
        Some(fp) => fp.into_path().map(Some).map_err(|e| {
            CommandError::new(ErrorKind::InvalidInput, format!("cannot save there: {e}"))
        }),
    }
}

#[tauri::command]
#[tracing::instrument(err, skip(app, state))]
pub async fn export_map(
    app: AppHandle,
    state: State<'_, AppState>,
    map_id: Input<MapId>,
    format: ExportFormat,
) -> CommandResult<Option<String>> {
    let (pm, map_id) = (state.pm(), map_id.get()?);
    let view = pm.open_map(map_id)?;
    let name = format!("{}.{}", safe_file_stem(&view.map.name), format.extension());
    let Some(path) = save_target(&app, name, format.filter_name(), format.extension()).await?
    else {
        return Ok(None);
    };
    let written = match format {
        ExportFormat::Png => pm.export_map_png(map_id, &path),
        ExportFormat::Pdf => pm.export_map_pdf(map_id, &path),
    };
    written?;
    Ok(Some(path.display().to_string()))
}

#[tauri::command]
#[tracing::instrument(err, skip(app, state))]
pub async fn debug_export(
    app: AppHandle,
    state: State<'_, AppState>,
    survey_id: Input<SurveyId>,
    redact_pii: bool,
) -> CommandResult<Option<String>> {
    let (pm, survey_id) = (state.pm(), survey_id.get()?.clone());
    let name = format!("pulsemap-debug-{}.zip", safe_file_stem(&survey_id));
    let Some(path) = save_target(&app, name, "Zip archive", "zip").await? else {
        return Ok(None);
    };
    // The native save dialog already asked before replacing a file; core still refuses the
    // data dir and anything that is not a regular file.
    let options = DebugExportOptions {
        redact_pii,
        overwrite: true,
    };
    let summary =
        tauri::async_runtime::spawn_blocking(move || pm.debug_export(&survey_id, &path, options))
            .await??;
    Ok(Some(summary.path.display().to_string()))
}
