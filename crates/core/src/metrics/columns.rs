//! Compact in-memory columns of cached responses, extracted once and reused.
//!
//! Contract: a column holds one cell per *finished* recorded response of a survey, in
//! storage (rowid) order, so every column of the same survey generation lines up row by row.
//! Columns are extracted with SQLite's JSON operators in one read transaction and cached per
//! (survey, field) until the survey's sync generation changes (an import that changed rows) or
//! its definition is replaced. Strings are interned per column. Extracted columns are also
//! persisted per generation (`persist`), so a new process loads them instead of re-reading
//! every response.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rusqlite::OptionalExtension;
use serde_json::Value;

use super::persist;
use super::time::parse_epoch;
use super::DateField;
use crate::error::{Error, ErrorKind, Result};
use crate::store::Store;

/// One answer cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// No answer (absent, null or empty string).
    Missing,
    /// A number (single-choice recode, slider, numeric field).
    Num(f64),
    /// A string, interned in [`ValueColumn::dict`].
    Text(u32),
    /// A multi-select answer: interned strings.
    List(Box<[u32]>),
}

/// The cells of one field for every finished response, plus the interned strings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ValueColumn {
    pub cells: Vec<Cell>,
    pub dict: Vec<String>,
}

impl ValueColumn {
    /// Builds a column from JSON values (tests, previews); `None` = missing.
    pub fn from_values<'a>(values: impl IntoIterator<Item = Option<&'a Value>>) -> ValueColumn {
        let mut b = ColumnBuilder::default();
        for v in values {
            b.push_value(v);
        }
        b.column
    }

    /// The interned string of a `Text`/`List` entry.
    pub fn text(&self, id: u32) -> &str {
        &self.dict[id as usize]
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// Whether the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }
}

#[derive(Default)]
struct ColumnBuilder {
    column: ValueColumn,
    index: HashMap<String, u32>,
}

impl ColumnBuilder {
    fn intern(&mut self, s: String) -> u32 {
        if let Some(&id) = self.index.get(&s) {
            return id;
        }
        let id = self.column.dict.len() as u32;
        self.column.dict.push(s.clone());
        self.index.insert(s, id);
        id
    }

    fn push_value(&mut self, v: Option<&Value>) {
        let cell = match v {
            None | Some(Value::Null) => Cell::Missing,
            Some(Value::Number(n)) => n.as_f64().map_or(Cell::Missing, Cell::Num),
            Some(Value::Bool(b)) => Cell::Text(self.intern(b.to_string())),
            Some(Value::String(s)) if s.is_empty() => Cell::Missing,
            Some(Value::String(s)) => Cell::Text(self.intern(s.clone())),
            Some(Value::Array(items)) => {
                let ids: Vec<u32> = items
                    .iter()
                    .filter_map(|i| match i {
                        Value::String(s) if !s.is_empty() => Some(s.clone()),
                        Value::Number(n) => Some(n.to_string()),
                        _ => None,
                    })
                    .map(|s| self.intern(s))
                    .collect();
                if ids.is_empty() {
                    Cell::Missing
                } else {
                    Cell::List(ids.into_boxed_slice())
                }
            }
            Some(other @ Value::Object(_)) => Cell::Text(self.intern(other.to_string())),
        };
        self.column.cells.push(cell);
    }

    /// Pushes the JSON text SQLite's `->` operator returned (`None` = key absent).
    fn push_json_text(&mut self, raw: Option<&str>) {
        let Some(raw) = raw else {
            self.column.cells.push(Cell::Missing);
            return;
        };
        let first = raw.as_bytes().first().copied();
        match first {
            Some(b'"') if !raw.contains('\\') => {
                let s = &raw[1..raw.len().saturating_sub(1)];
                let cell = if s.is_empty() {
                    Cell::Missing
                } else {
                    Cell::Text(self.intern(s.to_owned()))
                };
                self.column.cells.push(cell);
            }
            Some(b'-' | b'0'..=b'9') => match raw.parse::<f64>() {
                Ok(n) => self.column.cells.push(Cell::Num(n)),
                Err(_) => self.push_value(serde_json::from_str::<Value>(raw).ok().as_ref()),
            },
            _ => self.push_value(serde_json::from_str::<Value>(raw).ok().as_ref()),
        }
    }
}

