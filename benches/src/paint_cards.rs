//! The two maps the paint benchmark opens, over the simulator's "Onboarding Experience"
//! survey: a journey map of 24 metric cards (4 stages × 3 lanes, two cards a cell) and a
//! smaller pulse map of 6.
//!
//! Contract: a realistic mix of what a user puts on a map (issue 13 settings included), every
//! card valid for the survey: NPS, means, top-box percentages, distributions, counts; series by
//! week, month and quarter (one split by region); group-bys by a choice question and an
//! embedded field; comparisons (previous period, previous range, a year earlier, two segments,
//! the target); relative and all-time date ranges; segment filters on an embedded field and on
//! a choice question; targets. Charts on most cards (bar, line, donut, stacked bar), none on a
//! few, as users leave some cards as a bare number.

use pulsemap_core::metrics::{
    Calculation, CardType, ChartKind, ChartOptions, ComparisonSpec, DateRange, GroupBy,
    MetricCardConfig, SegmentFilter, SplitBy, Target, TimeBucket,
};
use qualtrics_sim::catalog;

/// Stage names of both maps (columns).
pub const STAGES: [&str; 4] = ["Sign-up", "Setup", "First value", "Renewal"];
/// Lane names of the journey map (rows).
pub const LANES: [&str; 3] = ["Experience", "Effort", "Segments"];

/// A card and the cell (stage index, lane index) it goes to.
pub type PlacedCard = (usize, usize, MetricCardConfig);

fn card(name: &str, survey: &str, question: &str, calc: Calculation) -> MetricCardConfig {
    MetricCardConfig {
        name: name.to_string(),
        survey_id: pulsemap_core::SurveyId::parse(survey).ok(),
        question_id: question.to_string(),
        calculation: calc,
        chart: ChartOptions {
            kind: ChartKind::Bar,
            ..Default::default()
        },
        ..Default::default()
    }
}

fn chart(mut c: MetricCardConfig, kind: ChartKind) -> MetricCardConfig {
    c.chart.kind = kind;
    c
}

fn series(mut c: MetricCardConfig, bucket: TimeBucket) -> MetricCardConfig {
    c.card_type = CardType::Series;
    c.group_by = GroupBy::Time {
        bucket,
        date_field: Default::default(),
    };
    chart(c, ChartKind::Line)
}

fn grouped_by_plan(mut c: MetricCardConfig) -> MetricCardConfig {
    c.group_by = GroupBy::Question {
        question_id: catalog::ONBOARDING_PLAN_QID.to_string(),
    };
    c
}

fn compared(mut c: MetricCardConfig, spec: ComparisonSpec) -> MetricCardConfig {
    c.card_type = CardType::Comparison;
    c.comparison = Some(spec);
    c
}

fn region(values: &[&str]) -> SegmentFilter {
    SegmentFilter::Field {
        name: "Region".to_string(),
        values: values.iter().map(|v| v.to_string()).collect(),
    }
}

fn target(value: f64) -> Option<Target> {
    Some(Target {
        value,
        better: Default::default(),
        amber_margin: None,
    })
}

