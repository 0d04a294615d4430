//! Map, stage, lane and card operations of the [`Pulsemap`] facade, plus chart and map
//! exports.
//!
//! Contract: everything here works offline from the SQLite cache. Adding or editing a metric
//! card computes its value from the cached responses at once and caches it (so a reopened map
//! paints it immediately); when the value cannot be computed yet (survey never refreshed) the
//! card is still saved and shows no value until the next refresh.
//!
//! Every edit of a map (its name, stages, lanes and cards; deletes included) returns the
//! repainted [`MapView`] of the map it changed, so a caller never reopens the map or looks
//! for the owner of a stage, lane or card. Deleting a whole map returns nothing (no map
//! is left to paint).

use std::path::Path;

use chrono::{DateTime, Utc};

use super::Pulsemap;
use crate::error::Result;
use crate::ids::{CardId, LaneId, MapId, StageId, SurveyId};
use crate::maps::{self, Card, CardView, MapSummary, MapView};
use crate::metrics::{Clock, MetricCardConfig};

impl Pulsemap {
    /// Every map, for the map list.
    pub fn list_maps(&self) -> Result<Vec<MapSummary>> {
        maps::list_maps(self.store())
    }

    /// Creates an empty map.
    pub fn create_map(&self, name: &str) -> Result<MapView> {
        let map = maps::create_map(self.store(), name)?;
        self.open_map(&map.id)
    }

    /// Renames a map.
    pub fn rename_map(&self, map_id: &MapId, name: &str) -> Result<MapView> {
        self.edit_map(map_id, || maps::rename_map(self.store(), map_id, name))?;
        self.open_map(map_id)
    }

    /// Deletes a map with its stages, lanes and cards.
    pub fn delete_map(&self, map_id: &MapId) -> Result<()> {
        maps::delete_map(self.store(), map_id)?;
        self.forget_history(map_id)
    }

    /// The whole map with every card's cached value, from the cache only (no network); a
    /// value whose relative range moved since it was computed (a new day) is recomputed from
    /// the cached responses first.
    pub fn open_map(&self, map_id: &MapId) -> Result<MapView> {
        self.open_map_at(map_id, &Clock::system())
    }

    /// [`Pulsemap::open_map`] with relative ranges resolved on `clock`.
    pub fn open_map_at(&self, map_id: &MapId, clock: &Clock) -> Result<MapView> {
        maps::open_map_at(self.store(), map_id, clock)
    }

    /// Surveys used by the map whose last refresh attempt is older than one hour (or that
    /// were never refreshed): what the app refreshes on load. None for a read-only workshop
    /// pack (its values are frozen).
    pub fn stale_surveys(&self, map_id: &MapId) -> Result<Vec<SurveyId>> {
        let now = Utc::now();
        let mut out = Vec::new();
        let view = self.open_map(map_id)?;
        if view.map.data_as_of.is_some() {
            return Ok(out);
        }
        for id in view.survey_ids() {
            if self.is_survey_stale(&id, now)? {
                out.push(id);
            }
        }
        Ok(out)
    }

    /// Appends a stage (column).
    pub fn add_stage(&self, map_id: &MapId, name: &str) -> Result<MapView> {
        self.edit_map(map_id, || maps::add_stage(self.store(), map_id, name))?;
        self.open_map(map_id)
    }

    /// Renames a stage.
    pub fn rename_stage(&self, stage_id: &StageId, name: &str) -> Result<MapView> {
        let map_id = self.owner("stages", "stage", stage_id)?;
        self.edit_map(&map_id, || maps::rename_stage(self.store(), stage_id, name))?;
        self.open_map(&map_id)
    }

    /// Moves a stage to `position`.
    pub fn move_stage(&self, stage_id: &StageId, position: u32) -> Result<MapView> {
        let map_id = self.owner("stages", "stage", stage_id)?;
        self.edit_map(&map_id, || {
            maps::move_stage(self.store(), stage_id, position)
        })?;
        self.open_map(&map_id)
    }

    /// Deletes a stage and its cards.
    pub fn delete_stage(&self, stage_id: &StageId) -> Result<MapView> {
        let map_id = self.owner("stages", "stage", stage_id)?;
        self.edit_map(&map_id, || maps::delete_stage(self.store(), stage_id))?;
        self.open_map(&map_id)
    }

