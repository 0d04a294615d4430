//! Support: the configurable support address, "Contact support" (a prepared email) and
//! revealing a saved debug bundle in the file manager.
//!
//! Contract: address and email come from core ([`pulsemap_core::support`]); these commands
//! only hand URLs and paths to `tauri-plugin-opener`. `contact_support` returns `None` when no
//! address is set (the UI then opens the settings to set one) and never attaches a file.

use std::path::PathBuf;

use pulsemap_core::support::SupportMail;
use pulsemap_core::SurveyId;
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

use crate::error::{CommandError, CommandResult};
use crate::input::Input;
use crate::state::AppState;

#[tauri::command]
#[tracing::instrument(err, skip(state))]
pub async fn support_address(state: State<'_, AppState>) -> CommandResult<Option<String>> {
    Ok(state.pm().support_address()?)
}

#[tauri::command]
#[tracing::instrument(err, skip(state, address))]
pub async fn set_support_address(
    state: State<'_, AppState>,
    address: String,
) -> CommandResult<String> {
    Ok(state.pm().set_support_address(&address)?)
}

#[tauri::command]
#[tracing::instrument(err, skip(app, state, bundle))]
pub async fn contact_support(
    app: AppHandle,
    state: State<'_, AppState>,
    bundle: Option<PathBuf>,
) -> CommandResult<Option<SupportMail>> {
    let mail = state.pm().support_mail(bundle.as_deref())?;
    if let Some(mail) = &mail {
        app.opener()
            .open_url(&mail.mailto, None::<&str>)
            .map_err(opener_error)?;
    }
    Ok(mail)
}

#[tauri::command]
#[tracing::instrument(err, skip(app, path))]
pub async fn reveal_file(app: AppHandle, path: PathBuf) -> CommandResult<()> {
    app.opener().reveal_item_in_dir(&path).map_err(opener_error)
}

fn opener_error(e: tauri_plugin_opener::Error) -> CommandError {
    CommandError::internal(format!("the desktop could not open it: {e}"))
}

#[tauri::command]
pub async fn response_cache_sizes(
    state: State<'_, AppState>,
) -> CommandResult<Vec<pulsemap_core::store::SurveyCacheSize>> {
    Ok(state.pm().response_cache_sizes()?)
}

#[tauri::command]
pub async fn clear_cached_responses(
    state: State<'_, AppState>,
    survey_id: Input<SurveyId>,
) -> CommandResult<Vec<pulsemap_core::store::SurveyCacheSize>> {
    Ok(state.pm().clear_cached_responses(survey_id.get()?)?)
}
