//! Deterministic response generator.
//!
//! Contract: [`generate`] builds response `index` of a survey purely from
//! `(config.seed, survey id, index)` — the same inputs always give the same
//! response, and nothing is cached, so exports of any size run in bounded
//! memory. Scores follow realistic, group-dependent distributions: a latent
//! satisfaction depends on plan (Enterprise happiest, Basic least happy),
//! region and a slow upward trend, and drives NPS, CSAT, CES and the matrix.

use chrono::{DateTime, Duration, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::catalog::{CHANNELS, REGIONS};
use super::model::{AnswerModel, Choice, Question, QuestionKind, SurveySpec};
use super::timeline::{self, mix};
use crate::SimConfig;

/// One answered question.
#[derive(Debug, Clone)]
pub enum Answer {
    /// Single choice or NPS score.
    Choice(&'static Choice),
    /// Multi-select (non-empty).
    Multi(Vec<&'static Choice>),
    /// Matrix: (row, scale point) per answered row; drill-down: (level, option).
    Matrix(Vec<(&'static Choice, &'static Choice)>),
    /// Multiple-answer matrix: (row, chosen columns) per answered row.
    MatrixMulti(Vec<(&'static Choice, Vec<&'static Choice>)>),
    /// Slider, constant sum, rank order: (row, number) per answered row.
    Numbers(Vec<(&'static Choice, f64)>),
    /// Side by side: (column index, row, chosen answers) per answered cell.
    SideBySide(Vec<(usize, &'static Choice, Vec<&'static Choice>)>),
    /// Form fields: (field, text).
    Form(Vec<(&'static Choice, String)>),
    /// Free text.
    Text(String),
}

/// A fully generated response, independent of the export format.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Index within the survey (0-based, recorded order).
    pub index: u64,
    /// `R_...` id.
    pub response_id: String,
    /// Start time (seconds).
    pub start: DateTime<Utc>,
    /// End time (seconds).
    pub end: DateTime<Utc>,
    /// Recorded time (milliseconds).
    pub recorded: DateTime<Utc>,
    /// Duration in seconds.
    pub duration: i64,
    /// Finished flag.
    pub finished: bool,
    /// Progress percent.
    pub progress: u8,
    /// Respondent IP.
    pub ip: String,
    /// Latitude (string, as Qualtrics exports it).
    pub latitude: String,
    /// Longitude.
    pub longitude: String,
    /// `anonymous` or `email`.
    pub channel: &'static str,
    /// `EN`, `DE`, ...
    pub language: &'static str,
    /// Recipient (last, first, email) for e-mail distributions.
    pub recipient: Option<(String, String, String)>,
    /// Embedded data (name, value) in survey order.
    pub embedded: Vec<(&'static str, String)>,
    /// Answers in question order (unanswered questions absent).
    pub answers: Vec<(&'static Question, Answer)>,
    /// Questions shown to the respondent (answered or not).
    pub displayed: Vec<&'static Question>,
}

const FIRST_NAMES: [&str; 12] = [
    "Alice", "Ben", "Chloe", "David", "Emma", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Keira",
    "Luca",
];
const LAST_NAMES: [&str; 12] = [
    "Martin", "Nguyen", "Okafor", "Petrov", "Quinn", "Rossi", "Schmidt", "Tanaka", "Umar", "Varga",
    "Weber", "Young",
];
const HAPPY_TEXT: [&str; 4] = [
    "Setup was quick and the team was great.",
    "Love the dashboards, keep it up!",
    "Everything worked out of the box.",
    "Great onboarding call, very helpful.",
];
const NEUTRAL_TEXT: [&str; 3] = [
    "Documentation could be clearer.",
    "It took a while to find the import settings.",
    "OK overall, a few rough edges.",
];
const UNHAPPY_TEXT: [&str; 3] = [
    "Too slow to get started, I needed help twice.",
    "The integration with our CRM kept failing.",
    "Support took days to answer.",
];

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = rng.gen_range(f64::EPSILON..1.0);
    let u2: f64 = rng.gen();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

fn weighted(rng: &mut ChaCha8Rng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    let mut pick = rng.gen_range(0..total);
    for (i, w) in weights.iter().enumerate() {
        if pick < *w {
            return i;
        }
        pick -= w;
    }
    weights.len() - 1
}

fn scale(q: &'static Question, value: f64, lo: i64, hi: i64) -> Answer {
    let v = value.round().clamp(lo as f64, hi as f64) as i64;
    let id = v.to_string();
    let choice = q
        .choices()
        .iter()
        .find(|c| c.id == id)
        .unwrap_or(&q.choices()[0]);
    Answer::Choice(choice)
}

fn pick(q: &'static Question, index: usize) -> Answer {
    Answer::Choice(&q.choices()[index.min(q.choices().len() - 1)])
}

fn text_for(rng: &mut ChaCha8Rng, latent: f64) -> String {
    let list: &[&str] = if latent > 0.5 {
        &HAPPY_TEXT
    } else if latent > -0.5 {
        &NEUTRAL_TEXT
    } else {
        &UNHAPPY_TEXT
    };
    list[rng.gen_range(0..list.len())].to_string()
}

fn location(rng: &mut ChaCha8Rng, region: &str) -> (String, String) {
    let (lat, lon) = match region {
        "EMEA" => (48.85, 2.35),
        "APAC" => (-33.87, 151.21),
        _ => (40.71, -74.0),
    };
    let lat = lat + rng.gen_range(-4.0..4.0);
    let lon = lon + rng.gen_range(-6.0..6.0);
    (format!("{lat:.4}"), format!("{lon:.4}"))
}

/// Generate response `index` of `spec`.
pub fn generate(config: &SimConfig, spec: &'static SurveySpec, index: u64) -> Generated {
    let mut rng = ChaCha8Rng::seed_from_u64(mix(config.seed, spec.id, index, 3));
    let recorded = timeline::recorded_at(config, spec, index);
    let in_progress = timeline::is_in_progress(config, spec, index);
    let base = timeline::base_count(config, spec).max(1) as f64;
    let trend = (index as f64 / base).min(1.2) * 0.4;

    let region = REGIONS[weighted(&mut rng, &[40, 40, 20])];
    let region_adj = match region {
        "EMEA" => 0.1,
        "APAC" => -0.2,
        _ => 0.0,
    };
    let (latitude, longitude) = location(&mut rng, region);
    let ip = format!(
        "{}.{}.{}.{}",
        rng.gen_range(11..223),
        rng.gen_range(0..256),
        rng.gen_range(0..256),
        rng.gen_range(1..255)
    );
    let email_channel = rng.gen_bool(0.4);
    let first = FIRST_NAMES[rng.gen_range(0..FIRST_NAMES.len())];
    let last = LAST_NAMES[rng.gen_range(0..LAST_NAMES.len())];
    let email = format!(
        "{}.{}{}@example.com",
        first.to_lowercase(),
        last.to_lowercase(),
        index % 1000
    );
    let phone = format!("+1 555-{:04}", rng.gen_range(100..10_000));
    let duration: i64 = rng.gen_range(35..900);

    let mut answers: Vec<(&'static Question, Answer)> = Vec::new();
    let mut embedded: Vec<(&'static str, String)> = Vec::new();
    let qs = spec.questions;
    match spec.model {
        AnswerModel::Onboarding => {
            let plan = weighted(&mut rng, &[45, 35, 20]);
            let latent = [-0.4, 0.1, 0.7][plan] + region_adj + trend + normal(&mut rng);
            answers.push((
                &qs[0],
                scale(&qs[0], 7.2 + 1.9 * latent + normal(&mut rng), 0, 10),
            ));
            if rng.gen_bool(0.04) {
                answers.push((&qs[1], pick(&qs[1], 5)));
            } else {
                answers.push((
                    &qs[1],
                    scale(&qs[1], 3.7 + 0.9 * latent + 0.5 * normal(&mut rng), 1, 5),
                ));
            }
            answers.push((
                &qs[2],
                scale(&qs[2], 5.0 + 1.2 * latent + 0.7 * normal(&mut rng), 1, 7),
            ));
            answers.push((&qs[3], pick(&qs[3], plan)));
            let p = [
                0.8,
                0.5,
                0.3 + 0.2 * plan as f64,
                0.1 + 0.25 * plan as f64,
                0.4,
            ];
            let chosen: Vec<&'static Choice> = qs[4]
                .choices()
                .iter()
                .zip(p)
                .filter_map(|(c, p)| rng.gen_bool(p).then_some(c))
                .collect();
            if !chosen.is_empty() {
                answers.push((&qs[4], Answer::Multi(chosen)));
            }
            if let QuestionKind::Matrix {
                rows,
                scale: points,
                ..
            } = qs[5].kind
            {
                let cells = rows
                    .iter()
                    .enumerate()
                    .map(|(r, row)| {
                        let bonus = if r == 2 && plan == 2 { 0.3 } else { 0.0 };
                        let v = (3.6 + 0.8 * latent + bonus + 0.7 * normal(&mut rng))
                            .round()
                            .clamp(1.0, 5.0);
                        (row, &points[v as usize - 1])
                    })
                    .collect();
                answers.push((&qs[5], Answer::Matrix(cells)));
            }
            if rng.gen_bool(0.25) {
                answers.push((&qs[6], Answer::Text(text_for(&mut rng, latent))));
            }
            let channel = CHANNELS[weighted(&mut rng, &[55, 30, 15])];
            embedded.push(("Region", region.to_string()));
            embedded.push(("Channel", channel.to_string()));
            embedded.push(("FirstName", first.to_string()));
            embedded.push(("LastName", last.to_string()));
            embedded.push(("Email", email.clone()));
            embedded.push(("Phone", phone));
        }
        AnswerModel::Support => {
            let channel = weighted(&mut rng, &[45, 30, 25]);
            let latent = [0.2, -0.3, 0.3][channel] + region_adj + trend * 0.5 + normal(&mut rng);
            answers.push((
                &qs[0],
                scale(&qs[0], 3.8 + 0.9 * latent + 0.5 * normal(&mut rng), 1, 5),
            ));
            answers.push((
                &qs[1],
                scale(&qs[1], 5.2 + 1.1 * latent + 0.7 * normal(&mut rng), 1, 7),
            ));
            answers.push((&qs[2], pick(&qs[2], channel)));
            if rng.gen_bool(0.3) {
                answers.push((&qs[3], Answer::Text(text_for(&mut rng, latent))));
            }
            embedded.push(("Region", region.to_string()));
        }
        AnswerModel::Website => {
            let purpose = weighted(&mut rng, &[50, 30, 20]);
            let latent = [0.0, 0.5, -0.8][purpose] + normal(&mut rng);
            answers.push((&qs[0], scale(&qs[0], 6.8 + 2.0 * latent, 0, 10)));
            answers.push((&qs[1], pick(&qs[1], purpose)));
        }
        AnswerModel::QuestionTypes => {
            let latent = region_adj + trend + normal(&mut rng);
            for q in qs {
                if let Some(a) = super::generate_types::answer(&mut rng, q, latent) {
                    answers.push((q, a));
                }
            }
            embedded.push(("Region", region.to_string()));
        }
        AnswerModel::Empty => {
            let latent = normal(&mut rng);
            answers.push((&qs[0], scale(&qs[0], 7.0 + 2.0 * latent, 0, 10)));
        }
    }

    let mut displayed: Vec<&'static Question> = qs.iter().collect();
    let progress = if in_progress {
        let progress: u8 = rng.gen_range(10..90);
        let reached = (qs.len() * usize::from(progress)) / 100;
        answers.retain(|(q, _)| {
            qs.iter()
                .position(|x| x.qid == q.qid)
                .is_some_and(|p| p < reached)
        });
        displayed.truncate(reached);
        progress
    } else {
        100
    };
    let end = DateTime::from_timestamp(recorded.timestamp(), 0).unwrap_or(recorded);
    let recipient =
        (email_channel && !in_progress).then(|| (last.to_string(), first.to_string(), email));
    Generated {
        index,
        response_id: timeline::response_id(config, spec, index),
        start: end - Duration::seconds(duration),
        end,
        recorded,
        duration,
        finished: !in_progress,
        progress,
        ip,
        latitude,
        longitude,
        channel: if email_channel { "email" } else { "anonymous" },
        language: "EN",
        recipient,
        embedded,
        answers,
        displayed,
    }
}

impl Generated {
    /// The answer given to a question, if any.
    pub fn answer(&self, qid: &str) -> Option<&Answer> {
        self.answers
            .iter()
            .find(|(q, _)| q.qid == qid)
            .map(|(_, a)| a)
    }

    /// The value of an embedded data field, if set.
    pub fn embedded_value(&self, name: &str) -> Option<&str> {
        self.embedded
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// NPS group of a score: 1 detractor (0-6), 2 passive (7-8), 3 promoter (9-10).
pub fn nps_group(score: i64) -> (i64, &'static str) {
    match score {
        9.. => (3, "Promoter"),
        7 | 8 => (2, "Passive"),
        _ => (1, "Detractor"),
    }
}
