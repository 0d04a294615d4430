//! Segment filters: which rows pass a card's filters, and the values a field takes.
//!
//! Contract:
//! * A field filter passes a response whose field equals one of the values exactly (numbers
//!   compare by their export text, `3` = `"3"`); a multi-valued cell passes when any value does;
//!   a missing field never passes.
//! * A question filter resolves each wanted choice by id, recode or label (case-insensitive),
//!   and refuses an unknown one naming the question's choices; a response passes when its
//!   answer (or any of its multi-select answers) is one of them.
//! * A saved filter passes the responses whose ids were in the last filtered export of that
//!   filter (`store::filters`); it never passes a response recorded after that export.
//! * [`field_values`] counts a field's values over the cached finished responses, most
//!   frequent first, at most 200.

use std::collections::HashMap;

use super::acc::{choice_by_code, fmt_num};
use super::scope::FieldValueCount;
use crate::error::{Error, Result};
use crate::store::columns::{Cell, ValueColumn};
use crate::store::{QuestionRow, Store};

/// Most values [`field_values`] returns.
pub const MAX_FIELD_VALUES: usize = 200;

/// Rows of `col` whose field equals one of `values`.
pub(crate) fn field_mask(col: &ValueColumn, values: &[String]) -> Vec<bool> {
    let dict_hit: Vec<bool> = col.dict.iter().map(|s| values.contains(s)).collect();
    let num_hit = |f: f64| {
        values
            .iter()
            .any(|v| v.trim().parse::<f64>().ok() == Some(f) || *v == fmt_num(f))
    };
    col.cells
        .iter()
        .map(|c| match c {
            Cell::Missing => false,
            Cell::Text(id) => dict_hit[*id as usize],
            Cell::List(ids) => ids.iter().any(|id| dict_hit[*id as usize]),
            Cell::Num(f) => num_hit(*f),
        })
        .collect()
}

/// The choice indices of `wanted` (id, recode or label); `InvalidInput` naming an unknown one.
fn wanted_choices(q: &QuestionRow, wanted: &[String]) -> Result<Vec<usize>> {
    wanted
        .iter()
        .map(|w| {
            choice_by_code(q, w.trim())
                .or_else(|| {
                    q.choices
                        .iter()
                        .position(|c| c.label.trim().eq_ignore_ascii_case(w.trim()))
                })
                .ok_or_else(|| {
                    let names: Vec<String> = q
                        .choices
                        .iter()
                        .map(|c| format!("{} {}", c.id, c.label))
                        .collect();
                    Error::invalid(if names.is_empty() {
                        format!("question {} has no choices to filter on", q.short_name())
                    } else {
                        format!(
                            "{w:?} is not a choice of question {} (its choices are {})",
                            q.short_name(),
                            names.join(", ")
                        )
                    })
                })
        })
        .collect()
}

/// Rows of `col` (answers of `q`) answered with one of `wanted`.
pub(crate) fn question_mask(
    q: &QuestionRow,
    col: &ValueColumn,
    wanted: &[String],
) -> Result<Vec<bool>> {
    let chosen = wanted_choices(q, wanted)?;
    let dict_hit: Vec<bool> = col
        .dict
        .iter()
        .map(|s| choice_by_code(q, s).is_some_and(|i| chosen.contains(&i)))
        .collect();
    let num_hit: Vec<f64> = chosen
        .iter()
        .filter_map(|&i| q.choices[i].recode.trim().parse::<f64>().ok())
        .collect();
    Ok(col
        .cells
        .iter()
        .map(|c| match c {
            Cell::Missing => false,
            Cell::Text(id) => dict_hit[*id as usize],
            Cell::List(ids) => ids.iter().any(|id| dict_hit[*id as usize]),
            Cell::Num(f) => num_hit.contains(f),
        })
        .collect())
}

/// `acc[i] &= mask[i]`.
pub(crate) fn and_into(acc: &mut [bool], mask: &[bool]) {
    for (a, m) in acc.iter_mut().zip(mask) {
        *a &= *m;
    }
}

/// Values of field `field` over the survey's cached finished responses with their counts,
/// most frequent first (ties by value), at most [`MAX_FIELD_VALUES`].
pub fn field_values(store: &Store, survey_id: &str, field: &str) -> Result<Vec<FieldValueCount>> {
    if field.trim().is_empty() {
        return Err(Error::invalid("name the field whose values to list"));
    }
    if store.get_survey(survey_id)?.is_none() {
        return Err(Error::not_found(format!(
            "survey {survey_id} is not in the local cache"
        )));
    }
    let cols = store.load_columns(survey_id, &[field], None)?;
    let col = &cols.fields[0];
    let mut counts: HashMap<String, u64> = HashMap::new();
    for c in &col.cells {
        match c {
            Cell::Missing => {}
            Cell::Text(id) => *counts.entry(col.text(*id).to_owned()).or_default() += 1,
            Cell::Num(f) => *counts.entry(fmt_num(*f)).or_default() += 1,
            Cell::List(ids) => {
                for id in ids.iter() {
                    *counts.entry(col.text(*id).to_owned()).or_default() += 1;
                }
            }
        }
    }
    let mut out: Vec<FieldValueCount> = counts
        .into_iter()
        .map(|(value, n)| FieldValueCount { value, n })
        .collect();
    out.sort_by(|a, b| b.n.cmp(&a.n).then_with(|| a.value.cmp(&b.value)));
    out.truncate(MAX_FIELD_VALUES);
    Ok(out)
}
