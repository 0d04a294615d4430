//! A whole map's rows (stages, lanes, cards, cached values) captured and written back.
//!
//! Contract: [`capture`] reads everything a map holds; [`write`] replaces a map's stages, lanes
//! and cards (and their cached values) with a snapshot's, ids included, inside the caller's
//! transaction. Undo/redo, duplication and map-file import all go through these two, so a
//! restored stage comes back with its very cards (same ids, same cached values).

use rusqlite::{params, Connection, Transaction};

use crate::error::Result;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SnapCard {
    pub id: String,
    pub stage_id: String,
    pub lane_id: String,
    pub position: u32,
    pub kind: String,
    pub text: Option<String>,
    pub config_json: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SnapValue {
    pub card_id: String,
    pub config_hash: String,
    pub value_json: String,
    pub computed_at: String,
}

/// Everything one map holds. `stages` and `lanes` are `(id, name)` by position.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MapSnapshot {
    pub name: String,
    pub stages: Vec<(String, String)>,
    pub lanes: Vec<(String, String)>,
    pub cards: Vec<SnapCard>,
    pub values: Vec<SnapValue>,
}

fn pairs(c: &Connection, table: &str, map_id: &str) -> Result<Vec<(String, String)>> {
    let mut stmt = c.prepare(&format!(
        "SELECT id, name FROM {table} WHERE map_id = ?1 ORDER BY position, rowid"
    ))?;
    let rows = stmt.query_map([map_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Reads a map's rows (`NotFound` for an unknown map).
pub(crate) fn capture(c: &Connection, map_id: &str) -> Result<MapSnapshot> {
    let name = super::map_row(c, map_id)?.name;
    let stages = pairs(c, "stages", map_id)?;
    let lanes = pairs(c, "lanes", map_id)?;
    let mut stmt = c.prepare(
        "SELECT id, stage_id, lane_id, position, kind, text, config_json, created_at, updated_at
         FROM cards WHERE map_id = ?1 ORDER BY rowid",
    )?;
    let cards = stmt
        .query_map([map_id], |r| {
            Ok(SnapCard {
                id: r.get(0)?,
                stage_id: r.get(1)?,
                lane_id: r.get(2)?,
                position: r.get(3)?,
                kind: r.get(4)?,
                text: r.get(5)?,
                config_json: r.get(6)?,
                created_at: r.get(7)?,
                updated_at: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = c.prepare(
        "SELECT v.card_id, v.config_hash, v.value_json, v.computed_at
         FROM metric_values v JOIN cards k ON k.id = v.card_id WHERE k.map_id = ?1
         ORDER BY k.rowid",
    )?;
    let values = stmt
        .query_map([map_id], |r| {
            Ok(SnapValue {
                card_id: r.get(0)?,
                config_hash: r.get(1)?,
                value_json: r.get(2)?,
                computed_at: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(MapSnapshot {
        name,
        stages,
        lanes,
        cards,
        values,
    })
}

/// Replaces the map's name, stages, lanes, cards and cached values with `snap`'s.
pub(crate) fn write(tx: &Transaction<'_>, map_id: &str, snap: &MapSnapshot) -> Result<()> {
    // Cards and values cascade from their stages/lanes.
    tx.execute("DELETE FROM cards WHERE map_id = ?1", [map_id])?;
    tx.execute("DELETE FROM stages WHERE map_id = ?1", [map_id])?;
    tx.execute("DELETE FROM lanes WHERE map_id = ?1", [map_id])?;
    tx.execute(
        "UPDATE maps SET name = ?2, updated_at = ?3 WHERE id = ?1",
        params![map_id, snap.name, super::now()],
    )?;
    for (table, rows) in [("stages", &snap.stages), ("lanes", &snap.lanes)] {
        let mut stmt = tx.prepare(&format!(
            "INSERT INTO {table} (id, map_id, name, position) VALUES (?1, ?2, ?3, ?4)"
        ))?;
        for (i, (id, name)) in rows.iter().enumerate() {
            stmt.execute(params![id, map_id, name, i as u32])?;
        }
    }
    let mut stmt = tx.prepare(
        "INSERT INTO cards (id, map_id, stage_id, lane_id, position, kind, text, config_json,
                            created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for k in &snap.cards {
        stmt.execute(params![
            k.id,
            map_id,
            k.stage_id,
            k.lane_id,
            k.position,
            k.kind,
            k.text,
            k.config_json,
            k.created_at,
            k.updated_at
        ])?;
    }
    let mut stmt = tx.prepare(
        "INSERT INTO metric_values (card_id, config_hash, value_json, computed_at)
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    for v in &snap.values {
        stmt.execute(params![
            v.card_id,
            v.config_hash,
            v.value_json,
            v.computed_at
        ])?;
    }
    Ok(())
}

/// The same map under fresh ids (duplicates, imports), cached values kept with their cards.
pub(crate) fn with_fresh_ids(snap: &MapSnapshot) -> MapSnapshot {
    use std::collections::HashMap;
    let fresh = || uuid::Uuid::new_v4().to_string();
    let mut ids: HashMap<String, String> = HashMap::new();
    let mut renamed = |rows: &[(String, String)]| -> Vec<(String, String)> {
        rows.iter()
            .map(|(id, name)| {
                let new = fresh();
                ids.insert(id.clone(), new.clone());
                (new, name.clone())
            })
            .collect()
    };
    let stages = renamed(&snap.stages);
    let lanes = renamed(&snap.lanes);
    let now = super::now();
    let cards = snap
        .cards
        .iter()
        .map(|k| {
            let new = fresh();
            let card = SnapCard {
                id: new.clone(),
                stage_id: ids.get(k.stage_id.as_str()).cloned().unwrap_or_default(),
                lane_id: ids.get(k.lane_id.as_str()).cloned().unwrap_or_default(),
                created_at: now.clone(),
                updated_at: now.clone(),
                ..k.clone()
            };
            ids.insert(k.id.clone(), new);
            card
        })
        .collect();
    let values = snap
        .values
        .iter()
        .filter_map(|v| {
            Some(SnapValue {
                card_id: ids.get(v.card_id.as_str())?.clone(),
                ..v.clone()
            })
        })
        .collect();
    MapSnapshot {
        name: snap.name.clone(),
        stages,
        lanes,
        cards,
        values,
    }
}
