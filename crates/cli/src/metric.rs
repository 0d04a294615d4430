//! `pulsemap metric`: builds a card configuration from flags and computes it from the cache.
//!
//! Contract: the value printed is exactly [`Pulsemap::preview_metric`]'s (the desktop app's
//! computation); the question may be given as its QID or its export tag, a row as
//! `QID3.1` / `Q3.1`. A calculation or group-by that does not apply to the question (NPS on a
//! 1-5 scale, an average of free text, a field no response carries) is an `invalidInput`
//! error naming the reason, never a printed empty value. The card-scope flags (`--range`,
//! `--date-field`, `--filter`, `--target`/`--better`/`--amber`, `--min-n`, `--compare`,
//! `--tz`) map onto the same card settings as the app's metric modal (parsed in `scope`);
//! relative ranges resolve on today in `--tz` (default: the system zone).

use anyhow::{bail, Context};
use pulsemap_core::app::Pulsemap;
use pulsemap_core::metrics::{
    Calculation, CardType, Clock, ComparisonSpec, GroupBy, MetricCardConfig, MetricValue, Period,
    ProblemKind, SegmentFilter, SplitBy, Target, TimeBucket,
};

use crate::args::{CardTypeArg, MetricArgs};
use crate::output::{self, out};
use crate::scope::FilterArg;

/// Runs the command.
pub fn run(app: &Pulsemap, args: MetricArgs, json: bool) -> anyhow::Result<()> {
    let config = build(app, &args)?;
    let clock = match &args.tz {
        Some(tz) => Clock::in_zone(chrono::Utc::now(), tz)?,
        None => Clock::system(),
    };
    let value = app.preview_metric_at(&config, &clock)?;
    refuse_not_applicable(&value)?;
    if json {
        return output::print_json(&value);
    }
    print_value(&value)
}

/// The card configuration the flags describe (what `metric` computes and `map card set`
/// saves), named `<calc> <question>`.
pub fn build(app: &Pulsemap, args: &MetricArgs) -> anyhow::Result<MetricCardConfig> {
    let questions = app.survey_questions(&args.survey)?;
    if questions.is_empty() {
        return Err(pulsemap_core::Error::not_found(format!(
            "survey {} has no cached questions: run `pulsemap refresh {}` first",
            args.survey, args.survey
        ))
        .into());
    }
    let resolve = |q: &str| -> anyhow::Result<String> {
        questions
            .iter()
            .find(|row| row.qid == q)
            .or_else(|| {
                questions
                    .iter()
                    .find(|row| row.export_tag.as_deref() == Some(q))
            })
            .map(|row| row.qid.clone())
            .with_context(|| format!("question {q} is not part of survey {}", args.survey))
    };
    let (question_id, sub_question_id) = match args.question.split_once('.') {
        Some((q, row)) => (resolve(q)?, Some(row.to_string())),
        None => (resolve(&args.question)?, None),
    };
    let group_by = match &args.group_by {
        None => GroupBy::None,
        Some(spec) => parse_group_by(spec, &resolve)?,
    };
    let card_type = match args.card_type {
        CardTypeArg::Number => CardType::Number,
        CardTypeArg::Series => CardType::Series,
        CardTypeArg::Comparison => CardType::Comparison,
    };
    let comparison = match (card_type, &args.compare) {
        (CardType::Comparison, Some(spec)) => Some(spec.clone()),
        (CardType::Comparison, None) => Some(ComparisonSpec::PreviousPeriod {
            period: Period::Month,
        }),
        _ => None,
    };
    let mut filters = Vec::new();
    for f in &args.filters {
        filters.push(match f {
            FilterArg::Field { name, values } => SegmentFilter::Field {
                name: name.clone(),
                values: values.clone(),
            },
            FilterArg::Question { question, choices } => SegmentFilter::Question {
                question_id: match question.split_once('.') {
                    Some((q, row)) => format!("{}.{row}", resolve(q)?),
                    None => resolve(question)?,
                },
                choices: choices.clone(),
            },
            FilterArg::Saved { filter_id } => {
                let known = app.cached_survey_filters(&args.survey)?;
                let found = known.iter().find(|k| k.id == *filter_id).ok_or_else(|| {
                    pulsemap_core::Error::not_found(format!(
                        "saved filter {filter_id} is not a known filter of survey {}: run \
                         `pulsemap filters {}` to list them",
                        args.survey, args.survey
                    ))
                })?;
                SegmentFilter::Saved {
                    filter_id: found.id.clone(),
                    name: found.name.clone(),
                }
            }
        });
    }
    let split_by = match args.split_by.as_deref() {
        None => None,
        Some(spec) => match parse_group_by(spec, &resolve)? {
            GroupBy::Question { question_id } => Some(SplitBy::Question { question_id }),
            GroupBy::Field { name } => Some(SplitBy::Field { name }),
            _ => bail!("--split-by must be question:QID or field:NAME"),
        },
    };
    if split_by.is_some() && card_type != CardType::Series {
        bail!("--split-by splits a series: use it with --type series");
    }
    let config = MetricCardConfig {
        name: format!("{} {}", args.calc, args.question),
        card_type,
        survey_id: Some(args.survey.clone()),
        question_id,
        sub_question_id,
        group_by,
        calculation: parse_calculation(&args.calc)?,
        comparison,
        range: args.range.clone(),
        date_field: args.date_field,
        filters,
        target: args.target.map(|value| Target {
            value,
            better: args.better.unwrap_or_default(),
            amber_margin: args.amber,
        }),
        min_n: args.min_n,
        split_by,
        ..Default::default()
    };
    Ok(config)
}

