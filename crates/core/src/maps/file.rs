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

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::snapshot::{MapSnapshot, SnapCard, SnapValue};
use super::{is_unbound, CardContent, MapView};
use crate::error::{Error, ErrorKind, Result};
use crate::metrics::{GroupBy, MetricCardConfig, MetricValue};
use crate::store::QuestionRow;

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
    pub id: String,
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
    pub id: String,
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
    pub from: String,
    /// Survey id on this install.
    pub to: String,
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

fn invalid(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::MapFileInvalid, msg)
}

/// Deepest `[`/`{` nesting of `text`, stopping early past `limit` (strings skipped).
fn depth_exceeds(text: &str, limit: usize) -> bool {
    let (mut depth, mut in_str, mut esc) = (0usize, false, false);
    for b in text.bytes() {
        if in_str {
            match (esc, b) {
                (true, _) => esc = false,
                (false, b'\\') => esc = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// Reads and checks an untrusted map file (see the module docs); `what` names it in errors.
pub fn parse(bytes: &[u8], what: &str) -> Result<MapFile> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(invalid(format!(
            "{what} is {} bytes, more than the {} MiB a map file may have",
            bytes.len(),
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        invalid(format!(
            "{what} is not UTF-8 text (byte {})",
            e.valid_up_to()
        ))
    })?;
    if depth_exceeds(text, MAX_DEPTH) {
        return Err(invalid(format!(
            "{what} is nested more than {MAX_DEPTH} levels deep; it is not a Pulsemap map file"
        )));
    }
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        invalid(format!(
            "{what} is not valid JSON (line {}, column {}): {e}",
            e.line(),
            e.column()
        ))
    })?;
    let format = value.get("format").and_then(|f| f.as_str());
    if format != Some(FORMAT) {
        return Err(invalid(format!(
            "{what} is not a Pulsemap map file (its \"format\" is not \"{FORMAT}\")"
        )));
    }
    let Some(version) = value.get("version").and_then(|v| v.as_u64()) else {
        return Err(invalid(format!(
            "{what} has no format version (\"version\" must be a positive integer)"
        )));
    };
    if version > u64::from(FORMAT_VERSION) {
        return Err(Error::new(
            ErrorKind::MapFileTooNew,
            format!(
                "{what} was made by a newer Pulsemap (map format version {version}; this version \
                 reads up to {FORMAT_VERSION}); update Pulsemap to open it"
            ),
        ));
    }
    if version == 0 {
        return Err(invalid(format!(
            "{what} has format version 0, which never existed"
        )));
    }
    // Re-parse from the text (not the Value) so type errors name their line and column.
    let file: MapFile = serde_json::from_str(text).map_err(|e| {
        invalid(format!(
            "{what} has wrong content at line {}, column {}: {e}",
            e.line(),
            e.column()
        ))
    })?;
    check(&file, what)?;
    Ok(file)
}

fn check_name(name: &str, where_: &str, what: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(invalid(format!("{what}: {where_} has an empty name")));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(invalid(format!(
            "{what}: {where_} has a name longer than {MAX_NAME_CHARS} characters"
        )));
    }
    Ok(())
}

fn check(file: &MapFile, what: &str) -> Result<()> {
    let m = &file.map;
    check_name(&m.name, "the map", what)?;
    for (axis, noun) in [(&m.stages, "stage"), (&m.lanes, "lane")] {
        if axis.len() > MAX_STAGES {
            return Err(invalid(format!(
                "{what} has {} {noun}s; a map may have at most {MAX_STAGES}",
                axis.len()
            )));
        }
        for (i, a) in axis.iter().enumerate() {
            check_name(&a.name, &format!("{noun} {}", i + 1), what)?;
        }
    }
    if m.cards.len() > MAX_CARDS {
        return Err(invalid(format!(
            "{what} has {} cards; a map may have at most {MAX_CARDS}",
            m.cards.len()
        )));
    }
    for (i, card) in m.cards.iter().enumerate() {
        let at = format!("card {}", i + 1);
        if card.stage as usize >= m.stages.len() {
            return Err(invalid(format!(
                "{what}: {at} names stage {} but the map has {} stages",
                card.stage,
                m.stages.len()
            )));
        }
        if card.lane as usize >= m.lanes.len() {
            return Err(invalid(format!(
                "{what}: {at} names lane {} but the map has {} lanes",
                card.lane,
                m.lanes.len()
            )));
        }
        match &card.content {
            CardContent::Text { text } => {
                if text.trim().is_empty() || text.chars().count() > MAX_TEXT_CHARS {
                    return Err(invalid(format!(
                        "{what}: {at} has an empty text or one longer than {MAX_TEXT_CHARS} \
                         characters"
                    )));
                }
            }
            CardContent::Metric { config } => {
                check_name(&config.name, &at, what)?;
                if !is_unbound(config) {
                    config
                        .validate()
                        .map_err(|e| invalid(format!("{what}: {at}: {}", e.message())))?;
                }
            }
        }
        if let Some(snap) = &card.snapshot {
            if snap
                .chart_svg
                .as_ref()
                .is_some_and(|s| s.len() > MAX_SVG_BYTES)
            {
                return Err(invalid(format!(
                    "{what}: {at} has a chart larger than 512 KiB"
                )));
            }
        }
    }
    Ok(())
}

/// Export tags of the questions a config names, from the survey's cached questions.
fn tags_of(config: &MetricCardConfig, questions: &[QuestionRow]) -> BTreeMap<String, String> {
    let tag = |qid: &str| {
        questions
            .iter()
            .find(|q| q.qid == qid)
            .and_then(|q| q.export_tag.clone())
    };
    let mut out = BTreeMap::new();
    if let Some(t) = tag(&config.question_id) {
        out.insert("question".to_owned(), t);
    }
    if let GroupBy::Question { question_id } = &config.group_by {
        if let Some(t) = tag(question_id) {
            out.insert("groupBy".to_owned(), t);
        }
    }
    out
}

/// Gives a card's chart SVG by card id (workshop packs).
pub(crate) type ChartFn<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Builds the file of `view`; `questions` gives each survey's cached questions and
/// `survey_name` its name. `pack` adds value snapshots (`charts` gives each card's SVG).
pub(crate) fn build(
    view: &MapView,
    survey_name: &dyn Fn(&str) -> Option<String>,
    questions: &dyn Fn(&str) -> Vec<QuestionRow>,
    pack: Option<ChartFn<'_>>,
) -> MapFile {
    let stage_ix: HashMap<&str, u32> = view
        .stages
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i as u32))
        .collect();
    let lane_ix: HashMap<&str, u32> = view
        .lanes
        .iter()
        .enumerate()
        .map(|(i, l)| (l.id.as_str(), i as u32))
        .collect();
    let mut cards = Vec::new();
    let mut oldest: Option<DateTime<Utc>> = None;
    let mut question_cache: HashMap<String, Vec<QuestionRow>> = HashMap::new();
    for cv in &view.cards {
        let export_tags = match cv.card.metric_config() {
            Some(cfg) if !is_unbound(cfg) => {
                let qs = question_cache
                    .entry(cfg.survey_id.clone())
                    .or_insert_with(|| questions(&cfg.survey_id));
                tags_of(cfg, qs)
            }
            _ => BTreeMap::new(),
        };
        let snapshot = match (pack, &cv.cached_value, cv.computed_at) {
            (Some(chart), Some(value), Some(at)) if !cv.stale_config => {
                oldest = Some(oldest.map_or(at, |o| o.min(at)));
                Some(CardSnapshot {
                    value: value.clone(),
                    computed_at: at,
                    chart_svg: chart(&cv.card.id),
                })
            }
            _ => None,
        };
        cards.push(FileCard {
            stage: stage_ix
                .get(cv.card.stage_id.as_str())
                .copied()
                .unwrap_or(0),
            lane: lane_ix.get(cv.card.lane_id.as_str()).copied().unwrap_or(0),
            content: cv.card.content.clone(),
            export_tags,
            snapshot,
        });
    }
    let now = Utc::now();
    let surveys = view
        .survey_ids()
        .into_iter()
        .map(|id| FileSurvey {
            name: survey_name(&id).unwrap_or_else(|| id.clone()),
            id,
        })
        .collect();
    MapFile {
        format: FORMAT.to_owned(),
        version: FORMAT_VERSION,
        exported_at: now,
        data_as_of: pack.map(|_| oldest.unwrap_or(now)),
        map: FileMap {
            name: view.map.name.clone(),
            stages: view
                .stages
                .iter()
                .map(|s| FileAxis {
                    name: s.name.clone(),
                })
                .collect(),
            lanes: view
                .lanes
                .iter()
                .map(|l| FileAxis {
                    name: l.name.clone(),
                })
                .collect(),
            cards,
        },
        surveys,
    }
}

