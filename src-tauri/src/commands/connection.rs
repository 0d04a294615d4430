//! Commands of the Integrations > Qualtrics page and the survey pickers.
//!
//! Contract: one-line adapters into [`pulsemap_core::app::Pulsemap`]; no logic here beyond
//! choosing the active facade (user or demo data) and shaping `app_info`.

use pulsemap_core::dto::{
    ConnectionInput, ConnectionStatus, RefreshProgress, SurveyQuestions, SurveySummaryDto,
};
use serde::Serialize;
use tauri::{AppHandle, Emitter, State};

use crate::commands::refresh::REFRESH_PROGRESS;
use crate::error::CommandResult;
use crate::state::AppState;

/// What the sidebar shows about the app.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// Crate version.
    pub version: String,
    /// Demo data active.
    pub demo: bool,
    /// Data dir of the active facade.
    pub data_dir: String,
}

#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> CommandResult<AppInfo> {
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        demo: state.is_demo(),
        data_dir: state.pm().data_dir().display().to_string(),
    })
}

#[tauri::command]
pub async fn connection_status(state: State<'_, AppState>) -> CommandResult<ConnectionStatus> {
    Ok(state.pm().connection_status().await?)
}

#[tauri::command]
pub async fn save_connection(
    state: State<'_, AppState>,
    input: ConnectionInput,
) -> CommandResult<ConnectionStatus> {
    Ok(state.pm().save_connection(input).await?)
}

#[tauri::command]
pub async fn delete_connection(state: State<'_, AppState>) -> CommandResult<ConnectionStatus> {
    let pm = state.pm();
    pm.delete_connection()?;
    Ok(pm.cached_connection_status()?)
}

#[tauri::command]
pub async fn start_demo(state: State<'_, AppState>) -> CommandResult<ConnectionStatus> {
    crate::demo::start(&state).await
}

#[tauri::command]
pub async fn list_surveys(state: State<'_, AppState>) -> CommandResult<Vec<SurveySummaryDto>> {
    Ok(state.pm().list_surveys().await?)
}

/// Questions (and embedded fields) of a survey from the cache. A survey never refreshed has
/// none cached: it is refreshed first (progress goes out as `refresh-progress` events), so
/// a card can be built and previewed right away.
#[tauri::command]
pub async fn survey_questions(
    app: AppHandle,
    state: State<'_, AppState>,
    survey_id: String,
) -> CommandResult<SurveyQuestions> {
    let forward = move |p: RefreshProgress| {
        let _ = app.emit(REFRESH_PROGRESS, p);
    };
    Ok(state
        .pm()
        .load_survey_questions(&survey_id, forward)
        .await?)
}
