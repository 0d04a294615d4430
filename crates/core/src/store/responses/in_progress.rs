//! The importer's in-progress side: the survey's responses still being answered, which every
//! refresh re-exports whole.
//!
//! Contract (see also the parent module's):
//! * An in-progress response re-delivered with the same text (same [`super::digest`] of its
//!   values) is neither rewritten nor recompressed; one whose text changed is stored again and
//!   its row points at the new copy; a new one is stored. So a refresh costs what changed in
//!   the in-progress set, not its size.
//! * After [`Importer::replace_in_progress`], the in-progress responses that follow are the
//!   survey's whole set: at commit every cached one not re-delivered (finished — it arrives
//!   recorded —, or discarded upstream) is deleted. A recorded response deletes its
//!   in-progress copy as it arrives (it moved to the recorded ones).
//! * Pages no in-progress row points at any more are deleted at commit, when a row was
//!   replaced or deleted. Unchanged rows keep their old pages, so pages can fill with dead
//!   slots; when the survey's in-progress pages outnumber twice what its cached rows need
//!   (plus [`SPARE_PAGES`]), a replacing import rewrites the whole set once instead.
//! * In-progress changes never bump the sync generation (metrics never read these rows), and
//!   all of it happens inside the import's transaction: a dropped import changes nothing.

use std::collections::HashMap;

use rusqlite::params;

use super::{digest, Importer, Pending, PendingRow, PAGES_IN_FLIGHT};
use crate::error::Result;
use crate::store::pages::{self, PAGE_RECORDS};
use crate::store::ResponseRow;

/// Pages a survey's in-progress set may use beyond twice what its rows need before a
/// replacing import rewrites it whole.
const SPARE_PAGES: i64 = 8;

/// What the import knows of the survey's cached in-progress responses.
#[derive(Default)]
pub(super) struct InProgressState {
    /// Digest of each cached (or, once delivered in this import, latest delivered) response
    /// by id, and whether this import delivered it; read when the first response arrives
    /// (recorded ones look their in-progress copy up here).
    known: Option<HashMap<String, Known>>,
    /// [`Importer::replace_in_progress`] was called: undelivered rows are deleted at commit.
    replace: bool,
    /// A row was replaced or deleted: its page may have no row left.
    dead_slots: bool,
}

struct Known {
    /// `None`: stored again whatever its text (its page is being compacted away).
    digest: Option<i64>,
    delivered: bool,
}

impl Importer {
    /// Adds one in-progress response (see the module docs).
    pub(super) fn add_in_progress(&mut self, row: ResponseRow) -> Result<()> {
        self.summary.in_progress += 1;
        self.clear_in_progress_on_complete = true;
        let digest = digest(&row.values_json, None);
        self.load_in_progress()?;
        let known = self
            .in_progress_state
            .known
            .get_or_insert_with(HashMap::new);
        match known.get_mut(&row.response_id) {
            Some(k) if k.digest == Some(digest) => {
                // Cached (or already delivered in this import) with this very text.
                k.delivered = true;
                self.summary.in_progress_unchanged += 1;
                return Ok(());
            }
            Some(k) => {
                k.digest = Some(digest);
                k.delivered = true;
                self.in_progress_state.dead_slots = true;
            }
            None => {
                known.insert(
                    row.response_id.clone(),
                    Known {
                        digest: Some(digest),
                        delivered: true,
                    },
                );
            }
        }
        self.in_progress.page.push(&row.values_json, None);
        self.in_progress.rows.push(PendingRow {
            response_id: row.response_id,
            finished: false,
            digest,
            replaces: None,
        });
        if self.in_progress.page.is_full() {
            self.in_progress.seal()?;
            while self.in_progress.in_flight() > PAGES_IN_FLIGHT {
                self.store_in_progress_page()?;
            }
        }
        Ok(())
    }

    /// Reads the survey's cached in-progress digests, once per import (after each
    /// [`Importer::replace_in_progress`]). When a replacing import finds the pages mostly
    /// dead slots, it forgets the digests, so every delivered response is stored afresh and
    /// every old page is swept at commit.
    fn load_in_progress(&mut self) -> Result<()> {
        if self.in_progress_state.known.is_some() {
            return Ok(());
        }
        let mut known = HashMap::new();
        let mut st = self.conn.prepare_cached(
            "SELECT response_id, digest FROM responses_in_progress WHERE survey_key = ?1",
        )?;
        let mut rows = st.query([self.survey_key])?;
        while let Some(r) = rows.next()? {
            let k = Known {
                digest: Some(r.get(1)?),
                delivered: false,
            };
            known.insert(r.get(0)?, k);
        }
        drop(rows);
        drop(st);
        if self.in_progress_state.replace && !known.is_empty() {
            let pages: i64 = self.conn.query_row(
                "SELECT COUNT(*) FROM response_pages WHERE survey_key = ?1 AND in_progress = 1",
                [self.survey_key],
                |r| r.get(0),
            )?;
            let needed = known.len().div_ceil(PAGE_RECORDS) as i64;
            if pages > 2 * needed + SPARE_PAGES {
                known.values_mut().for_each(|k| k.digest = None);
            }
        }
        self.in_progress_state.known = Some(known);
        Ok(())
    }

