//! Saved-filter membership, read after a survey's refresh.
//!
//! Contract: Qualtrics refuses `filterId` together with continuation, so a filter's members
//! are read by a *full* filtered export (response ids only: no question, embedded data or
//! metadata column asked for) and replace the cached membership at once, dated
//! `members_read_at`. It runs after a successful refresh for the saved filters the survey's
//! cards use and those read before, when the refresh imported anything (or was full) or the filter was never read.
//! A failed read keeps the previous membership (cards keep saying how old it is) and never
//! fails the refresh.

use chrono::Utc;
use qualtrics::{Client, ExportRequest};

use crate::error::Result;
use crate::metrics::{ComparisonSpec, MetricCardConfig, SegmentFilter};
use crate::store::Store;

/// Saved filter ids used by the cards (filters and segment comparisons), without repeats.
pub(crate) fn saved_filters_of(cards: &[(String, MetricCardConfig)]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for (_, c) in cards {
        let segs = match &c.comparison {
            Some(ComparisonSpec::Segments { a, b, .. }) => [a.as_slice(), b.as_slice()],
            _ => [&[][..], &[][..]],
        };
        for f in c.filters.iter().chain(segs[0]).chain(segs[1]) {
            if let SegmentFilter::Saved { filter_id, .. } = f {
                if !ids.contains(filter_id) {
                    ids.push(filter_id.clone());
                }
            }
        }
    }
    ids
}

/// Reads the members of one saved filter by a full filtered export and caches them.
pub(crate) async fn read_members(
    client: &Client,
    store: &Store,
    survey_id: &str,
    filter_id: &str,
) -> Result<usize> {
    let request = ExportRequest::new()
        .filter_id(filter_id)
        .question_ids(Vec::<String>::new())
        .embedded_data_ids(Vec::<String>::new())
        .survey_metadata_ids(Vec::<String>::new());
    let started = Utc::now();
    let export = client.prepare_export(survey_id, &request, |_| {}).await?;
    let mut ids = Vec::new();
    export
        .file
        .stream_responses(
            export.format,
            |_| {},
            |r| {
                ids.push(r.response_id);
                Ok(())
            },
        )
        .await?;
    store.replace_filter_members(survey_id, filter_id, &ids, started)?;
    Ok(ids.len())
}

/// Refreshes the membership of the saved filters `survey_id`'s cards use (module docs).
pub(crate) async fn refresh_members(
    client: &Client,
    store: &Store,
    survey_id: &str,
    changed: bool,
) -> Result<()> {
    let cards = super::metric_cards_for_survey(store, survey_id)?;
    let mut ids = saved_filters_of(&cards);
    // Filters read before (e.g. `pulsemap filters --read`) stay fresh too.
    for f in store.survey_filters(survey_id)? {
        if f.members_read_at.is_some() && !ids.contains(&f.id) {
            ids.push(f.id);
        }
    }
    for filter_id in ids {
        if !changed
            && store
                .filter_members_read_at(survey_id, &filter_id)?
                .is_some()
        {
            continue;
        }
        match read_members(client, store, survey_id, &filter_id).await {
            Ok(n) => tracing::info!(survey = %survey_id, filter = %filter_id, members = n,
                "saved filter membership read"),
            Err(e) => tracing::warn!(survey = %survey_id, filter = %filter_id, kind = ?e.kind(),
                "saved filter membership not read; keeping the previous one: {e}"),
        }
    }
    Ok(())
}
