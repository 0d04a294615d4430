//! From the store to the engine: a card's columns, its range and filter masks, comparison
//! sides, and freshness.
//!
//! Contract: [`compute_at`] loads every column the card needs at one sync generation (retrying
//! when a refresh lands in between), resolves the range on the clock's today in its zone,
//! ANDs the filters into one row mask, builds the two sides of a range or segment comparison,
//! runs [`compute_on`] and adds `dataAsOf` (the survey's last successful sync, see
//! [`Store::data_as_of`]), `stale` (older than 24 h, or never synced) and the resolved range.
//! A saved filter whose membership was never read is `NotFound` ("refresh the survey").

use std::collections::HashMap;
use std::sync::Arc;

use chrono::Duration;

use super::engine::{date_field_of, Side};
use super::range::{Clock, Window};
use super::segment::{and_into, field_mask, question_mask};
use super::{
    answer_field, compute_on, problem, CardType, ComparisonSpec, DateField, DateRange, GroupBy,
    MetricCardConfig, MetricInput, MetricValue, ProblemKind, SegmentFilter, SplitBy,
};
use crate::error::{Error, ErrorKind, Result};
use crate::store::columns::{ResponseDate, ValueColumn};
use crate::store::{QuestionRow, Store};

/// Data older than this is flagged stale.
pub const STALE_AFTER_HOURS: i64 = 24;

/// Computes a card's value from the cached responses, relative ranges resolved on the system
/// clock in the system time zone.
pub fn compute(store: &Store, config: &MetricCardConfig) -> Result<MetricValue> {
    compute_at(store, config, &Clock::system())
}

fn require_question(store: &Store, survey_id: &str, qid: &str) -> Result<QuestionRow> {
    store.get_question(survey_id, qid)?.ok_or_else(|| {
        Error::not_found(format!("question {qid} is not part of survey {survey_id}"))
    })
}

/// `QIDn` or `QIDn.row` → the question and its export field.
fn question_field(store: &Store, survey_id: &str, spec: &str) -> Result<(QuestionRow, String)> {
    let (qid, row) = match spec.split_once('.') {
        Some((qid, row)) => (qid, Some(row)),
        None => (spec, None),
    };
    let q = require_question(store, survey_id, qid)?;
    let key = answer_field(&q, row)?;
    Ok((q, key))
}

/// The card's own columns.
struct MainColumns {
    answers: Arc<ValueColumn>,
    groups: Option<Arc<ValueColumn>>,
    dates: Option<Arc<Vec<Option<i64>>>>,
}

/// The store's column of a card's date field.
fn response_date(d: DateField) -> ResponseDate {
    match d {
        DateField::StartDate => ResponseDate::Start,
        DateField::EndDate => ResponseDate::End,
        DateField::RecordedDate => ResponseDate::Recorded,
    }
}

/// The columns of one computation, all of one generation.
struct Loaded {
    main: MainColumns,
    extra: HashMap<String, Arc<ValueColumn>>,
    range_dates: Option<Arc<Vec<Option<i64>>>>,
}

fn load_aligned(
    store: &Store,
    survey_id: &str,
    answer_key: &str,
    group_key: Option<&str>,
    bucket_field: Option<DateField>,
    extra_keys: &[String],
    range_field: Option<DateField>,
) -> Result<Loaded> {
    // One load for the card's fields and filter fields: one generation.
    let mut keys: Vec<&str> = vec![answer_key];
    keys.extend(group_key);
    keys.extend(extra_keys.iter().map(String::as_str));
    for _ in 0..3 {
        let all = store.load_columns(survey_id, &keys, bucket_field.map(response_date))?;
        let generation = all.generation;
        let mut fields = all.fields.into_iter();
        let answers = fields
            .next()
            .ok_or_else(|| Error::new(ErrorKind::Internal, "the answer column was not loaded"))?;
        let groups = if group_key.is_some() {
            fields.next()
        } else {
            None
        };
        let extra: HashMap<String, Arc<ValueColumn>> =
            extra_keys.iter().cloned().zip(fields).collect();
        let mut same = true;
        let range_dates = match range_field {
            None => None,
            Some(f) if Some(f) == bucket_field => all.dates.clone(),
            Some(f) => {
                let c = store.load_columns(survey_id, &[answer_key], Some(response_date(f)))?;
                same &= c.generation == generation;
                c.dates
            }
        };
        if same {
            return Ok(Loaded {
                main: MainColumns {
                    answers,
                    groups,
                    dates: all.dates,
                },
                extra,
                range_dates,
            });
        }
    }
    Err(Error::new(
        ErrorKind::Internal,
        "the survey's cached responses kept changing while the card was computed; try again",
    ))
}

