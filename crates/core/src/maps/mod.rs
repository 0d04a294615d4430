//! Journey maps: maps, stages (columns), lanes (rows) and cards in cells, over the store.
//!
//! Contract:
//! * Every function takes the [`Store`] and validates its input: empty names/texts are
//!   rejected with `InvalidInput`, unknown ids give `NotFound`, and a card can only be placed
//!   in a stage and lane of its own map.
//! * Positions are dense (0, 1, 2, ...) within a map (stages, lanes) or a cell (cards); moving
//!   to a position clamps it to the end and renumbers the rest. Deleting a stage or lane
//!   deletes its cards. Every change bumps the map's `updated_at`.
//! * [`open_map`] paints a whole map at once from the cache ([`MapView`], cached metric values
//!   included, no network). The `export` module renders it as PNG or PDF.

mod card_render;
mod card_status;
pub mod export;
pub mod file;
mod fresh;
mod layout;
mod pdf;
pub(crate) mod snapshot;
pub(crate) mod snapshot_label;
pub mod templates;

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::ids::{CardId, LaneId, MapId, StageId, SurveyId};
use crate::metrics::{Clock, MetricCardConfig, MetricValue};
use crate::store::Store;

pub use layout::{
    add_lane, add_stage, delete_lane, delete_stage, move_lane, move_stage, rename_lane,
    rename_stage,
};

/// A journey map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MapRow {
    pub id: MapId,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Set on a map opened from a workshop pack: it is read-only and shows values frozen
    /// at this moment ("data as of"). (Optional in TypeScript so older UI fixtures compile.)
    #[ts(optional = nullable)]
    pub data_as_of: Option<DateTime<Utc>>,
}

/// A map in the list of maps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MapSummary {
    pub id: MapId,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub stage_count: u32,
    pub lane_count: u32,
    pub card_count: u32,
    /// Read-only workshop pack: when its values were taken.
    #[ts(optional = nullable)]
    pub data_as_of: Option<DateTime<Utc>>,
}

/// A column of a map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Stage {
    pub id: StageId,
    pub map_id: MapId,
    pub name: String,
    pub position: u32,
}

/// A row of a map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Lane {
    pub id: LaneId,
    pub map_id: MapId,
    pub name: String,
    pub position: u32,
}

/// What a card holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum CardContent {
    Text {
        text: String,
    },
    /// Boxed: a configuration is far bigger than a text (issue 13 scope settings).
    Metric {
        config: Box<MetricCardConfig>,
    },
}

/// A card in a cell (stage × lane).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Card {
    pub id: CardId,
    pub map_id: MapId,
    pub stage_id: StageId,
    pub lane_id: LaneId,
    /// Order within the cell.
    pub position: u32,
    pub content: CardContent,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Card {
    /// The metric configuration of a metric card.
    pub fn metric_config(&self) -> Option<&MetricCardConfig> {
        match &self.content {
            CardContent::Metric { config } => Some(config),
            CardContent::Text { .. } => None,
        }
    }

    /// A metric card still waiting for its survey and question (see [`CardView::needs_binding`]).
    pub fn needs_binding(&self) -> bool {
        self.metric_config().is_some_and(is_unbound)
    }
}

/// An unbound metric configuration: no survey or no question chosen yet.
pub fn is_unbound(config: &MetricCardConfig) -> bool {
    config.survey_id.is_none() || config.question_id.trim().is_empty()
}

/// A card with its cached value.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CardView {
    pub card: Card,
    /// Last computed value (metric cards), painted without recomputation.
    pub cached_value: Option<MetricValue>,
    /// When `cached_value` was computed ("updated X ago").
    pub computed_at: Option<DateTime<Utc>>,
    /// The cached value was computed for an older configuration of the card.
    pub stale_config: bool,
    /// Last successful full refresh of the card's survey: edits made in Qualtrics to older
    /// responses are in the value as of then (newer responses as of `computed_at`).
    pub full_sync_at: Option<DateTime<Utc>>,
    /// A metric card with no survey/question yet (from a template, or imported from a file
    /// whose survey this connection cannot see): the UI asks for them when it is opened.
    /// (Always sent; optional in TypeScript so older UI fixtures compile.)
    #[ts(as = "Option<bool>", optional)]
    pub needs_binding: bool,
    /// The card's survey's last successful sync: its data is as of then (metric cards).
    pub data_as_of: Option<DateTime<Utc>>,
    /// `data_as_of` is older than 24 h, or the survey was never synced (metric cards).
    pub stale: bool,
}

/// Everything needed to paint a map at once.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MapView {
    pub map: MapRow,
    /// By position.
    pub stages: Vec<Stage>,
    /// By position.
    pub lanes: Vec<Lane>,
    /// By stage position, lane position, then card position.
    pub cards: Vec<CardView>,
}