/// Columns handed to the engine for one computation.
#[derive(Debug, Clone)]
pub struct LoadedColumns {
    pub answers: Arc<ValueColumn>,
    pub groups: Option<Arc<ValueColumn>>,
    pub dates: Option<Arc<Vec<Option<i64>>>>,
}

#[derive(Default)]
struct SurveyColumns {
    generation: u64,
    values: HashMap<String, Arc<ValueColumn>>,
    dates: HashMap<DateField, Arc<Vec<Option<i64>>>>,
}

/// Per-store cache of extracted columns (see the module docs).
#[derive(Default)]
pub struct ColumnCache {
    inner: Mutex<HashMap<String, SurveyColumns>>,
}

impl std::fmt::Debug for ColumnCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ColumnCache")
    }
}

impl ColumnCache {
    /// Drops every cached column of a survey.
    pub fn invalidate_survey(&self, survey_id: &str) {
        if let Ok(mut m) = self.inner.lock() {
            m.remove(survey_id);
        }
    }

    /// Returns the requested columns, extracting the missing ones in one read transaction.
    pub(crate) fn load(
        &self,
        store: &Store,
        survey_id: &str,
        answer_key: &str,
        group_key: Option<&str>,
        date_field: Option<DateField>,
    ) -> Result<LoadedColumns> {
        let mut cache = self
            .inner
            .lock()
            .map_err(|_| Error::new(ErrorKind::Internal, "the metric column cache is poisoned"))?;
        let read_generation = |c: &rusqlite::Connection| -> Result<u64> {
            let g: Option<i64> = c
                .query_row(
                    "SELECT generation FROM sync_state WHERE survey_id = ?1",
                    [survey_id],
                    |r| r.get(0),
                )
                .optional()?;
            Ok(g.unwrap_or(0) as u64)
        };
        let wanted_keys: Vec<&str> = std::iter::once(answer_key).chain(group_key).collect();
        let entry = cache.entry(survey_id.to_owned()).or_default();
        let generation = store.with_conn(|c| read_generation(c))?;
        let complete = entry.generation == generation
            && wanted_keys.iter().all(|k| entry.values.contains_key(*k))
            && date_field.is_none_or(|d| entry.dates.contains_key(&d));
        if !complete {
            // A dedicated connection: a long extraction must not hold the app's shared
            // connection. The generation is re-read inside the same read transaction.
            let mut conn = store.open_extra_connection()?;
            let tx = conn.transaction()?;
            let generation = read_generation(&tx)?;
            if entry.generation != generation {
                *entry = SurveyColumns {
                    generation,
                    ..Default::default()
                };
            }
            let mut keys: Vec<&str> = Vec::new();
            for k in &wanted_keys {
                if !entry.values.contains_key(*k) && !keys.contains(k) {
                    keys.push(k);
                }
            }
            let mut date = date_field.filter(|d| !entry.dates.contains_key(d));
            // Columns another process (or an earlier run) already extracted at this generation.
            keys.retain(|k| {
                let blob = persist::load(&tx, survey_id, &persist::value_key(k), generation);
                match blob.and_then(|b| persist::decode_values(&b)) {
                    Some(c) => {
                        entry.values.insert((*k).to_owned(), Arc::new(c));
                        false
                    }
                    None => true,
                }
            });
            if let Some(d) = date {
                let blob = persist::load(
                    &tx,
                    survey_id,
                    &persist::date_key(date_column(d)),
                    generation,
                );
                if let Some(v) = blob.and_then(|b| persist::decode_dates(&b)) {
                    entry.dates.insert(d, Arc::new(v));
                    date = None;
                }
            }
            let mut fresh: Vec<(String, Vec<u8>)> = Vec::new();
            if !keys.is_empty() || date.is_some() {
                let (cols, dates) = extract(&tx, survey_id, &keys, date)?;
                for (k, c) in keys.iter().zip(cols) {
                    fresh.push((persist::value_key(k), persist::encode_values(&c)));
                    entry.values.insert((*k).to_owned(), Arc::new(c));
                }
                if let (Some(d), Some(v)) = (date, dates) {
                    fresh.push((persist::date_key(date_column(d)), persist::encode_dates(&v)));
                    entry.dates.insert(d, Arc::new(v));
                }
            }
            tx.commit()?;
            if !fresh.is_empty() {
                persist::save(&conn, survey_id, generation, &fresh);
            }
        }
        let get = |k: &str| entry.values.get(k).cloned();
        Ok(LoadedColumns {
            answers: get(answer_key)
                .ok_or_else(|| Error::new(ErrorKind::Internal, "answer column not loaded"))?,
            groups: group_key.and_then(get),
            dates: date_field.and_then(|d| entry.dates.get(&d).cloned()),
        })
    }
}

