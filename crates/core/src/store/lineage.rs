//! The lineage of a survey's sync generations (`response_generations`): which generations only
//! appended responses to the one before, so metric columns can be extended instead of
//! re-extracted.
//!
//! Contract:
//! * [`record`] runs inside the importer's transaction, after the generation was bumped, and
//!   only when the import changed rows. It writes one row for the new generation (largest
//!   finished rowid, finished count, append-only flag). An append-only import also records the
//!   generation it extends when that row is missing (stores older than this table) and keeps
//!   the persisted metric columns; any other import deletes them and the survey's older
//!   lineage, so nothing can be extended across it. Only the last [`KEPT_GENERATIONS`] rows of
//!   a survey are kept.
//! * [`span`] says how a column extracted at generation `from` becomes the column at `to`:
//!   read the finished responses whose rowid is above `after_rowid` (in rowid order) and append
//!   them; the base must hold `base_rows` cells and the result `rows`. It is `None` unless every
//!   generation in between is recorded and append-only.
//! * Positions (rowids) of a survey only grow (pages get `AUTOINCREMENT` ids, see `pages`), so
//!   rows appended after a generation sort after its finished rows; the cell counts checked by
//!   the caller catch anything else.

use rusqlite::{params, Connection, OptionalExtension};

/// Lineage rows kept per survey; a column older than that is re-extracted.
pub(crate) const KEPT_GENERATIONS: i64 = 64;

/// What a committed import did to the survey's recorded responses (see [`record`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ImportChange {
    /// No full resync, no update of a cached response, no delete.
    pub appended: bool,
    /// Largest finished rowid when the import began (the generation it extends).
    pub base_max_finished_rowid: i64,
    /// Finished responses the import inserted.
    pub inserted_finished: u64,
}

/// How to extend a column from one generation to a later one (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub after_rowid: i64,
    pub base_rows: usize,
    pub rows: usize,
}

/// Largest position (rowid) of the survey's finished responses (0 when there is none).
pub(crate) fn max_finished_rowid(conn: &Connection, survey_key: i64) -> rusqlite::Result<i64> {
    let (lo, hi) = super::pages::survey_range(survey_key);
    conn.query_row(
        "SELECT COALESCE((SELECT pos FROM responses WHERE pos BETWEEN ?1 AND ?2 AND finished = 1
                          ORDER BY pos DESC LIMIT 1), 0)",
        [lo, hi],
        |r| r.get(0),
    )
}

fn finished_count(conn: &Connection, survey_key: i64) -> rusqlite::Result<i64> {
    let (lo, hi) = super::pages::survey_range(survey_key);
    conn.query_row(
        "SELECT COUNT(*) FROM responses WHERE pos BETWEEN ?1 AND ?2 AND finished = 1",
        [lo, hi],
        |r| r.get(0),
    )
}

/// `(max_finished_rowid, finished_count)` recorded for a generation.
fn recorded(
    conn: &Connection,
    survey_id: &str,
    generation: i64,
) -> rusqlite::Result<Option<(i64, i64)>> {
    conn.query_row(
        "SELECT max_finished_rowid, finished_count FROM response_generations
         WHERE survey_id = ?1 AND generation = ?2",
        params![survey_id, generation],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

const INSERT_ROW: &str = "INSERT OR REPLACE INTO response_generations
    (survey_id, generation, max_finished_rowid, finished_count, appended)
    VALUES (?1, ?2, ?3, ?4, ?5)";

/// Records the lineage of `generation`, just produced by an import that changed rows.
pub(crate) fn record(
    conn: &Connection,
    survey_id: &str,
    survey_key: i64,
    generation: i64,
    change: &ImportChange,
) -> rusqlite::Result<()> {
    let base = generation - 1;
    let inserted = change.inserted_finished as i64;
    let max_rowid = max_finished_rowid(conn, survey_key)?;
    let mut appended = change.appended;
    let finished = if appended {
        match recorded(conn, survey_id, base)? {
            // The base as recorded must be the one this import started from.
            Some((base_max, base_finished)) if base_max == change.base_max_finished_rowid => {
                base_finished + inserted
            }
            Some(_) => {
                appended = false;
                finished_count(conn, survey_key)?
            }
            None => {
                let finished = finished_count(conn, survey_key)?;
                conn.execute(
                    INSERT_ROW,
                    params![
                        survey_id,
                        base,
                        change.base_max_finished_rowid,
                        finished - inserted,
                        false
                    ],
                )?;
                finished
            }
        }
    } else {
        finished_count(conn, survey_key)?
    };
    if appended {
        conn.execute(
            "DELETE FROM response_generations WHERE survey_id = ?1 AND generation <= ?2",
            params![survey_id, generation - KEPT_GENERATIONS],
        )?;
    } else {
        conn.execute(
            "DELETE FROM metric_columns WHERE survey_id = ?1",
            [survey_id],
        )?;
        conn.execute(
            "DELETE FROM response_generations WHERE survey_id = ?1",
            [survey_id],
        )?;
    }
    conn.execute(
        INSERT_ROW,
        params![survey_id, generation, max_rowid, finished, appended],
    )?;
    Ok(())
}

/// How a column extracted at generation `from` extends to generation `to` (`from < to`).
pub(crate) fn span(conn: &Connection, survey_id: &str, from: u64, to: u64) -> Option<Span> {
    if from >= to || to - from > KEPT_GENERATIONS as u64 {
        return None;
    }
    let mut stmt = conn
        .prepare_cached(
            "SELECT generation, max_finished_rowid, finished_count, appended
             FROM response_generations
             WHERE survey_id = ?1 AND generation BETWEEN ?2 AND ?3 ORDER BY generation",
        )
        .ok()?;
    let rows = stmt
        .query_map(params![survey_id, from as i64, to as i64], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, bool>(3)?,
            ))
        })
        .ok()?
        .collect::<rusqlite::Result<Vec<_>>>()
        .ok()?;
    let contiguous = rows.len() as u64 == to - from + 1
        && rows
            .iter()
            .enumerate()
            .all(|(i, r)| r.0 == from as i64 + i as i64 && (i == 0 || r.3));
    if !contiguous {
        return None;
    }
    let (first, last) = (rows.first()?, rows.last()?);
    Some(Span {
        after_rowid: first.1,
        base_rows: usize::try_from(first.2).ok()?,
        rows: usize::try_from(last.2).ok()?,
    })
}
