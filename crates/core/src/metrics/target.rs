//! Target status of a value: green / amber / red bands around a card's target.
//!
//! Contract: green when the value meets the target (`value >= target` when higher is better,
//! `value <= target` when lower is better); amber when it misses by no more than the amber
//! margin; red when it misses by more; `None` without a target or without a value. The amber
//! margin is the card's `amberMargin` when set, else 10% of |target|, else (a target of 0) 1
//! unit of the value (one NPS point, one percentage point, one scale point).

use super::scope::{Better, Target, TargetStatus};

/// The amber margin of a target (see the module docs).
pub fn amber_margin(t: &Target) -> f64 {
    match t.amber_margin {
        Some(m) => m,
        None if t.value == 0.0 => 1.0,
        None => t.value.abs() * 0.1,
    }
}

/// Status of `value` against `target`.
pub fn status_of(target: Option<&Target>, value: Option<f64>) -> TargetStatus {
    let (Some(t), Some(v)) = (target, value) else {
        return TargetStatus::None;
    };
    let miss = match t.better {
        Better::Higher => t.value - v,
        Better::Lower => v - t.value,
    };
    if miss <= 0.0 {
        TargetStatus::Green
    } else if miss <= amber_margin(t) + 1e-9 {
        TargetStatus::Amber
    } else {
        TargetStatus::Red
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(value: f64, better: Better, amber: Option<f64>) -> Target {
        Target {
            value,
            better,
            amber_margin: amber,
        }
    }

    #[test]
    fn bands() {
        let nps40 = t(40.0, Better::Higher, None);
        assert_eq!(status_of(Some(&nps40), Some(40.0)), TargetStatus::Green);
        assert_eq!(status_of(Some(&nps40), Some(36.0)), TargetStatus::Amber);
        assert_eq!(status_of(Some(&nps40), Some(35.9)), TargetStatus::Red);
        let ces = t(2.0, Better::Lower, Some(0.5));
        assert_eq!(status_of(Some(&ces), Some(1.5)), TargetStatus::Green);
        assert_eq!(status_of(Some(&ces), Some(2.5)), TargetStatus::Amber);
        assert_eq!(status_of(Some(&ces), Some(2.6)), TargetStatus::Red);
        let zero = t(0.0, Better::Higher, None);
        assert_eq!(status_of(Some(&zero), Some(-1.0)), TargetStatus::Amber);
        assert_eq!(status_of(None, Some(1.0)), TargetStatus::None);
        assert_eq!(status_of(Some(&zero), None), TargetStatus::None);
    }
}
