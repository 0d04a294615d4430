//! The per-store cache of metric columns: which columns are reused, extended or extracted.
//!
//! Contract:
//! * [`ColumnCache::load`] returns the wanted columns of a survey at its current sync
//!   generation. Missing ones are read in one read transaction on a dedicated connection (a
//!   long extraction never holds the app's shared connection) and cached in memory per
//!   (survey, field) until the generation changes or the survey's definition is replaced.
//! * A column missing at the current generation comes, in this order, from `metric_columns`
//!   at that generation (an earlier run or another process extracted it); from a column of an
//!   older generation, in memory or persisted, extended with only the finished responses
//!   appended since, when `lineage` shows that every import in between only appended
//!   responses and the cell counts line up before and after; else from a full extraction.
//!   Whatever was extended or extracted is persisted at the current generation (best effort).
//!   In memory, the columns of the generation held before stay as bases until the next
//!   generation change (one level), so the cards of a survey can extend their columns one
//!   after the other.
//! * [`ColumnCache::reads`] counts the responses read by extensions and full extractions.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OptionalExtension};

use super::persist;
use super::{date_column, extract_after, ResponseDate, ValueColumn};
use crate::error::{Error, ErrorKind, Result};
use crate::store::lineage::{self, Span};
use crate::store::Store;

type Dates = Vec<Option<i64>>;

/// Columns of one survey generation, aligned row by row (one cell per finished response).
#[derive(Debug, Clone)]
pub struct LoadedColumns {
    /// One column per requested field, in the order asked.
    pub fields: Vec<Arc<ValueColumn>>,
    /// The requested date, if one was.
    pub dates: Option<Arc<Dates>>,
    /// The sync generation the columns belong to (columns of one generation line up).
    pub generation: u64,
}

/// What a store's column cache read from the cached responses since the store was opened.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ColumnReads {
    /// Responses read, once per response and read transaction whatever the number of fields.
    pub rows_read: u64,
    /// Reads of every finished response of a survey.
    pub full_extractions: u64,
    /// Extensions of older columns with the responses appended since.
    pub extensions: u64,
}

#[derive(Default)]
struct SurveyColumns {
    generation: u64,
    values: HashMap<String, Arc<ValueColumn>>,
    dates: HashMap<ResponseDate, Arc<Dates>>,
    /// The columns of the generation held before that were not extended yet (one level).
    older: Option<Box<SurveyColumns>>,
}

/// Per-store cache of extracted columns (see the module docs).
#[derive(Default)]
pub struct ColumnCache {
    inner: Mutex<HashMap<String, SurveyColumns>>,
    rows_read: AtomicU64,
    full_extractions: AtomicU64,
    extensions: AtomicU64,
}

impl std::fmt::Debug for ColumnCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ColumnCache")
    }
}

/// Older columns of one base generation, extended together in one read.
struct Extension {
    span: Span,
    values: Vec<(String, ValueColumn)>,
    dates: Option<(ResponseDate, Dates)>,
}

/// Finds the bases an extension can start from (see [`Base::older`]).
struct Base<'a> {
    tx: &'a Connection,
    survey_id: &'a str,
    generation: u64,
    /// The in-memory columns of the generation the cache held before.
    previous: SurveyColumns,
    spans: HashMap<u64, Option<Span>>,
}

impl Base<'_> {
    fn span(&mut self, from: u64) -> Option<Span> {
        let (tx, survey_id, to) = (self.tx, self.survey_id, self.generation);
        *self
            .spans
            .entry(from)
            .or_insert_with(|| lineage::span(tx, survey_id, from, to))
    }

    /// An older column that extends to the current generation, with its generation and span:
    /// `in_memory` (the previous generation's), else the one persisted under `key`
    /// (extracted at `stored`, read only when its lineage allows), when its length matches.
    fn older<T: Clone>(
        &mut self,
        in_memory: Option<Arc<T>>,
        key: &str,
        stored: Option<u64>,
        decode: impl Fn(&[u8]) -> Option<T>,
        len: impl Fn(&T) -> usize,
    ) -> Option<(u64, Span, T)> {
        if let Some(col) = in_memory {
            let from = self.previous.generation;
            if let Some(span) = self.span(from).filter(|s| s.base_rows == len(&col)) {
                return Some((from, span, Arc::unwrap_or_clone(col)));
            }
        }
        let from = stored?;
        let span = self.span(from)?;
        let col = decode(&persist::load(self.tx, self.survey_id, key, from)?)?;
        (len(&col) == span.base_rows).then_some((from, span, col))
    }

    /// [`Base::older`] for the value column of field `key`.
    fn value(&mut self, key: &str, stored: Option<u64>) -> Option<(u64, Span, ValueColumn)> {
        let col = self.previous.values.remove(key);
        let key = persist::value_key(key);
        self.older(col, &key, stored, persist::decode_values, ValueColumn::len)
    }

    /// [`Base::older`] for a date column.
    fn dates(&mut self, d: ResponseDate, stored: Option<u64>) -> Option<(u64, Span, Dates)> {
        let col = self.previous.dates.remove(&d);
        let key = persist::date_key(date_column(d));
        self.older(col, &key, stored, persist::decode_dates, Vec::len)
    }
}

