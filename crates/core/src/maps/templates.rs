//! Map templates: built-in journeys and the user's own saved maps.
//!
//! Contract: a template is a [`MapFile`] (same format, same checks as an import). The built-in
//! ones ([`builtin`]) have stages, lanes, a description text card per stage and suggested
//! metric cards (NPS, CSAT, CES) left *unbound* (no survey/question), so the app asks for a
//! survey and question the first time such a card is opened. User templates are map files
//! saved under `<data_dir>/templates/` (cards keep their surveys; values are never saved).

use chrono::Utc;
use serde::Serialize;
use ts_rs::TS;

use super::file::{FileAxis, FileCard, FileMap, MapFile, FORMAT, FORMAT_VERSION};
use super::CardContent;
use crate::metrics::{Calculation, CardType, ChartOptions, GroupBy, MetricCardConfig};

/// A template in the "new map" list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MapTemplate {
    /// `builtin:<slug>` or `user:<file stem>`.
    pub id: String,
    pub name: String,
    pub description: String,
    pub builtin: bool,
    pub stage_count: u32,
    pub lane_count: u32,
    pub card_count: u32,
    /// Stage names in order (the picker previews the journey with them).
    pub stages: Vec<String>,
    /// Lane names in order.
    pub lanes: Vec<String>,
    /// Names of the suggested metric cards (NPS, CSAT...).
    pub metric_cards: Vec<String>,
}

struct Spec {
    slug: &'static str,
    name: &'static str,
    description: &'static str,
    lanes: [&'static str; 3],
    /// (stage, its description, suggested metric on that stage)
    stages: &'static [(&'static str, &'static str, Option<Suggested>)],
}

#[derive(Clone, Copy)]
enum Suggested {
    Nps,
    Csat,
    Ces,
}

const SPECS: &[Spec] = &[
    Spec {
        slug: "saas-onboarding",
        name: "SaaS onboarding",
        description: "From first visit to a customer who gets value every week.",
        lanes: ["What the customer does", "Touchpoints", "Metrics"],
        stages: &[
            (
                "Discover",
                "Finds the product: search, referral, review sites.",
                None,
            ),
            (
                "Sign up",
                "Creates an account and confirms the e-mail.",
                Some(Suggested::Ces),
            ),
            (
                "Set up",
                "Invites the team, connects data, first project.",
                Some(Suggested::Csat),
            ),
            (
                "First value",
                "Reaches the moment the product pays off.",
                Some(Suggested::Csat),
            ),
            (
                "Adopt",
                "Uses it weekly; decides whether to recommend it.",
                Some(Suggested::Nps),
            ),
        ],
    },
    Spec {
        slug: "online-purchase",
        name: "Online purchase",
        description: "A shopper's path from browsing to a delivered order.",
        lanes: ["What the shopper does", "Channels", "Metrics"],
        stages: &[
            (
                "Browse",
                "Looks around the catalogue and compares products.",
                None,
            ),
            ("Choose", "Reads details and reviews, adds to basket.", None),
            (
                "Check out",
                "Pays, picks delivery; friction here loses sales.",
                Some(Suggested::Ces),
            ),
            (
                "Delivery",
                "Tracks the parcel and receives it.",
                Some(Suggested::Csat),
            ),
            (
                "After purchase",
                "Uses the product, returns it or buys again.",
                Some(Suggested::Nps),
            ),
        ],
    },
    Spec {
        slug: "support-case",
        name: "Support case",
        description: "A customer with a problem, from first contact to resolution.",
        lanes: ["What the customer does", "Support team", "Metrics"],
        stages: &[
            ("Problem", "Hits a problem and looks for help.", None),
            (
                "Contact",
                "Opens a case by chat, e-mail or phone.",
                Some(Suggested::Ces),
            ),
            (
                "Diagnosis",
                "Explains the problem; the agent investigates.",
                None,
            ),
            (
                "Resolution",
                "Gets the fix or an answer.",
                Some(Suggested::Csat),
            ),
            (
                "Follow-up",
                "Checks the fix holds; relationship after the case.",
                Some(Suggested::Nps),
            ),
        ],
    },
];

fn suggested_card(s: Suggested) -> MetricCardConfig {
    let (name, calculation) = match s {
        Suggested::Nps => ("NPS", Calculation::Nps),
        Suggested::Csat => ("CSAT", Calculation::CsatTop2),
        Suggested::Ces => ("Customer effort (CES)", Calculation::CesAverage),
    };
    MetricCardConfig {
        name: name.to_owned(),
        card_type: CardType::Number,
        survey_id: None,
        question_id: String::new(),
        sub_question_id: None,
        group_by: GroupBy::None,
        calculation,
        comparison: None,
        chart: ChartOptions::default(),
        ..Default::default()
    }
}

fn to_file(spec: &Spec) -> MapFile {
    let mut cards = Vec::new();
    for (i, (_, description, metric)) in spec.stages.iter().enumerate() {
        cards.push(FileCard {
            stage: i as u32,
            lane: 0,
            content: CardContent::Text {
                text: (*description).to_owned(),
            },
            export_tags: Default::default(),
            snapshot: None,
        });
        if let Some(m) = metric {
            cards.push(FileCard {
                stage: i as u32,
                lane: 2,
                content: CardContent::Metric {
                    config: Box::new(suggested_card(*m)),
                },
                export_tags: Default::default(),
                snapshot: None,
            });
        }
    }
    MapFile {
        format: FORMAT.to_owned(),
        version: FORMAT_VERSION,
        exported_at: Utc::now(),
        data_as_of: None,
        map: FileMap {
            name: spec.name.to_owned(),
            stages: spec
                .stages
                .iter()
                .map(|s| FileAxis {
                    name: s.0.to_owned(),
                })
                .collect(),
            lanes: spec
                .lanes
                .iter()
                .map(|l| FileAxis {
                    name: (*l).to_owned(),
                })
                .collect(),
            cards,
        },
        surveys: Vec::new(),
    }
}

/// Summary of a template file.
pub(crate) fn describe(
    id: String,
    description: String,
    builtin: bool,
    file: &MapFile,
) -> MapTemplate {
    MapTemplate {
        id,
        name: file.map.name.clone(),
        description,
        builtin,
        stage_count: file.map.stages.len() as u32,
        lane_count: file.map.lanes.len() as u32,
        card_count: file.map.cards.len() as u32,
        stages: file.map.stages.iter().map(|s| s.name.clone()).collect(),
        lanes: file.map.lanes.iter().map(|l| l.name.clone()).collect(),
        metric_cards: file
            .map
            .cards
            .iter()
            .filter_map(|c| match &c.content {
                crate::maps::CardContent::Metric { config } => Some(config.name.clone()),
                crate::maps::CardContent::Text { .. } => None,
            })
            .collect(),
    }
}

/// The built-in templates with their files.
pub fn builtin() -> Vec<(MapTemplate, MapFile)> {
    SPECS
        .iter()
        .map(|spec| {
            let file = to_file(spec);
            let t = describe(
                format!("builtin:{}", spec.slug),
                spec.description.to_owned(),
                true,
                &file,
            );
            (t, file)
        })
        .collect()
}
