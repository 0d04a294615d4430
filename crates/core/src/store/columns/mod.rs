//! Compact in-memory columns of cached responses and their extraction from SQLite.
//!
//! Contract: a column holds one cell per *finished* recorded response of a survey, in
//! storage (position) order, so every column of the same survey generation lines up row by row.
//! [`extract_after`] reads the finished responses whose position is above a bound from their
//! compressed pages, decoding only the wanted keys of each, and *appends* their cells to the given columns: from empty columns and no
//! bound it is the full extraction; from the columns of an older generation and its largest
//! finished rowid it extends them with the responses appended since (`cache`, `lineage`). The
//! cells of a response do not depend on the rows before it, and strings are interned per
//! column in first-seen order (an extension continues the dictionary), so an extended column
//! equals a fresh extraction of the same rows. Caching and persistence live in `cache` and
//! `persist`.

use std::collections::HashMap;

use serde_json::Value;

use crate::error::Result;

mod cache;
mod persist;

pub use cache::{ColumnCache, ColumnReads, LoadedColumns};

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
    /// Continues `column`: new cells go after its cells, new strings after its dictionary.
    fn extending(column: ValueColumn) -> ColumnBuilder {
        let index = column
            .dict
            .iter()
            .enumerate()
            .map(|(i, s)| (s.clone(), i as u32))
            .collect();
        ColumnBuilder { column, index }
    }

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

/// One of a response's dates, as a column of epoch seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ResponseDate {
    Start,
    End,
    Recorded,
}

pub(crate) fn date_column(d: ResponseDate) -> &'static str {
    match d {
        ResponseDate::End => "end_date",
        ResponseDate::Start => "start_date",
        ResponseDate::Recorded => "recorded_date",
    }
}

/// Epoch seconds of an RFC 3339 date, or of Qualtrics' CSV style `2024-07-08 15:59:53` (UTC).
pub fn parse_epoch(s: &str) -> Option<i64> {
    if let Ok(d) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(d.timestamp());
    }
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
        .ok()
        .map(|d| d.and_utc().timestamp())
}

/// The key of a date in a response's values.
fn date_key(d: ResponseDate) -> &'static str {
    match d {
        ResponseDate::End => "endDate",
        ResponseDate::Start => "startDate",
        ResponseDate::Recorded => "recordedDate",
    }
}

/// Appends to `values` (`(field, column)` pairs) and `dates` the cells of the survey's finished
/// responses whose position (rowid) is above `after_rowid`, in position order (`i64::MIN`:
/// every response), read from the compressed pages (see `store::pages`). Returns the number of
/// responses read.
pub(crate) fn extract_after(
    conn: &rusqlite::Connection,
    survey_id: &str,
    after_rowid: i64,
    values: &mut [(String, ValueColumn)],
    mut dates: Option<(ResponseDate, &mut Vec<Option<i64>>)>,
) -> Result<usize> {
    let mut wanted: Vec<String> = values.iter().map(|(k, _)| k.clone()).collect();
    if let Some((d, _)) = &dates {
        wanted.push(date_key(*d).to_owned());
    }
    let wanted: Vec<&str> = wanted.iter().map(String::as_str).collect();
    if wanted.is_empty() {
        return Ok(0);
    }
    let Some(key) = super::pages::survey_key(conn, survey_id)? else {
        return Ok(0);
    };
    let (lo, hi) = super::pages::survey_range(key);
    let mut stmt = conn.prepare(
        "SELECT pos FROM responses WHERE pos BETWEEN ?1 AND ?2 AND finished = 1 ORDER BY pos",
    )?;
    let first = lo.max(after_rowid.saturating_add(1));
    let mut rows = stmt.query(rusqlite::params![first, hi])?;
    let mut builders: Vec<ColumnBuilder> = values
        .iter_mut()
        .map(|(_, c)| ColumnBuilder::extending(std::mem::take(c)))
        .collect();
    let mut read = 0;
    let mut next_pos = || -> Result<Option<i64>> {
        Ok(match rows.next()? {
            Some(r) => Some(r.get(0)?),
            None => None,
        })
    };
    let mut on_record = |raw: super::pages::RawRecord<'_>| -> Result<()> {
        // The stored text was checked by the export parser: scan its top-level members for
        // the wanted keys instead of decoding all of it (a key written twice, which
        // Qualtrics never does, counts once: the first).
        let mut found: Vec<Option<&str>> = vec![None; wanted.len()];
        let mut missing = wanted.len();
        super::json_scan::members(raw.values, |k, v| {
            // Keys are compared as written unless they hold an escape (checked once a key).
            let i = if k.contains('\\') {
                wanted.iter().position(|w| super::json_scan::key_is(k, w))
            } else {
                wanted.iter().position(|w| *w == k)
            };
            if let Some(i) = i {
                if found[i].is_none() {
                    found[i] = Some(v);
                    missing -= 1;
                }
            }
            missing > 0
        });
        for (b, found) in builders.iter_mut().zip(&found) {
            b.push_json_text(*found);
        }
        if let Some((_, d)) = dates.as_mut() {
            let text = found[builders.len()];
            let date = text.and_then(|t| serde_json::from_str::<std::borrow::Cow<'_, str>>(t).ok());
            d.push(date.as_deref().and_then(parse_epoch));
        }
        read += 1;
        Ok(())
    };
    let outcome = super::pages::scan_recorded(conn, key, first, &mut next_pos, &mut on_record);
    for ((_, c), b) in values.iter_mut().zip(builders) {
        *c = b.column;
    }
    outcome.map(|()| read)
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