/// Lists the file's surveys against the ids this install can see.
pub fn preview(file: &MapFile, visible: &dyn Fn(&str) -> bool) -> MapFilePreview {
    let mut surveys: Vec<MapFileSurvey> = Vec::new();
    for card in &file.map.cards {
        let Some(cfg) = card.content_config().filter(|c| !is_unbound(c)) else {
            continue;
        };
        let idx = match surveys.iter().position(|s| s.id == cfg.survey_id) {
            Some(i) => i,
            None => {
                let name = file
                    .surveys
                    .iter()
                    .find(|s| s.id == cfg.survey_id)
                    .map_or_else(|| cfg.survey_id.clone(), |s| s.name.clone());
                surveys.push(MapFileSurvey {
                    id: cfg.survey_id.clone(),
                    name,
                    visible: visible(&cfg.survey_id),
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

/// Clears the survey-specific parts of a config (survey, questions) keeping the rest.
pub(crate) fn unbind(config: &MetricCardConfig) -> MetricCardConfig {
    let group_by = match &config.group_by {
        GroupBy::Question { .. } => GroupBy::None,
        other => other.clone(),
    };
    MetricCardConfig {
        survey_id: String::new(),
        question_id: String::new(),
        sub_question_id: None,
        group_by,
        ..config.clone()
    }
}

/// Where each card of an import goes: counts of unbound and rebound cards with the snapshot.
pub(crate) struct ImportPlan {
    pub snapshot: MapSnapshot,
    pub unbound: u32,
    pub rebound: u32,
}

/// Builds the rows to insert (fresh ids). Packs keep their configs and values as they are;
/// map files apply `options` (see the module docs). `visible` says which survey ids this
/// install sees and `questions` gives a survey's cached questions.
pub(crate) fn plan_import(
    file: &MapFile,
    options: &MapImportOptions,
    visible: &dyn Fn(&str) -> bool,
    questions: &dyn Fn(&str) -> Vec<QuestionRow>,
) -> Result<ImportPlan> {
    let named: Vec<String> = preview(file, &|_| true)
        .surveys
        .into_iter()
        .map(|s| s.id)
        .collect();
    let mut replace: HashMap<&str, &str> = HashMap::new();
    for r in &options.replacements {
        if !named.contains(&r.from) {
            return Err(Error::invalid(format!(
                "the map file names no survey {}; it names: {}",
                r.from,
                if named.is_empty() {
                    "none".to_owned()
                } else {
                    named.join(", ")
                }
            )));
        }
        if !visible(&r.to) {
            return Err(Error::invalid(format!(
                "survey {} (replacing {}) is not visible to this connection",
                r.to, r.from
            )));
        }
        replace.insert(&r.from, &r.to);
    }
    let pack = file.data_as_of.is_some();
    let fresh = || uuid::Uuid::new_v4().to_string();
    let stages: Vec<(String, String)> = file
        .map
        .stages
        .iter()
        .map(|s| (fresh(), s.name.trim().to_owned()))
        .collect();
    let lanes: Vec<(String, String)> = file
        .map
        .lanes
        .iter()
        .map(|l| (fresh(), l.name.trim().to_owned()))
        .collect();
    let now = super::now();
    let (mut unbound, mut rebound) = (0, 0);
    let mut cards = Vec::new();
    let mut values = Vec::new();
    let mut positions: HashMap<(u32, u32), u32> = HashMap::new();
    let mut question_cache: HashMap<String, Vec<QuestionRow>> = HashMap::new();
    for card in &file.map.cards {
        let id = fresh();
        let pos = positions.entry((card.stage, card.lane)).or_insert(0);
        let (kind, text, config) = match &card.content {
            CardContent::Text { text } => ("text", Some(text.trim().to_owned()), None),
            CardContent::Metric { config } => {
                let cfg = if pack || is_unbound(config) {
                    config.clone()
                } else if let Some(to) = replace.get(config.survey_id.as_str()) {
                    let qs = question_cache
                        .entry((*to).to_owned())
                        .or_insert_with(|| questions(to));
                    match rebind(config, to, &card.export_tags, qs) {
                        Some(c) => {
                            rebound += 1;
                            c
                        }
                        None => unbind(config),
                    }
                } else if visible(&config.survey_id) {
                    config.clone()
                } else {
                    unbind(config)
                };
                if is_unbound(&cfg) {
                    unbound += 1;
                }
                if let (true, Some(snap)) = (pack, &card.snapshot) {
                    values.push(SnapValue {
                        card_id: id.clone(),
                        config_hash: cfg.config_hash(),
                        value_json: serde_json::to_string(&snap.value)?,
                        computed_at: crate::store::ts(snap.computed_at),
                    });
                }
                ("metric", None, Some(serde_json::to_string(&cfg)?))
            }
        };
        cards.push(SnapCard {
            id,
            stage_id: stages[card.stage as usize].0.clone(),
            lane_id: lanes[card.lane as usize].0.clone(),
            position: *pos,
            kind: kind.to_owned(),
            text,
            config_json: config,
            created_at: now.clone(),
            updated_at: now.clone(),
        });
        *pos += 1;
    }
    Ok(ImportPlan {
        snapshot: MapSnapshot {
            name: file.map.name.trim().to_owned(),
            stages,
            lanes,
            cards,
            values,
        },
        unbound,
        rebound,
    })
}

/// Points `config` at survey `to`, finding its questions by export tag; `None` when a tag is
/// missing there (the card is then left unbound).
fn rebind(
    config: &MetricCardConfig,
    to: &str,
    tags: &BTreeMap<String, String>,
    questions: &[QuestionRow],
) -> Option<MetricCardConfig> {
    let by_tag = |role: &str| {
        let tag = tags.get(role)?;
        questions
            .iter()
            .find(|q| !q.deleted && q.export_tag.as_deref() == Some(tag.as_str()))
            .map(|q| q.qid.clone())
    };
    let question_id = by_tag("question")?;
    let group_by = match &config.group_by {
        GroupBy::Question { .. } => GroupBy::Question {
            question_id: by_tag("groupBy")?,
        },
        other => other.clone(),
    };
    Some(MetricCardConfig {
        survey_id: to.to_owned(),
        question_id,
        group_by,
        ..config.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example in docs/MAP-FORMAT.md is a valid version-1 file.
    #[test]
    fn the_documented_example_parses() {
        let doc = include_str!("../../../../docs/MAP-FORMAT.md");
        let start = doc.find("```json\n").unwrap() + "```json\n".len();
        let end = start + doc[start..].find("```").unwrap();
        let file = parse(doc[start..end].as_bytes(), "the example").unwrap();
        assert_eq!(file.map.cards.len(), 2);
        assert_eq!(file.map.cards[1].export_tags["question"], "Q1");
    }

    #[test]
    fn depth_scan_ignores_brackets_in_strings() {
        assert!(!depth_exceeds(r#"{"a": "[[[[[[[[[[\"[[["}"#, 3));
        assert!(depth_exceeds("[[[[", 3));
    }
}
