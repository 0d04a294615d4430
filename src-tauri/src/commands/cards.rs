//! Commands editing the cards of a map, and the metric preview of the card modal.
//!
//! Contract: one-line adapters into the core facade; every edit returns the updated
//! [`MapView`] from the cache. Metric values are computed by core only (adding or editing a
//! metric card computes and caches its value from the cached responses).

use pulsemap_core::maps::{self, MapView};
use pulsemap_core::metrics::{MetricCardConfig, MetricValue};
use serde::Serialize;
use tauri::State;

use crate::error::CommandResult;
use crate::state::AppState;

/// The live preview of the metric modal.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricPreview {
    /// The computed value.
    pub value: MetricValue,
    /// The chart of the card, as SVG (None when the card has no chart).
    pub chart_svg: Option<String>,
}

#[tauri::command]
pub async fn add_text_card(
    state: State<'_, AppState>,
    map_id: String,
    stage_id: String,
    lane_id: String,
    text: String,
) -> CommandResult<MapView> {
    let pm = state.pm();
    let card = pm.add_text_card(&map_id, &stage_id, &lane_id, &text)?;
    Ok(pm.open_map(&card.map_id)?)
}

#[tauri::command]
pub async fn add_metric_card(
    state: State<'_, AppState>,
    map_id: String,
    stage_id: String,
    lane_id: String,
    config: MetricCardConfig,
) -> CommandResult<MapView> {
    let pm = state.pm();
    let view = pm.add_metric_card(&map_id, &stage_id, &lane_id, &config)?;
    Ok(pm.open_map(&view.card.map_id)?)
}

#[tauri::command]
pub async fn update_text_card(
    state: State<'_, AppState>,
    card_id: String,
    text: String,
) -> CommandResult<MapView> {
    let pm = state.pm();
    let card = pm.update_text_card(&card_id, &text)?;
    Ok(pm.open_map(&card.map_id)?)
}

#[tauri::command]
pub async fn update_metric_card(
    state: State<'_, AppState>,
    card_id: String,
    config: MetricCardConfig,
) -> CommandResult<MapView> {
    let pm = state.pm();
    let view = pm.update_metric_card(&card_id, &config)?;
    Ok(pm.open_map(&view.card.map_id)?)
}

#[tauri::command]
pub async fn move_card(
    state: State<'_, AppState>,
    card_id: String,
    stage_id: String,
    lane_id: String,
    position: u32,
) -> CommandResult<MapView> {
    let pm = state.pm();
    let card = pm.move_card(&card_id, &stage_id, &lane_id, position)?;
    Ok(pm.open_map(&card.map_id)?)
}

#[tauri::command]
pub async fn delete_card(state: State<'_, AppState>, card_id: String) -> CommandResult<MapView> {
    let pm = state.pm();
    let map_id = maps::get_card(pm.store(), &card_id)?.map_id;
    pm.delete_card(&card_id)?;
    Ok(pm.open_map(&map_id)?)
}

#[tauri::command]
pub async fn preview_metric(
    state: State<'_, AppState>,
    config: MetricCardConfig,
) -> CommandResult<MetricPreview> {
    let pm = state.pm();
    let value = pm.preview_metric(&config)?;
    let chart_svg = crate::charts::chart_svg(&config, &value)?;
    Ok(MetricPreview { value, chart_svg })
}

#[tauri::command]
pub async fn card_chart_svg(
    state: State<'_, AppState>,
    card_id: String,
) -> CommandResult<Option<String>> {
    let pm = state.pm();
    let card = maps::get_card(pm.store(), &card_id)?;
    let Some(config) = card.metric_config() else {
        return Ok(None);
    };
    let Some(cached) = pm.store().get_metric_value(&card_id)? else {
        return Ok(None);
    };
    Ok(crate::charts::chart_svg(config, &cached.value)?)
}
