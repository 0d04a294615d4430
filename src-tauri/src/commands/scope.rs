//! Commands of the card modal's scope pickers: a survey's saved filters and the values of an
//! embedded data field (issue 13).
//!
//! Contract: one-line adapters into the core facade.

use pulsemap_core::metrics::{FieldValueCount, SavedFilter};
use pulsemap_core::SurveyId;
use tauri::State;

use crate::error::CommandResult;
use crate::input::Input;
use crate::state::AppState;

#[tauri::command]
#[tracing::instrument(err, skip(state))]
pub async fn list_survey_filters(
    state: State<'_, AppState>,
    survey_id: Input<SurveyId>,
) -> CommandResult<Vec<SavedFilter>> {
    Ok(state.pm().list_survey_filters(survey_id.get()?).await?)
}

#[tauri::command]
#[tracing::instrument(err, skip(state))]
pub async fn field_values(
    state: State<'_, AppState>,
    survey_id: Input<SurveyId>,
    field: String,
) -> CommandResult<Vec<FieldValueCount>> {
    Ok(state.pm().field_values(survey_id.get()?, &field)?)
}