/// The 24 cards of the journey map.
///
/// `lag_days` shifts the relative ranges ("last N days") back to where the survey's data
/// ends: the simulator's responses end near its reference date (2025-11), so "last 90 days"
/// is written as "last 90 + lag days" and still covers the latest 90 days of responses. The
/// ranges stay relative: they move every day, as a user's do.
pub fn journey_cards(survey: &str, lag_days: u32) -> Vec<PlacedCard> {
    use Calculation::*;
    let nps = |name: &str| card(name, survey, catalog::ONBOARDING_NPS_QID, Nps);
    let csat = |name: &str| card(name, survey, catalog::ONBOARDING_CSAT_QID, CsatTop2);
    let ces = |name: &str, calc| card(name, survey, catalog::ONBOARDING_CES_QID, calc);
    let matrix = |name: &str, row: &str, calc| MetricCardConfig {
        sub_question_id: Some(row.to_string()),
        ..card(name, survey, catalog::ONBOARDING_MATRIX_QID, calc)
    };
    let last = |days: u32| DateRange::Last {
        days: days + lag_days,
    };
    let cards: Vec<MetricCardConfig> = vec![
        // Experience lane
        MetricCardConfig {
            target: target(40.0),
            ..chart(nps("NPS"), ChartKind::None)
        },
        series(nps("NPS by month"), TimeBucket::Month),
        grouped_by_plan(nps("NPS by plan")),
        MetricCardConfig {
            range: last(90),
            ..compared(nps("NPS, last 90 days"), ComparisonSpec::PreviousRange)
        },
        MetricCardConfig {
            split_by: Some(SplitBy::Field {
                name: "Region".to_string(),
            }),
            ..series(nps("NPS by region, per quarter"), TimeBucket::Quarter)
        },
        MetricCardConfig {
            range: last(90),
            ..compared(csat("CSAT, last 90 days"), ComparisonSpec::YearEarlier)
        },
        chart(
            card(
                "CSAT answers",
                survey,
                catalog::ONBOARDING_CSAT_QID,
                Distribution,
            ),
            ChartKind::Donut,
        ),
        series(csat("CSAT by month"), TimeBucket::Month),
        // Effort lane
        MetricCardConfig {
            target: target(5.5),
            ..chart(ces("CES", CesAverage), ChartKind::None)
        },
        grouped_by_plan(ces("CES % easy by plan", CesPercentEasy)),
        MetricCardConfig {
            range: last(30),
            ..series(ces("CES, last 30 days", Average), TimeBucket::Week)
        },
        MetricCardConfig {
            target: target(4.0),
            ..chart(matrix("Speed", "1", Average), ChartKind::None)
        },
        MetricCardConfig {
            group_by: GroupBy::Field {
                name: "Region".to_string(),
            },
            ..matrix("Reliability by region", "2", TopBox { boxes: 2 })
        },
        series(
            matrix("Support rating by month", "3", Average),
            TimeBucket::Month,
        ),
        MetricCardConfig {
            range: last(30),
            ..matrix("Support, bottom box, 30 days", "3", BottomBox { boxes: 2 })
        },
        MetricCardConfig {
            target: target(75.0),
            ..compared(csat("CSAT vs target"), ComparisonSpec::Target)
        },
        // Segments lane
        MetricCardConfig {
            filters: vec![region(&["EMEA"])],
            target: target(30.0),
            ..nps("NPS, EMEA")
        },
        MetricCardConfig {
            filters: vec![SegmentFilter::Question {
                question_id: catalog::ONBOARDING_PLAN_QID.to_string(),
                choices: vec!["Enterprise".to_string()],
            }],
            range: last(90),
            ..series(nps("NPS, Enterprise, by week"), TimeBucket::Week)
        },
        compared(
            nps("NPS, EMEA vs AMER"),
            ComparisonSpec::Segments {
                a: vec![region(&["EMEA"])],
                a_label: "EMEA".to_string(),
                b: vec![region(&["AMER"])],
                b_label: "AMER".to_string(),
            },
        ),
        MetricCardConfig {
            range: DateRange::Custom {
                from: "2025-01-01".to_string(),
                to: "2025-06-30".to_string(),
            },
            ..compared(
                nps("NPS, first half of 2025"),
                ComparisonSpec::PreviousRange,
            )
        },
        chart(
            card("Plans", survey, catalog::ONBOARDING_PLAN_QID, Distribution),
            ChartKind::Donut,
        ),
        card(
            "Features used",
            survey,
            catalog::ONBOARDING_FEATURES_QID,
            Distribution,
        ),
        chart(
            series(
                card(
                    "Responses by month",
                    survey,
                    catalog::ONBOARDING_NPS_QID,
                    Count,
                ),
                TimeBucket::Month,
            ),
            ChartKind::Bar,
        ),
        MetricCardConfig {
            group_by: GroupBy::Field {
                name: "Channel".to_string(),
            },
            ..chart(csat("CSAT by channel"), ChartKind::StackedBar)
        },
    ];
    cards
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let lane = i / 8;
            let stage = (i % 8) / 2;
            (stage, lane, c)
        })
        .collect()
}

/// The 6 cards of the pulse map (one lane), a subset a team would watch weekly.
pub fn pulse_cards(survey: &str, lag_days: u32) -> Vec<PlacedCard> {
    journey_cards(survey, lag_days)
        .into_iter()
        .filter(|(_, _, c)| {
            [
                "NPS",
                "NPS by month",
                "CSAT, last 90 days",
                "CES",
                "NPS, EMEA",
                "Plans",
            ]
            .contains(&c.name.as_str())
        })
        .enumerate()
        .map(|(i, (_, _, c))| (i % STAGES.len(), 0, c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_journey_map_has_24_distinct_cards_two_a_cell() {
        let cards = journey_cards("SV_x", 0);
        assert_eq!(cards.len(), 24);
        let mut names: Vec<&str> = cards.iter().map(|(_, _, c)| c.name.as_str()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 24);
        for stage in 0..STAGES.len() {
            for lane in 0..LANES.len() {
                let n = cards
                    .iter()
                    .filter(|(s, l, _)| (*s, *l) == (stage, lane))
                    .count();
                assert_eq!(n, 2, "cell {stage},{lane}");
            }
        }
        assert_eq!(pulse_cards("SV_x", 0).len(), 6);
    }
}
