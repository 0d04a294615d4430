//! Metric cards: configuration and value DTOs shared with the UI, and the engine computing them.
//!
//! Contract:
//! * Only *finished* recorded responses count (in-progress ones live apart and never reach
//!   here). A response counts in `n` only when it has a usable answer: a choice whose
//!   `analyze` flag is true (choices like "Don't know" are excluded from numerator *and*
//!   denominator), or a number for questions without choices. Numeric values are the recodes.
//! * NPS uses 0-10 answers: % promoters (9-10) − % detractors (0-6), in −100..100. CSAT is the
//!   top-2-box % of the question's analysable scale (4-5 on 1-5). CES average is the mean;
//!   CES % easy is the share above the scale midpoint (5-7 on 1-7). Distribution gives % per
//!   choice (multi-select: % of respondents choosing each) and leaves `value` empty.
//! * Group by a choice question uses its choice labels (all choices, in order); by a field
//!   uses the value strings (sorted); by time uses buckets of local days in the user's time
//!   zone (the zone ranges resolve in) labelled `2026-02-14`, `2026-W07`, `2026-02`,
//!   `2026-Q1`, gaps filled with empty points; calendar-period comparisons use the same days.
//! * A card covers the responses in its date range (`range`: resolved on today in the user's
//!   time zone, local midnight to midnight, by the card's `date_field`, recorded date by
//!   default) that pass all its segment filters (`segment`); see `prepare`. Values carry a 95%
//!   interval (`interval`: Wilson for percentages, trinomial normal approximation for NPS,
//!   Student's t for means), a low-n flag below the card's `min_n`, the target status
//!   (`target`), `data_as_of` = the survey's last successful sync and `stale` past 24 h.
//!   Comparisons say whether the change exceeds the noise (interval of the difference).
//! * [`compute`] reads the store through cached in-memory columns (see `cache`: extended with
//!   only the new responses after an append-only import), then calls the pure [`compute_on`];
//!   [`column_reads`] tells how many responses the columns were read from. Missing
//!   survey/question → `NotFound`; a deleted survey or question still computes from the cache
//!   but reports a [`MetricProblem`].

mod acc;
mod engine;
mod fields;
mod formula;
mod grouping;
pub mod interval;
mod prepare;
pub mod range;
mod scope;
mod segment;
mod target;
mod time;
mod validate;
mod value;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

pub use crate::calculation::{applicable_calculations, refusal, Calculation};
pub use crate::store::columns::{Cell, ColumnReads, ValueColumn};
pub use engine::{compute_on, MetricInput, Side};
pub use fields::answer_field;
pub use prepare::{compute, compute_at, STALE_AFTER_HOURS};
pub use range::Clock;
pub use scope::{
    Better, DateRange, FieldValueCount, RangeUnit, ResolvedRange, SavedFilter, SegmentFilter,
    SplitBy, Target, TargetStatus,
};
pub use segment::field_values;
pub use target::{amber_margin, status_of};
pub use time::bucket_label;
pub use value::{
    ComparisonValue, DistributionBin, GroupValue, MetricProblem, MetricValue, ProblemKind,
    SeriesGroup, SeriesPoint, Unit,
};

pub(crate) use formula::thousands;

use crate::ids::SurveyId;
use crate::store::Store;

/// What a card shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum CardType {
    /// One value (optionally per group).
    Number,
    /// One value per time bucket.
    Series,
    /// Two values side by side (see [`ComparisonSpec`]).
    Comparison,
}

/// Time bucket of a series (local days in the user's zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum TimeBucket {
    Day,
    Week,
    Month,
    Quarter,
}

/// Which response date places a response in time.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize, TS,
)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum DateField {
    #[default]
    EndDate,
    StartDate,
    RecordedDate,
}

/// How responses are split.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[ts(export)]
pub enum GroupBy {
    #[default]
    None,
    /// By the chosen answer of a choice question; `QIDn.<row>` picks one row of a matrix or
    /// one level of a drill-down.
    Question { question_id: String },
    /// By an embedded data field or contact attribute.
    Field { name: String },
    /// By time bucket.
    Time {
        bucket: TimeBucket,
        #[serde(default)]
        date_field: DateField,
    },
}

/// Calendar period of a previous-period comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Period {
    Month,
    Quarter,
    Year,
}

