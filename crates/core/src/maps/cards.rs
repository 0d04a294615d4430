//! Cards in the cells of a map: text cards and metric cards.
//!
//! Contract: a card sits in one (stage, lane) cell of its own map; positions are dense within
//! a cell; new cards are appended to their cell. Text must not be empty; metric configs are
//! validated with [`MetricCardConfig::validate`]. Updating a metric card keeps its cached value
//! (shown as stale until recomputed, see [`super::CardView::stale_config`]).

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use super::{now, parse, touch, Card, CardContent};
use crate::error::{Error, Result};
use crate::ids::{CardId, LaneId, MapId, StageId, SurveyId};
use crate::metrics::MetricCardConfig;
use crate::store::Store;

const CARD_SELECT: &str = "SELECT id, map_id, stage_id, lane_id, position, kind, text, config_json,
    created_at, updated_at FROM cards";

fn card_from_row(r: &Row<'_>) -> rusqlite::Result<(Card, Option<String>)> {
    let kind: String = r.get(5)?;
    let text: Option<String> = r.get(6)?;
    let config: Option<String> = r.get(7)?;
    let (content, raw) = if kind == "metric" {
        // Placeholder text content is replaced once the JSON is parsed (outside rusqlite).
        (
            CardContent::Text {
                text: String::new(),
            },
            config,
        )
    } else {
        (
            CardContent::Text {
                text: text.unwrap_or_default(),
            },
            None,
        )
    };
    Ok((
        Card {
            id: r.get(0)?,
            map_id: r.get(1)?,
            stage_id: r.get(2)?,
            lane_id: r.get(3)?,
            position: r.get(4)?,
            content,
            created_at: parse(r.get(8)?),
            updated_at: parse(r.get(9)?),
        },
        raw,
    ))
}

fn finish((mut card, raw): (Card, Option<String>)) -> Result<Card> {
    if let Some(raw) = raw {
        card.content = CardContent::Metric {
            config: Box::new(read_config(&card.id, &raw)?),
        };
    }
    Ok(card)
}

/// A stored metric configuration. Versions before typed ids saved any survey id text; one
/// that is not a Qualtrics survey id could never be refreshed, so its card loads unbound (the
/// app asks for its survey again) instead of making the whole map unreadable.
fn read_config(card_id: &CardId, raw: &str) -> Result<MetricCardConfig> {
    let err = match serde_json::from_str(raw) {
        Ok(config) => return Ok(config),
        Err(e) => e,
    };
    let mut value: serde_json::Value = serde_json::from_str(raw)?;
    let bad_survey = value
        .get("surveyId")
        .and_then(|s| s.as_str())
        .filter(|s| !s.is_empty() && SurveyId::parse(s).is_err())
        .map(str::to_owned);
    let Some(bad_survey) = bad_survey else {
        return Err(err.into());
    };
    tracing::warn!(
        card = %card_id,
        "stored survey id {bad_survey:?} is not a Qualtrics survey id; the card loads unbound"
    );
    value["surveyId"] = "".into();
    Ok(serde_json::from_value(value)?)
}

pub(crate) fn list_cards(c: &Connection, map_id: &str) -> Result<Vec<Card>> {
    let mut stmt = c.prepare(&format!(
        "{CARD_SELECT} WHERE map_id = ?1 ORDER BY position, rowid"
    ))?;
    let rows = stmt.query_map([map_id], card_from_row)?;
    rows.map(|r| finish(r?)).collect()
}

fn load(c: &Connection, card_id: &str) -> Result<Card> {
    let row = c
        .query_row(
            &format!("{CARD_SELECT} WHERE id = ?1"),
            [card_id],
            card_from_row,
        )
        .optional()?;
    finish(row.ok_or_else(|| Error::not_found(format!("card {card_id} does not exist")))?)
}

/// One card.
pub fn get_card(store: &Store, card_id: &CardId) -> Result<Card> {
    store.with_conn(|c| load(c, card_id))
}

/// Checks that the stage and lane exist and belong to `map_id`.
fn check_cell(tx: &Transaction<'_>, map_id: &str, stage_id: &str, lane_id: &str) -> Result<()> {
    super::map_row(tx, map_id)?;
    for (table, noun, id) in [("stages", "stage", stage_id), ("lanes", "lane", lane_id)] {
        let owner: Option<String> = tx
            .query_row(
                &format!("SELECT map_id FROM {table} WHERE id = ?1"),
                [id],
                |r| r.get(0),
            )
            .optional()?;
        match owner {
            None => return Err(Error::not_found(format!("{noun} {id} does not exist"))),
            Some(m) if m != map_id => {
                return Err(Error::invalid(format!(
                    "{noun} {id} belongs to another map"
                )))
            }
            Some(_) => {}
        }
    }
    Ok(())
}

