//! Stages (columns) and lanes (rows) of a map: add, rename, move, delete.
//!
//! Contract: positions stay dense within a map; new ones are appended; moving clamps the
//! target to the last position; deleting renumbers the rest and deletes the cards of that
//! column/row (foreign-key cascade).

use rusqlite::types::FromSql;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::{clean_name, touch, Lane, Stage};
use crate::error::{Error, Result};
use crate::ids::{LaneId, MapId, StageId};
use crate::store::Store;

#[derive(Clone, Copy)]
enum Axis {
    Stages,
    Lanes,
}

impl Axis {
    fn table(self) -> &'static str {
        match self {
            Axis::Stages => "stages",
            Axis::Lanes => "lanes",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Axis::Stages => "stage",
            Axis::Lanes => "lane",
        }
    }
}

/// (id, map_id, name, position); the id typed as the caller's [`StageId`] or [`LaneId`].
type Item<I = String> = (I, MapId, String, u32);

fn list<I: FromSql>(c: &Connection, axis: Axis, map_id: &str) -> Result<Vec<Item<I>>> {
    let mut stmt = c.prepare(&format!(
        "SELECT id, map_id, name, position FROM {} WHERE map_id = ?1 ORDER BY position, rowid",
        axis.table()
    ))?;
    let rows = stmt.query_map([map_id], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

fn get<I: FromSql>(c: &Connection, axis: Axis, id: &str) -> Result<Item<I>> {
    c.query_row(
        &format!(
            "SELECT id, map_id, name, position FROM {} WHERE id = ?1",
            axis.table()
        ),
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )
    .optional()?
    .ok_or_else(|| Error::not_found(format!("{} {id} does not exist", axis.noun())))
}

fn renumber(tx: &Transaction<'_>, axis: Axis, ids: &[String]) -> Result<()> {
    let mut stmt = tx.prepare(&format!(
        "UPDATE {} SET position = ?2 WHERE id = ?1",
        axis.table()
    ))?;
    for (i, id) in ids.iter().enumerate() {
        stmt.execute(params![id, i as u32])?;
    }
    Ok(())
}

fn add<I: FromSql>(store: &Store, axis: Axis, map_id: &MapId, name: &str) -> Result<Item<I>> {
    let name = clean_name(name, axis.noun())?;
    store.with_tx(|tx| {
        super::map_row(tx, map_id)?;
        let id = uuid::Uuid::new_v4().to_string();
        let next: u32 = tx.query_row(
            &format!("SELECT COUNT(*) FROM {} WHERE map_id = ?1", axis.table()),
            [map_id],
            |r| r.get(0),
        )?;
        tx.execute(
            &format!(
                "INSERT INTO {} (id, map_id, name, position) VALUES (?1, ?2, ?3, ?4)",
                axis.table()
            ),
            params![id, map_id, name, next],
        )?;
        touch(tx, map_id)?;
        get(tx, axis, &id)
    })
}

fn rename<I: FromSql>(store: &Store, axis: Axis, id: &str, name: &str) -> Result<Item<I>> {
    let name = clean_name(name, axis.noun())?;
    store.with_tx(|tx| {
        let item: Item = get(tx, axis, id)?;
        tx.execute(
            &format!("UPDATE {} SET name = ?2 WHERE id = ?1", axis.table()),
            params![id, name],
        )?;
        touch(tx, &item.1)?;
        get(tx, axis, id)
    })
}

fn move_to<I: FromSql>(store: &Store, axis: Axis, id: &str, position: u32) -> Result<Item<I>> {
    store.with_tx(|tx| {
        let item: Item = get(tx, axis, id)?;
        let mut ids: Vec<String> = list::<String>(tx, axis, &item.1)?
            .into_iter()
            .map(|i| i.0)
            .filter(|i| i != id)
            .collect();
        let at = (position as usize).min(ids.len());
        ids.insert(at, id.to_owned());
        renumber(tx, axis, &ids)?;
        touch(tx, &item.1)?;
        get(tx, axis, id)
    })
}

fn delete(store: &Store, axis: Axis, id: &str) -> Result<()> {
    store.with_tx(|tx| {
        let item: Item = get(tx, axis, id)?;
        tx.execute(&format!("DELETE FROM {} WHERE id = ?1", axis.table()), [id])?;
        let ids: Vec<String> = list::<String>(tx, axis, &item.1)?
            .into_iter()
            .map(|i| i.0)
            .collect();
        renumber(tx, axis, &ids)?;
        touch(tx, &item.1)
    })
}

fn stage((id, map_id, name, position): Item<StageId>) -> Stage {
    Stage {
        id,
        map_id,
        name,
        position,
    }
}

fn lane((id, map_id, name, position): Item<LaneId>) -> Lane {
    Lane {
        id,
        map_id,
        name,
        position,
    }
}

pub(crate) fn list_stages(c: &Connection, map_id: &str) -> Result<Vec<Stage>> {
    Ok(list(c, Axis::Stages, map_id)?
        .into_iter()
        .map(stage)
        .collect())
}

pub(crate) fn list_lanes(c: &Connection, map_id: &str) -> Result<Vec<Lane>> {
    Ok(list(c, Axis::Lanes, map_id)?
        .into_iter()
        .map(lane)
        .collect())
}

/// Appends a stage (column) to a map.
pub fn add_stage(store: &Store, map_id: &MapId, name: &str) -> Result<Stage> {
    add(store, Axis::Stages, map_id, name).map(stage)
}

/// Renames a stage.
pub fn rename_stage(store: &Store, stage_id: &StageId, name: &str) -> Result<Stage> {
    rename(store, Axis::Stages, stage_id, name).map(stage)
}

/// Moves a stage to `position` (0 = first; clamped to the last).
pub fn move_stage(store: &Store, stage_id: &StageId, position: u32) -> Result<Stage> {
    move_to(store, Axis::Stages, stage_id, position).map(stage)
}

/// Deletes a stage and its cards.
pub fn delete_stage(store: &Store, stage_id: &StageId) -> Result<()> {
    delete(store, Axis::Stages, stage_id)
}

/// Appends a lane (row) to a map.
pub fn add_lane(store: &Store, map_id: &MapId, name: &str) -> Result<Lane> {
    add(store, Axis::Lanes, map_id, name).map(lane)
}

/// Renames a lane.
pub fn rename_lane(store: &Store, lane_id: &LaneId, name: &str) -> Result<Lane> {
    rename(store, Axis::Lanes, lane_id, name).map(lane)
}

/// Moves a lane to `position` (0 = first; clamped to the last).
pub fn move_lane(store: &Store, lane_id: &LaneId, position: u32) -> Result<Lane> {
    move_to(store, Axis::Lanes, lane_id, position).map(lane)
}

/// Deletes a lane and its cards.
pub fn delete_lane(store: &Store, lane_id: &LaneId) -> Result<()> {
    delete(store, Axis::Lanes, lane_id)
}