/// A calculation or grouping that means nothing for the question is refused (`invalidInput`),
/// not printed or saved as an empty value.
pub fn refuse_not_applicable(value: &MetricValue) -> anyhow::Result<()> {
    match value
        .problems
        .iter()
        .find(|p| p.kind == ProblemKind::NotApplicable)
    {
        Some(p) => Err(pulsemap_core::Error::invalid(p.message.clone()).into()),
        None => Ok(()),
    }
}

/// Prints a value as `metric` does.
pub fn print_value(v: &MetricValue) -> anyhow::Result<()> {
    match v.value {
        Some(x) => out!("value: {x:.2}"),
        None => out!("value: -"),
    }
    out!(
        "n: {}{}",
        v.n,
        if v.low_n {
            format!(" (low n: below {})", v.min_n)
        } else {
            String::new()
        }
    );
    if let (Some(lo), Some(hi)) = (v.ci_low, v.ci_high) {
        out!("95% interval: {lo:.2} to {hi:.2}");
    }
    if let Some(t) = v.target {
        out!("target: {t} ({})", v.status.word().to_lowercase());
    }
    if let Some(r) = &v.resolved_range {
        out!("range: {}", r.label);
    }
    match v.data_as_of {
        Some(at) => out!(
            "data as of: {}{}",
            at.format("%Y-%m-%d %H:%M UTC"),
            if v.stale {
                " (stale: older than 24 h)"
            } else {
                ""
            }
        ),
        None => out!("data as of: never synced"),
    }
    out!("formula: {}", v.formula);
    for g in &v.groups {
        out!("  {}: {} (n={})", g.label, fmt_opt(g.value), g.n);
    }
    for p in &v.series {
        out!("  {}: {} (n={})", p.bucket, fmt_opt(p.value), p.n);
    }
    for g in &v.series_groups {
        out!("  {}:", g.label);
        for p in &g.points {
            out!("    {}: {} (n={})", p.bucket, fmt_opt(p.value), p.n);
        }
    }
    for b in &v.distribution {
        out!("  {}: {:.1}% ({})", b.label, b.percent, b.count);
    }
    if let Some(c) = &v.comparison {
        out!(
            "  {}: {} (n={}) vs {}: {} (n={}), delta {}{}",
            c.current_label,
            fmt_opt(c.current),
            c.current_n,
            c.previous_label,
            fmt_opt(c.previous),
            c.previous_n,
            fmt_opt(c.delta),
            match c.significant {
                Some(true) => " (larger than the noise at 95%)",
                Some(false) => " (within the noise at 95%)",
                None => "",
            }
        );
    }
    for p in &v.problems {
        out!("note: {}", p.message);
    }
    Ok(())
}

fn fmt_opt(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |x| format!("{x:.2}"))
}

