//! The calculations a metric card can make, and which of them mean something for a question.
//!
//! Contract: a leaf of the crate, below both the store (whose question rows list their
//! applicable calculations) and the metric engine (which computes them): it depends on the
//! store's question row type only, never on `metrics`.

mod applicable;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub(crate) use applicable::group_refusal;
pub use applicable::{applicable_calculations, refusal};

/// The calculation of a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum Calculation {
    Count,
    Average,
    Sum,
    Min,
    Max,
    Median,
    Nps,
    CsatTop2,
    CesAverage,
    CesPercentEasy,
    Distribution,
    TopBox { boxes: u8 },
    BottomBox { boxes: u8 },
}

/// Formats a number without a trailing `.0`.
pub(crate) fn fmt_num(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}
