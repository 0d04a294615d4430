//! Finding a survey's recorded responses by id: `response_ids` (schema v13) holds, per
//! recorded response, `(survey_key, id_hash, pos)` where `id_hash` is [`id_hash`] of its
//! `responseId` and `pos` is where its row (`responses`) is.
//!
//! Contract:
//! * Every row of `responses` has exactly one entry, and every entry names a row: the
//!   importer, the migration to v13 and clearing a survey keep the two in step, inside the
//!   same transaction.
//! * A hash names candidates, never a match: two ids can share one (about one pair in 2^64),
//!   so every lookup compares the id text of each row it finds.
//! * The importer does not enter responses one by one. It collects the `(hash, pos)` of the
//!   rows it stores ([`NewIds`]) and, at commit, resolves the ids the import delivered twice
//!   (the later copy wins), then — for a survey that had rows — the cached copies that a
//!   continuation re-delivered, and enters what is left in the index's key order. An insert
//!   at a random key per response was a fifth of a 1M refresh (the unique index on the id
//!   text this replaces); inserts in key order walk the same few pages.
//! * Two tiers (`recent`): an import into a survey with no rows enters tier 0; one into a
//!   cached survey enters tier 1, a small range of its own, so 10k new responses of a
//!   refresh dirty a few dozen index pages instead of most of a 1M-entry tier (20+ MB of
//!   WAL and checkpoint). When tier 1 passes an eighth of the survey's responses, the commit
//!   moves it into tier 0 in key order. Lookups probe both.

use rusqlite::{params, Connection, OptionalExtension};

use super::Importer;
use crate::error::Result;
use crate::store::pages;

/// The stable 64-bit hash of a response id (XXH3: a fixed algorithm, as the hashes are
/// stored), as SQLite's signed integer.
pub(crate) fn id_hash(response_id: &str) -> i64 {
    let h = xxhash_rust::xxh3::xxh3_64(response_id.as_bytes()) as i64;
    // The crate's unit tests keep 16 hashes, so every lookup and commit meets colliding ids.
    if cfg!(test) {
        h & 0xF
    } else {
        h
    }
}

/// Rows entered per statement.
const ENTER_CHUNK: usize = 64;

/// The cached copy of a recorded response, found by its id.
pub(super) struct Cached {
    pub pos: i64,
    pub digest: i64,
}

/// Looks up the recorded response `response_id` of the survey (committed or entered by this
/// import).
pub(super) fn find(
    conn: &Connection,
    survey_key: i64,
    response_id: &str,
) -> Result<Option<Cached>> {
    Ok(conn
        .prepare_cached(
            "SELECT r.pos, r.digest FROM response_ids i JOIN responses r ON r.pos = i.pos
             WHERE i.survey_key = ?1 AND i.recent IN (0, 1) AND i.id_hash = ?2
               AND r.response_id = ?3",
        )?
        .query_row(
            params![survey_key, id_hash(response_id), response_id],
            |r| {
                Ok(Cached {
                    pos: r.get(0)?,
                    digest: r.get(1)?,
                })
            },
        )
        .optional()?)
}

/// Removes the entry of the row at `pos` (deleted or moved).
pub(super) fn forget(
    conn: &Connection,
    survey_key: i64,
    response_id: &str,
    pos: i64,
) -> Result<()> {
    conn.prepare_cached(
        "DELETE FROM response_ids
         WHERE survey_key = ?1 AND recent IN (0, 1) AND id_hash = ?2 AND pos = ?3",
    )?
    .execute(params![survey_key, id_hash(response_id), pos])?;
    Ok(())
}

/// The rows an import stored, entered into the index at commit.
#[derive(Default)]
pub(super) struct NewIds {
    /// `(id_hash, pos)`, in storage order until [`Importer::enter_new_ids`] sorts them.
    entries: Vec<(i64, i64)>,
}

impl NewIds {
    pub fn push(&mut self, response_id: &str, pos: i64) {
        self.entries.push((id_hash(response_id), pos));
    }
}

/// A stored row of this import, read back to resolve a repeat.
struct Stored {
    response_id: String,
    digest: i64,
    finished: bool,
}

