//! Group slots of a Group by: choice questions (all choices, in order, keyed by choice id)
//! and fields (distinct value strings, sorted by label).
//!
//! Contract: [`Grouping::slots`] maps a group cell to the slot(s) it belongs to; multi-select
//! answers belong to every chosen group; missing values belong to none.

use std::collections::HashMap;

use super::acc::{choice_by_code, fmt_num, Acc, Plan};
use super::GroupValue;
use crate::store::columns::{Cell, ValueColumn};
use crate::store::QuestionRow;

/// Maps group cells to group slots.
pub(crate) struct Grouping<'a> {
    pub col: &'a ValueColumn,
    /// (key, label) per slot.
    pub keys: Vec<(String, String)>,
    dict_slot: Vec<Option<usize>>,
    num_slot: Vec<(f64, usize)>,
    by_field: bool,
    field_index: HashMap<String, usize>,
}

impl<'a> Grouping<'a> {
    pub(crate) fn by_question(g: &QuestionRow, col: &'a ValueColumn) -> Self {
        let keys = g
            .choices
            .iter()
            .map(|c| (c.id.clone(), c.label.clone()))
            .collect();
        let dict_slot = col.dict.iter().map(|s| choice_by_code(g, s)).collect();
        let num_slot = g
            .choices
            .iter()
            .enumerate()
            .filter_map(|(i, c)| Some((c.recode.trim().parse::<f64>().ok()?, i)))
            .collect();
        Grouping {
            col,
            keys,
            dict_slot,
            num_slot,
            by_field: false,
            field_index: HashMap::new(),
        }
    }

    pub(crate) fn by_field(col: &'a ValueColumn) -> Self {
        let mut g = Grouping {
            col,
            keys: Vec::new(),
            dict_slot: Vec::new(),
            num_slot: Vec::new(),
            by_field: true,
            field_index: HashMap::new(),
        };
        g.dict_slot = col
            .dict
            .iter()
            .map(|s| Some(g.field_slot(s.clone())))
            .collect();
        g
    }

    fn field_slot(&mut self, key: String) -> usize {
        if let Some(&i) = self.field_index.get(&key) {
            return i;
        }
        self.keys.push((key.clone(), key.clone()));
        self.field_index.insert(key, self.keys.len() - 1);
        self.keys.len() - 1
    }

    pub(crate) fn slots(&mut self, cell: &Cell, out: &mut Vec<usize>) {
        out.clear();
        match cell {
            Cell::Missing => {}
            Cell::Text(id) => out.extend(self.dict_slot[*id as usize]),
            Cell::List(ids) => {
                for id in ids.iter() {
                    if let Some(s) = self.dict_slot[*id as usize].filter(|s| !out.contains(s)) {
                        out.push(s);
                    }
                }
            }
            Cell::Num(f) => {
                if let Some(&(_, s)) = self.num_slot.iter().find(|(v, _)| v == f) {
                    out.push(s);
                } else if self.by_field {
                    let s = self.field_slot(fmt_num(*f));
                    self.num_slot.push((*f, s));
                    out.push(s);
                }
            }
        }
    }

    /// Whether the groups are field values (listed by label) rather than choices (in order).
    pub(crate) fn is_by_field(&self) -> bool {
        self.by_field
    }

    pub(crate) fn find(&self, wanted: &str) -> Option<usize> {
        let w = wanted.trim();
        self.keys.iter().position(|(k, _)| k == w).or_else(|| {
            self.keys
                .iter()
                .position(|(_, l)| l.eq_ignore_ascii_case(w))
        })
    }

    pub(crate) fn output(&self, accs: &mut [Acc], plan: Plan) -> Vec<GroupValue> {
        let mut out: Vec<GroupValue> = self
            .keys
            .iter()
            .zip(accs.iter_mut())
            .map(|((key, label), acc)| GroupValue {
                key: key.clone(),
                label: label.clone(),
                value: acc.value(plan),
                n: acc.n,
                ..GroupValue::default()
            })
            .collect();
        if self.by_field {
            out.sort_by_key(|g| g.label.to_lowercase());
        }
        out
    }
}
