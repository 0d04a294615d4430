//! Commands editing journey maps, their stages (columns) and lanes (rows).
//!
//! Contract: one-line adapters into the core facade; every edit returns the updated
//! [`MapView`] painted from the cache (no network).

use pulsemap_core::maps::{MapSummary, MapView};
use pulsemap_core::{LaneId, MapId, StageId};
use tauri::State;

use crate::error::CommandResult;
use crate::input::Input;
use crate::state::AppState;

#[tauri::command]
#[tracing::instrument(err, skip(state))]
pub async fn list_maps(state: State<'_, AppState>) -> CommandResult<Vec<MapSummary>> {
    Ok(state.pm().list_maps()?)
}

#[tauri::command]
#[tracing::instrument(err, skip(state, name))]
pub async fn create_map(state: State<'_, AppState>, name: String) -> CommandResult<MapView> {
    Ok(state.pm().create_map(&name)?)
}

#[tauri::command]
#[tracing::instrument(err, skip(state, name))]
pub async fn rename_map(
    state: State<'_, AppState>,
    map_id: Input<MapId>,
    name: String,
) -> CommandResult<MapView> {
    Ok(state.pm().rename_map(map_id.get()?, &name)?)
}

#[tauri::command]
#[tracing::instrument(err, skip(state))]
pub async fn delete_map(state: State<'_, AppState>, map_id: Input<MapId>) -> CommandResult<()> {
    Ok(state.pm().delete_map(map_id.get()?)?)
}

#[tauri::command]
#[tracing::instrument(err, skip(state))]
pub async fn open_map(state: State<'_, AppState>, map_id: Input<MapId>) -> CommandResult<MapView> {
    Ok(state.pm().open_map(map_id.get()?)?)
}

#[tauri::command]
#[tracing::instrument(err, skip(state, name))]
pub async fn add_stage(
    state: State<'_, AppState>,
    map_id: Input<MapId>,
    name: String,
) -> CommandResult<MapView> {
    Ok(state.pm().add_stage(map_id.get()?, &name)?)
}

#[tauri::command]
#[tracing::instrument(err, skip(state, name))]
pub async fn rename_stage(
    state: State<'_, AppState>,
    stage_id: Input<StageId>,
    name: String,
) -> CommandResult<MapView> {
    Ok(state.pm().rename_stage(stage_id.get()?, &name)?)
}

#[tauri::command]
#[tracing::instrument(err, skip(state))]
pub async fn move_stage(
    state: State<'_, AppState>,
    stage_id: Input<StageId>,
    position: u32,
) -> CommandResult<MapView> {
    Ok(state.pm().move_stage(stage_id.get()?, position)?)
}

#[tauri::command]
#[tracing::instrument(err, skip(state))]
pub async fn delete_stage(
    state: State<'_, AppState>,
    stage_id: Input<StageId>,
) -> CommandResult<MapView> {
    Ok(state.pm().delete_stage(stage_id.get()?)?)
}

#[tauri::command]
#[tracing::instrument(err, skip(state, name))]
pub async fn add_lane(
    state: State<'_, AppState>,
    map_id: Input<MapId>,
    name: String,
) -> CommandResult<MapView> {
    Ok(state.pm().add_lane(map_id.get()?, &name)?)
}

#[tauri::command]
#[tracing::instrument(err, skip(state, name))]
pub async fn rename_lane(
    state: State<'_, AppState>,
    lane_id: Input<LaneId>,
    name: String,
) -> CommandResult<MapView> {
    Ok(state.pm().rename_lane(lane_id.get()?, &name)?)
}

#[tauri::command]
#[tracing::instrument(err, skip(state))]
pub async fn move_lane(
    state: State<'_, AppState>,
    lane_id: Input<LaneId>,
    position: u32,
) -> CommandResult<MapView> {
    Ok(state.pm().move_lane(lane_id.get()?, position)?)
}

#[tauri::command]
#[tracing::instrument(err, skip(state))]
pub async fn delete_lane(
    state: State<'_, AppState>,
    lane_id: Input<LaneId>,
) -> CommandResult<MapView> {
    Ok(state.pm().delete_lane(lane_id.get()?)?)
}