impl MapView {
    /// Cards of one cell, in order.
    pub fn cell(&self, stage_id: &StageId, lane_id: &LaneId) -> Vec<&CardView> {
        self.cards
            .iter()
            .filter(|c| c.card.stage_id == *stage_id && c.card.lane_id == *lane_id)
            .collect()
    }

    /// Distinct survey ids used by the map's metric cards.
    pub fn survey_ids(&self) -> Vec<SurveyId> {
        let mut ids: Vec<SurveyId> = self
            .cards
            .iter()
            .filter_map(|c| c.card.metric_config())
            .filter(|m| !is_unbound(m))
            .filter_map(|m| m.survey_id.clone())
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }
}

pub(crate) fn now() -> String {
    crate::store::ts(Utc::now())
}

pub(crate) fn clean_name(name: &str, what: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::invalid(format!("the {what} name cannot be empty")));
    }
    Ok(name.to_owned())
}

pub(crate) fn touch(tx: &Transaction<'_>, map_id: &str) -> Result<()> {
    tx.execute(
        "UPDATE maps SET updated_at = ?2 WHERE id = ?1",
        params![map_id, now()],
    )?;
    Ok(())
}

pub(crate) fn map_row(tx: &rusqlite::Connection, map_id: &str) -> Result<MapRow> {
    tx.query_row(
        "SELECT id, name, created_at, updated_at, data_as_of FROM maps WHERE id = ?1",
        [map_id],
        |r| {
            Ok(MapRow {
                id: r.get(0)?,
                name: r.get(1)?,
                created_at: parse(r.get(2)?),
                updated_at: parse(r.get(3)?),
                data_as_of: crate::store::parse_opt_ts(r.get(4)?),
            })
        },
    )
    .optional()?
    .ok_or_else(|| Error::not_found(format!("map {map_id} does not exist")))
}

pub(crate) fn parse(s: String) -> DateTime<Utc> {
    crate::store::parse_ts(&s).unwrap_or_default()
}