/// The export fields segment filters read.
fn filter_keys(
    store: &Store,
    survey_id: &str,
    filters: &[SegmentFilter],
    keys: &mut Vec<String>,
    questions: &mut HashMap<String, (QuestionRow, String)>,
) -> Result<()> {
    for f in filters {
        match f {
            SegmentFilter::Field { name, .. } => keys.push(name.clone()),
            SegmentFilter::Question { question_id, .. } => {
                let (q, key) = question_field(store, survey_id, question_id)?;
                keys.push(key.clone());
                questions.insert(question_id.clone(), (q, key));
            }
            SegmentFilter::Saved { .. } => {}
        }
    }
    Ok(())
}

/// Rows passing every filter (`None`: no filter). Also notes when saved filters were read.
fn filters_mask(
    store: &Store,
    survey_id: &str,
    filters: &[SegmentFilter],
    loaded: &Loaded,
    questions: &HashMap<String, (QuestionRow, String)>,
    notes: &mut Vec<String>,
) -> Result<Option<Vec<bool>>> {
    if filters.is_empty() {
        return Ok(None);
    }
    let rows = loaded.main.answers.len();
    let mut mask = vec![true; rows];
    for f in filters {
        let m = match f {
            SegmentFilter::Field { name, values } => field_mask(&loaded.extra[name], values),
            SegmentFilter::Question {
                question_id,
                choices,
            } => {
                let (q, key) = &questions[question_id];
                question_mask(q, &loaded.extra[key], choices)?
            }
            SegmentFilter::Saved { filter_id, name } => {
                let m = store.filter_mask(survey_id, filter_id)?.ok_or_else(|| {
                    Error::not_found(format!(
                        "the members of saved filter \"{name}\" have not been read yet: \
                         refresh survey {survey_id} with a card using it, or read them with \
                         `pulsemap filters {survey_id} --read`"
                    ))
                })?;
                if m.len() != rows {
                    return Err(Error::new(
                        ErrorKind::Internal,
                        "the survey's cached responses changed while the card was computed; \
                         try again",
                    ));
                }
                if let Some(at) = store.filter_members_read_at(survey_id, filter_id)? {
                    notes.push(format!(
                        "saved filter \"{name}\" members as of {}",
                        at.format("%Y-%m-%d %H:%M UTC")
                    ));
                }
                m
            }
        };
        and_into(&mut mask, &m);
    }
    Ok(Some(mask))
}

fn window_mask(dates: &[Option<i64>], w: Window, clock: &Clock) -> Vec<bool> {
    let (start, end) = w.bounds(clock.tz);
    dates
        .iter()
        .map(|d| d.is_some_and(|t| (start..end).contains(&t)))
        .collect()
}

