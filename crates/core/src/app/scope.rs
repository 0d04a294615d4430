//! Facade methods of card scopes (issue 13): saved filters, field values for the segment
//! picker, and computing a card on a given clock (the CLI's `--tz`).
//!
//! Contract: `list_survey_filters` asks Qualtrics (`GET /surveys/{id}/filters`) and caches the
//! list per survey; when Qualtrics cannot be reached it returns the cached list if there is
//! one (an empty cache is the error). `cached_survey_filters` and `field_values` never touch
//! the network.

use super::Pulsemap;
use crate::error::Result;
use crate::ids::SurveyId;
use crate::metrics::{Clock, FieldValueCount, MetricCardConfig, MetricValue, SavedFilter};

impl Pulsemap {
    /// The saved response filters of a survey, from Qualtrics (cached; see the module docs).
    pub async fn list_survey_filters(&self, survey_id: &SurveyId) -> Result<Vec<SavedFilter>> {
        let store = &self.inner.store;
        let listed = match self.inner.connector.client() {
            Ok(client) => client.filters(survey_id).await.map_err(crate::Error::from),
            Err(e) => Err(e),
        };
        match listed {
            Ok(filters) => {
                let rows: Vec<_> = filters
                    .into_iter()
                    .map(|f| {
                        let created = f.creation_date.map(|d| d.to_rfc3339());
                        (f.filter_id, f.filter_name, created)
                    })
                    .collect();
                store.put_survey_filters(survey_id, &rows, chrono::Utc::now())?;
                store.survey_filters(survey_id)
            }
            Err(e) => {
                let cached = store.survey_filters(survey_id)?;
                if cached.is_empty() {
                    Err(e)
                } else {
                    tracing::info!(survey = %survey_id, "filters from the cache: {e}");
                    Ok(cached)
                }
            }
        }
    }

    /// Lists the survey's saved filters and reads the members of each now (a full filtered
    /// export per filter); refreshes of the survey keep them fresh afterwards.
    pub async fn read_survey_filter_members(
        &self,
        survey_id: &SurveyId,
    ) -> Result<Vec<SavedFilter>> {
        self.list_survey_filters(survey_id).await?;
        self.inner.refresher.read_filter_members(survey_id).await?;
        self.cached_survey_filters(survey_id)
    }

    /// The cached saved filters of a survey (no network).
    pub fn cached_survey_filters(&self, survey_id: &SurveyId) -> Result<Vec<SavedFilter>> {
        self.inner.store.survey_filters(survey_id)
    }

    /// Values of an embedded data field with their n (cache; most frequent first, ≤ 200).
    pub fn field_values(&self, survey_id: &SurveyId, field: &str) -> Result<Vec<FieldValueCount>> {
        crate::metrics::field_values(&self.inner.store, survey_id, field)
    }

    /// [`Pulsemap::preview_metric`] with relative ranges resolved on `clock`.
    pub fn preview_metric_at(
        &self,
        config: &MetricCardConfig,
        clock: &Clock,
    ) -> Result<MetricValue> {
        crate::metrics::compute_at(&self.inner.store, config, clock)
    }
}
