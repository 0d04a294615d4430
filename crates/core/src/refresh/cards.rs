//! The metric cards of a survey and the recomputation of their cached values after a refresh.

use chrono::{DateTime, Utc};

use crate::error::Result;
use crate::metrics::MetricCardConfig;
use crate::store::Store;

/// The metric cards (id, config) whose survey is `survey_id`, found through the indexed
/// `cards.survey_id` (only their configurations are parsed), on any map but a workshop pack
/// (whose values stay as they were exported, even when this install sees the same survey).
pub fn metric_cards_for_survey(
    store: &Store,
    survey_id: &str,
) -> Result<Vec<(String, MetricCardConfig)>> {
    let rows: Vec<(String, String)> = store.with_conn(|c| {
        let mut stmt = c.prepare(
            "SELECT k.id, k.config_json FROM cards k INDEXED BY cards_by_survey
                 JOIN maps m ON m.id = k.map_id
             WHERE k.kind = 'metric' AND k.survey_id = ?1 AND k.config_json IS NOT NULL
               AND m.data_as_of IS NULL
             ORDER BY k.map_id, k.position, k.id",
        )?;
        let rows = stmt.query_map([survey_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })?;
    let mut out = Vec::new();
    for (id, json) in rows {
        match serde_json::from_str::<MetricCardConfig>(&json) {
            Ok(config) if config.survey_id.as_deref() == Some(survey_id) => out.push((id, config)),
            Ok(_) => {}
            Err(e) => tracing::warn!(card = %id, "unreadable card configuration: {e}"),
        }
    }
    Ok(out)
}

/// Recomputes and caches the values of the metric cards on `survey_id`; returns how many.
/// A card whose computation fails (question gone...) keeps its previous cached value.
pub fn recompute_cards(store: &Store, survey_id: &str, at: DateTime<Utc>) -> Result<usize> {
    let mut done = 0;
    for (card_id, config) in metric_cards_for_survey(store, survey_id)? {
        match crate::metrics::compute(store, &config) {
            Ok(value) => {
                store.put_metric_value(&card_id, &config.config_hash(), &value, at)?;
                done += 1;
            }
            Err(e) => tracing::warn!(card = %card_id, kind = ?e.kind(), "card not recomputed: {e}"),
        }
    }
    Ok(done)
}