/// Computes a card's value (see the module docs).
pub fn compute_at(store: &Store, config: &MetricCardConfig, clock: &Clock) -> Result<MetricValue> {
    config.validate()?;
    let sid = config.survey()?.as_str();
    let survey = store
        .get_survey(sid)?
        .ok_or_else(|| Error::not_found(format!("survey {sid} is not in the local cache")))?;
    let question = require_question(store, sid, &config.question_id)?;
    let answer_key = answer_field(&question, config.sub_question_id.as_deref())?;
    let (group_question, group_key) = match &config.group_by {
        GroupBy::Question { question_id } => {
            let (g, key) = question_field(store, sid, question_id)?;
            (Some(g), Some(key))
        }
        GroupBy::Field { name } => (None, Some(name.clone())),
        _ => (None, None),
    };
    let is_comparison = config.card_type == CardType::Comparison;
    let window = config.range.window(clock.today())?;
    let range_cmp = is_comparison
        && matches!(
            config.comparison,
            Some(ComparisonSpec::PreviousRange | ComparisonSpec::YearEarlier)
        );
    let range_field = (window.is_some() || range_cmp).then_some(config.date_field);
    let mut keys = Vec::new();
    let mut questions = HashMap::new();
    filter_keys(store, sid, &config.filters, &mut keys, &mut questions)?;
    let segments = match (&config.comparison, is_comparison) {
        (
            Some(ComparisonSpec::Segments {
                a,
                a_label,
                b,
                b_label,
            }),
            true,
        ) => {
            filter_keys(store, sid, a, &mut keys, &mut questions)?;
            filter_keys(store, sid, b, &mut keys, &mut questions)?;
            Some((a, a_label, b, b_label))
        }
        _ => None,
    };
    let (split_question, split_key) = match (&config.split_by, config.card_type) {
        (Some(SplitBy::Question { question_id }), CardType::Series) => {
            let (q, key) = question_field(store, sid, question_id)?;
            (Some(q), Some(key))
        }
        (Some(SplitBy::Field { name }), CardType::Series) => (None, Some(name.clone())),
        _ => (None, None),
    };
    keys.extend(split_key.clone());
    let bucket_field = date_field_of(config);
    let loaded = load_aligned(
        store,
        sid,
        &answer_key,
        group_key.as_deref(),
        bucket_field,
        &keys,
        range_field,
    )?;
    let rows = loaded.main.answers.len();
    let mut notes = Vec::new();
    let filtered = filters_mask(store, sid, &config.filters, &loaded, &questions, &mut notes)?;
    let dates = loaded.range_dates.as_deref().map(Vec::as_slice);
    let selected = match (window, dates) {
        (Some(w), Some(d)) => {
            let mut m = window_mask(d, w, clock);
            if let Some(f) = &filtered {
                and_into(&mut m, f);
            }
            Some(m)
        }
        _ => filtered.clone(),
    };
    let range_label = config.range.resolve(clock)?.label;
    // Comparison sides: (label, rows).
    let mut sides: Option<[(String, Vec<bool>); 2]> = None;
    if let (true, Some(w), Some(d)) = (range_cmp, window, dates) {
        let other = match config.comparison {
            Some(ComparisonSpec::YearEarlier) => w.year_earlier().resolved("Year earlier"),
            _ => w.previous().resolved("Previous period"),
        };
        let other_w = match config.comparison {
            Some(ComparisonSpec::YearEarlier) => w.year_earlier(),
            _ => w.previous(),
        };
        let mut prev = window_mask(d, other_w, clock);
        if let Some(f) = &filtered {
            and_into(&mut prev, f);
        }
        let cur = selected.clone().unwrap_or_else(|| vec![true; rows]);
        sides = Some([(range_label.clone(), cur), (other.label, prev)]);
    }
    if let Some((a, a_label, b, b_label)) = segments {
        let base = selected.clone().unwrap_or_else(|| vec![true; rows]);
        let mut side = |filters: &[SegmentFilter], label: &str| -> Result<(String, Vec<bool>)> {
            let mut m = base.clone();
            if let Some(f) = filters_mask(store, sid, filters, &loaded, &questions, &mut notes)? {
                and_into(&mut m, &f);
            }
            Ok((label.to_owned(), m))
        };
        sides = Some([side(a, a_label)?, side(b, b_label)?]);
    }
    let input = MetricInput {
        question: &question,
        answers: &loaded.main.answers,
        group_question: group_question.as_ref(),
        groups: loaded.main.groups.as_deref(),
        dates: loaded.main.dates.as_deref().map(Vec::as_slice),
        selected: selected.as_deref(),
        sides: sides.as_ref().map(|[a, b]| {
            [
                Side {
                    label: &a.0,
                    rows: &a.1,
                },
                Side {
                    label: &b.0,
                    rows: &b.1,
                },
            ]
        }),
        split_question: split_question.as_ref(),
        split: split_key.as_ref().map(|k| loaded.extra[k].as_ref()),
        range_label: Some(&range_label),
        tz: clock.tz,
    };
    let mut value = compute_on(&input, config)?;
    if loaded.main.answers.is_empty() && store.response_count(sid)? == 0 {
        // Nothing cached (never refreshed, or the cache was cleared): say so, not "no answer".
        value.problems.retain(|p| p.kind != ProblemKind::NoData);
        value.problems.insert(
            0,
            problem(
                ProblemKind::NoData,
                format!(
                    "No responses of survey \"{}\" are cached; refresh it to fetch them.",
                    survey.name
                ),
            ),
        );
    }
    if range_cmp && window.is_none() {
        value.problems.push(problem(
            ProblemKind::NotApplicable,
            "Comparing with an earlier period needs a date range on the card.",
        ));
    }
    for n in notes {
        value.formula.push_str("; ");
        value.formula.push_str(&n);
    }
    value.resolved_range = Some(config.range.resolve(clock)?);
    if config.range == DateRange::All {
        value.resolved_range = None;
    }
    value.data_as_of = store.data_as_of(sid)?;
    value.stale = value
        .data_as_of
        .is_none_or(|at| clock.now - at > Duration::hours(STALE_AFTER_HOURS));
    if survey.deleted {
        value.problems.insert(
            0,
            problem(
                ProblemKind::SurveyDeleted,
                format!(
                    "Survey \"{}\" is no longer visible to this Qualtrics account; showing \
                     cached data.",
                    survey.name
                ),
            ),
        );
    }
    Ok(value)
}
