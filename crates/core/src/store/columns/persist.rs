//! Extracted metric columns persisted in SQLite (`metric_columns`), so a fresh process (the
//! CLI, an app restart) does not re-read every cached response to compute a card.
//!
//! Contract: one stored column per (survey, field), tagged with the sync generation it was
//! extracted at: used as is at that generation, or as the base a later generation extends when
//! only responses were appended since (`lineage`); a non-append import deletes the survey's
//! columns. A save never replaces a column of a later generation. Encoding is a compact
//! little-endian binary format with a magic header; an unreadable blob is treated as absent.
//! Saving is best effort: it never fails a computation and never waits long for a lock.

use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension};

use super::{Cell, ValueColumn};

/// Value columns; `PMC2` adds the one-byte small-integer cell (tag 4), `PMC1` blobs still read.
const VALUES_MAGIC: &[u8; 4] = b"PMC2";
const VALUES_MAGIC_V1: &[u8; 4] = b"PMC1";
/// Date columns: `PMD2` stores each date as a LEB128 varint of its zigzag delta to the
/// previous date plus one (0 = no date); `PMD1` (eight bytes per date) blobs still read.
const DATES_MAGIC: &[u8; 4] = b"PMD2";
const DATES_MAGIC_V1: &[u8; 4] = b"PMD1";

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
            // Scores, recodes and choice ids: one byte instead of eight.
            Cell::Num(f) if small_integer(*f).is_some() => {
                out.push(4);
                out.push(small_integer(*f).unwrap_or_default());
            }
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

/// `f` as a byte when it is exactly an integer in 0..=255 (not -0.0).
fn small_integer(f: f64) -> Option<u8> {
    let b = f as u8;
    (f64::from(b).to_bits() == f.to_bits()).then_some(b)
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
    let magic = r.take(4)?;
    if magic != VALUES_MAGIC && magic != VALUES_MAGIC_V1 {
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
            4 => Cell::Num(f64::from(r.u8()?)),
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
    let mut out = Vec::with_capacity(12 + d.len() * 3);
    out.extend_from_slice(DATES_MAGIC);
    out.extend_from_slice(&(d.len() as u64).to_le_bytes());
    let mut prev = 0i64;
    for v in d {
        let mut n: u128 = match v {
            None => 0,
            Some(x) => {
                let delta = x.wrapping_sub(prev);
                prev = *x;
                u128::from(((delta << 1) ^ (delta >> 63)) as u64) + 1
            }
        };
        while n >= 0x80 {
            out.push((n as u8) | 0x80);
            n >>= 7;
        }
        out.push(n as u8);
    }
    out
}

pub(crate) fn decode_dates(buf: &[u8]) -> Option<Vec<Option<i64>>> {
    let mut r = Reader { buf, at: 0 };
    let v1 = match r.take(4)? {
        m if m == DATES_MAGIC => false,
        m if m == DATES_MAGIC_V1 => true,
        _ => return None,
    };
    let n = r.u64()? as usize;
    let mut out = Vec::with_capacity(n.min(buf.len()));
    let mut prev = 0i64;
    for _ in 0..n {
        if v1 {
            let v = r.u64()? as i64;
            out.push((v != i64::MIN).then_some(v));
            continue;
        }
        let mut n: u128 = 0;
        for shift in (0..).step_by(7) {
            let b = r.u8()?;
            if shift > 126 {
                return None;
            }
            n |= u128::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                break;
            }
        }
        if n == 0 {
            out.push(None);
        } else {
            let z = u64::try_from(n - 1).ok()?;
            let delta = ((z >> 1) as i64) ^ -((z & 1) as i64);
            prev = prev.wrapping_add(delta);
            out.push(Some(prev));
        }
    }
    (r.at == buf.len()).then_some(out)
}

/// The generation the stored column `key` was extracted at, if there is one.
pub(crate) fn stored_generation(conn: &Connection, survey_id: &str, key: &str) -> Option<u64> {
    conn.query_row(
        "SELECT generation FROM metric_columns WHERE survey_id = ?1 AND field = ?2",
        params![survey_id, key],
        |r| r.get::<_, i64>(0),
    )
    .optional()
    .ok()
    .flatten()
    .map(|g| g as u64)
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
                    data = excluded.data WHERE excluded.generation >= metric_columns.generation",
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
            json!(255),
            json!(256),
            json!(-1),
            json!(-0.0),
            json!(0),
        ];
        let c = ValueColumn::from_values(vals.iter().map(Some));
        let encoded = encode_values(&c);
        let back = decode_values(&encoded).unwrap();
        assert_eq!(back, c);
        assert!(matches!(back.cells[8], Cell::Num(z) if z.is_sign_negative()));
        // PMC1 blobs (eight-byte numbers only) still read.
        let v1 = ValueColumn::from_values([json!(7.5)].iter().map(Some));
        let mut old = encode_values(&v1);
        old[..4].copy_from_slice(VALUES_MAGIC_V1);
        assert_eq!(decode_values(&old), Some(v1));
        let mut bad = encode_values(&c);
        bad.pop();
        assert_eq!(decode_values(&bad), None);
        let d = vec![
            Some(1_700_000_000),
            None,
            Some(-5),
            Some(i64::MIN),
            Some(i64::MAX),
            Some(1_700_000_060),
            None,
        ];
        let encoded = encode_dates(&d);
        assert_eq!(decode_dates(&encoded), Some(d));
        assert!(decode_dates(&encoded[..encoded.len() - 1]).is_none());
        // PMD1 blobs (eight bytes per date, i64::MIN = none) still read.
        let mut old = DATES_MAGIC_V1.to_vec();
        old.extend_from_slice(&2u64.to_le_bytes());
        old.extend_from_slice(&7i64.to_le_bytes());
        old.extend_from_slice(&i64::MIN.to_le_bytes());
        assert_eq!(decode_dates(&old), Some(vec![Some(7), None]));
    }
}
