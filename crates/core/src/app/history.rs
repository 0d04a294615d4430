//! Undo and redo of map edits, per map, kept while the app runs.
//!
//! Contract: every map edit of the facade (map rename; add, rename, move, delete of stages,
//! lanes and cards; card content/config changes; duplicating nothing) goes through
//! [`Pulsemap::edit_map`], which snapshots the whole map before the edit and records it when
//! the edit succeeds (a failed edit records nothing). [`Pulsemap::undo_map`] writes the last
//! snapshot back (ids and cached values included, so a deleted stage returns with its cards)
//! and keeps the current state for [`Pulsemap::redo_map`]; a new edit clears the redo steps.
//! At most [`UNDO_LIMIT`] steps are kept per map (the oldest are dropped). Each step carries a
//! label naming the edit ("delete stage 'Onboarding'", see `maps::snapshot_label`), which
//! [`UndoState`] reports for the next undo and redo. Read-only maps
//! (workshop packs) refuse every edit with [`ErrorKind::MapReadOnly`].

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use serde::Serialize;
use ts_rs::TS;

use super::Pulsemap;
use crate::error::{Error, ErrorKind, Result};
use crate::ids::MapId;
use crate::maps::{self, snapshot, snapshot_label, MapView};

/// Undo steps kept per map.
pub const UNDO_LIMIT: usize = 100;

/// Whether a map can be undone / redone (for the toolbar and keys).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UndoState {
    pub undo_steps: u32,
    pub redo_steps: u32,
    /// What the next undo reverts ("delete stage 'Onboarding'").
    pub undo_label: Option<String>,
    /// What the next redo re-applies.
    pub redo_label: Option<String>,
}

/// The map as it was on one side of an edit, and the edit's label.
#[derive(Debug, Clone)]
struct Step {
    snap: snapshot::MapSnapshot,
    label: String,
}

#[derive(Debug, Default)]
struct History {
    undo: VecDeque<Step>,
    redo: Vec<Step>,
}

/// Per-map histories (in memory only).
#[derive(Debug, Default)]
pub(crate) struct Histories(Mutex<HashMap<MapId, History>>);

impl Histories {
    fn lock(&self) -> Result<std::sync::MutexGuard<'_, HashMap<MapId, History>>> {
        self.0
            .lock()
            .map_err(|_| Error::new(ErrorKind::Internal, "the undo history lock is poisoned"))
    }
}

impl Pulsemap {
    /// Runs one edit of map `map_id`, recording the state before it for undo.
    pub(crate) fn edit_map<T>(
        &self,
        map_id: &MapId,
        edit: impl FnOnce() -> Result<T>,
    ) -> Result<T> {
        // Held through the edit so concurrent edits of a map cannot interleave their snapshots.
        let mut all = self.histories().lock()?;
        let before = self.store().with_conn(|c| {
            let snap = snapshot::capture(c, map_id)?;
            let row = maps::map_row(c, map_id)?;
            if row.data_as_of.is_some() {
                return Err(read_only(&row.name));
            }
            Ok(snap)
        })?;
        let out = edit()?;
        let after = self.store().with_conn(|c| snapshot::capture(c, map_id))?;
        let label = snapshot_label::describe(&before, &after);
        let h = all.entry(map_id.clone()).or_default();
        h.undo.push_back(Step {
            snap: before,
            label,
        });
        while h.undo.len() > UNDO_LIMIT {
            h.undo.pop_front();
        }
        h.redo.clear();
        Ok(out)
    }

    /// Undoes the last edit of a map; `InvalidInput` when there is nothing to undo.
    pub fn undo_map(&self, map_id: &MapId) -> Result<MapView> {
        self.step(map_id, true)
    }

    /// Redoes the last undone edit of a map; `InvalidInput` when there is nothing to redo.
    pub fn redo_map(&self, map_id: &MapId) -> Result<MapView> {
        self.step(map_id, false)
    }

    /// How many undo and redo steps a map has.
    pub fn map_undo_state(&self, map_id: &MapId) -> Result<UndoState> {
        let all = self.histories().lock()?;
        Ok(all.get(map_id).map_or(
            UndoState {
                undo_steps: 0,
                redo_steps: 0,
                undo_label: None,
                redo_label: None,
            },
            |h| UndoState {
                undo_steps: h.undo.len() as u32,
                redo_steps: h.redo.len() as u32,
                undo_label: h.undo.back().map(|s| s.label.clone()),
                redo_label: h.redo.last().map(|s| s.label.clone()),
            },
        ))
    }

    pub(crate) fn forget_history(&self, map_id: &MapId) -> Result<()> {
        self.histories().lock()?.remove(map_id);
        Ok(())
    }

    fn step(&self, map_id: &MapId, undo: bool) -> Result<MapView> {
        let mut all = self.histories().lock()?;
        let h = all.entry(map_id.clone()).or_default();
        let target = if undo { h.undo.back() } else { h.redo.last() };
        let Some(target) = target.cloned() else {
            let what = if undo { "undo" } else { "redo" };
            return Err(Error::invalid(format!(
                "map {map_id} has nothing to {what}"
            )));
        };
        let current = self.store().with_tx(|tx| {
            let current = snapshot::capture(tx, map_id)?;
            snapshot::write(tx, map_id, &target.snap)?;
            Ok(current)
        })?;
        // The same edit, seen from the other side.
        let current = Step {
            snap: current,
            label: target.label,
        };
        if undo {
            h.undo.pop_back();
            h.redo.push(current);
        } else {
            h.redo.pop();
            h.undo.push_back(current);
        }
        drop(all);
        self.open_map(map_id)
    }
}

pub(crate) fn read_only(name: &str) -> Error {
    Error::new(
        ErrorKind::MapReadOnly,
        format!("map \"{name}\" is a read-only workshop pack; duplicate it to make changes"),
    )
}
