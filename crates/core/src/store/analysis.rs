//! "Exclude from analysis" as the legacy survey view states it.
//!
//! Contract: [`Store::apply_legacy_analysis`] reads the `result` of legacy
//! `GET /API/v3/surveys/{id}` (the `{"result": ...}` envelope is accepted too) and marks as
//! not analysed every cached choice the view lists with `"analyze": false` (for a matrix the
//! view's `choices` are the scale points, as the cached choices are). Recorded survey
//! definitions often carry no exclusion mark at all, while the legacy view has one per
//! choice, so both count: a choice is analysed only when neither excludes it. Questions and
//! choices the view does not list are left as they are. Returns how many choices changed;
//! the survey's metric columns are invalidated only when some did.

use rusqlite::params;
use serde_json::Value;

use super::Store;
use crate::error::Result;

impl Store {
    /// Marks the choices the legacy view excludes from analysis (see the module docs).
    pub fn apply_legacy_analysis(&self, survey_id: &str, legacy: &Value) -> Result<usize> {
        let root = legacy
            .get("result")
            .filter(|r| r.is_object())
            .unwrap_or(legacy);
        let Some(listed) = root.get("questions").and_then(Value::as_object) else {
            return Ok(0);
        };
        let mut changed = 0;
        let mut updates = Vec::new();
        for mut q in self.list_questions(survey_id)? {
            let Some(choices) = listed
                .get(&q.qid)
                .and_then(|lq| lq.get("choices"))
                .and_then(Value::as_object)
            else {
                continue;
            };
            let before = changed;
            for c in q.choices.iter_mut().filter(|c| c.analyze) {
                let excluded = choices
                    .get(&c.id)
                    .and_then(|lc| lc.get("analyze"))
                    .and_then(Value::as_bool)
                    == Some(false);
                if excluded {
                    c.analyze = false;
                    changed += 1;
                }
            }
            if changed > before {
                updates.push(q);
            }
        }
        if updates.is_empty() {
            return Ok(0);
        }
        self.with_tx(|tx| {
            let mut up = tx.prepare(
                "UPDATE questions SET choices_json = ?3 WHERE survey_id = ?1 AND qid = ?2",
            )?;
            for q in &updates {
                up.execute(params![
                    survey_id,
                    q.qid,
                    serde_json::to_string(&q.choices)?
                ])?;
            }
            Ok(())
        })?;
        self.columns.invalidate_survey(survey_id);
        Ok(changed)
    }
}
