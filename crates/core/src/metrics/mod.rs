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
//!   uses the value strings (sorted); by time uses UTC buckets `2026-02-14`, `2026-W07`,
//!   `2026-02`, `2026-Q1`, gaps filled with empty points.
//! * [`compute`] reads the store through cached in-memory columns (see `cache`: extended with
//!   only the new responses after an append-only import), then calls the pure [`compute_on`];
//!   [`column_reads`] tells how many responses the columns were read from. Missing
//!   survey/question → `NotFound`; a deleted survey or question still computes from the cache
//!   but reports a [`MetricProblem`].

mod acc;
mod applicable;
mod cache;
mod columns;
mod engine;
mod fields;
mod formula;
mod grouping;
pub(crate) mod lineage;
mod persist;
mod time;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

pub use applicable::{applicable_calculations, refusal};
pub(crate) use cache::ColumnCache;
pub use cache::ColumnReads;
pub use columns::{Cell, ValueColumn};
pub use engine::{compute_on, MetricInput};
pub use fields::answer_field;
pub use time::bucket_label;

pub(crate) use formula::thousands;

use crate::error::{Error, Result};
use crate::store::{QuestionRow, Store};

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

/// UTC time bucket of a series.
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

/// The calculation of a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum Calculation {
    Count,
    Average,
    Sum,
    Min,
    Max,
    Median,
    Nps,
    CsatTop2,
    CesAverage,
    CesPercentEasy,
    Distribution,
    TopBox { boxes: u8 },
    BottomBox { boxes: u8 },
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
}

impl Default for ChartOptions {
    fn default() -> Self {
        ChartOptions {
            kind: ChartKind::None,
            show_n: true,
            decimals: 0,
        }
    }
}

/// Configuration of a metric card.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MetricCardConfig {
    pub name: String,
    pub card_type: CardType,
    pub survey_id: String,
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
}

impl MetricCardConfig {
    /// Checks the fields a person fills in; `InvalidInput` with a specific message otherwise.
    pub fn validate(&self) -> Result<()> {
        if self.name.trim().is_empty() {
            return Err(Error::invalid("the card needs a name"));
        }
        if self.survey_id.trim().is_empty() {
            return Err(Error::invalid("choose a survey for the card"));
        }
        if self.question_id.trim().is_empty() {
            return Err(Error::invalid("choose a question for the card"));
        }
        if let Calculation::TopBox { boxes } | Calculation::BottomBox { boxes } = self.calculation {
            if boxes == 0 {
                return Err(Error::invalid("top/bottom box needs at least one box"));
            }
        }
        match (&self.group_by, &self.comparison) {
            (GroupBy::Question { question_id }, _) if question_id.trim().is_empty() => {
                Err(Error::invalid("choose the question to group by"))
            }
            (GroupBy::Field { name }, _) if name.trim().is_empty() => {
                Err(Error::invalid("choose the field to group by"))
            }
            (GroupBy::None | GroupBy::Time { .. }, Some(ComparisonSpec::Groups { .. }))
                if self.card_type == CardType::Comparison =>
            {
                Err(Error::invalid(
                    "comparing two groups needs a Group by question or field",
                ))
            }
            _ => Ok(()),
        }
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

/// Unit of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Unit {
    Percent,
    Score,
    Number,
}

/// The value of one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GroupValue {
    /// Choice id (question groups) or the value string (field groups).
    pub key: String,
    pub label: String,
    pub value: Option<f64>,
    #[ts(type = "number")]
    pub n: u64,
}

/// One point of a series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SeriesPoint {
    pub bucket: String,
    pub value: Option<f64>,
    #[ts(type = "number")]
    pub n: u64,
}

/// Two values side by side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
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
}

impl MetricValue {
    /// Whether a problem of `kind` is reported.
    pub fn has_problem(&self, kind: ProblemKind) -> bool {
        self.problems.iter().any(|p| p.kind == kind)
    }
}

/// What `store`'s metric columns were read from so far (responses read, full extractions,
/// extensions after append-only imports): diagnostics and tests.
pub fn column_reads(store: &Store) -> ColumnReads {
    store.columns.reads()
}

/// Computes a card's value from the cached responses of its survey.
pub fn compute(store: &Store, config: &MetricCardConfig) -> Result<MetricValue> {
    config.validate()?;
    let survey = store.get_survey(&config.survey_id)?.ok_or_else(|| {
        Error::not_found(format!(
            "survey {} is not in the local cache",
            config.survey_id
        ))
    })?;
    let question = require_question(store, &config.survey_id, &config.question_id)?;
    let answer_key = answer_field(&question, config.sub_question_id.as_deref())?;
    let (group_question, group_key) = match &config.group_by {
        GroupBy::Question { question_id } => {
            // `QID12.1`: one row (a drill-down level, a matrix statement) of the question.
            let (qid, row) = match question_id.split_once('.') {
                Some((qid, row)) => (qid, Some(row)),
                None => (question_id.as_str(), None),
            };
            let g = require_question(store, &config.survey_id, qid)?;
            let key = answer_field(&g, row)?;
            (Some(g), Some(key))
        }
        GroupBy::Field { name } => (None, Some(name.clone())),
        _ => (None, None),
    };
    let date_field = engine::date_field_of(config);
    let data = store.columns.load(
        store,
        &config.survey_id,
        &answer_key,
        group_key.as_deref(),
        date_field,
    )?;
    let input = MetricInput {
        question: &question,
        answers: &data.answers,
        group_question: group_question.as_ref(),
        groups: data.groups.as_deref(),
        dates: data.dates.as_deref().map(Vec::as_slice),
    };
    let mut value = compute_on(&input, config)?;
    if survey.deleted {
        value.problems.insert(
            0,
            problem(
                ProblemKind::SurveyDeleted,
                format!(
            "Survey \"{}\" is no longer visible to this Qualtrics account; showing cached data.",
            survey.name
        ),
            ),
        );
    }
    Ok(value)
}

fn require_question(store: &Store, survey_id: &str, qid: &str) -> Result<QuestionRow> {
    store.get_question(survey_id, qid)?.ok_or_else(|| {
        Error::not_found(format!("question {qid} is not part of survey {survey_id}"))
    })
}

pub(crate) fn problem(kind: ProblemKind, message: impl Into<String>) -> MetricProblem {
    MetricProblem {
        kind,
        message: message.into(),
    }
}
