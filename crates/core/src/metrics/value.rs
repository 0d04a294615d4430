//! The computed value of a card and its parts (DTOs shared with the UI).
//!
//! Contract: every field added after the first release has a serde default, so values cached
//! by an older Pulsemap still parse (and show as computed for older settings).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::scope::{ResolvedRange, TargetStatus};

fn default_min_n() -> u32 {
    30
}

/// Unit of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Unit {
    Percent,
    Score,
    #[default]
    Number,
}

/// The value of one group.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GroupValue {
    /// Choice id (question groups) or the value string (field groups).
    pub key: String,
    pub label: String,
    pub value: Option<f64>,
    #[ts(type = "number")]
    pub n: u64,
    /// 95% interval of `value` (see `interval`).
    #[serde(default)]
    pub ci_low: Option<f64>,
    #[serde(default)]
    pub ci_high: Option<f64>,
    /// `n` below the card's minimum n.
    #[serde(default)]
    pub low_n: bool,
}

/// One point of a series.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SeriesPoint {
    pub bucket: String,
    pub value: Option<f64>,
    #[ts(type = "number")]
    pub n: u64,
    #[serde(default)]
    pub ci_low: Option<f64>,
    #[serde(default)]
    pub ci_high: Option<f64>,
    /// `n` below the card's minimum n (drawn hollow).
    #[serde(default)]
    pub low_n: bool,
}

/// One line of a series split by segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SeriesGroup {
    pub key: String,
    pub label: String,
    pub points: Vec<SeriesPoint>,
}

/// Two values side by side.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ComparisonValue {
    pub current_label: String,
    pub current: Option<f64>,
    #[ts(type = "number")]
    pub current_n: u64,
    pub previous_label: String,
    pub previous: Option<f64>,
    #[ts(type = "number")]
    pub previous_n: u64,
    /// `current − previous` when both exist.
    pub delta: Option<f64>,
    /// Whether the change is larger than the noise: the 95% interval of `delta` excludes 0
    /// (`None` when it cannot be told: no interval for the calculation, or a value missing).
    #[serde(default)]
    pub significant: Option<bool>,
    #[serde(default)]
    pub delta_ci_low: Option<f64>,
    #[serde(default)]
    pub delta_ci_high: Option<f64>,
}

/// Share of one choice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DistributionBin {
    pub choice_id: String,
    pub label: String,
    #[ts(type = "number")]
    pub count: u64,
    pub percent: f64,
}

/// Why a value is missing or may mislead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ProblemKind {
    /// The survey is no longer visible to the token (value from the cache).
    SurveyDeleted,
    /// The question was removed from the survey (value from the cache).
    QuestionDeleted,
    /// The Group by question was removed from the survey.
    GroupQuestionDeleted,
    /// No usable answer.
    NoData,
    /// The calculation does not apply to this question or configuration.
    NotApplicable,
    /// Some answers could not be used and were left out (e.g. text that is not a number in
    /// a numeric text entry); the message says how many.
    SkippedAnswers,
}

/// A problem shown on the card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MetricProblem {
    pub kind: ProblemKind,
    pub message: String,
}

/// The computed value of a card.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MetricValue {
    pub value: Option<f64>,
    #[ts(type = "number")]
    pub n: u64,
    pub unit: Unit,
    /// Human-readable formula with n, e.g. "NPS = % promoters (9-10) − % detractors (0-6); …".
    pub formula: String,
    pub groups: Vec<GroupValue>,
    pub series: Vec<SeriesPoint>,
    pub comparison: Option<ComparisonValue>,
    pub distribution: Vec<DistributionBin>,
    pub problems: Vec<MetricProblem>,
    /// 95% interval of `value` (NPS, means, percentages); `None` when n is too small or the
    /// calculation has none.
    #[serde(default)]
    pub ci_low: Option<f64>,
    #[serde(default)]
    pub ci_high: Option<f64>,
    /// How the interval was computed (tooltip).
    #[serde(default)]
    pub ci_method: Option<String>,
    /// `n` below `min_n`.
    #[serde(default)]
    pub low_n: bool,
    #[serde(default = "default_min_n")]
    pub min_n: u32,
    #[serde(default)]
    pub status: TargetStatus,
    #[serde(default)]
    pub target: Option<f64>,
    /// The survey's last successful sync: the data is as of then (not the compute time).
    #[serde(default)]
    pub data_as_of: Option<chrono::DateTime<chrono::Utc>>,
    /// `data_as_of` is older than 24 hours (or the survey was never synced).
    #[serde(default)]
    pub stale: bool,
    #[serde(default)]
    pub resolved_range: Option<ResolvedRange>,
    /// One series per group of the card's `split_by` (Series cards).
    #[serde(default)]
    pub series_groups: Vec<SeriesGroup>,
}

impl MetricValue {
    /// Whether a problem of `kind` is reported.
    pub fn has_problem(&self, kind: ProblemKind) -> bool {
        self.problems.iter().any(|p| p.kind == kind)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{DateField, DateRange, MetricCardConfig};
    use super::*;

    /// Values and cards saved before issue 13 still parse, with the documented defaults.
    #[test]
    fn values_and_cards_saved_before_scopes_still_parse() {
        let old_value = r#"{"value":42.0,"n":12,"unit":"score","formula":"NPS","groups":
            [{"key":"1","label":"Basic","value":10.0,"n":5}],"series":[{"bucket":"2026-01",
            "value":null,"n":0}],"comparison":{"currentLabel":"a","current":1.0,"currentN":1,
            "previousLabel":"b","previous":null,"previousN":0,"delta":null},
            "distribution":[],"problems":[]}"#;
        let v: MetricValue = serde_json::from_str(old_value).unwrap();
        assert_eq!(
            (v.min_n, v.low_n, v.status),
            (30, false, TargetStatus::None)
        );
        assert_eq!(
            (v.ci_low, v.data_as_of, v.resolved_range),
            (None, None, None)
        );
        assert_eq!(v.comparison.unwrap().significant, None);
        let old_card = r#"{"name":"NPS","cardType":"number","surveyId":"SV_1",
            "questionId":"QID1","calculation":{"kind":"nps"},
            "chart":{"kind":"bar","showN":true,"decimals":0}}"#;
        let c: MetricCardConfig = serde_json::from_str(old_card).unwrap();
        assert_eq!(
            (c.range.clone(), c.date_field, c.min_n),
            (DateRange::All, DateField::RecordedDate, 30)
        );
        assert!(c.filters.is_empty() && c.target.is_none() && !c.chart.start_at_zero);
        c.validate().unwrap();
    }
}
