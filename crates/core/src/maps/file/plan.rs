//! Building a file from a map (export) and the rows an import inserts (survey replacement by
//! export tag, unbound cards, pack values); see the parent module's contract.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};

use super::*;
use crate::error::{Error, Result};
use crate::maps::snapshot::{MapSnapshot, SnapCard, SnapValue};
use crate::metrics::{ComparisonSpec, GroupBy, SegmentFilter, SplitBy};
use crate::store::QuestionRow;

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
    let mut question_cache: HashMap<SurveyId, Vec<QuestionRow>> = HashMap::new();
    for cv in &view.cards {
        let export_tags = match cv.card.metric_config() {
            Some(cfg) if !is_unbound(cfg) => match &cfg.survey_id {
                Some(survey_id) => {
                    let qs = question_cache
                        .entry(survey_id.clone())
                        .or_insert_with(|| questions(survey_id));
                    tags_of(cfg, qs)
                }
                None => BTreeMap::new(),
            },
            _ => BTreeMap::new(),
        };
        let snapshot = match (pack, &cv.cached_value, cv.computed_at) {
            (Some(chart), Some(value), Some(at)) if !cv.stale_config => {
                // The data is as of the survey's last successful sync (when known), which is
                // never later than the value computed from it.
                let as_of = cv.data_as_of.map_or(at, |d| d.min(at));
                oldest = Some(oldest.map_or(as_of, |o| o.min(as_of)));
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
            name: survey_name(&id).unwrap_or_else(|| id.to_string()),
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

/// Clears the survey-specific parts of a config (survey, questions) keeping the rest.
pub(crate) fn unbind(config: &MetricCardConfig) -> MetricCardConfig {
    let group_by = match &config.group_by {
        GroupBy::Question { .. } => GroupBy::None,
        other => other.clone(),
    };
    // Question ids and saved filters belong to the old survey; field names do not.
    let comparison = match &config.comparison {
        Some(ComparisonSpec::Segments {
            a,
            a_label,
            b,
            b_label,
        }) => Some(ComparisonSpec::Segments {
            a: field_filters(a),
            a_label: a_label.clone(),
            b: field_filters(b),
            b_label: b_label.clone(),
        }),
        other => other.clone(),
    };
    MetricCardConfig {
        survey_id: None,
        question_id: String::new(),
        sub_question_id: None,
        group_by,
        filters: field_filters(&config.filters),
        split_by: config
            .split_by
            .clone()
            .filter(|s| matches!(s, SplitBy::Field { .. })),
        comparison,
        ..config.clone()
    }
}

fn field_filters(filters: &[SegmentFilter]) -> Vec<SegmentFilter> {
    filters
        .iter()
        .filter(|f| matches!(f, SegmentFilter::Field { .. }))
        .cloned()
        .collect()
}

/// Whether the config names questions or saved filters of its survey beyond the measured and
/// Group by questions (which export tags let a replacement survey find again).
fn names_other_survey_parts(config: &MetricCardConfig) -> bool {
    let specific = |fs: &[SegmentFilter]| fs.len() != field_filters(fs).len();
    specific(&config.filters)
        || matches!(config.split_by, Some(SplitBy::Question { .. }))
        || matches!(&config.comparison, Some(ComparisonSpec::Segments { a, b, .. })
            if specific(a) || specific(b))
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
    let named: Vec<SurveyId> = preview(file, &|_| true)
        .surveys
        .into_iter()
        .map(|s| s.id)
        .collect();
    let mut replace: HashMap<&SurveyId, &SurveyId> = HashMap::new();
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
    let now = crate::maps::now();
    let (mut unbound, mut rebound) = (0, 0);
    let mut cards = Vec::new();
    let mut values = Vec::new();
    let mut positions: HashMap<(u32, u32), u32> = HashMap::new();
    let mut question_cache: HashMap<SurveyId, Vec<QuestionRow>> = HashMap::new();
    for card in &file.map.cards {
        let id = fresh();
        let pos = positions.entry((card.stage, card.lane)).or_insert(0);
        let (kind, text, config) = match &card.content {
            CardContent::Text { text } => ("text", Some(text.trim().to_owned()), None),
            CardContent::Metric { config } => {
                let cfg = if pack || is_unbound(config) {
                    (**config).clone()
                } else if let Some(to) = config.survey_id.as_ref().and_then(|id| replace.get(id)) {
                    let qs = question_cache
                        .entry((*to).clone())
                        .or_insert_with(|| questions(to));
                    match rebind(config, to, &card.export_tags, qs) {
                        Some(c) => {
                            rebound += 1;
                            c
                        }
                        None => unbind(config),
                    }
                } else if config.survey_id.as_deref().is_some_and(visible) {
                    (**config).clone()
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
    to: &SurveyId,
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
    if names_other_survey_parts(config) {
        // No export tag maps them to the new survey: the card asks to be bound again.
        return None;
    }
    let question_id = by_tag("question")?;
    let group_by = match &config.group_by {
        GroupBy::Question { .. } => GroupBy::Question {
            question_id: by_tag("groupBy")?,
        },
        other => other.clone(),
    };
    Some(MetricCardConfig {
        survey_id: Some(to.clone()),
        question_id,
        group_by,
        ..config.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn survey_specific_filters_do_not_travel_to_another_survey() {
        let field = SegmentFilter::Field {
            name: "Region".into(),
            values: vec!["EMEA".into()],
        };
        let config = MetricCardConfig {
            name: "NPS".into(),
            survey_id: Some(SurveyId::parse("SV_old").unwrap()),
            question_id: "QID1".into(),
            filters: vec![
                field.clone(),
                SegmentFilter::Question {
                    question_id: "QID4".into(),
                    choices: vec!["3".into()],
                },
                SegmentFilter::Saved {
                    filter_id: "f".into(),
                    name: "Promoters".into(),
                },
            ],
            split_by: Some(SplitBy::Question {
                question_id: "QID4".into(),
            }),
            ..Default::default()
        };
        let tags = BTreeMap::from([("question".to_owned(), "Q1".to_owned())]);
        let q1 = QuestionRow {
            survey_id: "SV_new".into(),
            qid: "QID9".into(),
            export_tag: Some("Q1".into()),
            text: "Recommend?".into(),
            question_type: "MC".into(),
            selector: None,
            sub_selector: None,
            choices: Vec::new(),
            sub_questions: Vec::new(),
            position: 0,
            deleted: false,
            numeric_entry: false,
            calculations: Vec::new(),
        };
        let new = SurveyId::parse("SV_new").unwrap();
        assert_eq!(
            rebind(&config, &new, &tags, std::slice::from_ref(&q1)),
            None
        );
        // With field filters only, the card follows its question to the new survey.
        let fields_only = MetricCardConfig {
            filters: vec![field.clone()],
            split_by: None,
            ..config.clone()
        };
        let moved = rebind(&fields_only, &new, &tags, &[q1]).unwrap();
        assert_eq!(
            (moved.question_id.as_str(), moved.filters.len()),
            ("QID9", 1)
        );
        let unbound = unbind(&config);
        assert_eq!(unbound.filters, vec![field]);
        assert_eq!(unbound.split_by, None);
        assert!(!names_other_survey_parts(&unbound));
    }
}
