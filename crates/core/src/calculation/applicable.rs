//! Which calculations mean something for a question: decided here, once.
//!
//! Contract: [`applicable_calculations`] lists, most specific first, the calculations a
//! question supports; the question DTO carries that list so the UI offers exactly it, and
//! [`refusal`] gives the specific reason the engine reports (as `NotApplicable`) for any
//! other calculation. The rules:
//! * multi-select questions (and multiple-answer matrices): Count and Distribution;
//! * choice questions with a numeric analysable scale of 2+ points: NPS on exactly 0..10,
//!   CES on exactly 1..7, CSAT top-2-box on 4+ points (not 0..10), top/bottom 1-2-box on
//!   3+ points, then average/median/min/max/sum; every choice question: Distribution;
//! * sliders, constant sums and rank orders (numbers without choices): average, median,
//!   min, max, sum and Distribution;
//! * numeric text entry (single line or form fields with `ValidNumber` validation): average,
//!   median, min, max, sum (answers that are not numbers are skipped, and counted in a
//!   `skippedAnswers` problem by the engine);
//! * free text and form fields: Count only;
//! * Count always.

use super::Calculation;
use crate::store::QuestionRow;

/// The distinct numeric recodes of a question's analysable choices, ascending.
pub(crate) fn scale_of(q: &QuestionRow) -> Vec<f64> {
    let mut s: Vec<f64> = q
        .choices
        .iter()
        .filter(|c| c.analyze)
        .filter_map(|c| c.recode.trim().parse::<f64>().ok())
        .collect();
    s.sort_by(f64::total_cmp);
    s.dedup();
    s
}

fn is_exact(scale: &[f64], min: f64, max: f64) -> bool {
    scale.len() as f64 == max - min + 1.0
        && scale.first() == Some(&min)
        && scale.last() == Some(&max)
}

const NUMERIC: [Calculation; 5] = [
    Calculation::Average,
    Calculation::Median,
    Calculation::Min,
    Calculation::Max,
    Calculation::Sum,
];

/// The calculations that mean something for `q`, most specific first.
pub fn applicable_calculations(q: &QuestionRow) -> Vec<Calculation> {
    let mut out = Vec::new();
    if q.is_multi_select() {
        out.push(Calculation::Distribution);
    } else if q.is_choice() {
        let scale = scale_of(q);
        if scale.len() >= 2 {
            let nps = is_exact(&scale, 0.0, 10.0);
            if nps {
                out.push(Calculation::Nps);
            }
            if is_exact(&scale, 1.0, 7.0) {
                out.extend([Calculation::CesAverage, Calculation::CesPercentEasy]);
            }
            if scale.len() >= 4 && !nps {
                out.push(Calculation::CsatTop2);
            }
            if scale.len() >= 3 {
                out.extend([
                    Calculation::TopBox { boxes: 1 },
                    Calculation::TopBox { boxes: 2 },
                    Calculation::BottomBox { boxes: 1 },
                    Calculation::BottomBox { boxes: 2 },
                ]);
            }
            out.extend(NUMERIC);
        }
        out.push(Calculation::Distribution);
    } else if q.is_numeric_rows() {
        out.extend(NUMERIC);
        out.push(Calculation::Distribution);
    } else if q.is_numeric_entry() {
        out.extend(NUMERIC);
    }
    out.push(Calculation::Count);
    out
}

/// Display name of a calculation in messages.
pub(crate) fn calculation_name(c: Calculation) -> String {
    match c {
        Calculation::Count => "Count".into(),
        Calculation::Average => "Average".into(),
        Calculation::Sum => "Sum".into(),
        Calculation::Min => "Minimum".into(),
        Calculation::Max => "Maximum".into(),
        Calculation::Median => "Median".into(),
        Calculation::Nps => "NPS".into(),
        Calculation::CsatTop2 => "CSAT".into(),
        Calculation::CesAverage | Calculation::CesPercentEasy => "CES".into(),
        Calculation::Distribution => "Distribution".into(),
        Calculation::TopBox { boxes } => format!("Top-{boxes}-box"),
        Calculation::BottomBox { boxes } => format!("Bottom-{boxes}-box"),
    }
}

/// What a question's answers are, for messages ("free text", "answered on 1-5", ...).
fn nature(q: &QuestionRow) -> String {
    let scale = scale_of(q);
    if q.is_numeric_entry() {
        "a number typed as text, without answer choices".into()
    } else if q.is_form() {
        "a form of text fields".into()
    } else if q.is_text_entry() {
        "free text".into()
    } else if q.is_multi_select() {
        "multi-select".into()
    } else if q.is_numeric_rows() {
        format!("a {} without an answer scale", type_name(q))
    } else if let [min, .., max] = scale.as_slice() {
        format!(
            "answered on {}-{}",
            super::fmt_num(*min),
            super::fmt_num(*max)
        )
    } else if q.is_choice() {
        "answered with choices that have no numeric recodes".into()
    } else {
        format!(
            "a {} question without answers to calculate on",
            q.question_type
        )
    }
}

fn type_name(q: &QuestionRow) -> &'static str {
    match q.question_type.as_str() {
        "Slider" => "slider",
        "CS" => "constant sum",
        _ => "rank order",
    }
}

/// Why `calc` does not apply to `q`, or `None` when it does.
pub fn refusal(q: &QuestionRow, calc: Calculation) -> Option<String> {
    let applies = applicable_calculations(q).iter().any(|a| match (a, calc) {
        (Calculation::TopBox { .. }, Calculation::TopBox { boxes })
        | (Calculation::BottomBox { .. }, Calculation::BottomBox { boxes }) => {
            boxes >= 1 && usize::from(boxes) < scale_of(q).len()
        }
        (a, c) => *a == c,
    });
    if applies {
        return None;
    }
    let name = calculation_name(calc);
    let short = q.short_name();
    let what = nature(q);
    Some(match calc {
        _ if q.is_multi_select() => format!(
            "{name} does not apply to {short}: it is multi-select, so only Count and \
             Distribution apply"
        ),
        Calculation::Nps => format!("NPS needs a 0-10 answer scale; {short} is {what}"),
        Calculation::CesAverage | Calculation::CesPercentEasy => {
            format!("CES needs a 1-7 answer scale; {short} is {what}")
        }
        Calculation::CsatTop2 => {
            format!("CSAT needs an answer scale of 4 or more points (not 0-10); {short} is {what}")
        }
        Calculation::TopBox { .. } | Calculation::BottomBox { .. } => {
            format!("{name} needs an answer scale with more points than boxes; {short} is {what}")
        }
        Calculation::Distribution => {
            format!("Distribution needs answer choices or numbers; {short} is {what}")
        }
        _ => format!("{name} needs numeric answers; {short} is {what}"),
    })
}

/// Why `g` cannot split responses into groups, or `None` when it can (a choice question,
/// or one row of a matrix / drill-down).
pub(crate) fn group_refusal(g: &QuestionRow) -> Option<String> {
    (!g.is_choice()).then(|| {
        format!(
            "Group by needs a question with answer choices; {} is {}",
            g.short_name(),
            nature(g)
        )
    })
}
