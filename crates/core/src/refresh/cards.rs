//! The metric cards of a survey and the recomputation of their cached values after a refresh.

use chrono::{DateTime, Utc};

use crate::error::Result;
use crate::metrics::MetricCardConfig;
use crate::store::Store;

/// The metric cards (id, config) whose survey is `survey_id`, on any map (found through the
/// indexed `cards.survey_id`; only their configurations are parsed).
pub fn metric_cards_for_survey(
    store: &Store,
    survey_id: &str,
) -> Result<Vec<(String, MetricCardConfig)>> {
    let rows: Vec<(String, String)> = store.with_conn(|c| {
        let mut stmt = c.prepare(
            "SELECT id, config_json FROM cards INDEXED BY cards_by_survey
             WHERE kind = 'metric' AND survey_id = ?1 AND config_json IS NOT NULL
             ORDER BY map_id, position, id",
        )?;
        let rows = stmt.query_map([survey_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })?;
    let mut out = Vec::new();
    for (id, json) in rows {
        match serde_json::from_str::<MetricCardConfig>(&json) {
            Ok(config) if config.survey_id == survey_id => out.push((id, config)),
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
