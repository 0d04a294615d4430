//! How fresh a card's data is, and whether its cached value still covers its range.
//!
//! Contract: a card's data is as of its survey's last successful sync
//! ([`Store::data_as_of`]), stale past [`crate::metrics::STALE_AFTER_HOURS`] or when never
//! synced. A cached value of a relative range ("last 7 days", "this month") whose dates moved
//! since it was computed (a day boundary passed in the clock's zone) is recomputed from the
//! cached responses when the map is painted ([`roll_range`]: no network); when that fails it
//! is kept and marked `stale_config`. A workshop pack's cards are as of the pack
//! (`MapRow::data_as_of`): they are never recomputed, so their ranges never "move".

use chrono::{DateTime, Utc};

use super::Card;
use crate::error::Result;
use crate::metrics::{Clock, MetricCardConfig, MetricValue};
use crate::store::{CachedMetricValue, Store};

/// `(data_as_of, stale)` of a card at `now` (see [`CardView::data_as_of`]).
pub fn freshness(
    store: &Store,
    card: &Card,
    now: DateTime<Utc>,
) -> Result<(Option<DateTime<Utc>>, bool)> {
    let Some(config) = card.metric_config() else {
        return Ok((None, false));
    };
    let at = match &config.survey_id {
        Some(survey_id) => store.data_as_of(survey_id)?,
        None => None,
    };
    Ok((at, at.is_none_or(|at| is_stale(at, now))))
}

/// Whether data as of `at` is stale at `now` (older than [`crate::metrics::STALE_AFTER_HOURS`]).
pub fn is_stale(at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - at > chrono::Duration::hours(crate::metrics::STALE_AFTER_HOURS)
}

/// Whether a cached value was computed over another range than the card's range resolves to
/// on `clock`'s today (a relative range after midnight).
pub(super) fn range_moved(config: &MetricCardConfig, cached: &MetricValue, clock: &Clock) -> bool {
    if config.range == crate::metrics::DateRange::All {
        return false;
    }
    let today = config.range.resolve(clock).ok();
    today.as_ref() != cached.resolved_range.as_ref()
}

/// The cached value of a card whose configuration is unchanged, recomputed on `clock` (and
/// cached again) when its range moved since, unless `frozen` (a pack); `(value, still_stale)`. A failed recomputation
/// keeps the old value, marked stale, rather than painting no value.
pub(crate) fn roll_range(
    store: &Store,
    config: &MetricCardConfig,
    cached: CachedMetricValue<MetricValue>,
    clock: &Clock,
    frozen: bool,
) -> Result<(CachedMetricValue<MetricValue>, bool)> {
    if frozen || !range_moved(config, &cached.value, clock) {
        return Ok((cached, false));
    }
    match crate::metrics::compute_at(store, config, clock) {
        Ok(value) => {
            store.put_metric_value(&cached.card_id, &cached.config_hash, &value, clock.now)?;
            Ok((
                CachedMetricValue {
                    value,
                    computed_at: clock.now,
                    ..cached
                },
                false,
            ))
        }
        Err(e) => {
            tracing::info!(card = %cached.card_id, kind = ?e.kind(), "range moved, not recomputed: {e}");
            Ok((cached, true))
        }
    }
}