    /// A response arrived recorded: its in-progress copy, if any, is deleted (it completed).
    pub(super) fn in_progress_completed(&mut self, response_id: &str) -> Result<()> {
        // The known ids are every cached or delivered in-progress response, so most recorded
        // responses (never in progress) cost a hash lookup rather than a DELETE's B-tree
        // search; reading them here costs nothing extra, as the in-progress export follows.
        self.load_in_progress()?;
        let known = self
            .in_progress_state
            .known
            .get_or_insert_with(HashMap::new);
        if known.remove(response_id).is_none() {
            return Ok(());
        }
        // An in-progress copy added earlier in this import must be stored to be deleted.
        self.flush_in_progress()?;
        let deleted = self
            .conn
            .prepare_cached(
                "DELETE FROM responses_in_progress WHERE survey_key = ?1 AND response_id = ?2",
            )?
            .execute(params![self.survey_key, response_id])?;
        if deleted > 0 {
            self.in_progress_state.dead_slots = true;
        }
        Ok(())
    }

    /// Writes every pending page of in-progress responses and points their rows at it.
    pub(super) fn flush_in_progress(&mut self) -> Result<()> {
        self.in_progress.seal()?;
        while self.in_progress.in_flight() > 0 {
            self.store_in_progress_page()?;
        }
        Ok(())
    }

    /// Stores the oldest compressed page of in-progress responses and points its rows at it.
    fn store_in_progress_page(&mut self) -> Result<()> {
        let (data, rows) = self.in_progress.oldest()?;
        let page = pages::store_page(&self.conn, self.survey_key, true, &self.imported_at, &data)?;
        let mut st = self.conn.prepare_cached(
            "INSERT INTO responses_in_progress (survey_key, response_id, pos, digest)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(survey_key, response_id) DO UPDATE
                SET pos = excluded.pos, digest = excluded.digest",
        )?;
        for (slot, r) in rows.into_iter().enumerate() {
            st.execute(params![
                self.survey_key,
                r.response_id,
                pages::pos(self.survey_key, page, slot),
                r.digest
            ])?;
        }
        Ok(())
    }

    /// The in-progress responses added after this call are the survey's whole in-progress
    /// set: at commit, every cached one they do not include is deleted (see the module docs).
    /// Call before adding a fresh in-progress export; all inside this import, so only if it
    /// commits. In-progress responses added before the call are forgotten.
    pub fn replace_in_progress(&mut self) -> Result<()> {
        if self.in_progress_state.replace && self.in_progress_state.known.is_none() {
            return Ok(()); // nothing delivered since the last call
        }
        self.in_progress = Pending::default();
        self.in_progress_state.known = None; // re-read: what is stored now is what is cached
        self.in_progress_state.replace = true;
        self.summary.in_progress = 0;
        self.summary.in_progress_unchanged = 0;
        Ok(())
    }

    /// At commit: stores what is pending, deletes the undelivered rows of a replacing import
    /// and the pages no row points at any more.
    pub(super) fn commit_in_progress(&mut self) -> Result<()> {
        self.flush_in_progress()?;
        let key = self.survey_key;
        if self.in_progress_state.replace {
            let removed = match &self.in_progress_state.known {
                // Nothing delivered since `replace_in_progress`: the set is now empty.
                None => self.conn.execute(
                    "DELETE FROM responses_in_progress WHERE survey_key = ?1",
                    [key],
                )?,
                Some(known) => {
                    let mut st = self.conn.prepare_cached(
                        "DELETE FROM responses_in_progress
                         WHERE survey_key = ?1 AND response_id = ?2",
                    )?;
                    let mut n = 0;
                    for (id, k) in known {
                        if !k.delivered {
                            n += st.execute(params![key, id])?;
                        }
                    }
                    n
                }
            };
            self.summary.in_progress_removed += removed as u64;
            if removed > 0 {
                self.in_progress_state.dead_slots = true;
            }
        }
        if self.in_progress_state.dead_slots {
            self.conn.execute(
                "DELETE FROM response_pages WHERE survey_key = ?1 AND in_progress = 1
                   AND id NOT IN (SELECT (pos >> 16) & 16777215 FROM responses_in_progress
                                  WHERE survey_key = ?1)",
                [key],
            )?;
        }
        Ok(())
    }
}
