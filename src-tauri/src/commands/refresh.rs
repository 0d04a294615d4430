//! `refresh_map`: refreshes the surveys of a map in the background and forwards core's
//! progress as Tauri events.
//!
//! Contract:
//! - The command returns as soon as the refresh is scheduled. Per survey of the map (distinct
//!   survey ids of its metric cards) core's [`Pulsemap::refresh_survey`] runs with
//!   `IfStale` (or `Force` when `force`); a survey whose refresh is already running (core
//!   refuses it with `refreshRunning`) is skipped without an event: the running refresh
//!   sends them.
//! - Events: `refresh-progress` (core's [`RefreshProgress`]), one `refresh-finished`
//!   `{ surveyId, ok, error? }` per survey, and `map-values-updated` `{ mapId }` whenever
//!   values may have changed (after each successful survey).
//! - A refresh that fails with `tokenRevoked` also shows an OS notification (the window may be
//!   in the background); other failures only reach the UI.
//! - A failed refresh keeps every cached value (core's guarantee); the error reaches the UI as
//!   `{ kind, message }` in `refresh-finished`.

use pulsemap_core::app::Pulsemap;
use pulsemap_core::dto::{RefreshMode, RefreshProgress};
use pulsemap_core::ErrorKind;
use pulsemap_core::{MapId, SurveyId};
use serde::Serialize;
use tauri::{AppHandle, Emitter, State};
use tauri_plugin_notification::NotificationExt;
use ts_rs::TS;

use crate::error::{CommandError, CommandResult};
use crate::input::Input;
use crate::state::AppState;

/// Event names.
pub const REFRESH_PROGRESS: &str = "refresh-progress";
/// See module docs.
pub const REFRESH_FINISHED: &str = "refresh-finished";
/// See module docs.
pub const MAP_VALUES_UPDATED: &str = "map-values-updated";

/// Payload of `refresh-finished`.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RefreshFinished {
    /// The survey.
    pub survey_id: SurveyId,
    /// Whether the refresh succeeded (or was not needed).
    pub ok: bool,
    /// The failure, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub error: Option<CommandError>,
}

/// Payload of `map-values-updated`.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MapValuesUpdated {
    /// The map whose values changed.
    pub map_id: MapId,
}

#[tauri::command]
#[tracing::instrument(err, skip(app, state))]
pub async fn refresh_map(
    app: AppHandle,
    state: State<'_, AppState>,
    map_id: Input<MapId>,
    force: bool,
) -> CommandResult<()> {
    let pm = state.pm();
    let view = pm.open_map(map_id.get()?)?;
    let mode = if force {
        RefreshMode::Force
    } else {
        RefreshMode::IfStale
    };
    let map_id = view.map.id.clone();
    tauri::async_runtime::spawn(run(app, pm, view.survey_ids(), mode, Some(map_id)));
    Ok(())
}

/// Refreshes `survey_ids` in the background, a few at a time (core's `refresh_surveys`), with
/// the events of the module docs (`map-values-updated` only when `map_id` is given).
pub fn spawn_refresh(app: AppHandle, pm: Pulsemap, survey_ids: Vec<SurveyId>, mode: RefreshMode) {
    tauri::async_runtime::spawn(run(app, pm, survey_ids, mode, None));
}

async fn run(
    app: AppHandle,
    pm: Pulsemap,
    survey_ids: Vec<SurveyId>,
    mode: RefreshMode,
    map_id: Option<MapId>,
) {
    let emitter = app.clone();
    let forward = move |p: RefreshProgress| {
        let _ = emitter.emit(REFRESH_PROGRESS, p);
    };
    pm.refresh_surveys(&survey_ids, mode, &forward, |survey_id, result| {
        let finished = match result {
            Err(e) if e.kind() == ErrorKind::RefreshRunning => return,
            Ok(_) => RefreshFinished {
                survey_id: survey_id.clone(),
                ok: true,
                error: None,
            },
            Err(e) => {
                if e.kind() == ErrorKind::TokenRevoked {
                    notify_token_revoked(&app);
                }
                RefreshFinished {
                    survey_id: survey_id.clone(),
                    ok: false,
                    error: Some(e.into()),
                }
            }
        };
        let ok = finished.ok;
        let _ = app.emit(REFRESH_FINISHED, finished);
        if let (true, Some(map_id)) = (ok, &map_id) {
            let _ = app.emit(
                MAP_VALUES_UPDATED,
                MapValuesUpdated {
                    map_id: map_id.clone(),
                },
            );
        }
    })
    .await;
}

/// Tells the user, outside the window, that Qualtrics no longer accepts the token.
fn notify_token_revoked(app: &AppHandle) {
    let shown = app
        .notification()
        .builder()
        .title("Pulsemap: Qualtrics token revoked")
        .body("Qualtrics no longer accepts the saved token. Cached values stay on the maps; reconnect in Integrations to refresh them.")
        .show();
    if let Err(e) = shown {
        tracing::warn!("cannot show the token-revoked notification: {e}");
    }
}
