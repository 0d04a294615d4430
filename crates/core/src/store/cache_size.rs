//! How much disk each survey's cached responses take, and clearing them.
//!
//! Contract:
//! * [`Store::response_cache_sizes`] lists every survey with cached responses: recorded and
//!   in-progress counts and bytes on disk — its compressed pages exactly, plus its share of
//!   the narrow per-response rows and their index (the tables' pages as SQLite's `dbstat`
//!   counts them, split by row count; left out where `dbstat` is not available).
//! * [`Store::clear_responses`] deletes a survey's cached responses (recorded and in
//!   progress), their pages, metric columns and lineage, and the cached values of the cards
//!   on the survey, in one transaction; its sync state loses the continuation token and
//!   count and moves to a new generation, so the next refresh is a full one and no in-memory
//!   column of the old data is used again. Survey, questions, cards and the refresh log stay.

use rusqlite::OptionalExtension;
use serde::Serialize;
use ts_rs::TS;

use super::pages::{recorded_count, survey_key, survey_range};
use super::Store;
use crate::error::Result;
use crate::ids::SurveyId;

/// The cached responses of one survey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SurveyCacheSize {
    pub survey_id: SurveyId,
    /// The survey's name, when the survey list is cached.
    pub name: Option<String>,
    /// Recorded responses cached.
    #[ts(type = "number")]
    pub responses: u64,
    /// In-progress responses cached.
    #[ts(type = "number")]
    pub in_progress: u64,
    /// Bytes on disk (see the module docs).
    #[ts(type = "number")]
    pub bytes: u64,
}

/// Bytes of the response rows and their index per row, from `dbstat` (`None` without it).
fn row_bytes(c: &rusqlite::Connection) -> Option<f64> {
    let pages: i64 = c
        .query_row(
            "SELECT SUM(pgsize) FROM dbstat WHERE name IN ('responses', 'response_ids',
                 'responses_in_progress')",
            [],
            |r| r.get::<_, Option<i64>>(0),
        )
        .ok()??;
    let rows: i64 = c
        .query_row(
            "SELECT (SELECT COUNT(*) FROM responses) + (SELECT COUNT(*) FROM responses_in_progress)",
            [],
            |r| r.get(0),
        )
        .ok()?;
    (rows > 0).then(|| pages as f64 / rows as f64)
}

impl Store {
    /// The cached responses of every survey that has some (see the module docs).
    pub fn response_cache_sizes(&self) -> Result<Vec<SurveyCacheSize>> {
        self.with_conn(|c| {
            let per_row = row_bytes(c).unwrap_or(0.0);
            let mut stmt = c.prepare(
                "SELECT s.survey_id, (SELECT name FROM surveys WHERE id = s.survey_id), s.key,
                    (SELECT COUNT(*) FROM responses_in_progress i WHERE i.survey_key = s.key),
                    (SELECT COALESCE(SUM(LENGTH(data)), 0) FROM response_pages p
                       WHERE p.survey_key = s.key)
                 FROM response_surveys s ORDER BY s.survey_id",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, SurveyId>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, i64>(4)?,
                ))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (survey_id, name, key, in_progress, page_bytes) = row?;
                let responses = recorded_count(c, key)?;
                if responses + in_progress == 0 {
                    continue;
                }
                let rows = (responses + in_progress) as f64;
                out.push(SurveyCacheSize {
                    survey_id,
                    name,
                    responses: responses as u64,
                    in_progress: in_progress as u64,
                    bytes: page_bytes as u64 + (rows * per_row).round() as u64,
                });
            }
            Ok(out)
        })
    }

    /// Deletes a survey's cached responses (see the module docs); returns how many recorded
    /// and in-progress responses were deleted.
    pub fn clear_responses(&self, survey_id: &str) -> Result<u64> {
        let deleted = self.with_tx(|tx| {
            let Some(key) = survey_key(tx, survey_id)? else {
                return Ok(0);
            };
            let (lo, hi) = survey_range(key);
            let mut deleted = tx.execute(
                "DELETE FROM responses WHERE pos BETWEEN ?1 AND ?2",
                [lo, hi],
            )?;
            deleted += tx.execute(
                "DELETE FROM responses_in_progress WHERE survey_key = ?1",
                [key],
            )?;
            tx.execute("DELETE FROM response_ids WHERE survey_key = ?1", [key])?;
            tx.execute("DELETE FROM response_pages WHERE survey_key = ?1", [key])?;
            tx.execute(
                "DELETE FROM metric_columns WHERE survey_id = ?1",
                [survey_id],
            )?;
            tx.execute(
                "DELETE FROM response_generations WHERE survey_id = ?1",
                [survey_id],
            )?;
            tx.execute(
                "DELETE FROM metric_values WHERE card_id IN
                    (SELECT id FROM cards WHERE kind = 'metric' AND survey_id = ?1)",
                [survey_id],
            )?;
            let had_state: Option<i64> = tx
                .query_row(
                    "SELECT 1 FROM sync_state WHERE survey_id = ?1",
                    [survey_id],
                    |r| r.get(0),
                )
                .optional()?;
            if had_state.is_some() {
                tx.execute(
                    "UPDATE sync_state SET continuation_token = NULL, response_count = 0,
                        generation = generation + 1 WHERE survey_id = ?1",
                    [survey_id],
                )?;
            }
            Ok(deleted as u64)
        })?;
        self.columns.invalidate_survey(survey_id);
        Ok(deleted)
    }
}
