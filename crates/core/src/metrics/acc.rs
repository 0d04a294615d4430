//! Answer resolution and accumulation for one calculation.
//!
//! Contract: [`Resolver`] turns a cell into the analysable choices it selects and/or a number
//! (the choice recode, or the raw number for questions without choices); non-analysed choices
//! and unknown codes make the answer unusable. [`Plan`] says what a calculation needs from an
//! answer and [`Acc`] accumulates usable answers into a value and `n`.

use std::collections::HashMap;

use super::interval::{self, Interval};
use super::Calculation;
use crate::store::columns::{Cell, ValueColumn};
use crate::store::QuestionRow;

/// A resolved answer.
pub(crate) enum Resolved {
    Unusable,
    /// One value: its choice (if the question has choices) and its number (if numeric).
    Single {
        choice: Option<usize>,
        number: Option<f64>,
        key: Key,
    },
    /// Several analysable choices (in the resolver's buffer).
    Multi,
}

/// Identity of a value of a question without choices (for distributions).
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Key {
    Choice,
    Num(f64),
    Dict(u32),
}

pub(crate) struct Resolver<'a> {
    pub question: &'a QuestionRow,
    pub col: &'a ValueColumn,
    /// Numeric recode of each choice.
    pub numbers: Vec<Option<f64>>,
    dict_choice: Vec<Option<usize>>,
}

impl<'a> Resolver<'a> {
    pub fn new(question: &'a QuestionRow, col: &'a ValueColumn) -> Self {
        let numbers = question
            .choices
            .iter()
            .map(|c| c.recode.trim().parse::<f64>().ok())
            .collect();
        let dict_choice = col
            .dict
            .iter()
            .map(|s| choice_by_code(question, s))
            .collect();
        Resolver {
            question,
            col,
            numbers,
            dict_choice,
        }
    }

    pub fn has_choices(&self) -> bool {
        !self.question.choices.is_empty()
    }

    fn analysable(&self, idx: Option<usize>) -> Option<usize> {
        idx.filter(|&i| self.question.choices[i].analyze)
    }

    /// Resolves `cell`; multi-select choices are left in `buf`.
    pub fn resolve(&self, cell: &Cell, buf: &mut Vec<usize>) -> Resolved {
        match cell {
            Cell::Missing => Resolved::Unusable,
            Cell::Num(f) if self.has_choices() => {
                match self.analysable(self.numbers.iter().position(|v| *v == Some(*f))) {
                    Some(i) => Resolved::Single {
                        choice: Some(i),
                        number: Some(*f),
                        key: Key::Choice,
                    },
                    None => Resolved::Unusable,
                }
            }
            Cell::Num(f) => Resolved::Single {
                choice: None,
                number: Some(*f),
                key: Key::Num(*f),
            },
            Cell::Text(id) if self.has_choices() => {
                match self.analysable(self.dict_choice[*id as usize]) {
                    Some(i) => Resolved::Single {
                        choice: Some(i),
                        number: self.numbers[i],
                        key: Key::Choice,
                    },
                    None => Resolved::Unusable,
                }
            }
            Cell::Text(id) => {
                let number = self.col.text(*id).trim().parse::<f64>().ok();
                Resolved::Single {
                    choice: None,
                    number,
                    key: Key::Dict(*id),
                }
            }
            Cell::List(ids) => {
                buf.clear();
                for id in ids.iter() {
                    if let Some(i) = self.analysable(self.dict_choice[*id as usize]) {
                        if !buf.contains(&i) {
                            buf.push(i);
                        }
                    }
                }
                if buf.is_empty() && self.has_choices() {
                    Resolved::Unusable
                } else {
                    Resolved::Multi
                }
            }
        }
    }

    /// Distinct numeric values of the analysable choices, ascending.
    pub fn scale(&self) -> Vec<f64> {
        let mut s: Vec<f64> = self
            .question
            .choices
            .iter()
            .zip(&self.numbers)
            .filter(|(c, _)| c.analyze)
            .filter_map(|(_, n)| *n)
            .collect();
        s.sort_by(f64::total_cmp);
        s.dedup();
        s
    }
}