fn read_generation(c: &Connection, survey_id: &str) -> Result<u64> {
    let g: Option<i64> = c
        .query_row(
            "SELECT generation FROM sync_state WHERE survey_id = ?1",
            [survey_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(g.unwrap_or(0) as u64)
}

/// The blob stored for `key` if it was extracted at `generation` (its generation is `stored`).
fn current(
    tx: &Connection,
    survey_id: &str,
    key: &str,
    stored: Option<u64>,
    generation: u64,
) -> Option<Vec<u8>> {
    stored
        .filter(|g| *g == generation)
        .and_then(|g| persist::load(tx, survey_id, key, g))
}

impl ColumnCache {
    /// Drops every cached column of a survey.
    pub fn invalidate_survey(&self, survey_id: &str) {
        if let Ok(mut m) = self.inner.lock() {
            m.remove(survey_id);
        }
    }

    /// What the cache read from the responses so far.
    pub fn reads(&self) -> ColumnReads {
        ColumnReads {
            rows_read: self.rows_read.load(Ordering::Relaxed),
            full_extractions: self.full_extractions.load(Ordering::Relaxed),
            extensions: self.extensions.load(Ordering::Relaxed),
        }
    }

    /// Returns the requested columns, filling in the missing ones (see the module docs).
    pub(crate) fn load(
        &self,
        store: &Store,
        survey_id: &str,
        wanted: &[&str],
        date_field: Option<ResponseDate>,
    ) -> Result<LoadedColumns> {
        let mut cache = self
            .inner
            .lock()
            .map_err(|_| Error::new(ErrorKind::Internal, "the metric column cache is poisoned"))?;
        let entry = cache.entry(survey_id.to_owned()).or_default();
        let generation = store.with_conn(|c| read_generation(c, survey_id))?;
        let complete = entry.generation == generation
            && wanted.iter().all(|k| entry.values.contains_key(*k))
            && date_field.is_none_or(|d| entry.dates.contains_key(&d));
        if !complete {
            self.fill(store, survey_id, entry, wanted, date_field)?;
        }
        let fields = wanted
            .iter()
            .map(|k| {
                entry.values.get(*k).cloned().ok_or_else(|| {
                    Error::new(ErrorKind::Internal, format!("column {k} not loaded"))
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(LoadedColumns {
            fields,
            dates: date_field.and_then(|d| entry.dates.get(&d).cloned()),
            generation: entry.generation,
        })
    }

    /// Brings `entry` to the survey's current generation with every wanted column in it.
    fn fill(
        &self,
        store: &Store,
        survey_id: &str,
        entry: &mut SurveyColumns,
        wanted: &[&str],
        date_field: Option<ResponseDate>,
    ) -> Result<()> {
        let mut conn = store.open_extra_connection()?;
        let tx = conn.transaction()?;
        // Re-read inside the read transaction: everything below sees this generation.
        let generation = read_generation(&tx, survey_id)?;
        let previous = if entry.generation == generation {
            entry.older.take().map(|b| *b).unwrap_or_default()
        } else {
            let mut previous = std::mem::replace(
                entry,
                SurveyColumns {
                    generation,
                    ..Default::default()
                },
            );
            previous.older = None;
            previous
        };
        let mut keys: Vec<&str> = Vec::new();
        for k in wanted {
            if !entry.values.contains_key(*k) && !keys.contains(k) {
                keys.push(k);
            }
        }
        let mut base = Base {
            tx: &tx,
            survey_id,
            generation,
            previous,
            spans: HashMap::new(),
        };
        let mut extensions: BTreeMap<u64, Extension> = BTreeMap::new();
        let mut full: Vec<(String, ValueColumn)> = Vec::new();
        let mut full_dates: Option<(ResponseDate, Dates)> = None;
        for k in keys {
            let key = persist::value_key(k);
            let stored = persist::stored_generation(&tx, survey_id, &key);
            let blob = current(&tx, survey_id, &key, stored, generation);
            if let Some(c) = blob.as_deref().and_then(persist::decode_values) {
                entry.values.insert(k.to_owned(), Arc::new(c));
                continue;
            }
            match base.value(k, stored.filter(|g| *g < generation)) {
                Some((from, span, col)) => group(&mut extensions, from, span)
                    .values
                    .push((k.to_owned(), col)),
                None => full.push((k.to_owned(), ValueColumn::default())),
            }
        }
        if let Some(d) = date_field.filter(|d| !entry.dates.contains_key(d)) {
            let key = persist::date_key(date_column(d));
            let stored = persist::stored_generation(&tx, survey_id, &key);
            let blob = current(&tx, survey_id, &key, stored, generation);
            if let Some(v) = blob.as_deref().and_then(persist::decode_dates) {
                entry.dates.insert(d, Arc::new(v));
            } else {
                match base.dates(d, stored.filter(|g| *g < generation)) {
                    Some((from, span, v)) => {
                        group(&mut extensions, from, span).dates = Some((d, v))
                    }
                    None => full_dates = Some((d, Vec::new())),
                }
            }
        }
        let Base { previous, .. } = base;
        if !previous.values.is_empty() || !previous.dates.is_empty() {
            entry.older = Some(Box::new(previous));
        }
        let mut fresh: Vec<(String, Vec<u8>)> = Vec::new();
        for mut ext in extensions.into_values() {
            let dates = ext.dates.as_mut().map(|(d, v)| (*d, v));
            let read = extract_after(&tx, survey_id, ext.span.after_rowid, &mut ext.values, dates)?;
            self.rows_read.fetch_add(read as u64, Ordering::Relaxed);
            self.extensions.fetch_add(1, Ordering::Relaxed);
            let rows = ext.span.rows;
            let aligned = ext.values.iter().all(|(_, c)| c.len() == rows)
                && ext.dates.as_ref().is_none_or(|(_, v)| v.len() == rows);
            if aligned {
                keep(entry, &mut fresh, ext.values, ext.dates);
            } else {
                tracing::warn!("metric columns of {survey_id} did not extend cleanly; re-reading");
                full.extend(
                    ext.values
                        .into_iter()
                        .map(|(k, _)| (k, ValueColumn::default())),
                );
                full_dates = full_dates.or(ext.dates.map(|(d, _)| (d, Vec::new())));
            }
        }
        if !full.is_empty() || full_dates.is_some() {
            let dates = full_dates.as_mut().map(|(d, v)| (*d, v));
            let read = extract_after(&tx, survey_id, i64::MIN, &mut full, dates)?;
            self.rows_read.fetch_add(read as u64, Ordering::Relaxed);
            self.full_extractions.fetch_add(1, Ordering::Relaxed);
            keep(entry, &mut fresh, full, full_dates);
        }
        tx.commit()?;
        if !fresh.is_empty() {
            persist::save(&conn, survey_id, generation, &fresh);
        }
        Ok(())
    }
}

/// The extension of the columns of generation `from`.
fn group(map: &mut BTreeMap<u64, Extension>, from: u64, span: Span) -> &mut Extension {
    map.entry(from).or_insert_with(|| Extension {
        span,
        values: Vec::new(),
        dates: None,
    })
}

/// Caches new columns in `entry` and queues their encoding for persistence.
fn keep(
    entry: &mut SurveyColumns,
    fresh: &mut Vec<(String, Vec<u8>)>,
    values: Vec<(String, ValueColumn)>,
    dates: Option<(ResponseDate, Dates)>,
) {
    for (k, c) in values {
        fresh.push((persist::value_key(&k), persist::encode_values(&c)));
        entry.values.insert(k, Arc::new(c));
    }
    if let Some((d, v)) = dates {
        fresh.push((persist::date_key(date_column(d)), persist::encode_dates(&v)));
        entry.dates.insert(d, Arc::new(v));
    }
}
