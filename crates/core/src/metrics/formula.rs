//! Human-readable formulas shown on cards.
//!
//! Contract: [`describe`] states what was computed, over which answers, which choices were
//! excluded from analysis, how responses were split, and n — e.g.
//! "NPS = % promoters (9-10) − % detractors (0-6); n = 1,234 responses with an answer to Q1".

use super::acc::fmt_num;
use super::{
    Calculation, DateField, DateRange, GroupBy, MetricCardConfig, SegmentFilter, TimeBucket,
};
use crate::store::QuestionRow;

/// Formats `n` with thousands separators: `1234567` → `1,234,567`.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn range(values: &[f64]) -> String {
    match values {
        [] => String::new(),
        [one] => fmt_num(*one),
        [first, .., last] => format!("{}-{}", fmt_num(*first), fmt_num(*last)),
    }
}

/// Builds the formula text of a card.
pub(crate) fn describe(
    config: &MetricCardConfig,
    q: &QuestionRow,
    group_question: Option<&QuestionRow>,
    scale: &[f64],
    n: u64,
) -> String {
    let scale_text = range(scale);
    let top = |k: usize| range(&scale[scale.len().saturating_sub(k)..]);
    let bottom = |k: usize| range(&scale[..k.min(scale.len())]);
    let head = match config.calculation {
        Calculation::Count => "Count = number of responses with a usable answer".to_owned(),
        Calculation::Average => "Average = mean of the answer values (recodes)".to_owned(),
        Calculation::Sum => "Sum = total of the answer values (recodes)".to_owned(),
        Calculation::Min => "Min = lowest answer value (recode)".to_owned(),
        Calculation::Max => "Max = highest answer value (recode)".to_owned(),
        Calculation::Median => "Median = middle answer value (recode)".to_owned(),
        Calculation::Nps => "NPS = % promoters (9-10) − % detractors (0-6)".to_owned(),
        Calculation::CsatTop2 => {
            format!(
                "CSAT = % of answers in the top 2 boxes ({}) of the {scale_text} scale",
                top(2)
            )
        }
        Calculation::CesAverage => format!("CES = mean effort score on the {scale_text} scale"),
        Calculation::CesPercentEasy => {
            let (min, max) = match scale {
                [first, .., last] => (*first, *last),
                _ => (1.0, 7.0),
            };
            let lo = ((min + max) / 2.0).floor() + 1.0;
            format!(
                "CES % easy = % of answers from {} to {}",
                fmt_num(lo),
                fmt_num(max)
            )
        }
        Calculation::Distribution => {
            if q.is_multi_select() {
                "Distribution = % of respondents choosing each option".to_owned()
            } else {
                "Distribution = % of answers per option".to_owned()
            }
        }
        Calculation::TopBox { boxes } => format!(
            "Top {boxes} box = % of answers in {} of the {scale_text} scale",
            top(usize::from(boxes))
        ),
        Calculation::BottomBox { boxes } => format!(
            "Bottom {boxes} box = % of answers in {} of the {scale_text} scale",
            bottom(usize::from(boxes))
        ),
    };
    let subject = match &config.sub_question_id {
        Some(sub) => {
            let row = q
                .sub_questions
                .iter()
                .find(|s| &s.id == sub)
                .map_or(sub.as_str(), |s| &s.label);
            format!("{} ({row})", q.short_name())
        }
        None => q.short_name().to_owned(),
    };
    let unit = if n == 1 { "response" } else { "responses" };
    let mut text = format!(
        "{head}; n = {} {unit} with an answer to {subject}",
        thousands(n)
    );
    let excluded: Vec<&str> = q
        .choices
        .iter()
        .filter(|c| !c.analyze)
        .map(|c| c.label.as_str())
        .collect();
    if !excluded.is_empty() {
        text.push_str(&format!(
            "; excluded from analysis: {}",
            excluded.join(", ")
        ));
    }
    match &config.group_by {
        GroupBy::None => {}
        GroupBy::Question { question_id } => {
            let name = group_question.map_or(question_id.as_str(), |g| g.short_name());
            text.push_str(&format!("; grouped by {name}"));
        }
        GroupBy::Field { name } => text.push_str(&format!("; grouped by field {name}")),
        GroupBy::Time { bucket, date_field } => {
            let b = match bucket {
                TimeBucket::Day => "day",
                TimeBucket::Week => "ISO week",
                TimeBucket::Month => "month",
                TimeBucket::Quarter => "quarter",
            };
            let d = date_word(*date_field);
            text.push_str(&format!("; per {b} of the {d} (UTC)"));
        }
    }
    scope(config, &mut text);
    text
}

fn date_word(d: DateField) -> &'static str {
    match d {
        DateField::EndDate => "end date",
        DateField::StartDate => "start date",
        DateField::RecordedDate => "recorded date",
    }
}

/// The card's range and segment in words: "; Last 90 days by recorded date; segment: Region
/// is EMEA or APAC and QID4 is Enterprise".
fn scope(config: &MetricCardConfig, text: &mut String) {
    if config.range != DateRange::All {
        text.push_str(&format!(
            "; {} by {}",
            config.range.kind_label(),
            date_word(config.date_field)
        ));
    }
    let parts: Vec<String> = config
        .filters
        .iter()
        .map(|f| match f {
            SegmentFilter::Field { name, values } => {
                format!("{name} is {}", values.join(" or "))
            }
            SegmentFilter::Question {
                question_id,
                choices,
            } => format!("{question_id} is {}", choices.join(" or ")),
            SegmentFilter::Saved { name, .. } => format!("saved filter \"{name}\""),
        })
        .collect();
    if !parts.is_empty() {
        text.push_str(&format!("; segment: {}", parts.join(" and ")));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_separators() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1234), "1,234");
        assert_eq!(super::thousands(1234567), "1,234,567");
    }
}