/// The choice whose recode (else id) equals `code`.
pub(crate) fn choice_by_code(q: &QuestionRow, code: &str) -> Option<usize> {
    q.choices
        .iter()
        .position(|c| c.recode == code)
        .or_else(|| q.choices.iter().position(|c| c.id == code))
        .or_else(|| {
            let n = code.trim().parse::<f64>().ok()?;
            q.choices
                .iter()
                .position(|c| c.recode.trim().parse::<f64>().ok() == Some(n))
        })
}

/// Numeric statistic.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Stat {
    Mean,
    Sum,
    Min,
    Max,
    Median,
}

/// What a calculation takes from each answer.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Plan {
    Count,
    Numeric(Stat),
    Nps,
    /// Share (%) of answers whose number is within `lo..=hi`.
    Share {
        lo: f64,
        hi: f64,
    },
    Distribution,
}

impl Plan {
    /// The plan of `calc` on a question whose analysable scale is `scale` (ascending); the
    /// error explains why the calculation does not apply.
    pub fn of(calc: Calculation, scale: &[f64], multi: bool) -> Result<Plan, String> {
        let needs_scale = |what: &str| {
            if scale.len() < 2 {
                Err(format!(
                    "{what} needs a question with a numeric answer scale"
                ))
            } else {
                Ok(())
            }
        };
        if multi && !matches!(calc, Calculation::Count | Calculation::Distribution) {
            return Err("multi-select questions support Count and Distribution only".into());
        }
        Ok(match calc {
            Calculation::Count => Plan::Count,
            Calculation::Average | Calculation::CesAverage => Plan::Numeric(Stat::Mean),
            Calculation::Sum => Plan::Numeric(Stat::Sum),
            Calculation::Min => Plan::Numeric(Stat::Min),
            Calculation::Max => Plan::Numeric(Stat::Max),
            Calculation::Median => Plan::Numeric(Stat::Median),
            Calculation::Nps => Plan::Nps,
            Calculation::Distribution => Plan::Distribution,
            Calculation::CsatTop2 => {
                needs_scale("CSAT")?;
                Plan::Share {
                    lo: scale[scale.len().saturating_sub(2)],
                    hi: f64::INFINITY,
                }
            }
            Calculation::TopBox { boxes } => {
                needs_scale("Top box")?;
                let k = usize::from(boxes).min(scale.len());
                Plan::Share {
                    lo: scale[scale.len() - k],
                    hi: f64::INFINITY,
                }
            }
            Calculation::BottomBox { boxes } => {
                needs_scale("Bottom box")?;
                let k = usize::from(boxes).min(scale.len());
                Plan::Share {
                    lo: f64::NEG_INFINITY,
                    hi: scale[k - 1],
                }
            }
            Calculation::CesPercentEasy => {
                let (min, max) = match scale {
                    [first, .., last] => (*first, *last),
                    _ => (1.0, 7.0),
                };
                // "Easy" = above the midpoint: 5-7 on a 1-7 scale.
                Plan::Share {
                    lo: ((min + max) / 2.0).floor() + 1.0,
                    hi: f64::INFINITY,
                }
            }
        })
    }

    pub fn needs_number(self) -> bool {
        !matches!(self, Plan::Count | Plan::Distribution)
    }
}

/// Accumulator of one subset of responses.
#[derive(Clone, Default)]
pub(crate) struct Acc {
    pub n: u64,
    sum: f64,
    /// Σx², for the interval of a mean.
    sum_sq: f64,
    min: f64,
    max: f64,
    hits: u64,
    lows: u64,
    values: Vec<f64>,
    /// Per choice index (distribution of choice questions).
    pub counts: Vec<u64>,
    /// Per value (distribution of questions without choices).
    pub other: HashMap<String, u64>,
}

impl Acc {
    pub fn new(choices: usize) -> Acc {
        Acc {
            counts: vec![0; choices],
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            ..Acc::default()
        }
    }

