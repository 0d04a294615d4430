//! Commands editing the cards of a map, and the metric preview of the card modal.
//!
//! Contract: one-line adapters into the core facade; every edit returns the updated
//! [`MapView`] from the cache. Metric values are computed by core only (adding or editing a
//! metric card computes and caches its value from the cached responses).

use pulsemap_core::charts::{CARD_CHART_HEIGHT, CARD_CHART_WIDTH};
use pulsemap_core::dto::MetricPreview;
use pulsemap_core::maps::MapView;
use pulsemap_core::metrics::MetricCardConfig;
use pulsemap_core::{CardId, LaneId, MapId, StageId};
use tauri::State;

use crate::error::CommandResult;
use crate::input::Input;
use crate::state::AppState;

#[tauri::command]
#[tracing::instrument(err, skip(state, text))]
pub async fn add_text_card(
    state: State<'_, AppState>,
    map_id: Input<MapId>,
    stage_id: Input<StageId>,
    lane_id: Input<LaneId>,
    text: String,
) -> CommandResult<MapView> {
    Ok(state
        .pm()
        .add_text_card(map_id.get()?, stage_id.get()?, lane_id.get()?, &text)?)
}

#[tauri::command]
#[tracing::instrument(err, skip(state, config))]
pub async fn add_metric_card(
    state: State<'_, AppState>,
    map_id: Input<MapId>,
    stage_id: Input<StageId>,
    lane_id: Input<LaneId>,
    config: Input<MetricCardConfig>,
) -> CommandResult<MapView> {
    Ok(state.pm().add_metric_card(
        map_id.get()?,
        stage_id.get()?,
        lane_id.get()?,
        config.get()?,
    )?)
}

#[tauri::command]
#[tracing::instrument(err, skip(state, text))]
pub async fn update_text_card(
    state: State<'_, AppState>,
    card_id: Input<CardId>,
    text: String,
) -> CommandResult<MapView> {
    Ok(state.pm().update_text_card(card_id.get()?, &text)?)
}

#[tauri::command]
#[tracing::instrument(err, skip(state, config))]
pub async fn update_metric_card(
    state: State<'_, AppState>,
    card_id: Input<CardId>,
    config: Input<MetricCardConfig>,
) -> CommandResult<MapView> {
    Ok(state
        .pm()
        .update_metric_card(card_id.get()?, config.get()?)?)
}

#[tauri::command]
#[tracing::instrument(err, skip(state))]
pub async fn move_card(
    state: State<'_, AppState>,
    card_id: Input<CardId>,
    stage_id: Input<StageId>,
    lane_id: Input<LaneId>,
    position: u32,
) -> CommandResult<MapView> {
    Ok(state
        .pm()
        .move_card(card_id.get()?, stage_id.get()?, lane_id.get()?, position)?)
}

#[tauri::command]
#[tracing::instrument(err, skip(state))]
pub async fn delete_card(
    state: State<'_, AppState>,
    card_id: Input<CardId>,
) -> CommandResult<MapView> {
    Ok(state.pm().delete_card(card_id.get()?)?)
}

#[tauri::command]
#[tracing::instrument(err, skip(state, config))]
pub async fn preview_metric(
    state: State<'_, AppState>,
    config: Input<MetricCardConfig>,
) -> CommandResult<MetricPreview> {
    Ok(state.pm().preview_metric_card(config.get()?)?)
}

#[tauri::command]
#[tracing::instrument(err, skip(state))]
pub async fn card_chart_svg(
    state: State<'_, AppState>,
    card_id: Input<CardId>,
) -> CommandResult<String> {
    Ok(state
        .pm()
        .card_chart_svg(card_id.get()?, CARD_CHART_WIDTH, CARD_CHART_HEIGHT)?)
}