    /// Appends a lane (row).
    pub fn add_lane(&self, map_id: &MapId, name: &str) -> Result<MapView> {
        self.edit_map(map_id, || maps::add_lane(self.store(), map_id, name))?;
        self.open_map(map_id)
    }

    /// Renames a lane.
    pub fn rename_lane(&self, lane_id: &LaneId, name: &str) -> Result<MapView> {
        let map_id = self.owner("lanes", "lane", lane_id)?;
        self.edit_map(&map_id, || maps::rename_lane(self.store(), lane_id, name))?;
        self.open_map(&map_id)
    }

    /// Moves a lane to `position`.
    pub fn move_lane(&self, lane_id: &LaneId, position: u32) -> Result<MapView> {
        let map_id = self.owner("lanes", "lane", lane_id)?;
        self.edit_map(&map_id, || maps::move_lane(self.store(), lane_id, position))?;
        self.open_map(&map_id)
    }

    /// Deletes a lane and its cards.
    pub fn delete_lane(&self, lane_id: &LaneId) -> Result<MapView> {
        let map_id = self.owner("lanes", "lane", lane_id)?;
        self.edit_map(&map_id, || maps::delete_lane(self.store(), lane_id))?;
        self.open_map(&map_id)
    }

    /// Adds a text card at the end of a cell.
    pub fn add_text_card(
        &self,
        map_id: &MapId,
        stage_id: &StageId,
        lane_id: &LaneId,
        text: &str,
    ) -> Result<MapView> {
        self.edit_map(map_id, || {
            maps::add_text_card(self.store(), map_id, stage_id, lane_id, text)
        })?;
        self.open_map(map_id)
    }

    /// Adds a metric card at the end of a cell and caches its value (see the module docs).
    pub fn add_metric_card(
        &self,
        map_id: &MapId,
        stage_id: &StageId,
        lane_id: &LaneId,
        config: &MetricCardConfig,
    ) -> Result<MapView> {
        let card = self.edit_map(map_id, || {
            maps::add_metric_card(self.store(), map_id, stage_id, lane_id, config)
        })?;
        self.compute_and_cache(card)?;
        self.open_map(map_id)
    }

    /// Replaces a text card's text.
    pub fn update_text_card(&self, card_id: &CardId, text: &str) -> Result<MapView> {
        let map_id = self.owner("cards", "card", card_id)?;
        self.edit_map(&map_id, || {
            maps::update_text_card(self.store(), card_id, text)
        })?;
        self.open_map(&map_id)
    }

    /// Replaces a metric card's configuration and recomputes its value from the cache.
    pub fn update_metric_card(
        &self,
        card_id: &CardId,
        config: &MetricCardConfig,
    ) -> Result<MapView> {
        let map_id = self.owner("cards", "card", card_id)?;
        let card = self.edit_map(&map_id, || {
            maps::update_metric_card(self.store(), card_id, config)
        })?;
        self.compute_and_cache(card)?;
        self.open_map(&map_id)
    }

    /// Moves a card to another cell / position.
    pub fn move_card(
        &self,
        card_id: &CardId,
        stage_id: &StageId,
        lane_id: &LaneId,
        position: u32,
    ) -> Result<MapView> {
        let map_id = self.owner("cards", "card", card_id)?;
        self.edit_map(&map_id, || {
            maps::move_card(self.store(), card_id, stage_id, lane_id, position)
        })?;
        self.open_map(&map_id)
    }

    /// Deletes a card.
    pub fn delete_card(&self, card_id: &CardId) -> Result<MapView> {
        let map_id = self.owner("cards", "card", card_id)?;
        self.edit_map(&map_id, || maps::delete_card(self.store(), card_id))?;
        self.open_map(&map_id)
    }

    fn owner(&self, table: &str, noun: &str, id: &str) -> Result<MapId> {
        maps::owner_map(self.store(), table, noun, id)
    }

    /// The card's chart as SVG, drawn from its cached value (computed now if none is cached).
    pub fn card_chart_svg(&self, card_id: &CardId, width: u32, height: u32) -> Result<String> {
        let card = maps::get_card(self.store(), card_id)?;
        let Some(config) = card.metric_config().cloned() else {
            return Err(crate::Error::invalid(format!(
                "card {card_id} is a text card"
            )));
        };
        let view = self.compute_if_missing(card)?;
        let value = view.cached_value.ok_or_else(|| {
            crate::Error::not_found("the card has no value yet: refresh its survey first")
        })?;
        crate::charts::render_svg(&config, &value, width, height)
    }

