//! Extracted metric columns persisted in SQLite (`metric_columns`), so a fresh process (the
//! CLI, an app restart) does not re-read every cached response to compute a card.
//!
//! Contract: a stored column is valid only for the sync generation it was extracted at; any
//! other generation is ignored (and replaced on the next extraction). Encoding is a compact
//! little-endian binary format with a magic header; an unreadable blob is treated as absent.
//! Saving is best effort: it never fails a computation and never waits long for a lock.

use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension};

use super::columns::{Cell, ValueColumn};

const VALUES_MAGIC: &[u8; 4] = b"PMC1";
const DATES_MAGIC: &[u8; 4] = b"PMD1";

/// Storage key of a value column.
pub(crate) fn value_key(field: &str) -> String {
    format!("v:{field}")
}

/// Storage key of a date column.
pub(crate) fn date_key(column: &str) -> String {
    format!("d:{column}")
}

pub(crate) fn encode_values(c: &ValueColumn) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + c.cells.len() * 9);
    out.extend_from_slice(VALUES_MAGIC);
    out.extend_from_slice(&(c.dict.len() as u32).to_le_bytes());
    for s in &c.dict {
        out.extend_from_slice(&(s.len() as u32).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
    }
    out.extend_from_slice(&(c.cells.len() as u64).to_le_bytes());
    for cell in &c.cells {
        match cell {
            Cell::Missing => out.push(0),
            Cell::Num(f) => {
                out.push(1);
                out.extend_from_slice(&f.to_le_bytes());
            }
            Cell::Text(id) => {
                out.push(2);
                out.extend_from_slice(&id.to_le_bytes());
            }
            Cell::List(ids) => {
                out.push(3);
                out.extend_from_slice(&(ids.len() as u32).to_le_bytes());
                for id in ids.iter() {
                    out.extend_from_slice(&id.to_le_bytes());
                }
            }
        }
    }
    out
}

struct Reader<'a> {
    buf: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let s = self.buf.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(s)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }
    fn u32(&mut self) -> Option<u32> {
        self.take(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u64(&mut self) -> Option<u64> {
        self.take(8)
            .and_then(|b| b.try_into().ok())
            .map(u64::from_le_bytes)
    }
}

pub(crate) fn decode_values(buf: &[u8]) -> Option<ValueColumn> {
    let mut r = Reader { buf, at: 0 };
    if r.take(4)? != VALUES_MAGIC {
        return None;
    }
    let dict_len = r.u32()? as usize;
    let mut dict = Vec::with_capacity(dict_len.min(1 << 20));
    for _ in 0..dict_len {
        let n = r.u32()? as usize;
        dict.push(String::from_utf8(r.take(n)?.to_vec()).ok()?);
    }
    let rows = r.u64()? as usize;
    let mut cells = Vec::with_capacity(rows.min(buf.len()));
    let known = |id: u32| ((id as usize) < dict.len()).then_some(id);
    for _ in 0..rows {
        cells.push(match r.u8()? {
            0 => Cell::Missing,
            1 => Cell::Num(f64::from_bits(r.u64()?)),
            2 => Cell::Text(known(r.u32()?)?),
            3 => {
                let n = r.u32()? as usize;
                let mut ids = Vec::with_capacity(n.min(64));
                for _ in 0..n {
                    ids.push(known(r.u32()?)?);
                }
                Cell::List(ids.into_boxed_slice())
            }
            _ => return None,
        });
    }
    (r.at == buf.len()).then_some(ValueColumn { cells, dict })
}

pub(crate) fn encode_dates(d: &[Option<i64>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(12 + d.len() * 8);
    out.extend_from_slice(DATES_MAGIC);
    out.extend_from_slice(&(d.len() as u64).to_le_bytes());
    for v in d {
        out.extend_from_slice(&v.unwrap_or(i64::MIN).to_le_bytes());
    }
    out
}

pub(crate) fn decode_dates(buf: &[u8]) -> Option<Vec<Option<i64>>> {
    let mut r = Reader { buf, at: 0 };
    if r.take(4)? != DATES_MAGIC {
        return None;
    }
    let n = r.u64()? as usize;
    let mut out = Vec::with_capacity(n.min(buf.len() / 8));
    for _ in 0..n {
        let v = r.u64()? as i64;
        out.push((v != i64::MIN).then_some(v));
    }
    (r.at == buf.len()).then_some(out)
}

/// The stored blob of `key` if it was extracted at `generation`.
pub(crate) fn load(
    conn: &Connection,
    survey_id: &str,
    key: &str,
    generation: u64,
) -> Option<Vec<u8>> {
    conn.query_row(
        "SELECT data FROM metric_columns WHERE survey_id = ?1 AND field = ?2 AND generation = ?3",
        params![survey_id, key, generation as i64],
        |r| r.get(0),
    )
    .optional()
    .ok()
    .flatten()
}

/// Stores blobs extracted at `generation` (best effort, short lock wait).
pub(crate) fn save(
    conn: &Connection,
    survey_id: &str,
    generation: u64,
    blobs: &[(String, Vec<u8>)],
) {
    let attempt = || -> rusqlite::Result<()> {
        conn.busy_timeout(Duration::from_millis(100))?;
        let tx = conn.unchecked_transaction()?;
        {
            let mut st = tx.prepare(
                "INSERT INTO metric_columns (survey_id, field, generation, data) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(survey_id, field) DO UPDATE SET generation = excluded.generation,
                    data = excluded.data",
            )?;
            for (key, data) in blobs {
                st.execute(params![survey_id, key, generation as i64, data])?;
            }
        }
        tx.commit()
    };
    if let Err(e) = attempt() {
        tracing::debug!("metric columns of {survey_id} not persisted: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn columns_round_trip() {
        let vals = [
            json!(5),
            json!("EMEA"),
            json!(["1", "3"]),
            json!(null),
            json!(2.5),
        ];
        let c = ValueColumn::from_values(vals.iter().map(Some));
        assert_eq!(decode_values(&encode_values(&c)), Some(c.clone()));
        let mut bad = encode_values(&c);
        bad.pop();
        assert_eq!(decode_values(&bad), None);
        let d = vec![Some(1_700_000_000), None, Some(-5)];
        assert_eq!(decode_dates(&encode_dates(&d)), Some(d));
    }
}
