//! Commands editing journey maps, their stages (columns) and lanes (rows).
//!
//! Contract: one-line adapters into `pulsemap_core::maps`; every edit returns the updated
//! [`MapView`] painted from the cache (no network).

use pulsemap_core::app::Pulsemap;
use pulsemap_core::maps::{self, MapSummary, MapView};
use pulsemap_core::Error;
use tauri::State;

use crate::error::CommandResult;
use crate::state::AppState;

#[tauri::command]
pub async fn list_maps(state: State<'_, AppState>) -> CommandResult<Vec<MapSummary>> {
    Ok(maps::list_maps(state.pm().store())?)
}

#[tauri::command]
pub async fn create_map(state: State<'_, AppState>, name: String) -> CommandResult<MapView> {
    let pm = state.pm();
    let map = maps::create_map(pm.store(), &name)?;
    Ok(maps::open_map(pm.store(), &map.id)?)
}

#[tauri::command]
pub async fn rename_map(
    state: State<'_, AppState>,
    map_id: String,
    name: String,
) -> CommandResult<MapView> {
    let pm = state.pm();
    maps::rename_map(pm.store(), &map_id, &name)?;
    Ok(maps::open_map(pm.store(), &map_id)?)
}

#[tauri::command]
pub async fn delete_map(state: State<'_, AppState>, map_id: String) -> CommandResult<()> {
    Ok(maps::delete_map(state.pm().store(), &map_id)?)
}

#[tauri::command]
pub async fn open_map(state: State<'_, AppState>, map_id: String) -> CommandResult<MapView> {
    Ok(maps::open_map(state.pm().store(), &map_id)?)
}

#[tauri::command]
pub async fn add_stage(
    state: State<'_, AppState>,
    map_id: String,
    name: String,
) -> CommandResult<MapView> {
    let pm = state.pm();
    let stage = maps::add_stage(pm.store(), &map_id, &name)?;
    Ok(maps::open_map(pm.store(), &stage.map_id)?)
}

#[tauri::command]
pub async fn rename_stage(
    state: State<'_, AppState>,
    stage_id: String,
    name: String,
) -> CommandResult<MapView> {
    let pm = state.pm();
    let stage = maps::rename_stage(pm.store(), &stage_id, &name)?;
    Ok(maps::open_map(pm.store(), &stage.map_id)?)
}

#[tauri::command]
pub async fn move_stage(
    state: State<'_, AppState>,
    stage_id: String,
    position: u32,
) -> CommandResult<MapView> {
    let pm = state.pm();
    let stage = maps::move_stage(pm.store(), &stage_id, position)?;
    Ok(maps::open_map(pm.store(), &stage.map_id)?)
}

#[tauri::command]
pub async fn delete_stage(state: State<'_, AppState>, stage_id: String) -> CommandResult<MapView> {
    let pm = state.pm();
    let map_id = map_containing(&pm, |v| v.stages.iter().any(|s| s.id == stage_id))?;
    maps::delete_stage(pm.store(), &stage_id)?;
    Ok(maps::open_map(pm.store(), &map_id)?)
}

#[tauri::command]
pub async fn add_lane(
    state: State<'_, AppState>,
    map_id: String,
    name: String,
) -> CommandResult<MapView> {
    let pm = state.pm();
    let lane = maps::add_lane(pm.store(), &map_id, &name)?;
    Ok(maps::open_map(pm.store(), &lane.map_id)?)
}

#[tauri::command]
pub async fn rename_lane(
    state: State<'_, AppState>,
    lane_id: String,
    name: String,
) -> CommandResult<MapView> {
    let pm = state.pm();
    let lane = maps::rename_lane(pm.store(), &lane_id, &name)?;
    Ok(maps::open_map(pm.store(), &lane.map_id)?)
}

#[tauri::command]
pub async fn move_lane(
    state: State<'_, AppState>,
    lane_id: String,
    position: u32,
) -> CommandResult<MapView> {
    let pm = state.pm();
    let lane = maps::move_lane(pm.store(), &lane_id, position)?;
    Ok(maps::open_map(pm.store(), &lane.map_id)?)
}

#[tauri::command]
pub async fn delete_lane(state: State<'_, AppState>, lane_id: String) -> CommandResult<MapView> {
    let pm = state.pm();
    let map_id = map_containing(&pm, |v| v.lanes.iter().any(|l| l.id == lane_id))?;
    maps::delete_lane(pm.store(), &lane_id)?;
    Ok(maps::open_map(pm.store(), &map_id)?)
}

/// The id of the map whose view satisfies `has` (core deletes by stage/lane id only).
fn map_containing(pm: &Pulsemap, has: impl Fn(&MapView) -> bool) -> CommandResult<String> {
    for summary in maps::list_maps(pm.store())? {
        let view = maps::open_map(pm.store(), &summary.id)?;
        if has(&view) {
            return Ok(summary.id);
        }
    }
    Err(Error::not_found("that stage or lane does not exist (any more)").into())
}
