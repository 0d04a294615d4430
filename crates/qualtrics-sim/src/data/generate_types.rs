//! Answers of the "Question Types" survey (see [`super::types_survey`]).
//!
//! Contract: [`answers`] answers every question of the survey from the response's random
//! stream and a latent satisfaction, in the export shapes of each type: numbers with the
//! slider's decimals, constant sums that add up to their total, ranks forming a permutation,
//! form fields as text, numeric text entries as typed numbers, multiple-answer matrix rows with at least one column, and
//! drill-down paths whose level-2 option belongs to the level-1 option. About one answer in
//! twelve on scales with a not-analysed choice ("Don't know", "N/A") picks it.

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::generate::Answer;
use super::model::{Choice, Question, QuestionKind};

const COMPANIES: [&str; 4] = ["Acme", "Globex", "Initech", "Umbrella"];
const ROLES: [&str; 3] = ["Designer", "Researcher", "Manager"];
const IMPROVE: [&str; 3] = ["Faster exports", "More chart types", "Better search"];

fn unit(latent: f64, rng: &mut ChaCha8Rng) -> f64 {
    (0.6 + 0.18 * latent + rng.gen_range(-0.25..0.25)).clamp(0.0, 1.0)
}

fn pick_scale(rng: &mut ChaCha8Rng, scale: &'static [Choice], latent: f64) -> &'static Choice {
    let analysed: Vec<&'static Choice> = scale.iter().filter(|c| c.analyze).collect();
    if analysed.len() < scale.len() && rng.gen_bool(0.08) {
        return scale.iter().find(|c| !c.analyze).unwrap_or(&scale[0]);
    }
    let i = (unit(latent, rng) * (analysed.len() - 1) as f64).round() as usize;
    analysed[i.min(analysed.len() - 1)]
}

fn subset(rng: &mut ChaCha8Rng, choices: &'static [Choice]) -> Vec<&'static Choice> {
    let mut chosen: Vec<&'static Choice> = choices.iter().filter(|_| rng.gen_bool(0.45)).collect();
    if chosen.is_empty() {
        chosen.push(&choices[rng.gen_range(0..choices.len())]);
    }
    chosen
}

fn round_to(v: f64, decimals: u8) -> f64 {
    let f = 10f64.powi(i32::from(decimals));
    (v * f).round() / f
}

/// The answer to `q`, or `None` when the respondent skipped it.
pub fn answer(rng: &mut ChaCha8Rng, q: &'static Question, latent: f64) -> Option<Answer> {
    Some(match q.kind {
        QuestionKind::Nps => {
            let v = (unit(latent, rng) * 10.0).round() as usize;
            Answer::Choice(&q.choices()[v.min(10)])
        }
        QuestionKind::Single(choices) | QuestionKind::Styled { choices, .. } if !q.is_multi() => {
            Answer::Choice(pick_scale(rng, choices, latent))
        }
        QuestionKind::Single(choices)
        | QuestionKind::Multi(choices)
        | QuestionKind::Styled { choices, .. } => Answer::Multi(subset(rng, choices)),
        QuestionKind::Matrix {
            rows,
            scale,
            multi: false,
            ..
        } => Answer::Matrix(
            rows.iter()
                .map(|r| (r, pick_scale(rng, scale, latent)))
                .collect(),
        ),
        QuestionKind::Matrix { rows, scale, .. } => {
            Answer::MatrixMulti(rows.iter().map(|r| (r, subset(rng, scale))).collect())
        }
        QuestionKind::Slider {
            rows,
            min,
            max,
            decimals,
            ..
        } => {
            if rng.gen_bool(0.1) {
                return None;
            }
            let span = (max - min) as f64;
            Answer::Numbers(
                rows.iter()
                    .map(|r| (r, round_to(min as f64 + span * unit(latent, rng), decimals)))
                    .collect(),
            )
        }
        QuestionKind::ConstantSum { rows, total } => {
            let weights: Vec<f64> = rows.iter().map(|_| rng.gen_range(0.1..1.0)).collect();
            let sum: f64 = weights.iter().sum();
            let mut parts: Vec<i64> = weights
                .iter()
                .map(|w| (w / sum * total as f64).floor() as i64)
                .collect();
            let rest = total - parts.iter().sum::<i64>();
            parts[0] += rest;
            Answer::Numbers(rows.iter().zip(parts).map(|(r, p)| (r, p as f64)).collect())
        }
        QuestionKind::RankOrder(items) => {
            let mut ranks: Vec<usize> = (1..=items.len()).collect();
            ranks.shuffle(rng);
            Answer::Numbers(
                items
                    .iter()
                    .zip(ranks)
                    .map(|(r, k)| (r, k as f64))
                    .collect(),
            )
        }
        QuestionKind::Text => {
            if rng.gen_bool(0.5) {
                return None;
            }
            Answer::Text(IMPROVE[rng.gen_range(0..IMPROVE.len())].to_string())
        }
        QuestionKind::NumberEntry { min, max, decimals } => {
            if rng.gen_bool(0.15) {
                return None;
            }
            // The typed text: a number within the validation's range and decimals.
            let span = (max - min) as f64;
            let v = round_to(min as f64 + span * unit(latent, rng), decimals);
            Answer::Text(v.to_string())
        }
        QuestionKind::NumberForm(fields) => Answer::Form(
            fields
                .iter()
                .map(|f| (f, rng.gen_range(0..=500).to_string()))
                .collect(),
        ),
        QuestionKind::Form(fields) => Answer::Form(
            fields
                .iter()
                .zip([
                    COMPANIES[rng.gen_range(0..COMPANIES.len())].to_string(),
                    rng.gen_range(2..400).to_string(),
                    ROLES[rng.gen_range(0..ROLES.len())].to_string(),
                ])
                .collect(),
        ),
        QuestionKind::SideBySide { rows, columns } => Answer::SideBySide(
            columns
                .iter()
                .enumerate()
                .flat_map(|(i, col)| rows.iter().map(move |r| (i, r, col)))
                .map(|(i, r, col)| {
                    let chosen = if col.multi {
                        subset(rng, col.answers)
                    } else {
                        vec![pick_scale(rng, col.answers, latent)]
                    };
                    (i, r, chosen)
                })
                .collect(),
        ),
        QuestionKind::DrillDown {
            levels,
            options,
            parents,
        } => {
            let tops: Vec<&'static Choice> = options
                .iter()
                .filter(|o| !parents.iter().any(|(child, _)| *child == o.id))
                .collect();
            let top = tops[rng.gen_range(0..tops.len())];
            let children: Vec<&'static Choice> = options
                .iter()
                .filter(|o| parents.contains(&(o.id, top.id)))
                .collect();
            let mut path = vec![(&levels[0], top)];
            if let (Some(level), false) = (levels.get(1), children.is_empty()) {
                path.push((level, children[rng.gen_range(0..children.len())]));
            }
            Answer::Matrix(path)
        }
    })
}