fn date_column(d: DateField) -> &'static str {
    match d {
        DateField::EndDate => "end_date",
        DateField::StartDate => "start_date",
        DateField::RecordedDate => "recorded_date",
    }
}

type Extracted = (Vec<ValueColumn>, Option<Vec<Option<i64>>>);

fn extract(
    conn: &rusqlite::Connection,
    survey_id: &str,
    keys: &[&str],
    date: Option<DateField>,
) -> Result<Extracted> {
    let mut select: Vec<String> = keys
        .iter()
        .map(|k| format!("values_json -> '$.\"{}\"'", k.replace(['"', '\''], "")))
        .collect();
    if let Some(d) = date {
        select.push(date_column(d).to_owned());
    }
    let sql = format!(
        "SELECT {} FROM responses WHERE survey_id = ?1 AND finished = 1 ORDER BY rowid",
        select.join(", ")
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([survey_id])?;
    let mut builders: Vec<ColumnBuilder> = keys.iter().map(|_| ColumnBuilder::default()).collect();
    let mut dates: Option<Vec<Option<i64>>> = date.map(|_| Vec::new());
    while let Some(r) = rows.next()? {
        for (i, b) in builders.iter_mut().enumerate() {
            let raw = r.get_ref(i)?;
            match raw {
                rusqlite::types::ValueRef::Text(t) => b.push_json_text(std::str::from_utf8(t).ok()),
                rusqlite::types::ValueRef::Integer(n) => b.column.cells.push(Cell::Num(n as f64)),
                rusqlite::types::ValueRef::Real(n) => b.column.cells.push(Cell::Num(n)),
                _ => b.column.cells.push(Cell::Missing),
            }
        }
        if let Some(d) = dates.as_mut() {
            let s: Option<String> = r.get(keys.len())?;
            d.push(s.as_deref().and_then(parse_epoch));
        }
    }
    Ok((builders.into_iter().map(|b| b.column).collect(), dates))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_text_cells() {
        let mut b = ColumnBuilder::default();
        for raw in [
            Some("5"),
            Some("\"EMEA\""),
            Some("[\"1\",\"3\"]"),
            Some("null"),
            None,
            Some("\"\""),
        ] {
            b.push_json_text(raw);
        }
        let c = b.column;
        assert_eq!(c.cells[0], Cell::Num(5.0));
        assert!(matches!(c.cells[1], Cell::Text(i) if c.text(i) == "EMEA"));
        assert!(matches!(&c.cells[2], Cell::List(l) if l.len() == 2 && c.text(l[1]) == "3"));
        assert_eq!(
            &c.cells[3..],
            &[Cell::Missing, Cell::Missing, Cell::Missing]
        );
    }
}
