//! How fresh a card's data is, and whether its cached value still covers its range.
//!
//! Contract: a card's data is as of its survey's last successful sync
//! ([`Store::data_as_of`]), stale past [`crate::metrics::STALE_AFTER_HOURS`] or when never
//! synced; a cached value of a relative range whose dates moved since (after midnight) is
//! shown as computed for older settings until recomputed. A workshop pack's cards are as of
//! the pack (`MapRow::data_as_of`): it is never recomputed, so its ranges never "move".

use chrono::{DateTime, Utc};

use super::Card;
use crate::error::Result;
use crate::metrics::{MetricCardConfig, MetricValue};
use crate::store::Store;

/// `(data_as_of, stale)` of a card at `now` (see [`CardView::data_as_of`]).
pub fn freshness(
    store: &Store,
    card: &Card,
    now: DateTime<Utc>,
) -> Result<(Option<DateTime<Utc>>, bool)> {
    let Some(config) = card.metric_config() else {
        return Ok((None, false));
    };
    let at = store.data_as_of(&config.survey_id)?;
    Ok((at, at.is_none_or(|at| is_stale(at, now))))
}

/// Whether data as of `at` is stale at `now` (older than [`crate::metrics::STALE_AFTER_HOURS`]).
pub fn is_stale(at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - at > chrono::Duration::hours(crate::metrics::STALE_AFTER_HOURS)
}

/// Whether a cached value was computed over another range than the card's range resolves to
/// today (a relative range after midnight): the card shows it as stale until recomputed.
pub(super) fn range_moved(config: &MetricCardConfig, cached: &MetricValue) -> bool {
    if config.range == crate::metrics::DateRange::All {
        return false;
    }
    let today = config.range.resolve(&crate::metrics::Clock::system()).ok();
    today.as_ref() != cached.resolved_range.as_ref()
}