    /// Adds one resolved answer; returns whether it was usable for `plan`.
    pub fn feed(&mut self, plan: Plan, r: &Resolved, buf: &[usize], res: &Resolver<'_>) -> bool {
        match r {
            Resolved::Unusable => false,
            Resolved::Multi => {
                if plan.needs_number() {
                    return false;
                }
                self.n += 1;
                for &i in buf {
                    self.counts[i] += 1;
                }
                true
            }
            Resolved::Single {
                choice,
                number,
                key,
            } => {
                if plan.needs_number() && number.is_none() {
                    return false;
                }
                let v = number.unwrap_or(0.0);
                match plan {
                    Plan::Count => {}
                    Plan::Distribution => match (choice, key) {
                        (Some(i), _) => self.counts[*i] += 1,
                        (None, Key::Num(f)) => *self.other.entry(fmt_num(*f)).or_default() += 1,
                        (None, Key::Dict(id)) => {
                            *self.other.entry(res.col.text(*id).to_owned()).or_default() += 1
                        }
                        (None, Key::Choice) => {}
                    },
                    Plan::Numeric(stat) => {
                        self.sum += v;
                        self.sum_sq += v * v;
                        self.min = self.min.min(v);
                        self.max = self.max.max(v);
                        if stat == Stat::Median {
                            self.values.push(v);
                        }
                    }
                    Plan::Nps => {
                        if !(0.0..=10.0).contains(&v) {
                            return false;
                        }
                        if v >= 9.0 {
                            self.hits += 1;
                        } else if v <= 6.0 {
                            self.lows += 1;
                        }
                    }
                    Plan::Share { lo, hi } => {
                        if v >= lo && v <= hi {
                            self.hits += 1;
                        }
                    }
                }
                self.n += 1;
                true
            }
        }
    }

    /// The value of the subset (`None` without usable answers, and for distributions).
    pub fn value(&mut self, plan: Plan) -> Option<f64> {
        if self.n == 0 {
            return None;
        }
        let n = self.n as f64;
        match plan {
            Plan::Count => Some(n),
            Plan::Distribution => None,
            Plan::Numeric(Stat::Mean) => Some(self.sum / n),
            Plan::Numeric(Stat::Sum) => Some(self.sum),
            Plan::Numeric(Stat::Min) => Some(self.min),
            Plan::Numeric(Stat::Max) => Some(self.max),
            Plan::Numeric(Stat::Median) => {
                self.values.sort_by(f64::total_cmp);
                let m = self.values.len() / 2;
                Some(if self.values.len() % 2 == 1 {
                    self.values[m]
                } else {
                    (self.values[m - 1] + self.values[m]) / 2.0
                })
            }
            Plan::Nps => Some((self.hits as f64 - self.lows as f64) / n * 100.0),
            Plan::Share { .. } => Some(self.hits as f64 / n * 100.0),
        }
    }
}

impl Acc {
    /// Adds the answers of `other` (a disjoint subset) to this one.
    pub fn merge(&mut self, other: &Acc) {
        self.n += other.n;
        self.sum += other.sum;
        self.sum_sq += other.sum_sq;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        self.hits += other.hits;
        self.lows += other.lows;
        self.values.extend_from_slice(&other.values);
        if self.counts.len() < other.counts.len() {
            self.counts.resize(other.counts.len(), 0);
        }
        for (c, o) in self.counts.iter_mut().zip(&other.counts) {
            *c += o;
        }
        for (k, v) in &other.other {
            *self.other.entry(k.clone()).or_default() += v;
        }
    }

    /// The 95% interval of the subset's value, when the calculation has one (see `interval`).
    pub fn interval(&self, plan: Plan) -> Option<Interval> {
        match plan {
            Plan::Nps => interval::nps(self.hits, self.lows, self.n),
            Plan::Share { .. } => interval::wilson(self.hits, self.n),
            Plan::Numeric(Stat::Mean) => interval::mean(self.n, self.sum, self.sum_sq),
            _ => None,
        }
    }
}

pub(crate) use crate::calculation::fmt_num;