/// `count`, `average`, `sum`, `min`, `max`, `median`, `nps`, `csat`, `ces`, `ces-easy`,
/// `distribution`, `top-box:N`, `bottom-box:N`.
pub fn parse_calculation(s: &str) -> anyhow::Result<Calculation> {
    let lower = s.trim().to_ascii_lowercase().replace('_', "-");
    if let Some((name, n)) = lower.split_once(':') {
        let boxes: u8 = n
            .parse()
            .with_context(|| format!("invalid box count in {s:?}"))?;
        return match name {
            "top-box" | "topbox" => Ok(Calculation::TopBox { boxes }),
            "bottom-box" | "bottombox" => Ok(Calculation::BottomBox { boxes }),
            _ => bail!("unknown calculation {s:?}"),
        };
    }
    Ok(match lower.as_str() {
        "count" => Calculation::Count,
        "average" | "avg" | "mean" => Calculation::Average,
        "sum" => Calculation::Sum,
        "min" => Calculation::Min,
        "max" => Calculation::Max,
        "median" => Calculation::Median,
        "nps" => Calculation::Nps,
        "csat" | "csat-top2" | "top2box" | "top-2-box" => Calculation::CsatTop2,
        "ces" | "ces-average" => Calculation::CesAverage,
        "ces-easy" | "ces-percent-easy" => Calculation::CesPercentEasy,
        "distribution" | "dist" => Calculation::Distribution,
        _ => bail!(
            "unknown calculation {s:?}; use count, average, sum, min, max, median, nps, csat, \
             ces, ces-easy, distribution, top-box:N or bottom-box:N"
        ),
    })
}

fn parse_group_by(
    spec: &str,
    resolve: &dyn Fn(&str) -> anyhow::Result<String>,
) -> anyhow::Result<GroupBy> {
    let Some((kind, value)) = spec.split_once(':') else {
        bail!("--group-by must be question:QID, field:NAME or time:day|week|month|quarter");
    };
    Ok(match kind {
        // `question:Q17.1`: one level of a drill-down (one row of a matrix).
        "question" => GroupBy::Question {
            question_id: match value.split_once('.') {
                Some((q, row)) => format!("{}.{row}", resolve(q)?),
                None => resolve(value)?,
            },
        },
        "field" => GroupBy::Field {
            name: value.to_string(),
        },
        "time" => GroupBy::Time {
            bucket: match value {
                "day" => TimeBucket::Day,
                "week" => TimeBucket::Week,
                "month" => TimeBucket::Month,
                "quarter" => TimeBucket::Quarter,
                _ => bail!("unknown time bucket {value:?}; use day, week, month or quarter"),
            },
            date_field: Default::default(),
        },
        _ => bail!("unknown group-by kind {kind:?}; use question:, field: or time:"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calculations_parse() {
        assert_eq!(parse_calculation("NPS").unwrap(), Calculation::Nps);
        assert_eq!(parse_calculation("csat").unwrap(), Calculation::CsatTop2);
        assert_eq!(
            parse_calculation("top-box:3").unwrap(),
            Calculation::TopBox { boxes: 3 }
        );
        assert!(parse_calculation("mode").is_err());
        assert!(parse_calculation("top-box:x").is_err());
    }

    #[test]
    fn group_by_and_comparison_parse() {
        let resolve = |q: &str| -> anyhow::Result<String> { Ok(format!("QID{q}")) };
        assert_eq!(
            parse_group_by("question:3", &resolve).unwrap(),
            GroupBy::Question {
                question_id: "QID3".into()
            }
        );
        assert_eq!(
            parse_group_by("field:Region", &resolve).unwrap(),
            GroupBy::Field {
                name: "Region".into()
            }
        );
        assert!(matches!(
            parse_group_by("time:month", &resolve).unwrap(),
            GroupBy::Time {
                bucket: TimeBucket::Month,
                ..
            }
        ));
        assert!(parse_group_by("Region", &resolve).is_err());
        assert_eq!(
            crate::scope::parse_compare("previous:year").unwrap(),
            ComparisonSpec::PreviousPeriod {
                period: Period::Year
            }
        );
        assert_eq!(
            crate::scope::parse_compare("EMEA,AMER").unwrap(),
            ComparisonSpec::Groups {
                a: "EMEA".into(),
                b: "AMER".into()
            }
        );
    }
}