/// The map a stage, lane or card belongs to (`NotFound` naming the `noun` otherwise).
pub(crate) fn owner_map(store: &Store, table: &str, noun: &str, id: &str) -> Result<MapId> {
    store.with_conn(|c| {
        c.query_row(
            &format!("SELECT map_id FROM {table} WHERE id = ?1"),
            [id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| Error::not_found(format!("{noun} {id} does not exist")))
    })
}

/// Creates a map holding `snap` (whose ids must be fresh); `data_as_of` makes it a read-only
/// workshop pack. One transaction: nothing is left behind when it fails.
pub(crate) fn create_map_with(
    store: &Store,
    snap: &snapshot::MapSnapshot,
    data_as_of: Option<DateTime<Utc>>,
) -> Result<MapId> {
    let name = clean_name(&snap.name, "map")?;
    let id = MapId::fresh();
    store.with_tx(|tx| {
        let at = now();
        tx.execute(
            "INSERT INTO maps (id, name, created_at, updated_at, data_as_of)
             VALUES (?1, ?2, ?3, ?3, ?4)",
            params![id, name, at, data_as_of.map(crate::store::ts)],
        )?;
        snapshot::write(
            tx,
            &id,
            &snapshot::MapSnapshot {
                name,
                ..snap.clone()
            },
        )?;
        Ok(id.clone())
    })
}

/// Copies a map (stages, lanes, cards, cached values) under a new name; the copy is editable
/// even when the original is a read-only pack.
pub fn duplicate_map(store: &Store, map_id: &MapId, name: &str) -> Result<MapRow> {
    let name = clean_name(name, "map")?;
    let snap = store.with_conn(|c| snapshot::capture(c, map_id))?;
    let fresh = snapshot::MapSnapshot {
        name,
        ..snapshot::with_fresh_ids(&snap)
    };
    let id = create_map_with(store, &fresh, None)?;
    store.with_conn(|c| map_row(c, &id))
}

/// All maps, most recently updated first.
pub fn list_maps(store: &Store) -> Result<Vec<MapSummary>> {
    store.with_conn(|c| {
        let mut stmt = c.prepare(
            "SELECT m.id, m.name, m.created_at, m.updated_at,
                (SELECT COUNT(*) FROM stages s WHERE s.map_id = m.id),
                (SELECT COUNT(*) FROM lanes l WHERE l.map_id = m.id),
                (SELECT COUNT(*) FROM cards k WHERE k.map_id = m.id),
                m.data_as_of
             FROM maps m ORDER BY m.updated_at DESC, m.name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(MapSummary {
                id: r.get(0)?,
                name: r.get(1)?,
                created_at: parse(r.get(2)?),
                updated_at: parse(r.get(3)?),
                stage_count: r.get(4)?,
                lane_count: r.get(5)?,
                card_count: r.get(6)?,
                data_as_of: crate::store::parse_opt_ts(r.get(7)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })
}

/// Creates an empty map.
pub fn create_map(store: &Store, name: &str) -> Result<MapRow> {
    let name = clean_name(name, "map")?;
    let id = MapId::fresh();
    store.with_tx(|tx| {
        let at = now();
        tx.execute(
            "INSERT INTO maps (id, name, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
            params![id, name, at],
        )?;
        map_row(tx, &id)
    })
}

/// Renames a map.
pub fn rename_map(store: &Store, map_id: &MapId, name: &str) -> Result<MapRow> {
    let name = clean_name(name, "map")?;
    store.with_tx(|tx| {
        let n = tx.execute(
            "UPDATE maps SET name = ?2, updated_at = ?3 WHERE id = ?1",
            params![map_id, name, now()],
        )?;
        if n == 0 {
            return Err(Error::not_found(format!("map {map_id} does not exist")));
        }
        map_row(tx, map_id)
    })
}

/// Deletes a map with its stages, lanes, cards and cached values.
pub fn delete_map(store: &Store, map_id: &MapId) -> Result<()> {
    store.with_tx(|tx| {
        if tx.execute("DELETE FROM maps WHERE id = ?1", [map_id])? == 0 {
            return Err(Error::not_found(format!("map {map_id} does not exist")));
        }
        Ok(())
    })
}

/// Paints a map from the cache: stages, lanes, cards and their cached values, relative
/// ranges on the system clock.
pub fn open_map(store: &Store, map_id: &MapId) -> Result<MapView> {
    open_map_at(store, map_id, &Clock::system())
}

/// [`open_map`] on `clock`: a cached value whose relative range moved since is recomputed
/// from the cache first (see `fresh`).
pub fn open_map_at(store: &Store, map_id: &MapId, clock: &Clock) -> Result<MapView> {
    let (map, stages, lanes, cards) = store.with_conn(|c| {
        let map = map_row(c, map_id)?;
        let stages = layout::list_stages(c, map_id)?;
        let lanes = layout::list_lanes(c, map_id)?;
        let cards = cards::list_cards(c, map_id)?;
        Ok((map, stages, lanes, cards))
    })?;
    let stage_pos = |id: &str| stages.iter().position(|s| s.id == id).unwrap_or(usize::MAX);
    let lane_pos = |id: &str| lanes.iter().position(|s| s.id == id).unwrap_or(usize::MAX);
    let mut views = Vec::with_capacity(cards.len());
    let mut full_syncs = std::collections::HashMap::new();
    // A workshop pack's values are frozen: this install's syncs of the survey say nothing of them.
    let frozen = map.data_as_of.is_some();
    for card in cards {
        let survey = card.metric_config().filter(|_| !frozen);
        let full_sync_at = match survey.and_then(|config| config.survey_id.as_ref()) {
            Some(survey_id) => match full_syncs.get(survey_id) {
                Some(at) => *at,
                None => {
                    let at = store.last_full_sync_at(survey_id)?;
                    full_syncs.insert(survey_id.clone(), at);
                    at
                }
            },
            None => None,
        };
        let cached = match card.metric_config() {
            Some(_) => store.get_metric_value(&card.id)?,
            None => None,
        };
        let needs_binding = card.needs_binding();
        let hash = card.metric_config().map(MetricCardConfig::config_hash);
        let (cached, stale_config) = match (cached, &hash, card.metric_config()) {
            (Some(c), Some(h), Some(config)) if &c.config_hash == h => {
                let (c, moved) = fresh::roll_range(store, config, c, clock, frozen)?;
                (Some(c), moved)
            }
            (Some(c), Some(_), Some(_)) => (Some(c), true),
            (c, _, _) => (c, false),
        };
        let (data_as_of, stale) = match map.data_as_of {
            // A pack's cards are as of the pack, whatever this install synced since.
            Some(at) if card.metric_config().is_some() => {
                (Some(at), fresh::is_stale(at, clock.now))
            }
            _ => fresh::freshness(store, &card, clock.now)?,
        };
        views.push(CardView {
            data_as_of,
            stale,
            computed_at: cached.as_ref().map(|c| c.computed_at),
            cached_value: cached.map(|c| c.value),
            stale_config,
            full_sync_at,
            needs_binding,
            card,
        });
    }
    views.sort_by_key(|v| {
        (
            stage_pos(&v.card.stage_id),
            lane_pos(&v.card.lane_id),
            v.card.position,
        )
    });
    Ok(MapView {
        map,
        stages,
        lanes,
        cards: views,
    })
}

pub use fresh::freshness;
pub(crate) use fresh::roll_range;

mod cards;
pub use cards::{
    add_metric_card, add_text_card, delete_card, get_card, move_card, update_metric_card,
    update_text_card,
};
