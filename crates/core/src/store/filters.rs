//! Saved response filters of a survey and their cached membership.
//!
//! Contract: [`Store::put_survey_filters`] replaces a survey's listed filters (a filter that is
//! no longer listed loses its membership; one still listed keeps it).
//! [`Store::replace_filter_members`] stores the response ids of one full filtered export and
//! when it was read, in one transaction. [`Store::filter_mask`] lines membership up with the
//! metric columns (one flag per finished response, in position order); `None` when the filter's
//! membership was never read.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};

use super::{parse_opt_ts, ts, Store};
use crate::error::Result;

/// A saved Qualtrics response filter of a survey.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SavedFilter {
    pub id: String,
    pub name: String,
    /// When its membership was last read by a filtered export (RFC 3339), if ever.
    pub members_read_at: Option<String>,
}

impl Store {
    /// Replaces the survey's listed filters: `(id, name, creation date)`.
    pub fn put_survey_filters(
        &self,
        survey_id: &str,
        filters: &[(String, String, Option<String>)],
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.with_tx(|tx| {
            let listed: Vec<&str> = filters.iter().map(|f| f.0.as_str()).collect();
            let mut old = tx.prepare("SELECT filter_id FROM survey_filters WHERE survey_id = ?1")?;
            let gone: Vec<String> = old
                .query_map([survey_id], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?
                .into_iter()
                .filter(|id| !listed.contains(&id.as_str()))
                .collect();
            drop(old);
            for id in gone {
                tx.execute(
                    "DELETE FROM survey_filters WHERE survey_id = ?1 AND filter_id = ?2",
                    params![survey_id, id],
                )?;
                tx.execute(
                    "DELETE FROM filter_members WHERE survey_id = ?1 AND filter_id = ?2",
                    params![survey_id, id],
                )?;
            }
            for (id, name, created) in filters {
                tx.execute(
                    "INSERT INTO survey_filters (survey_id, filter_id, name, creation_date, listed_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (survey_id, filter_id) DO UPDATE SET name = excluded.name,
                         creation_date = excluded.creation_date, listed_at = excluded.listed_at",
                    params![survey_id, id, name, created, ts(at)],
                )?;
            }
            Ok(())
        })
    }

    /// The survey's cached filters, by name.
    pub fn survey_filters(&self, survey_id: &str) -> Result<Vec<SavedFilter>> {
        self.with_conn(|c| {
            let mut stmt = c.prepare(
                "SELECT filter_id, name, members_read_at FROM survey_filters
                 WHERE survey_id = ?1 AND listed_at IS NOT NULL ORDER BY name, filter_id",
            )?;
            let rows = stmt.query_map([survey_id], |r| {
                Ok(SavedFilter {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    members_read_at: r.get(2)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// Stores the members of one filtered export (all of them: it was a full export).
    pub fn replace_filter_members(
        &self,
        survey_id: &str,
        filter_id: &str,
        response_ids: &[String],
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.with_tx(|tx| {
            tx.execute(
                "DELETE FROM filter_members WHERE survey_id = ?1 AND filter_id = ?2",
                params![survey_id, filter_id],
            )?;
            let mut ins = tx.prepare(
                "INSERT OR IGNORE INTO filter_members (survey_id, filter_id, response_id)
                 VALUES (?1, ?2, ?3)",
            )?;
            for id in response_ids {
                ins.execute(params![survey_id, filter_id, id])?;
            }
            tx.execute(
                "INSERT INTO survey_filters (survey_id, filter_id, name, members_read_at)
                 VALUES (?1, ?2, ?2, ?3)
                 ON CONFLICT (survey_id, filter_id) DO UPDATE SET
                     members_read_at = excluded.members_read_at",
                params![survey_id, filter_id, ts(at)],
            )?;
            Ok(())
        })
    }

    /// When the filter's membership was last read (`None`: never).
    pub fn filter_members_read_at(
        &self,
        survey_id: &str,
        filter_id: &str,
    ) -> Result<Option<DateTime<Utc>>> {
        self.with_conn(|c| {
            let s: Option<Option<String>> = c
                .query_row(
                    "SELECT members_read_at FROM survey_filters
                     WHERE survey_id = ?1 AND filter_id = ?2",
                    params![survey_id, filter_id],
                    |r| r.get(0),
                )
                .optional()?;
            Ok(parse_opt_ts(s.flatten()))
        })
    }

    /// One flag per finished response (position order, as the metric columns): in the filter.
    /// `None` when the membership was never read.
    pub fn filter_mask(&self, survey_id: &str, filter_id: &str) -> Result<Option<Vec<bool>>> {
        if self.filter_members_read_at(survey_id, filter_id)?.is_none() {
            return Ok(None);
        }
        self.with_conn(|c| {
            let Some(key) = super::pages::survey_key(c, survey_id)? else {
                return Ok(Some(Vec::new()));
            };
            let (lo, hi) = super::pages::survey_range(key);
            let mut stmt = c.prepare(
                "SELECT EXISTS (SELECT 1 FROM filter_members m WHERE m.survey_id = ?1
                        AND m.filter_id = ?2 AND m.response_id = r.response_id)
                 FROM responses r WHERE r.pos BETWEEN ?3 AND ?4 AND r.finished = 1 ORDER BY r.pos",
            )?;
            let rows = stmt.query_map(params![survey_id, filter_id, lo, hi], |r| {
                r.get::<_, bool>(0)
            })?;
            Ok(Some(rows.collect::<rusqlite::Result<Vec<_>>>()?))
        })
    }

    /// The survey's data is as of this instant: the start of its latest successful refresh
    /// (export taken then), else its last successful import.
    pub fn data_as_of(&self, survey_id: &str) -> Result<Option<DateTime<Utc>>> {
        let attempt = self.with_conn(|c| {
            let s: Option<String> = c.query_row(
                "SELECT MAX(started_at) FROM refresh_attempts
                 WHERE survey_id = ?1 AND outcome = 'ok'",
                [survey_id],
                |r| r.get(0),
            )?;
            Ok(parse_opt_ts(s))
        })?;
        match attempt {
            Some(at) => Ok(Some(at)),
            None => Ok(self.sync_state(survey_id)?.and_then(|s| s.last_success_at)),
        }
    }

    /// The latest [`Store::data_as_of`] over every survey (offline banner).
    pub fn latest_data_as_of(&self) -> Result<Option<DateTime<Utc>>> {
        self.with_conn(|c| {
            let s: Option<String> = c.query_row(
                "SELECT MAX(COALESCE((SELECT MAX(a.started_at) FROM refresh_attempts a
                                      WHERE a.survey_id = s.survey_id AND a.outcome = 'ok'),
                                     s.last_success_at))
                 FROM sync_state s",
                [],
                |r| r.get(0),
            )?;
            Ok(parse_opt_ts(s))
        })
    }
}
