//! What a card looks at (date range, segment filters, split) and what it is judged against
//! (target): the configuration types of issue 13, shared with the UI through ts-rs.
//!
//! Contract: every type here is part of [`super::MetricCardConfig`] with a serde default, so
//! cards saved before these settings existed parse unchanged (all time, no filter, no target,
//! min n 30). Resolution (dates against today in a time zone) lives in `range`, filtering in
//! `segment`, target status in `target`.

use std::hash::{Hash, Hasher};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Calendar unit of a "this …" / "previous …" range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum RangeUnit {
    /// ISO week, Monday to Sunday.
    Week,
    Month,
    Quarter,
    Year,
}

/// The responses a card covers, by the card's date field.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[ts(export)]
pub enum DateRange {
    /// Every response.
    #[default]
    All,
    /// The last `days` days, today included.
    Last { days: u32 },
    /// The current week/month/quarter/year so far (today included).
    This { unit: RangeUnit },
    /// The whole previous week/month/quarter/year.
    Previous { unit: RangeUnit },
    /// `from`..=`to`, ISO dates (`YYYY-MM-DD`), both days included.
    Custom { from: String, to: String },
}

/// One segment condition; a card keeps the responses passing all of its filters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[ts(export)]
pub enum SegmentFilter {
    /// An embedded data field equals one of `values` (exact, case-sensitive).
    Field { name: String, values: Vec<String> },
    /// A choice question (`QIDn`, or `QIDn.row` for one matrix row) answered with one of
    /// `choices` (choice ids, recodes or labels); a multi-select answer passes when it holds
    /// any of them.
    Question {
        question_id: String,
        choices: Vec<String>,
    },
    /// A Qualtrics saved filter (membership read by a filtered export at each refresh).
    Saved { filter_id: String, name: String },
}

/// Which direction of a value is good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Better {
    #[default]
    Higher,
    Lower,
}

/// A card's target. Status (see `target`): green when the value meets the target (`>=` for
/// higher-is-better, `<=` for lower-is-better); amber when it misses by at most the amber
/// margin (`amber_margin`, else 10% of |target|, else 1 when the target is 0); red otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Target {
    pub value: f64,
    #[serde(default)]
    pub better: Better,
    #[serde(default)]
    pub amber_margin: Option<f64>,
}

// `validate` refuses non-finite numbers, so bitwise equality is a true equivalence here.
impl Eq for Target {}

impl Hash for Target {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.value.to_bits().hash(state);
        self.better.hash(state);
        self.amber_margin.map(f64::to_bits).hash(state);
    }
}

/// Target status of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum TargetStatus {
    Green,
    Amber,
    Red,
    /// No target, or no value to judge.
    #[default]
    None,
}

impl TargetStatus {
    /// The word shown beside the status icon (never colour alone).
    pub fn word(self) -> &'static str {
        match self {
            TargetStatus::Green => "On target",
            TargetStatus::Amber => "Near target",
            TargetStatus::Red => "Off target",
            TargetStatus::None => "No target",
        }
    }
}

/// Split of a Series card: one line per group.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[ts(export)]
pub enum SplitBy {
    /// By the answer of a choice question (`QIDn` or `QIDn.row`).
    Question { question_id: String },
    /// By an embedded data field.
    Field { name: String },
}

/// The range a value was computed over, resolved against a day in a time zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ResolvedRange {
    /// First day (ISO date), `None` for all time.
    pub from: Option<String>,
    /// Last day, included (ISO date), `None` for all time.
    pub to: Option<String>,
    /// E.g. "Last 90 days (1 Sep – 29 Nov 2026)".
    pub label: String,
}

pub use crate::store::SavedFilter;

/// One value of a field with how many finished responses carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FieldValueCount {
    pub value: String,
    #[ts(type = "number")]
    pub n: u64,
}