fn stored(conn: &Connection, pos: i64) -> Result<Stored> {
    Ok(conn
        .prepare_cached("SELECT response_id, digest, finished FROM responses WHERE pos = ?1")?
        .query_row([pos], |r| {
            Ok(Stored {
                response_id: r.get(0)?,
                digest: r.get(1)?,
                finished: r.get(2)?,
            })
        })?)
}

fn delete_row(conn: &Connection, pos: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM responses WHERE pos = ?1")?
        .execute([pos])?;
    Ok(())
}

impl Importer {
    /// At commit: resolves repeats and re-deliveries, then enters the stored rows into
    /// `response_ids` (see the module docs).
    pub(super) fn enter_new_ids(&mut self) -> Result<()> {
        let mut entries = std::mem::take(&mut self.new_ids.entries);
        entries.sort_unstable();
        let mut kept = Vec::with_capacity(entries.len());
        for group in entries.chunk_by(|a, b| a.0 == b.0) {
            match group {
                [one] => kept.push(*one),
                _ => self.resolve_repeats(group, &mut kept)?,
            }
        }
        if self.had_rows && !self.sweep {
            kept = self.resolve_re_deliveries(kept)?;
        }
        // Only what remains counted as new or changed changes the generation (a continuation
        // that re-delivered unchanged copies only does not).
        if self.summary.inserted > 0 || self.summary.updated > 0 {
            self.changed = true;
        }
        self.enter(&kept)?;
        self.merge_recent_ids()
    }

    /// Rows of this import sharing one hash (in position order): of each id stored more than
    /// once the last copy stays, and each later copy counts as an update of the one before
    /// (unchanged when its text is the same), as if it had replaced a cached copy.
    fn resolve_repeats(&mut self, group: &[(i64, i64)], kept: &mut Vec<(i64, i64)>) -> Result<()> {
        let mut rows: Vec<(i64, Stored)> = Vec::with_capacity(group.len());
        for &(_, pos) in group {
            rows.push((pos, stored(&self.conn, pos)?));
        }
        for i in 0..rows.len() {
            let later = rows[i + 1..]
                .iter()
                .find(|(_, r)| r.response_id == rows[i].1.response_id);
            match later {
                None => kept.push((group[i].0, rows[i].0)),
                Some((_, next)) => {
                    // Every copy but the first was counted as inserted (its lookup could
                    // not see the earlier copy, which is not entered yet).
                    self.summary.inserted = self.summary.inserted.saturating_sub(1);
                    if next.digest == rows[i].1.digest {
                        self.summary.unchanged += 1;
                    } else {
                        self.summary.updated += 1;
                    }
                    self.inserted_finished = self
                        .inserted_finished
                        .saturating_sub(u64::from(rows[i].1.finished));
                    delete_row(&self.conn, rows[i].0)?;
                    self.dead_slots = true;
                }
            }
        }
        Ok(())
    }

    /// A continuation import stores what it delivers without looking it up first; here each
    /// stored row's hash is looked up among the survey's committed entries (in key order, so
    /// the probes share pages). A cached copy with the same text keeps its row and the new
    /// copy is dropped (a dead slot); a cached copy with other text is replaced.
    fn resolve_re_deliveries(&mut self, kept: Vec<(i64, i64)>) -> Result<Vec<(i64, i64)>> {
        let mut out = Vec::with_capacity(kept.len());
        for (hash, pos) in kept {
            let cached = self.cached_with_hash(hash)?;
            if cached.is_empty() {
                out.push((hash, pos));
                continue;
            }
            let new = stored(&self.conn, pos)?;
            let Some((old_pos, old)) = cached
                .into_iter()
                .find(|(_, c)| c.response_id == new.response_id)
            else {
                out.push((hash, pos)); // another id with the same hash
                continue;
            };
            self.summary.inserted = self.summary.inserted.saturating_sub(1);
            self.inserted_finished = self
                .inserted_finished
                .saturating_sub(u64::from(new.finished));
            self.dead_slots = true;
            if old.digest == new.digest {
                self.summary.unchanged += 1;
                delete_row(&self.conn, pos)?;
            } else {
                self.summary.updated += 1;
                delete_row(&self.conn, old_pos)?;
                forget(&self.conn, self.survey_key, &old.response_id, old_pos)?;
                out.push((hash, pos));
            }
        }
        Ok(out)
    }

