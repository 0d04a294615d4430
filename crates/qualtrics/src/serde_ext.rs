//! Lenient serde adapters for the shapes Qualtrics actually sends.
//!
//! Contract: each adapter accepts every variant seen in recorded traffic (numbers as
//! strings and vice versa, `null`, `[]` standing in for an empty map) and rejects only
//! values that cannot mean what the field means.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

/// A string, a number (rendered as text) or null.
pub(crate) fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Null => None,
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        other => return Err(de::Error::custom(format!("expected a string, got {other}"))),
    })
}

/// A non-negative integer given as a number or a numeric string (`"QuestionCount": "12"`).
pub(crate) fn opt_u32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Null => None,
        Value::Number(n) => n.as_u64().and_then(|v| u32::try_from(v).ok()),
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(
            s.trim()
                .parse::<u32>()
                .map_err(|_| de::Error::custom(format!("expected a count, got {s:?}")))?,
        ),
        other => return Err(de::Error::custom(format!("expected a count, got {other}"))),
    })
}

/// A float given as a number or numeric string.
pub(crate) fn f64_any<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(0.0),
        Value::Number(n) => n
            .as_f64()
            .ok_or_else(|| de::Error::custom("number out of range")),
        Value::String(s) => s
            .trim()
            .parse::<f64>()
            .map_err(|_| de::Error::custom(format!("expected a number, got {s:?}"))),
        other => Err(de::Error::custom(format!("expected a number, got {other}"))),
    }
}

/// `true`/`false`, `"true"`/`"false"`, `1`/`0`, `"1"`/`"0"`, `"Yes"`/`"No"`, null (= None).
pub(crate) fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Null => None,
        other => value_as_bool(&other),
    })
}

pub(crate) fn value_as_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_f64().map(|f| f != 0.0),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Some(true),
            "false" | "0" | "no" | "off" | "" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A list of ids given as strings or numbers (`["5","4"]` or `[1,2,3]`); null = empty.
pub(crate) fn string_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items
            .into_iter()
            .map(|item| match item {
                Value::String(s) => Ok(s),
                Value::Number(n) => Ok(n.to_string()),
                other => Err(de::Error::custom(format!("expected an id, got {other}"))),
            })
            .collect(),
        other => Err(de::Error::custom(format!(
            "expected a list of ids, got {other}"
        ))),
    }
}

/// A map keyed by id; `null` and `[]` (PHP's empty array) mean empty; a list is keyed by
/// position from `"0"`: PHP, which serves Qualtrics, sends an array whose keys are exactly
/// 0..n as a list (an NPS question's `Choices` 0..10, matching its `ChoiceOrder`). Null items
/// are holes: their position is skipped, not renumbered.
pub(crate) fn lenient_map<'de, D, T>(d: D) -> Result<BTreeMap<String, T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    d.deserialize_any(LenientMap(std::marker::PhantomData))
}

struct LenientMap<T>(std::marker::PhantomData<T>);

impl<'de, T: DeserializeOwned> Visitor<'de> for LenientMap<T> {
    type Value = BTreeMap<String, T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map, an empty list or null")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(BTreeMap::new())
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(BTreeMap::new())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = BTreeMap::new();
        while let Some((key, value)) = map.next_entry::<String, Value>()? {
            let parsed = serde_json::from_value::<T>(value)
                .map_err(|e| de::Error::custom(format!("entry {key:?}: {e}")))?;
            out.insert(key, parsed);
        }
        Ok(out)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = BTreeMap::new();
        let mut index = 0usize;
        while let Some(value) = seq.next_element::<Value>()? {
            if !value.is_null() {
                let parsed = serde_json::from_value::<T>(value)
                    .map_err(|e| de::Error::custom(format!("item {index}: {e}")))?;
                out.insert(index.to_string(), parsed);
            }
            index += 1;
        }
        Ok(out)
    }
}

/// Orders ids the way people expect: numerically when both are numbers, else as text.
pub(crate) fn id_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => natural_key(a).cmp(&natural_key(b)),
    }
}

/// `QID10` sorts after `QID9`.
fn natural_key(s: &str) -> (String, u64, String) {
    let digits_at = s.find(|c: char| c.is_ascii_digit()).unwrap_or(s.len());
    let (prefix, rest) = s.split_at(digits_at);
    let digits_end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let number = rest[..digits_end].parse::<u64>().unwrap_or(0);
    (prefix.to_string(), number, rest[digits_end..].to_string())
}