/// What a Comparison card compares.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum ComparisonSpec {
    /// The period holding the latest response vs the one before it.
    PreviousPeriod { period: Period },
    /// Group `a` (current) vs group `b` (previous) of the card's Group by (key or label).
    Groups { a: String, b: String },
    /// The card's range vs the period of the same length just before it.
    PreviousRange,
    /// The card's range vs the same dates one year earlier.
    YearEarlier,
    /// Two segments side by side, each within the card's range and filters.
    #[serde(rename_all = "camelCase")]
    Segments {
        a: Vec<SegmentFilter>,
        a_label: String,
        b: Vec<SegmentFilter>,
        b_label: String,
    },
    /// The value vs the card's target.
    Target,
}

/// Chart kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ChartKind {
    #[default]
    None,
    Bar,
    Line,
    Donut,
    StackedBar,
}

/// How a card face shows its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ChartView {
    #[default]
    Chart,
    Table,
}

/// Chart options of a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ChartOptions {
    pub kind: ChartKind,
    /// Print n next to values.
    pub show_n: bool,
    /// Decimals shown.
    pub decimals: u8,
    /// The value axis starts at zero (else it fits the data).
    #[serde(default)]
    pub start_at_zero: bool,
    /// Chart or table on the card face.
    #[serde(default)]
    pub view: ChartView,
}

impl Default for ChartOptions {
    fn default() -> Self {
        ChartOptions {
            kind: ChartKind::None,
            show_n: true,
            decimals: 0,
            start_at_zero: false,
            view: ChartView::Chart,
        }
    }
}

fn recorded_date() -> DateField {
    DateField::RecordedDate
}

fn default_min_n() -> u32 {
    30
}

/// Configuration of a metric card.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MetricCardConfig {
    pub name: String,
    pub card_type: CardType,
    /// The survey; `None` (`""` on the wire) on an unbound card, e.g. from a template.
    #[serde(with = "crate::ids::unbound_survey")]
    #[ts(type = "string")]
    pub survey_id: Option<SurveyId>,
    /// `QID…` of the measured question.
    pub question_id: String,
    /// Row id when the question is answered per row (matrix, slider, drill-down, ...); may be
    /// left out for a question with a single row.
    #[serde(default)]
    pub sub_question_id: Option<String>,
    #[serde(default)]
    pub group_by: GroupBy,
    pub calculation: Calculation,
    #[serde(default)]
    pub comparison: Option<ComparisonSpec>,
    #[serde(default)]
    pub chart: ChartOptions,
    /// The responses covered, by `date_field` (all time by default).
    #[serde(default)]
    pub range: DateRange,
    /// Which response date places a response in the range and, without a time Group by,
    /// in a series bucket (recorded date by default, as Qualtrics reports use).
    #[serde(default = "recorded_date")]
    pub date_field: DateField,
    /// Segment filters, all of which a response must pass.
    #[serde(default)]
    pub filters: Vec<SegmentFilter>,
    #[serde(default)]
    pub target: Option<Target>,
    /// Below this n a value is flagged "low n".
    #[serde(default = "default_min_n")]
    pub min_n: u32,
    /// Card heading (the name when `None`).
    #[serde(default)]
    pub heading: Option<String>,
    #[serde(default)]
    pub subheading: Option<String>,
    /// Series cards: one line per group (at most 8, the rest folded into "Other").
    #[serde(default)]
    pub split_by: Option<SplitBy>,
}

impl Default for MetricCardConfig {
    /// An unbound Number card counting nothing yet (fill in survey and question).
    fn default() -> Self {
        MetricCardConfig {
            name: String::new(),
            card_type: CardType::Number,
            survey_id: None,
            question_id: String::new(),
            sub_question_id: None,
            group_by: GroupBy::None,
            calculation: Calculation::Count,
            comparison: None,
            chart: ChartOptions::default(),
            range: DateRange::All,
            date_field: DateField::RecordedDate,
            filters: Vec::new(),
            target: None,
            min_n: default_min_n(),
            heading: None,
            subheading: None,
            split_by: None,
        }
    }
}

impl MetricCardConfig {
    /// The card's survey; `InvalidInput` "choose a survey" on an unbound card.
    pub fn survey(&self) -> crate::Result<&SurveyId> {
        self.survey_id
            .as_ref()
            .ok_or_else(|| crate::Error::invalid("choose a survey for the card"))
    }

    /// Stable hash of the configuration (hex SHA-256 of its JSON), stored with cached values.
    pub fn config_hash(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        Sha256::digest(&json)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// What `store`'s metric columns were read from so far (responses read, full extractions,
/// extensions after append-only imports): diagnostics and tests.
pub fn column_reads(store: &Store) -> ColumnReads {
    store.column_reads()
}

pub(crate) fn problem(kind: ProblemKind, message: impl Into<String>) -> MetricProblem {
    MetricProblem {
        kind,
        message: message.into(),
    }
}