fn cell_ids(tx: &Transaction<'_>, stage_id: &str, lane_id: &str) -> Result<Vec<String>> {
    let mut stmt = tx.prepare(
        "SELECT id FROM cards WHERE stage_id = ?1 AND lane_id = ?2 ORDER BY position, rowid",
    )?;
    let rows = stmt.query_map([stage_id, lane_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
}

fn renumber(tx: &Transaction<'_>, ids: &[String]) -> Result<()> {
    let mut stmt = tx.prepare("UPDATE cards SET position = ?2 WHERE id = ?1")?;
    for (i, id) in ids.iter().enumerate() {
        stmt.execute(params![id, i as u32])?;
    }
    Ok(())
}

fn insert(
    store: &Store,
    map_id: &MapId,
    stage_id: &StageId,
    lane_id: &LaneId,
    content: &CardContent,
) -> Result<Card> {
    let (kind, text, config) = match content {
        CardContent::Text { text } => ("text", Some(text.clone()), None),
        CardContent::Metric { config } => ("metric", None, Some(serde_json::to_string(config)?)),
    };
    store.with_tx(|tx| {
        check_cell(tx, map_id, stage_id, lane_id)?;
        let id = CardId::fresh();
        let position = cell_ids(tx, stage_id, lane_id)?.len() as u32;
        let at = now();
        tx.execute(
            "INSERT INTO cards (id, map_id, stage_id, lane_id, position, kind, text, config_json,
                                created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
            params![id, map_id, stage_id, lane_id, position, kind, text, config, at],
        )?;
        touch(tx, map_id)?;
        load(tx, &id)
    })
}

fn clean_text(text: &str) -> Result<String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(Error::invalid("a text card cannot be empty"));
    }
    Ok(t.to_owned())
}

/// Adds a text card at the end of a cell.
pub fn add_text_card(
    store: &Store,
    map_id: &MapId,
    stage_id: &StageId,
    lane_id: &LaneId,
    text: &str,
) -> Result<Card> {
    let text = clean_text(text)?;
    insert(
        store,
        map_id,
        stage_id,
        lane_id,
        &CardContent::Text { text },
    )
}

/// Adds a metric card at the end of a cell.
pub fn add_metric_card(
    store: &Store,
    map_id: &MapId,
    stage_id: &StageId,
    lane_id: &LaneId,
    config: &MetricCardConfig,
) -> Result<Card> {
    config.validate()?;
    insert(
        store,
        map_id,
        stage_id,
        lane_id,
        &CardContent::Metric {
            config: Box::new(config.clone()),
        },
    )
}

fn update(
    store: &Store,
    card_id: &CardId,
    want_kind: &str,
    text: Option<String>,
    config: Option<String>,
) -> Result<Card> {
    store.with_tx(|tx| {
        let card = load(tx, card_id)?;
        let kind = if card.metric_config().is_some() {
            "metric"
        } else {
            "text"
        };
        if kind != want_kind {
            return Err(Error::invalid(format!("card {card_id} is a {kind} card")));
        }
        tx.execute(
            "UPDATE cards SET text = ?2, config_json = ?3, updated_at = ?4 WHERE id = ?1",
            params![card_id, text, config, now()],
        )?;
        touch(tx, &card.map_id)?;
        load(tx, card_id)
    })
}

/// Replaces the text of a text card.
pub fn update_text_card(store: &Store, card_id: &CardId, text: &str) -> Result<Card> {
    let text = clean_text(text)?;
    update(store, card_id, "text", Some(text), None)
}

/// Replaces the configuration of a metric card.
pub fn update_metric_card(
    store: &Store,
    card_id: &CardId,
    config: &MetricCardConfig,
) -> Result<Card> {
    config.validate()?;
    update(
        store,
        card_id,
        "metric",
        None,
        Some(serde_json::to_string(config)?),
    )
}

/// Moves a card to `position` (clamped) in the cell (`stage_id`, `lane_id`) of its map.
pub fn move_card(
    store: &Store,
    card_id: &CardId,
    stage_id: &StageId,
    lane_id: &LaneId,
    position: u32,
) -> Result<Card> {
    store.with_tx(|tx| {
        let card = load(tx, card_id)?;
        check_cell(tx, &card.map_id, stage_id, lane_id)?;
        let old: Vec<String> = cell_ids(tx, &card.stage_id, &card.lane_id)?
            .into_iter()
            .filter(|i| i != card_id.as_str())
            .collect();
        renumber(tx, &old)?;
        tx.execute(
            "UPDATE cards SET stage_id = ?2, lane_id = ?3, updated_at = ?4 WHERE id = ?1",
            params![card_id, stage_id, lane_id, now()],
        )?;
        let mut ids: Vec<String> = cell_ids(tx, stage_id, lane_id)?
            .into_iter()
            .filter(|i| i != card_id.as_str())
            .collect();
        ids.insert((position as usize).min(ids.len()), card_id.to_string());
        renumber(tx, &ids)?;
        touch(tx, &card.map_id)?;
        load(tx, card_id)
    })
}

/// Deletes a card (and its cached value).
pub fn delete_card(store: &Store, card_id: &CardId) -> Result<()> {
    store.with_tx(|tx| {
        let card = load(tx, card_id)?;
        tx.execute("DELETE FROM cards WHERE id = ?1", [card_id])?;
        let ids = cell_ids(tx, &card.stage_id, &card.lane_id)?;
        renumber(tx, &ids)?;
        touch(tx, &card.map_id)
    })
}
