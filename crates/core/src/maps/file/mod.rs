//! `.pulsemap` map files and workshop packs: versioned JSON (see `docs/MAP-FORMAT.md`).
//!
//! Contract:
//! * [`build`] turns a map into a [`MapFile`]: stages, lanes, text cards and metric card
//!   configs, each metric card naming its survey and the export tags of its questions (so it
//!   can be re-pointed at another survey on another install). With `pack`, every metric card
//!   also carries its cached value (value, n, interval, status), its chart as SVG and the
//!   pack is stamped `dataAsOf`.
//! * [`parse`] reads untrusted bytes and either returns a checked [`MapFile`] or an error of
//!   kind [`ErrorKind::MapFileInvalid`] (too big, not UTF-8/JSON, nested too deep, wrong
//!   types, out-of-range references, too many items) or [`ErrorKind::MapFileTooNew`] (a newer
//!   format version). Parsing never touches the store, so a refused file changes nothing.
//! * [`plan_import`] turns a checked file into a fresh-id snapshot ready to insert, applying
//!   survey replacements (questions matched by export tag) and leaving cards whose survey is
//!   neither visible nor replaced unbound.

mod check;
mod plan;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{is_unbound, CardContent, MapView};
use crate::ids::SurveyId;
use crate::metrics::{MetricCardConfig, MetricValue};

pub use check::parse;
pub(crate) use plan::{build, plan_import};

/// The `format` field of every map file.
pub const FORMAT: &str = "pulsemap-map";
/// The newest format version this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// Largest file accepted (bytes).
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;
/// Deepest JSON nesting accepted (a v1 file needs about 10 levels).
pub const MAX_DEPTH: usize = 48;
/// Most stages, and most lanes, in one map.
pub const MAX_STAGES: usize = 200;
/// Most cards in one map.
pub const MAX_CARDS: usize = 5_000;
/// Longest name (stage, lane, map, card) in characters.
pub const MAX_NAME_CHARS: usize = 500;
/// Longest text card in characters.
pub const MAX_TEXT_CHARS: usize = 20_000;
/// Largest chart SVG per card in a pack (bytes).
pub const MAX_SVG_BYTES: usize = 512 * 1024;

/// A whole `.pulsemap` file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MapFile {
    pub format: String,
    pub version: u32,
    pub exported_at: DateTime<Utc>,
    /// Set on workshop packs: when the values in the card snapshots were computed (the oldest).
    #[serde(default)]
    pub data_as_of: Option<DateTime<Utc>>,
    pub map: FileMap,
    /// Every survey a metric card names, with its name on the exporting install.
    #[serde(default)]
    pub surveys: Vec<FileSurvey>,
}

/// The map itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FileMap {
    pub name: String,
    pub stages: Vec<FileAxis>,
    pub lanes: Vec<FileAxis>,
    /// In order within each cell.
    pub cards: Vec<FileCard>,
}

/// A stage or a lane.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileAxis {
    pub name: String,
}

/// A survey named by metric cards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSurvey {
    pub id: SurveyId,
    pub name: String,
}

/// A card: its cell (indexes into `stages` and `lanes`) and content. (No
/// `deny_unknown_fields` here: serde does not support it next to `flatten`.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileCard {
    pub stage: u32,
    pub lane: u32,
    #[serde(flatten)]
    pub content: CardContent,
    /// Export tags (`Q5`) of the questions the config names, keyed by role: `question`,
    /// `subQuestion` (matrix row id is kept as is) and `groupBy`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub export_tags: BTreeMap<String, String>,
    /// Workshop packs only: the card's value when the pack was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<CardSnapshot>,
}

/// A metric card's value frozen in a workshop pack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CardSnapshot {
    pub value: MetricValue,
    pub computed_at: DateTime<Utc>,
    /// The chart as SVG, as it looked on the exporting install.
    pub chart_svg: Option<String>,
}

/// A survey a file names, as the import dialog lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MapFileSurvey {
    pub id: SurveyId,
    pub name: String,
    /// Visible to this install's connection (in its survey list).
    pub visible: bool,
    pub card_count: u32,
    /// Export tags of the questions its cards use (what a replacement survey must have).
    pub question_tags: Vec<String>,
}

/// What a file holds, before importing it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MapFilePreview {
    pub name: String,
    pub version: u32,
    pub exported_at: DateTime<Utc>,
    /// Set for a workshop pack (imported read-only, no survey choices needed).
    pub data_as_of: Option<DateTime<Utc>>,
    pub stage_count: u32,
    pub lane_count: u32,
    pub card_count: u32,
    pub surveys: Vec<MapFileSurvey>,
}

/// A survey the user picked to replace one the file names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SurveyReplacement {
    /// Survey id in the file.
    pub from: SurveyId,
    /// Survey id on this install.
    pub to: SurveyId,
}

/// The user's choices for an import; surveys neither visible nor replaced leave their cards
/// unbound.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MapImportOptions {
    #[serde(default)]
    pub replacements: Vec<SurveyReplacement>,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MapImportReport {
    pub map: MapView,
    /// Metric cards left without a survey/question (shown as needing one).
    pub unbound_cards: u32,
    /// Cards re-pointed at a replacement survey.
    pub rebound_cards: u32,
}

/// Lists the file's surveys against the ids this install can see.
pub fn preview(file: &MapFile, visible: &dyn Fn(&str) -> bool) -> MapFilePreview {
    let mut surveys: Vec<MapFileSurvey> = Vec::new();
    for card in &file.map.cards {
        let Some(survey_id) = card
            .content_config()
            .filter(|c| !is_unbound(c))
            .and_then(|c| c.survey_id.as_ref())
        else {
            continue;
        };
        let idx = match surveys.iter().position(|s| s.id == *survey_id) {
            Some(i) => i,
            None => {
                let name = file
                    .surveys
                    .iter()
                    .find(|s| s.id == *survey_id)
                    .map_or_else(|| survey_id.to_string(), |s| s.name.clone());
                surveys.push(MapFileSurvey {
                    id: survey_id.clone(),
                    name,
                    visible: visible(survey_id),
                    card_count: 0,
                    question_tags: Vec::new(),
                });
                surveys.len() - 1
            }
        };
        let s = &mut surveys[idx];
        s.card_count += 1;
        for t in card.export_tags.values() {
            if !s.question_tags.contains(t) {
                s.question_tags.push(t.clone());
            }
        }
    }
    for s in &mut surveys {
        s.question_tags.sort();
    }
    MapFilePreview {
        name: file.map.name.clone(),
        version: file.version,
        exported_at: file.exported_at,
        data_as_of: file.data_as_of,
        stage_count: file.map.stages.len() as u32,
        lane_count: file.map.lanes.len() as u32,
        card_count: file.map.cards.len() as u32,
        surveys,
    }
}

impl FileCard {
    fn content_config(&self) -> Option<&MetricCardConfig> {
        match &self.content {
            CardContent::Metric { config } => Some(config),
            CardContent::Text { .. } => None,
        }
    }
}