    fn cached_with_hash(&self, hash: i64) -> Result<Vec<(i64, Stored)>> {
        let mut st = self.conn.prepare_cached(
            "SELECT r.pos, r.response_id, r.digest, r.finished
             FROM response_ids i JOIN responses r ON r.pos = i.pos
             WHERE i.survey_key = ?1 AND i.recent IN (0, 1) AND i.id_hash = ?2",
        )?;
        let rows = st.query_map(params![self.survey_key, hash], |r| {
            let s = Stored {
                response_id: r.get(1)?,
                digest: r.get(2)?,
                finished: r.get(3)?,
            };
            Ok((r.get(0)?, s))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Full resync: deletes the survey's recorded rows that were not re-delivered, with
    /// their entries; returns how many.
    pub(super) fn sweep_undelivered(&mut self) -> Result<usize> {
        let (lo, hi) = pages::survey_range(self.survey_key);
        let gone: Vec<(i64, String)> = {
            let mut st = self.conn.prepare(
                "DELETE FROM responses WHERE pos BETWEEN ?1 AND ?2
                   AND response_id NOT IN (SELECT response_id FROM temp.delivered)
                 RETURNING pos, response_id",
            )?;
            let rows = st.query_map([lo, hi], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for (pos, id) in &gone {
            forget(&self.conn, self.survey_key, id, *pos)?;
        }
        self.conn.execute_batch("DELETE FROM temp.delivered")?;
        Ok(gone.len())
    }

    /// Enters sorted `(hash, pos)` entries, [`ENTER_CHUNK`] per statement: tier 1 when
    /// the survey had rows (see the module docs).
    fn enter(&self, entries: &[(i64, i64)]) -> Result<()> {
        enter_sorted(&self.conn, self.survey_key, self.had_rows, entries)
    }

    /// Moves tier 1 into tier 0 once it holds more than an eighth of the survey's entries.
    fn merge_recent_ids(&self) -> Result<()> {
        if !self.had_rows {
            return Ok(());
        }
        let count = |recent: bool| -> Result<i64> {
            Ok(self
                .conn
                .prepare_cached(
                    "SELECT COUNT(*) FROM response_ids WHERE survey_key = ?1 AND recent = ?2",
                )?
                .query_row(params![self.survey_key, recent], |r| r.get(0))?)
        };
        let recent = count(true)?;
        if recent == 0 {
            return Ok(());
        }
        // The survey's entries, without counting a large tier 0 when the last commit's count
        // is at hand.
        let all = match self.base_total {
            Some(base) => base + self.summary.inserted as i64,
            None => count(false)? + recent,
        };
        if recent * 8 <= all {
            return Ok(());
        }
        self.conn.execute(
            "INSERT INTO response_ids (survey_key, recent, id_hash, pos)
             SELECT survey_key, 0, id_hash, pos FROM response_ids
             WHERE survey_key = ?1 AND recent = 1 ORDER BY id_hash, pos",
            [self.survey_key],
        )?;
        self.conn.execute(
            "DELETE FROM response_ids WHERE survey_key = ?1 AND recent = 1",
            [self.survey_key],
        )?;
        Ok(())
    }
}

/// Enters sorted `(hash, pos)` entries of one survey into a tier.
fn enter_sorted(
    conn: &Connection,
    survey_key: i64,
    recent: bool,
    entries: &[(i64, i64)],
) -> Result<()> {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let sql = SQL.get_or_init(|| {
        format!(
            "INSERT INTO response_ids (survey_key, recent, id_hash, pos) VALUES {}",
            vec!["(?,?,?,?)"; ENTER_CHUNK].join(",")
        )
    });
    let mut chunks = entries.chunks_exact(ENTER_CHUNK);
    let mut st = conn.prepare_cached(sql)?;
    for chunk in chunks.by_ref() {
        for (k, &(hash, pos)) in chunk.iter().enumerate() {
            st.raw_bind_parameter(k * 4 + 1, survey_key)?;
            st.raw_bind_parameter(k * 4 + 2, recent)?;
            st.raw_bind_parameter(k * 4 + 3, hash)?;
            st.raw_bind_parameter(k * 4 + 4, pos)?;
        }
        st.raw_execute()?;
    }
    let mut one = conn.prepare_cached(
        "INSERT INTO response_ids (survey_key, recent, id_hash, pos) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for &(hash, pos) in chunks.remainder() {
        one.execute(params![survey_key, recent, hash, pos])?;
    }
    Ok(())
}

/// The migration to v13: enters every cached recorded response (its hash needs Rust).
pub(crate) fn fill_index(tx: &rusqlite::Transaction) -> rusqlite_migration::HookResult {
    let mut by_survey: std::collections::BTreeMap<i64, Vec<(i64, i64)>> = Default::default();
    {
        let mut st = tx.prepare("SELECT survey_key, response_id, pos FROM responses")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(1)?;
            by_survey
                .entry(r.get(0)?)
                .or_default()
                .push((id_hash(&id), r.get(2)?));
        }
    }
    for (key, mut entries) in by_survey {
        entries.sort_unstable();
        enter_sorted(tx, key, false, &entries)
            .map_err(|e| rusqlite_migration::HookError::Hook(e.to_string()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use crate::store::{ResponseRow, Store};

    const SV: &str = "SV_collide";

    fn row(id: &str, n: i64) -> ResponseRow {
        ResponseRow {
            response_id: id.into(),
            finished: true,
            in_progress: false,
            values_json: format!(r#"{{"QID1":{n},"finished":1}}"#),
            labels_json: None,
        }
    }

    fn import(store: &Store, rows: &[(String, i64)], full: bool) -> (u64, u64, u64, u64) {
        let mut imp = store.importer(SV).unwrap();
        if full {
            imp.replace_existing().unwrap();
        }
        for (id, n) in rows {
            imp.add(row(id, *n)).unwrap();
        }
        let s = imp.commit(None, Utc::now()).unwrap();
        (s.inserted, s.updated, s.unchanged, s.total_responses)
    }

    fn stored(store: &Store) -> std::collections::BTreeMap<String, i64> {
        let mut out = std::collections::BTreeMap::new();
        store
            .for_each_response(SV, |r| {
                let n = r.values["QID1"].as_i64().unwrap();
                assert!(out.insert(r.response_id, n).is_none(), "stored twice");
                Ok(())
            })
            .unwrap();
        out
    }

    /// 300 ids over 16 hashes: repeats, re-deliveries and a resync each find the right
    /// response among the ones sharing its hash.
    #[test]
    fn colliding_hashes_are_told_apart_by_the_id() {
        let store = Store::open_in_memory().unwrap();
        let id = |i: usize| format!("R_{i:03}");
        let mut rows: Vec<(String, i64)> = (0..300).map(|i| (id(i), i as i64)).collect();
        rows.push((id(10), 1000)); // repeated with new text
        rows.push((id(20), 20)); // repeated, identical
        assert_eq!(import(&store, &rows, false), (300, 1, 1, 300));
        let mut want: std::collections::BTreeMap<String, i64> =
            (0..300).map(|i| (id(i), i as i64)).collect();
        want.insert(id(10), 1000);
        assert_eq!(stored(&store), want);

        // A continuation: one unchanged, one edited, fifty new.
        let mut rows = vec![(id(0), 0), (id(1), 1001)];
        rows.extend((300..350).map(|i| (id(i), i as i64)));
        assert_eq!(import(&store, &rows, false), (50, 1, 1, 350));
        want.insert(id(1), 1001);
        want.extend((300..350).map(|i| (id(i), i as i64)));
        assert_eq!(stored(&store), want);

        // A full resync without R_005 deletes it (and only it); delivered again, it is new.
        let all: Vec<(String, i64)> = want
            .iter()
            .filter(|(k, _)| **k != id(5))
            .map(|(k, v)| (k.clone(), *v))
            .collect();
        assert_eq!(import(&store, &all, true), (0, 0, 349, 349));
        want.remove(&id(5));
        assert_eq!(stored(&store), want);
        assert_eq!(import(&store, &[(id(5), 5)], false), (1, 0, 0, 350));
    }
}