    /// Writes the map as a PNG image to `dest` (from the cache); returns the bytes written.
    pub fn export_map_png(&self, map_id: &MapId, dest: &Path) -> Result<u64> {
        let png = maps::export::render_map_png(&self.open_map(map_id)?, 2.0)?;
        write_export(self.data_dir(), dest, &png)
    }

    /// Writes the map as a one-page PDF to `dest` (from the cache); returns the bytes written.
    pub fn export_map_pdf(&self, map_id: &MapId, dest: &Path) -> Result<u64> {
        let pdf = maps::export::render_map_pdf(&self.open_map(map_id)?)?;
        write_export(self.data_dir(), dest, &pdf)
    }

    /// Last full refresh of a metric card's survey (`None` for text cards).
    fn full_sync_of(&self, card: &Card) -> Result<Option<DateTime<Utc>>> {
        match card.metric_config() {
            Some(config) => match &config.survey_id {
                Some(survey_id) => self.store().last_full_sync_at(survey_id),
                None => Ok(None),
            },
            None => Ok(None),
        }
    }

    fn compute_if_missing(&self, card: Card) -> Result<CardView> {
        match self.store().get_metric_value(&card.id)? {
            Some(cached) => {
                let clock = Clock::system();
                // A workshop pack's values are frozen as of the pack (never recomputed).
                let frozen = self
                    .store()
                    .with_conn(|c| maps::map_row(c, &card.map_id))?
                    .data_as_of
                    .is_some();
                let (cached, stale_config) = match card.metric_config() {
                    Some(config) if config.config_hash() == cached.config_hash => {
                        maps::roll_range(self.store(), config, cached, &clock, frozen)?
                    }
                    _ => (cached, true),
                };
                let (data_as_of, stale) = maps::freshness(self.store(), &card, clock.now)?;
                Ok(CardView {
                    data_as_of,
                    stale,
                    full_sync_at: self.full_sync_of(&card)?,
                    card,
                    cached_value: Some(cached.value),
                    computed_at: Some(cached.computed_at),
                    stale_config,
                    needs_binding: false,
                })
            }
            None => self.compute_and_cache(card),
        }
    }

    fn compute_and_cache(&self, card: Card) -> Result<CardView> {
        let needs_binding = card.needs_binding();
        let config = card.metric_config().cloned().filter(|_| !needs_binding);
        let Some(config) = config else {
            return Ok(CardView {
                data_as_of: None,
                stale: false,
                card,
                cached_value: None,
                computed_at: None,
                stale_config: false,
                full_sync_at: None,
                needs_binding,
            });
        };
        let now = Utc::now();
        let full_sync_at = self.full_sync_of(&card)?;
        let (data_as_of, stale) = maps::freshness(self.store(), &card, now)?;
        match crate::metrics::compute(self.store(), &config) {
            Ok(value) => {
                self.store()
                    .put_metric_value(&card.id, &config.config_hash(), &value, now)?;
                Ok(CardView {
                    data_as_of,
                    stale,
                    card,
                    cached_value: Some(value),
                    computed_at: Some(now),
                    stale_config: false,
                    full_sync_at,
                    needs_binding: false,
                })
            }
            Err(e) => {
                tracing::info!(card = %card.id, kind = ?e.kind(), "no value for the card yet: {e}");
                Ok(CardView {
                    data_as_of,
                    stale,
                    card,
                    cached_value: None,
                    computed_at: None,
                    stale_config: false,
                    full_sync_at,
                    needs_binding: false,
                })
            }
        }
    }
}

/// Writes an export the user picked (the save dialog already confirmed any replacement),
/// refusing the data dir and non-regular files like every export (see [`crate::dest`]).
fn write_export(data_dir: &Path, dest: &Path, bytes: &[u8]) -> Result<u64> {
    crate::dest::write_export(dest, Some(data_dir), true, |file| {
        std::io::Write::write_all(file, bytes)?;
        Ok(())
    })
}
