//! Validation of a card configuration: every field a person fills in, with a message naming
//! what is wrong and where (`InvalidInput`).

use super::scope::{DateRange, SegmentFilter, SplitBy};
use super::{Calculation, CardType, ComparisonSpec, GroupBy, MetricCardConfig};
use crate::error::{Error, Result};

impl MetricCardConfig {
    /// Checks the fields a person fills in; `InvalidInput` with a specific message otherwise.
    pub fn validate(&self) -> Result<()> {
        validate_basics(self)?;
        self.range.validate()?;
        for (i, f) in self.filters.iter().enumerate() {
            validate_filter(f, &format!("filter {}", i + 1))?;
        }
        if let Some(t) = &self.target {
            if !t.value.is_finite() {
                return Err(Error::invalid("the target must be a number"));
            }
            if let Some(m) = t.amber_margin {
                if !m.is_finite() || m < 0.0 {
                    return Err(Error::invalid(format!(
                        "the amber margin must be a number of 0 or more, not {m}"
                    )));
                }
            }
        }
        if self.min_n == 0 {
            return Err(Error::invalid("the minimum n must be at least 1"));
        }
        match &self.split_by {
            Some(SplitBy::Question { question_id }) if question_id.trim().is_empty() => {
                return Err(Error::invalid("choose the question to split the series by"))
            }
            Some(SplitBy::Field { name }) if name.trim().is_empty() => {
                return Err(Error::invalid("choose the field to split the series by"))
            }
            _ => {}
        }
        if self.card_type != CardType::Comparison {
            return Ok(());
        }
        match &self.comparison {
            Some(ComparisonSpec::PreviousRange | ComparisonSpec::YearEarlier)
                if self.range == DateRange::All =>
            {
                Err(Error::invalid(
                    "comparing with an earlier period needs a date range on the card (not all time)",
                ))
            }
            Some(ComparisonSpec::Target) if self.target.is_none() => Err(Error::invalid(
                "comparing with the target needs a target on the card",
            )),
            Some(ComparisonSpec::Segments { a, b, .. }) => {
                for (i, f) in a.iter().enumerate() {
                    validate_filter(f, &format!("segment A filter {}", i + 1))?;
                }
                for (i, f) in b.iter().enumerate() {
                    validate_filter(f, &format!("segment B filter {}", i + 1))?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

fn validate_filter(f: &SegmentFilter, at: &str) -> Result<()> {
    match f {
        SegmentFilter::Field { name, .. } if name.trim().is_empty() => Err(Error::invalid(
            format!("{at}: choose the field to filter on"),
        )),
        SegmentFilter::Field { name, values } if values.is_empty() => Err(Error::invalid(format!(
            "{at}: choose at least one value of field \"{name}\""
        ))),
        SegmentFilter::Question { question_id, .. } if question_id.trim().is_empty() => Err(
            Error::invalid(format!("{at}: choose the question to filter on")),
        ),
        SegmentFilter::Question {
            question_id,
            choices,
        } if choices.is_empty() => Err(Error::invalid(format!(
            "{at}: choose at least one answer of question {question_id}"
        ))),
        SegmentFilter::Saved { filter_id, .. } if filter_id.trim().is_empty() => {
            Err(Error::invalid(format!("{at}: choose a saved filter")))
        }
        _ => Ok(()),
    }
}

fn validate_basics(c: &MetricCardConfig) -> Result<()> {
    if c.name.trim().is_empty() {
        return Err(Error::invalid("the card needs a name"));
    }
    c.survey()?;
    if c.question_id.trim().is_empty() {
        return Err(Error::invalid("choose a question for the card"));
    }
    if let Calculation::TopBox { boxes } | Calculation::BottomBox { boxes } = c.calculation {
        if boxes == 0 {
            return Err(Error::invalid("top/bottom box needs at least one box"));
        }
    }
    match (&c.group_by, &c.comparison) {
        (GroupBy::Question { question_id }, _) if question_id.trim().is_empty() => {
            Err(Error::invalid("choose the question to group by"))
        }
        (GroupBy::Field { name }, _) if name.trim().is_empty() => {
            Err(Error::invalid("choose the field to group by"))
        }
        (GroupBy::None | GroupBy::Time { .. }, Some(ComparisonSpec::Groups { .. }))
            if c.card_type == CardType::Comparison =>
        {
            Err(Error::invalid(
                "comparing two groups needs a Group by question or field",
            ))
        }
        _ => Ok(()),
    }
}
