//! Commands of the Integrations > Qualtrics page and the survey pickers.
//!
//! Contract: one-line adapters into [`pulsemap_core::app::Pulsemap`]; no logic here beyond
//! choosing the active facade (user or demo data), shaping `app_info`, and starting the
//! background import of a survey the card modal opens before its first refresh.

use pulsemap_core::dto::{
    ConnectionInput, ConnectionStatus, RefreshMode, SurveyQuestions, SurveySummaryDto,
};
use pulsemap_core::SurveyId;
use serde::Serialize;
use tauri::{AppHandle, State};
use ts_rs::TS;

use crate::commands::refresh::spawn_refresh;
use crate::error::CommandResult;
use crate::input::Input;
use crate::state::AppState;

/// What the sidebar shows about the app.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AppInfo {
    /// Crate version.
    pub version: String,
    /// Demo data active.
    pub demo: bool,
    /// Data dir of the active facade.
    pub data_dir: String,
}

#[tauri::command]
#[tracing::instrument(err, skip(state))]
pub async fn app_info(state: State<'_, AppState>) -> CommandResult<AppInfo> {
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        demo: state.is_demo(),
        data_dir: state.pm().data_dir().display().to_string(),
    })
}

#[tauri::command]
#[tracing::instrument(err, skip(state))]
pub async fn connection_status(state: State<'_, AppState>) -> CommandResult<ConnectionStatus> {
    Ok(state.pm().connection_status().await?)
}

#[tauri::command]
#[tracing::instrument(err, skip(state, input))]
pub async fn save_connection(
    state: State<'_, AppState>,
    input: ConnectionInput,
) -> CommandResult<ConnectionStatus> {
    Ok(state.pm().save_connection(input).await?)
}

#[tauri::command]
#[tracing::instrument(err, skip(state))]
pub async fn set_rotation_reminder_days(
    state: State<'_, AppState>,
    days: u32,
) -> CommandResult<ConnectionStatus> {
    Ok(state.pm().set_rotation_reminder_days(days)?)
}

#[tauri::command]
#[tracing::instrument(err, skip(state))]
pub async fn delete_connection(state: State<'_, AppState>) -> CommandResult<ConnectionStatus> {
    let pm = state.pm();
    pm.delete_connection()?;
    Ok(pm.cached_connection_status()?)
}

#[tauri::command]
#[tracing::instrument(err, skip(state))]
pub async fn start_demo(state: State<'_, AppState>) -> CommandResult<ConnectionStatus> {
    crate::demo::start(&state).await
}

#[tauri::command]
#[tracing::instrument(err, skip(state))]
pub async fn leave_demo(state: State<'_, AppState>) -> CommandResult<ConnectionStatus> {
    crate::demo::leave(&state).await
}

#[tauri::command]
#[tracing::instrument(err, skip(state))]
pub async fn list_surveys(state: State<'_, AppState>) -> CommandResult<Vec<SurveySummaryDto>> {
    Ok(state.pm().list_surveys().await?)
}

/// Questions (and embedded fields) of a survey. A survey never refreshed has none cached:
/// only its definition is fetched (one request) so the card modal fills at once, and its
/// responses are then imported in the background (`refresh-progress` / `refresh-finished`
/// events; the preview re-runs when that finishes).
#[tauri::command]
#[tracing::instrument(err, skip(app, state))]
pub async fn survey_questions(
    app: AppHandle,
    state: State<'_, AppState>,
    survey_id: Input<SurveyId>,
) -> CommandResult<SurveyQuestions> {
    let (pm, survey_id) = (state.pm(), survey_id.get()?.clone());
    let questions = pm.load_survey_questions(&survey_id).await?;
    if !questions.responses_cached {
        spawn_refresh(app, pm, vec![survey_id], RefreshMode::Force);
    }
    Ok(questions)
}
